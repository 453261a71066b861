from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.admin.widgets import AdminFileWidget
from django.db import models
from django.forms import BaseInlineFormSet, ModelForm
from django.http import HttpRequest

from apps.core.actions import do_delete_object, do_save_object
from apps.core.models import AuditLog


def form_fields(form: ModelForm, names: Any) -> dict[str, Any]:
    """The model fields among ``names`` with the values the form set on its instance."""
    opts = form.instance._meta
    concrete = {f.name for f in opts.concrete_fields} - {opts.pk.name}
    return {name: getattr(form.instance, name) for name in names if name in concrete}


class _Served:
    """An uploaded file as the admin's file input shows it: its name, linked to the view
    that serves it."""

    def __init__(self, file: Any, url: str) -> None:
        self.file, self.url = file, url

    def __str__(self) -> str:
        return str(self.file)


class ServedFileWidget(AdminFileWidget):
    """The admin's file input, linking the current file to the view that serves it (its
    model's ``get_file_url``), never to a storage address; without one, no link."""

    def format_value(self, value: Any) -> Any:
        value = super().format_value(value)
        instance = getattr(value, "instance", None)
        if value and instance is not None and instance.pk:
            url = instance.get_file_url() if hasattr(instance, "get_file_url") else ""
            return _Served(value, url) if url else None
        return value


class ActionAdmin(admin.ModelAdmin):
    """An admin that saves nothing itself: every add, change and delete (of the object
    and of its inlines) goes through the generic actions of :mod:`apps.core.actions`,
    which check the permission on the object and write the audit row. The change form
    asks the permission on the object too, so what the rules freeze (approved minutes)
    is read-only here."""

    formfield_overrides = {models.FileField: {"widget": ServedFileWidget}}

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        opts = self.opts
        return request.user.has_perm(f"{opts.app_label}.change_{opts.model_name}", obj)

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        names = form.changed_data if change else form.cleaned_data
        obj.pk = do_save_object(obj, acting_user=request.user, fields=form_fields(form, names)).pk

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        do_delete_object(obj, acting_user=request.user)

    def delete_queryset(self, request: HttpRequest, queryset: models.QuerySet[Any]) -> None:
        for obj in queryset:
            do_delete_object(obj, acting_user=request.user)

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        # Many-to-many fields of the object itself are saved by Django (none of the
        # admins using this mixin has one); inlines go through the actions.
        form.save_m2m()
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    def save_formset(
        self, request: HttpRequest, form: Any, formset: BaseInlineFormSet, change: bool
    ) -> None:
        formset.save(commit=False)
        for obj in formset.deleted_objects:
            do_delete_object(obj, acting_user=request.user)
        for inline in formset.forms:
            if inline in formset.deleted_forms or not inline.has_changed():
                continue
            obj = inline.instance
            names = inline.changed_data if obj.pk else inline.cleaned_data
            fields = form_fields(inline, names)
            fields[formset.fk.name] = form.instance
            obj.pk = do_save_object(obj, acting_user=request.user, fields=fields).pk


@admin.register(AuditLog)
class AuditLogAdmin(admin.ModelAdmin):
    list_display = ["at", "actor", "action", "target_type", "target_id"]
    list_filter = ["action", "target_type"]
    readonly_fields = ["at", "actor", "action", "target_type", "target_id", "before", "after"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
