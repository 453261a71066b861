"""A commitment's public history of changes (weights, activities, institutions, its
description), read from the audit rows the plan actions write: one query per page."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext as _

from apps.core.models import AuditLog
from apps.plans.actions import PUBLIC_CHANGES
from apps.plans.models import Activity, Commitment

HISTORY_LENGTH = 50


@dataclass
class Change:
    at: datetime.datetime
    action: str
    text: str


def _field_label(name: str) -> str:
    base, _sep, lang = name.rpartition("_")
    if lang in ("ar", "fr", "en") and base:
        field = Commitment._meta.get_field(base)
        return f"{getattr(field, 'verbose_name', base)} ({lang})"
    return str(getattr(Commitment._meta.get_field(name), "verbose_name", name))


def _describe(row: AuditLog, titles: dict[int, str]) -> str:
    before: dict[str, Any] = row.before or {}
    after: dict[str, Any] = row.after or {}
    title = titles.get(row.target_id) or after.get("title") or before.get("title") or ""
    if row.action == "plans.change_activity_weight":
        return _("Weight of “%(title)s”: %(before)s → %(after)s") % {
            "title": title,
            "before": before.get("weight", "?"),
            "after": after.get("weight", "?"),
        }
    if row.action == "plans.change_lead_institution":
        return _("Lead institution: %(before)s → %(after)s") % {
            "before": before.get("name") or "–",
            "after": after.get("name") or "–",
        }
    if row.action == "plans.change_supporting_institutions":
        return _("The supporting institutions changed.")
    if row.action == "plans.add_activity":
        return _("Activity added: “%(title)s”") % {"title": title}
    if row.action == "plans.remove_activity":
        return _("Activity removed: “%(title)s”") % {"title": title}
    if row.action == "plans.edit_activity":
        return _("Activity “%(title)s” edited") % {"title": title}
    fields = ", ".join(_field_label(name) for name in after)
    return _("Commitment edited: %(fields)s") % {"fields": fields}


def public_changes(commitment: Commitment, activities: Sequence[Activity]) -> list[Change]:
    """The newest changes to ``commitment`` and its activities (one query)."""
    ids = [a.pk for a in activities]
    rows = (
        AuditLog.objects.filter(action__in=PUBLIC_CHANGES)
        .filter(
            Q(target_type="plans.commitment", target_id=commitment.pk)
            | Q(target_type="plans.activity", target_id__in=ids)
            | Q(action="plans.remove_activity", before__commitment=commitment.pk)
        )
        .order_by("-at", "-id")[:HISTORY_LENGTH]
    )
    titles = {a.pk: a.title for a in activities}
    return [Change(at=row.at, action=row.action, text=_describe(row, titles)) for row in rows]
