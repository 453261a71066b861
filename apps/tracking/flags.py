"""The one vocabulary of flags on a commitment or an activity.

The first three are computed by the staleness rule (:mod:`apps.tracking.staleness`);
the last two are facts of the tracking data that a meeting's snapshot notes
(:mod:`apps.committees.tracking_notes`). Every page, the API, the snapshot, the minutes
and the mail name a flag with its label and explain it with its help text, from here.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import models
from django.utils.functional import Promise
from django.utils.html import format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _


class Flag(models.TextChoices):
    NOT_UPDATED = "not_updated", _("Not updated")
    NO_PROGRESS = "no_progress", _("No progress")
    OVERDUE = "overdue", _("Overdue")
    PENDING_CHANGE_REQUEST = "pending_change_request", _("Change request pending")
    CONTACT_CHANGED = "contact_changed", _("Official contact changed")

    @property
    def help(self) -> str | Promise:
        return _HELP[self]

    @property
    def badge_class(self) -> str:
        return _BADGE_CLASSES[self]


# The flags the staleness rule computes, in the order they are shown.
STALENESS_FLAGS = (Flag.NOT_UPDATED, Flag.NO_PROGRESS, Flag.OVERDUE)

_HELP = {
    Flag.NOT_UPDATED: _("No validated progress update recently or since the last meeting."),
    Flag.NO_PROGRESS: _("The figure has not changed since the reference date."),
    Flag.OVERDUE: _("The end date has passed and it is not complete."),
    Flag.PENDING_CHANGE_REQUEST: _(
        "A proposed change of a figure awaits the committee's decision."
    ),
    Flag.CONTACT_CHANGED: _("Another focal point took over since the previous meeting."),
}

_BADGE_CLASSES = {
    Flag.NOT_UPDATED: "text-bg-warning",
    Flag.NO_PROGRESS: "text-bg-secondary",
    Flag.OVERDUE: "text-bg-danger",
    Flag.PENDING_CHANGE_REQUEST: "text-bg-info",
    Flag.CONTACT_CHANGED: "text-bg-light border",
}


def flag_or_none(code: str) -> Flag | None:
    """The flag of a stored code; ``None`` for a code this vocabulary does not know
    (a snapshot keeps whatever another app's note provider recorded)."""
    try:
        return Flag(code)
    except ValueError:
        return None


def _badge(code: str) -> tuple[str, str, str, str]:
    flag = flag_or_none(code)
    if flag is None:  # a code recorded by another app's note provider: shown as it is
        return ("text-bg-light border", code, "", code)
    return (flag.badge_class, flag.value, str(flag.help), str(flag.label))


def badges_html(codes: Iterable[str] | None, *, recorded: bool = False) -> SafeString:
    """A badge per flag: its label and, on hover, its help text. ``recorded``: flags a
    meeting recorded then (``data-recorded-flag``), not the commitment's flags today."""
    attribute = "data-recorded-flag" if recorded else "data-flag"
    return format_html_join(
        " ",
        '<span class="badge {} flag" ' + attribute + '="{}" title="{}">{}</span>',
        (_badge(str(code)) for code in (codes or [])),
    )
