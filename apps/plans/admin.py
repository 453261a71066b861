"""The secretariat's screens for the plans. They save nothing themselves: every change
goes through :mod:`apps.plans.actions`, which checks the permission and writes the audit
row (so a weight changed here shows in the commitment's public history)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.forms import BaseInlineFormSet
from django.http import HttpRequest
from modeltranslation.admin import TranslationAdmin, TranslationTabularInline

from apps.core.admin import ActionAdmin, form_fields
from apps.plans import actions, figures
from apps.plans.models import ActionPlan, Activity, Commitment, Tag, Theme


class ThemeInline(TranslationTabularInline):
    model = Theme
    extra = 0


@admin.register(ActionPlan)
class ActionPlanAdmin(ActionAdmin, TranslationAdmin):
    list_display = [
        "title",
        "member",
        "member_kind",
        "ordinal",
        "period_start",
        "period_end",
        "public_contacts",
    ]
    list_filter = ["status", "member_kind"]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [ThemeInline]


@admin.register(Tag)
class TagAdmin(ActionAdmin, TranslationAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name", "name_fr", "name_en", "slug"]
    prepopulated_fields = {"slug": ["name"]}


class ActivityInline(TranslationTabularInline):
    model = Activity
    extra = 0
    fields = ["order", "title", "weight", "progress", "is_grouping", "start_date", "end_date"]
    # Figures change only through validated progress updates (tracking), which keep the
    # history and the audit trail.
    readonly_fields = ["progress"]


OGP_FIELDS = ("ogp_id", "irm_completion", "irm_potential_impact", "irm_open_government")


@admin.register(Commitment)
class CommitmentAdmin(ActionAdmin, TranslationAdmin):
    list_display = ["number", "title", "plan", "theme", "lead_institution"]
    list_display_links = ["number", "title"]
    list_filter = ["plan", "theme", "lead_institution"]
    search_fields = ["title", "title_fr", "title_en"]
    autocomplete_fields = ["lead_institution", "supporting_institutions", "tags"]
    list_select_related = ["plan", "theme", "lead_institution"]
    inlines = [ActivityInline]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        # A commitment does not move to another plan (its history and numbering stay).
        # What OGP's data says (its identifier, the IRM's assessment) comes from OGP's
        # dataset (``import_ogp_dataset``), not from the secretariat.
        return (["plan"] if obj is not None else []) + list(OGP_FIELDS)

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        user = request.user
        if not change:
            fields = form_fields(form, form.cleaned_data)
            plan, lead = fields.pop("plan"), fields.pop("lead_institution", None)
            obj.pk = actions.do_create_commitment(
                plan, acting_user=user, lead_institution=lead, **fields
            ).pk
            return
        if "lead_institution" in form.changed_data:
            for note in actions.do_change_lead_institution(
                obj, form.cleaned_data["lead_institution"], acting_user=user
            ):
                self.message_user(request, note, messages.WARNING)
        fields = form_fields(form, form.changed_data)
        fields.pop("lead_institution", None)
        fields.pop("plan", None)
        if fields:
            actions.do_edit_commitment(obj, acting_user=user, **fields)

    # The actions keep the plan's stored figures current; the screen refreshes them once
    # more after a save or a deletion, a safety net for what a form might do besides.
    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        actions.do_remove_commitment(obj, acting_user=request.user)

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        for commitment in queryset:
            actions.do_remove_commitment(commitment, acting_user=request.user)

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        self._save_related(request, form, formsets, change)
        figures.refresh(form.instance.plan_id)

    def _save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        if "supporting_institutions" in form.changed_data:
            for note in actions.do_set_supporting_institutions(
                form.instance,
                form.cleaned_data["supporting_institutions"],
                acting_user=request.user,
            ):
                self.message_user(request, note, messages.WARNING)
        if "tags" in form.changed_data:
            actions.do_set_tags(form.instance, form.cleaned_data["tags"], acting_user=request.user)
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    def save_formset(
        self, request: HttpRequest, form: Any, formset: BaseInlineFormSet, change: bool
    ) -> None:
        formset.save(commit=False)
        user = request.user
        for activity in formset.deleted_objects:
            actions.do_remove_activity(activity, acting_user=user)
        for inline_form in formset.forms:
            activity = inline_form.instance
            if inline_form in formset.deleted_forms or not inline_form.has_changed():
                continue
            if activity.pk is None:
                fields = form_fields(inline_form, inline_form.cleaned_data)
                fields.pop("commitment", None)
                activity.pk = actions.do_add_activity(form.instance, acting_user=user, **fields).pk
            else:
                fields = form_fields(inline_form, inline_form.changed_data)
                if fields:
                    actions.do_edit_activity(activity, acting_user=user, **fields)
