"""Tracking on the public plan pages: staleness badges, focal points and the history of
progress updates. Each tag costs a fixed number of queries, whatever the plan's size."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from apps.core.models import AuditLog
from apps.plans.models import ActionPlan, Activity, Commitment
from apps.tracking.flags import flag_or_none
from apps.tracking.models import FocalPointAssignment, ProgressUpdate
from apps.tracking.staleness import (
    flags_of,
    reference_for,
    with_activity_flags,
    with_commitment_flags,
)

register = template.Library()


@register.filter
def lookup(mapping: Any, key: Any) -> Any:
    """``mapping[key]``, or an empty list."""
    try:
        return mapping.get(key, [])
    except AttributeError:
        return []


_ACTIONS = {
    "tracking.create_update": _("draft created"),
    "tracking.edit_update": _("edited"),
    "tracking.submit_update": _("submitted"),
    "tracking.resubmit_update": _("submitted again"),
    "tracking.validate_update": _("validated"),
    "tracking.return_update": _("returned"),
}


@register.filter
def action_label(action: str) -> str:
    """A person-readable name for an audit action."""
    return str(_ACTIONS.get(action, action))


@register.filter
def status_label(status: Any) -> str:
    from apps.tracking.models import UpdateStatus

    try:
        return str(UpdateStatus(str(status)).label)
    except ValueError:
        return str(status or "")


@register.simple_tag
def arrow() -> str:
    """ "From → to", pointing the way the page reads (← in Arabic)."""
    from django.utils import translation

    return "←" if translation.get_language_bidi() else "→"


@register.filter
def lookup_one(mapping: Any, key: Any) -> Any:
    """``mapping[key]``, or None."""
    try:
        return mapping.get(key)
    except AttributeError:
        return None


@register.filter
def flags_list(obj: Any) -> list[str]:
    """The flags of an annotated commitment or activity."""
    return flags_of(obj)


def _badge(code: str) -> tuple[str, str, str, str]:
    flag = flag_or_none(code)
    if flag is None:  # a code recorded by another app's note provider: shown as it is
        return ("text-bg-light border", code, "", code)
    return (flag.badge_class, flag.value, str(flag.help), str(flag.label))


@register.filter
def flag_badges(flags: Any) -> SafeString:
    """Badges for a list of flag codes (:class:`apps.tracking.flags.Flag`), each with its
    label and, on hover, its help text."""
    return format_html_join(
        " ",
        '<span class="badge {} flag" data-flag="{}" title="{}">{}</span>',
        (_badge(str(code)) for code in (flags or [])),
    )


@register.filter
def status_badge(update: Any) -> SafeString:
    classes = {
        "draft": "text-bg-light border",
        "submitted": "text-bg-info",
        "validated": "text-bg-success",
        "returned": "text-bg-warning",
    }
    return format_html(
        '<span class="badge {}" data-status="{}">{}</span>',
        classes.get(update.status, "text-bg-light"),
        update.status,
        update.get_status_display(),
    )


@register.simple_tag
def plan_flags(plan: ActionPlan) -> dict[int, list[str]]:
    """Flags of every commitment of ``plan``, by commitment id (one query)."""
    commitments = with_commitment_flags(
        Commitment.objects.with_progress().filter(plan=plan), reference_for(plan)
    ).only("pk")
    return {c.pk: flags_of(c) for c in commitments}


@register.simple_tag(takes_context=True)
def commitment_tracking(context: dict[str, Any], commitment: Commitment) -> dict[str, Any]:
    """Focal point (current and history), flags of the commitment and of its activities,
    and the progress updates the visitor may see, grouped by activity."""
    user = context["request"].user
    ref = reference_for(commitment.plan)
    assignments = list(
        FocalPointAssignment.objects.filter(commitment=commitment)
        .select_related("user__institution")
        .order_by("-started_on", "-pk")
    )
    flagged = (
        with_commitment_flags(Commitment.objects.with_progress().filter(pk=commitment.pk), ref)
        .only("pk")
        .first()
    )
    activity_flags = {
        a.pk: flags_of(a)
        for a in with_activity_flags(Activity.objects.filter(commitment=commitment), ref).only(
            "pk", "progress", "end_date", "commitment"
        )
    }
    updates: dict[int, list[ProgressUpdate]] = defaultdict(list)
    for update in (
        ProgressUpdate.objects.visible_to(user)
        .filter(activity__commitment=commitment)
        .select_related("author", "decided_by")
        .prefetch_related("evidence")
        .order_by("-created_at", "-pk")
    ):
        updates[update.activity_id].append(update)
    return {
        "current": next((a for a in assignments if a.is_current), None),
        "history": assignments,
        "flags": flags_of(flagged) if flagged else [],
        "activity_flags": activity_flags,
        "updates": dict(updates),
        "can_hand_over": user.has_perm("tracking.hand_over", commitment),
        "can_report": user.has_perm("tracking.report_progress", commitment),
        "can_propose": user.has_perm("tracking.propose_change", commitment),
    }


@register.simple_tag
def audit_trail(obj: Any) -> list[AuditLog]:
    """The audit rows of one object, newest first."""
    return list(
        AuditLog.objects.filter(target_type=obj._meta.label_lower, target_id=obj.pk)
        .select_related("actor")
        .order_by("-at", "-id")
    )
