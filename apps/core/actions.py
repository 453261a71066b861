"""The generic write for records that have no workflow of their own (a committee's
members, an institution, a theme…): checks the model permission on the object, saves
under a lock and writes the audit row (every changed field, before → after). The admin
saves through these (``apps.core.admin.ActionAdmin``); records with a workflow have
their own actions (tracking, committees' meetings and minutes, plans' commitments).
"""

from __future__ import annotations

import datetime
import decimal
from collections.abc import Iterable, Mapping
from typing import Any, TypeVar

from django.db import models, transaction
from django.utils.translation import gettext_lazy as _

from apps.core.errors import ActionError, check_permission
from apps.core.models import AuditLog

M = TypeVar("M", bound=models.Model)


def as_json(value: Any) -> Any:
    """A field's value as the audit log stores it."""
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, datetime.date):  # (datetimes too)
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, str | int | float | bool | list | dict) or value is None:
        return value
    return str(value)


def state(obj: models.Model, names: Iterable[str]) -> dict[str, Any]:
    """The audit view of ``obj``'s fields ``names``."""
    result = {}
    for name in names:
        field = obj._meta.get_field(name)
        result[name] = as_json(getattr(obj, getattr(field, "attname", name)))
    return result


def apply_changes(
    obj: models.Model, fields: Mapping[str, Any]
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Set ``fields`` on ``obj``; return the fields that changed, before and after."""
    before = state(obj, fields)
    for name, value in fields.items():
        setattr(obj, name, value)
    after = state(obj, fields)
    changed = [name for name in fields if before[name] != after[name]]
    return {k: before[k] for k in changed}, {k: after[k] for k in changed}


def _perm(obj: models.Model, action: str) -> str:
    return f"{obj._meta.app_label}.{action}_{obj._meta.model_name}"


def _refusal() -> ActionError:
    return ActionError(_("You may not change this."))


def _concrete(obj: models.Model, fields: Mapping[str, Any]) -> None:
    known = {f.name for f in obj._meta.concrete_fields} - {obj._meta.pk.name}
    unknown = set(fields) - known
    if unknown:
        raise TypeError(f"{type(obj).__name__}: unknown fields {sorted(unknown)}")


@transaction.atomic
def do_save_object(obj: M, *, acting_user: Any, fields: Mapping[str, Any]) -> M:
    """Create ``obj`` (no primary key yet) with ``fields``, or change those fields of
    the stored object. Returns the saved object (for a change, a fresh locked copy).
    The values are those of a validated form; the database's constraints stand guard."""
    _concrete(obj, fields)
    if obj.pk is None:
        check_permission(acting_user, _perm(obj, "add"), None, _refusal())
        _before, after = apply_changes(obj, fields)
        obj.save()
        AuditLog.record(actor=acting_user, action=_perm(obj, "add"), target=obj, after=after)
        return obj
    check_permission(acting_user, _perm(obj, "change"), obj, _refusal())
    locked = type(obj)._default_manager.select_for_update().get(pk=obj.pk)
    before, after = apply_changes(locked, fields)
    if after:
        locked.save()
        AuditLog.record(
            actor=acting_user,
            action=_perm(obj, "change"),
            target=locked,
            before=before,
            after=after,
        )
    return locked


@transaction.atomic
def do_delete_object(obj: models.Model, *, acting_user: Any) -> None:
    """Delete ``obj``, keeping what it was in the audit row."""
    check_permission(acting_user, _perm(obj, "delete"), obj, _refusal())
    names = [f.name for f in obj._meta.concrete_fields if f.name != obj._meta.pk.name]
    AuditLog.record(
        actor=acting_user, action=_perm(obj, "delete"), target=obj, before=state(obj, names)
    )
    obj.delete()
