"""What a snapshot freezes, and the notes it suggests for the minutes.

Suggestions come from *note providers*: functions that look at the plan as of the
snapshot's instant (``context.at``, see :func:`snapshot_instant`) and at the previous
snapshot, and return ``Suggestion`` objects for some commitments. The flags are
tracking's (one vocabulary, :class:`apps.tracking.flags.Flag`, and one staleness rule,
:mod:`apps.tracking.staleness`); :mod:`apps.committees.tracking_notes` registers the
providers that read them (staleness, pending change requests, hand-over of the official
contact), and other apps can add theirs without this module changing::

    from apps.committees.snapshots import Suggestion, register_note_provider

    @register_note_provider
    def pending_change_requests(context):
        for request in ChangeRequest.objects.pending().filter(commitment__plan=context.plan):
            yield Suggestion(request.commitment_id, "pending_change_request", _("…"))
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone, translation
from django.utils.functional import Promise

from apps.committees.models import Meeting, Snapshot, SnapshotRow
from apps.core.dates import end_of_day
from apps.core.languages import LANGUAGES
from apps.plans.models import ActionPlan, Commitment


@dataclass(frozen=True)
class Suggestion:
    """A flag on a commitment and, optionally, the note the minutes should carry."""

    commitment_id: int
    flag: str
    note: str | Promise | None = None


@dataclass
class SuggestionContext:
    """What a provider looks at: ``at`` is the instant the snapshot stands for."""

    plan: ActionPlan
    previous: Snapshot | None
    at: datetime.datetime
    commitments: list[Commitment]
    previous_rows: dict[int, SnapshotRow] = field(default_factory=dict)


NoteProvider = Callable[[SuggestionContext], Iterable[Suggestion]]
NOTE_PROVIDERS: list[NoteProvider] = []


def register_note_provider(provider: NoteProvider) -> NoteProvider:
    """Add a source of flags and notes (usable as a decorator). Order is kept."""
    if provider not in NOTE_PROVIDERS:
        NOTE_PROVIDERS.append(provider)
    return provider


@dataclass
class Suggested:
    flags: list[str] = field(default_factory=list)
    notes: dict[str, str] = field(default_factory=dict)  # language → text


def suggest_notes(
    plan: ActionPlan,
    previous_snapshot: Snapshot | None,
    *,
    commitments: list[Commitment],
    at: datetime.datetime,
) -> dict[int, Suggested]:
    """Flags and suggested notes per commitment id, from every registered provider.

    ``commitments`` carry their ``progress`` annotation. Notes are rendered in every
    language of the site, one line per suggestion.
    """
    previous_rows = (
        {r.commitment_id: r for r in previous_snapshot.rows.all() if r.commitment_id}
        if previous_snapshot
        else {}
    )
    context = SuggestionContext(plan, previous_snapshot, at, commitments, previous_rows)
    collected: dict[int, list[Suggestion]] = defaultdict(list)
    for provider in NOTE_PROVIDERS:
        for suggestion in provider(context):
            collected[suggestion.commitment_id].append(suggestion)
    result: dict[int, Suggested] = {}
    for commitment_id, suggestions in collected.items():
        item = Suggested()
        for s in suggestions:
            if s.flag not in item.flags:
                item.flags.append(s.flag)
        for lang in LANGUAGES:
            with translation.override(lang):
                lines = [str(s.note) for s in suggestions if s.note]
            item.notes[lang] = "\n".join(dict.fromkeys(lines))
        result[commitment_id] = item
    return result


def previous_snapshot(meeting: Any) -> Snapshot | None:
    """The latest snapshot of the same plan frozen for an earlier meeting."""
    plan_id = meeting.committee.plan_id
    return (
        Snapshot.objects.filter(plan_id=plan_id, meeting__starts_at__lt=meeting.starts_at)
        .order_by("-meeting__starts_at", "-pk")
        .first()
    )


def snapshot_instant(meeting: Meeting, now: datetime.datetime | None = None) -> datetime.datetime:
    """The instant a meeting's snapshot stands for: the end of the meeting's day, or the
    moment it is frozen when that comes first (during the meeting, or the morning
    before). Frozen later, the snapshot still says what was true that day."""
    now = now or timezone.now()
    day = timezone.localtime(meeting.starts_at).date()
    return min(now, end_of_day(day))
