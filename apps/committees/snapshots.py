"""What a snapshot freezes, and the notes it suggests for the minutes.

Suggestions come from *note providers*: functions that look at the plan as it stands
(and at the previous snapshot) and return ``Suggestion`` objects for some commitments.
The built-in ones know what this app can see (progress, history of the activities,
end dates). The tracking app plugs its own in with :func:`register_note_provider`
(staleness of focal points' reports, pending change requests, hand-over of the official
contact) without this module changing::

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

from django.db.models import Max
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from apps.committees.models import Flag, Snapshot, SnapshotRow
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


@register_note_provider
def progress_since_last_meeting(context: SuggestionContext) -> Iterable[Suggestion]:
    """ "Tracking platform not updated" when no activity of the commitment changed since
    the previous snapshot; "no progress since the last meeting" when it was updated but
    its percentage is the same."""
    if context.previous is None:
        return
    from apps.plans.models import Activity

    history = Activity.history.model  # type: ignore[attr-defined]
    last_change = dict(
        history.objects.filter(commitment__plan=context.plan)
        .values("commitment")
        .annotate(last=Max("history_date"))
        .values_list("commitment", "last")
    )
    since = context.previous.frozen_at
    for commitment in context.commitments:
        row = context.previous_rows.get(commitment.pk)
        if row is None:
            continue
        updated = (last_change.get(commitment.pk) or since) > since
        same = round(commitment.progress, 2) == round(row.progress, 2)  # type: ignore[attr-defined]
        if not updated and commitment.progress < 100:  # type: ignore[attr-defined]
            yield Suggestion(commitment.pk, Flag.NOT_UPDATED, _("Tracking platform not updated"))
        if same and commitment.progress < 100:  # type: ignore[attr-defined]
            yield Suggestion(
                commitment.pk,
                Flag.NO_PROGRESS,
                _("No progress since the last meeting") if updated else None,
            )


@register_note_provider
def past_end_date(context: SuggestionContext) -> Iterable[Suggestion]:
    day = context.at.date()
    for commitment in context.commitments:
        if commitment.end_date and commitment.end_date < day and commitment.progress < 100:  # type: ignore[attr-defined]
            yield Suggestion(commitment.pk, Flag.OVERDUE, _("The planned end date has passed."))


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
