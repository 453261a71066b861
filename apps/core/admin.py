from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.admin.widgets import AdminFileWidget
from django.db import models
from django.forms import BaseInlineFormSet, ModelForm
from django.http import HttpRequest

from apps.core.actions import as_json, do_delete_object, do_save_object
from apps.core.models import AuditLog

# Never written to the audit log (only whether they are set): a password hash, a
# session's key, an authenticator's secret stay where they are. "field" for any model,
# "app_label.model.field" for one.
SECRET_FIELDS = {"password", "session_key", "secret", "key", "token_hash", "mfa.authenticator.data"}


def form_fields(form: ModelForm, names: Any) -> dict[str, Any]:
    """The model fields among ``names`` with the values the form set on its instance."""
    opts = form.instance._meta
    concrete = {f.name for f in opts.concrete_fields} - {opts.pk.name}
    return {name: getattr(form.instance, name) for name in names if name in concrete}


def audit_state(obj: models.Model, names: Any = None) -> dict[str, Any]:
    """The audit view of ``obj``'s concrete fields (``names`` among them, or all but the
    primary key): a secret field says only that it is set."""
    opts = obj._meta
    result: dict[str, Any] = {}
    for field in opts.concrete_fields:
        if field.primary_key or (names is not None and field.name not in names):
            continue
        value = getattr(obj, field.attname)
        secret = {field.name, f"{opts.label_lower}.{field.name}"} & SECRET_FIELDS
        result[field.name] = "***" if secret and value else as_json(value)
    return result


def m2m_state(obj: models.Model, names: Any) -> dict[str, Any]:
    """The primary keys related to ``obj`` by its many-to-many fields among ``names``."""
    if obj.pk is None:
        return {}
    return {
        f.name: sorted(getattr(obj, f.name).values_list("pk", flat=True))
        for f in obj._meta.many_to_many
        if f.name in names
    }


def _stored(obj: models.Model) -> models.Model | None:
    if obj.pk is None:
        return None
    return type(obj)._default_manager.filter(pk=obj.pk).first()


def _verb(obj: models.Model, verb: str) -> str:
    return f"{obj._meta.app_label}.{verb}_{obj._meta.model_name}"


def audit_delete(actor: Any, obj: models.Model) -> None:
    """The audit row of ``obj``'s deletion: what it was, and what goes with it."""
    AuditLog.record(actor=actor, action=_verb(obj, "delete"), target=obj, before=audit_state(obj))


def audit_change(
    actor: Any, obj: models.Model, before: dict[str, Any], after: dict[str, Any], *, added: bool
) -> None:
    changed = [k for k in after if before.get(k) != after[k]]
    if not added and not changed:
        return
    AuditLog.record(
        actor=actor,
        action=_verb(obj, "add" if added else "change"),
        target=obj,
        before={k: before.get(k) for k in changed} if not added else {},
        after={k: after[k] for k in changed} if not added else after,
    )


class AuditedAdmin(admin.ModelAdmin):
    """An admin of a model without actions of its own (Django's, allauth's, a log):
    every add, change and delete it makes (inlines, many-to-many fields and the bulk
    delete action included) writes the audit row with the fields that changed, before
    and after, on top of Django's own ``django_admin_log``."""

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        stored = _stored(obj) if change else None
        names = set(form.changed_data) if change else None
        before = audit_state(stored, names) if stored is not None else {}
        super().save_model(request, obj, form, change)
        audit_change(request.user, obj, before, audit_state(obj, names), added=not change)

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        obj = form.instance
        names = {f.name for f in obj._meta.many_to_many} & set(form.changed_data)
        before = m2m_state(obj, names) if change else {}
        super().save_related(request, form, formsets, change)
        if names:
            audit_change(request.user, obj, before, m2m_state(obj, names), added=False)

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        audit_delete(request.user, obj)
        super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: models.QuerySet[Any]) -> None:
        for obj in queryset:
            audit_delete(request.user, obj)
        super().delete_queryset(request, queryset)

    def save_formset(
        self, request: HttpRequest, form: Any, formset: BaseInlineFormSet, change: bool
    ) -> None:
        pending = []
        for inline in formset.forms:
            obj = inline.instance
            if inline in formset.deleted_forms:
                if obj.pk is not None:
                    audit_delete(request.user, obj)
            elif inline.has_changed():
                stored = _stored(obj)
                names = set(inline.changed_data) if stored is not None else None
                before = audit_state(stored, names) if stored is not None else {}
                pending.append((inline, names, before, stored is None))
        super().save_formset(request, form, formset, change)
        for inline, names, before, added in pending:
            obj = inline.instance
            audit_change(request.user, obj, before, audit_state(obj, names), added=added)


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
        # Many-to-many fields of the object itself are saved by Django (audited here);
        # inlines go through the actions.
        obj = form.instance
        names = {f.name for f in obj._meta.many_to_many} & set(form.changed_data)
        before = m2m_state(obj, names) if change else {}
        form.save_m2m()
        if names:
            audit_change(request.user, obj, before, m2m_state(obj, names), added=False)
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
    """Read only, for everyone: an audit trail that an account could edit or erase
    would prove nothing."""

    list_display = ["at", "actor", "action", "target_type", "target_id"]
    list_filter = ["action", "target_type"]
    readonly_fields = ["at", "actor", "action", "target_type", "target_id", "before", "after"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
