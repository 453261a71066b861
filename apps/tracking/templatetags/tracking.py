"""Filters for tracking's templates: flag and status badges, labels, lookups. None of
them queries the database: views (and :mod:`apps.tracking.plan_pages` for the plan
pages) assemble the data, templates only render it."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from apps.tracking.flags import Flag, badges_html
from apps.tracking.models import UpdateStatus
from apps.tracking.staleness import (
    flags_of,
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
def flags_list(obj: Any) -> list[Flag]:
    """The flags of an annotated commitment or activity."""
    return flags_of(obj)


@register.filter
def flag_badges(flags: Any) -> SafeString:
    """Badges for a list of flag codes (:class:`apps.tracking.flags.Flag`)."""
    return badges_html(flags)


@register.filter
def recorded_flag_badges(flags: Any) -> SafeString:
    """Badges for the flags a meeting recorded (its snapshot), told apart from today's."""
    return badges_html(flags, recorded=True)


@register.filter
def status_badge(update: Any) -> SafeString:
    classes = {
        UpdateStatus.DRAFT: "text-bg-light border",
        UpdateStatus.SUBMITTED: "text-bg-info",
        UpdateStatus.VALIDATED: "text-bg-success",
        UpdateStatus.RETURNED: "text-bg-warning",
    }
    return format_html(
        '<span class="badge {}" data-status="{}">{}</span>',
        classes.get(update.status, "text-bg-light"),
        update.status,
        update.get_status_display(),
    )
