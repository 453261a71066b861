"""What the tracking app's data says about each commitment at a meeting, as flags and
suggested notes of the snapshot: tracking's staleness flags evaluated as of the
meeting (one rule, :mod:`apps.tracking.staleness`, in the minutes' words), pending
change requests ("change the activity … from 20% to 60%") and changes of official
contact. Registered with :func:`apps.committees.snapshots.register_note_provider`."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.utils.functional import lazy
from django.utils.translation import gettext, gettext_lazy

from apps.committees.snapshots import Suggestion, SuggestionContext, register_note_provider
from apps.plans.models import Commitment
from apps.tracking.flags import Flag
from apps.tracking.models import ChangeRequest, FocalPointAssignment
from apps.tracking.staleness import flags_of, reference_for, with_commitment_flags

# The minutes' wording of the staleness flags (the seed's "منصة التتبع غير محينة", "لا
# يوجد تقدم منذ آخر اجتماع").
STALENESS_NOTES = {
    Flag.NOT_UPDATED: gettext_lazy("Tracking platform not updated"),
    Flag.NO_PROGRESS: gettext_lazy("No progress since the last meeting"),
    Flag.OVERDUE: gettext_lazy("The planned end date has passed."),
}


def _change_request_note(request: ChangeRequest) -> str:
    # Rendered once per language by suggest_notes, so the activity's title and the
    # sentence are both in that language.
    return gettext(
        "Proposed change of the progress of the activity “%(activity)s” from %(old)s%% "
        "to %(new)s%%: %(why)s"
    ) % {
        "activity": request.activity.title,
        "old": request.current_progress,
        "new": request.proposed_progress,
        "why": request.justification,
    }


def _contact_changed_note() -> str:
    return gettext(
        "Change of the official contact; the activities completed will be brought up to date."
    )


@register_note_provider
def staleness(context: SuggestionContext) -> Iterable[Suggestion]:
    """Tracking's flags as of the snapshot's instant: the same rule as the dashboard's.
    "Not updated" says it all: "no progress" then adds no second note."""
    ref = reference_for(context.plan, context.at)
    commitments = with_commitment_flags(
        Commitment.objects.with_progress().filter(plan=context.plan), ref
    ).only("pk")
    for commitment in commitments:
        flags = flags_of(commitment)
        for flag in flags:
            redundant = flag == Flag.NO_PROGRESS and Flag.NOT_UPDATED in flags
            yield Suggestion(commitment.pk, flag, None if redundant else STALENESS_NOTES[flag])


@register_note_provider
def pending_change_requests(context: SuggestionContext) -> Iterable[Suggestion]:
    requests = (
        ChangeRequest.objects.pending()
        .filter(activity__commitment__plan=context.plan, created_at__lte=context.at)
        .select_related("activity")
        .order_by("created_at", "pk")
    )
    for request in requests:
        note = lazy(_change_request_note, str)(request)
        yield Suggestion(request.activity.commitment_id, Flag.PENDING_CHANGE_REQUEST, note)


@register_note_provider
def changes_of_contact(context: SuggestionContext) -> Iterable[Suggestion]:
    """A hand-over since the previous meeting (or, at the first meeting, since the plan
    started): a new focal point took over from another one."""
    since: datetime.date = (
        context.previous.frozen_at.date() if context.previous else context.plan.period_start
    )
    handed_over = (
        FocalPointAssignment.objects.filter(
            commitment__plan=context.plan,
            ended_on__isnull=False,
            ended_on__gte=since,
            ended_on__lte=context.at.date(),
        )
        .values_list("commitment_id", flat=True)
        .distinct()
    )
    for commitment_id in handed_over:
        yield Suggestion(commitment_id, Flag.CONTACT_CHANGED, lazy(_contact_changed_note, str)())
