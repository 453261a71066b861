from django.contrib import admin
from modeltranslation.admin import TranslationAdmin, TranslationTabularInline

from apps.plans.models import ActionPlan, Activity, Commitment, Theme


class ThemeInline(TranslationTabularInline):
    model = Theme
    extra = 0


@admin.register(ActionPlan)
class ActionPlanAdmin(TranslationAdmin):
    list_display = ["title", "member", "ordinal", "period_start", "period_end", "status"]
    list_filter = ["status"]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [ThemeInline]


class ActivityInline(TranslationTabularInline):
    model = Activity
    extra = 0
    fields = ["order", "title", "weight", "progress", "is_grouping", "start_date", "end_date"]
    # Figures change only through validated progress updates (tracking), which keep the
    # history and the audit trail.
    readonly_fields = ["progress"]


@admin.register(Commitment)
class CommitmentAdmin(TranslationAdmin):
    list_display = ["number", "title", "plan", "theme", "lead_institution"]
    list_display_links = ["number", "title"]
    list_filter = ["plan", "theme", "lead_institution"]
    search_fields = ["title", "title_fr", "title_en"]
    autocomplete_fields = ["lead_institution", "supporting_institutions"]
    list_select_related = ["plan", "theme", "lead_institution"]
    inlines = [ActivityInline]
