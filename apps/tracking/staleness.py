"""Staleness flags, computed by the database (one query for a whole list): THE rule.

Every flag is computed *as of* an instant (``as_of``, now by default): the plan page,
the dashboard, the API and the reminders ask as of now; a meeting's snapshot asks as of
its meeting (:mod:`apps.committees.tracking_notes`). As of that instant:

- the *last meeting* is the plan's last steering-committee meeting held on an earlier
  day (on the day of a meeting, its own flags still compare with the previous one);
- ``not_updated``: below 100% and no validated update since the *cutoff*: the later of
  ``SHARAKA_STALE_AFTER_DAYS`` days before ``as_of`` and the last meeting;
- ``no_progress``: below 100% and the figure is the same as at the *baseline*: the last
  meeting or, until meetings are known, ``SHARAKA_STALE_AFTER_DAYS`` days before
  ``as_of``. The figure at the baseline is the last validated value at that time; when
  the first validated update came later, the figure it replaced; with no validated
  update at all, today's figure (nothing has changed). A commitment has no progress
  when none of its activities has;
- ``overdue``: below 100% and an end date passed: an activity's own end date, else its
  commitment's; a commitment is overdue when its end date passed or one of its
  activities is.

Validated updates after ``as_of`` do not count ("validated" time is when the
secretariat published the figure, ``validated_at``: when the live figure changed). The
figures themselves are the live ones, which is what a snapshot freezes with its flags.

**A plan whose period has ended carries no staleness flag.** After ``period_end``
nobody is asked to report any more: the plan shows its final state (each commitment's
final completion level, "ended on …") instead of a wall of "overdue". Until the last
day of the period included, the flags apply as above.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import (
    BooleanField,
    Case,
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.http import HttpRequest
from django.utils import timezone

from apps.core.dates import start_of_day
from apps.plans.models import ActionPlan, Activity, Commitment
from apps.tracking.flags import STALENESS_FLAGS, Flag
from apps.tracking.meetings import last_meeting_date
from apps.tracking.models import ProgressUpdate, UpdateStatus


@dataclass(frozen=True)
class Reference:
    """The moments the flags are computed against."""

    as_of: datetime.datetime
    cutoff: datetime.datetime
    baseline: datetime.datetime

    @property
    def today(self) -> datetime.date:
        """The day of ``as_of``: end dates before it have passed, plans that ended
        before it carry no flag."""
        return timezone.localtime(self.as_of).date()


def reference_for(
    plan: ActionPlan | None = None, as_of: datetime.datetime | None = None
) -> Reference:
    """The cutoff and baseline for ``plan`` as of ``as_of`` (now by default; see the
    module docstring)."""
    as_of = as_of or timezone.now()
    days_ago = as_of - datetime.timedelta(days=settings.SHARAKA_STALE_AFTER_DAYS)
    meeting = last_meeting_date(plan, before=timezone.localtime(as_of).date())
    if meeting is None:
        return Reference(as_of=as_of, cutoff=days_ago, baseline=days_ago)
    held = start_of_day(meeting)
    return Reference(as_of=as_of, cutoff=max(days_ago, held), baseline=held)


def reference_of_request(request: HttpRequest, plan: ActionPlan) -> Reference:
    """``reference_for(plan)`` as of now, computed once per request: a page's providers
    all ask for it, and its last meeting date costs a query."""
    known: dict[int, Reference] = request.__dict__.setdefault("_staleness_references", {})
    if plan.pk not in known:
        known[plan.pk] = reference_for(plan)
    return known[plan.pk]


def plan_flags_of_request(request: HttpRequest, plan: ActionPlan) -> list[Commitment]:
    """Every commitment of ``plan`` with its progress and flags as of now (its
    primary key and the annotations only), once per request: the plan page's badges,
    filters and lateness chart read the same list."""
    known: dict[int, list[Commitment]] = request.__dict__.setdefault("_staleness_flags", {})
    if plan.pk not in known:
        known[plan.pk] = list(
            with_commitment_flags(
                Commitment.objects.with_progress().filter(plan=plan),
                reference_of_request(request, plan),
            ).only("pk")
        )
    return known[plan.pk]


def _validated_updates(activity: Any, ref: Reference) -> QuerySet[ProgressUpdate]:
    """The validated updates of ``activity`` known as of ``ref``."""
    return ProgressUpdate.objects.filter(
        activity=activity, status=UpdateStatus.VALIDATED, validated_at__lte=ref.as_of
    )


def _flag(condition: Any) -> Case:
    return Case(
        When(condition, then=Value(True)), default=Value(False), output_field=BooleanField()
    )


def baseline_progress(ref: Reference) -> Coalesce:
    """An activity's figure at ``ref.baseline`` (for an Activity queryset)."""
    before = (
        _validated_updates(OuterRef("pk"), ref)
        .filter(validated_at__lte=ref.baseline)
        .order_by("-validated_at", "-pk")
        .values("progress")[:1]
    )
    # Any later update, even after ``as_of``: the figure it replaced is the one that
    # stood at the baseline.
    first_after = (
        ProgressUpdate.objects.filter(activity=OuterRef("pk"), status=UpdateStatus.VALIDATED)
        .filter(validated_at__gt=ref.baseline)
        .order_by("validated_at", "pk")
        .values("previous_progress")[:1]
    )
    return Coalesce(Subquery(before), Subquery(first_after), F("progress"))


def with_activity_flags(qs: QuerySet[Activity], ref: Reference) -> QuerySet[Activity]:
    """Annotate ``flag_not_updated``, ``flag_no_progress``, ``flag_overdue`` and
    ``last_validated_at`` on activities."""
    recent = _validated_updates(OuterRef("pk"), ref).filter(validated_at__gte=ref.cutoff)
    last = (
        _validated_updates(OuterRef("pk"), ref).order_by("-validated_at").values("validated_at")[:1]
    )
    incomplete = Q(progress__lt=100) & Q(commitment__plan__period_end__gte=ref.today)
    return qs.annotate(
        baseline_progress=baseline_progress(ref),
        last_validated_at=Subquery(last),
        due_on=Coalesce("end_date", "commitment__end_date"),
    ).annotate(
        flag_not_updated=_flag(incomplete & ~Exists(recent)),
        flag_no_progress=_flag(incomplete & Q(baseline_progress=F("progress"))),
        flag_overdue=_flag(incomplete & Q(due_on__lt=ref.today)),
    )


def stale_activities(qs: QuerySet[Activity], ref: Reference) -> QuerySet[Activity]:
    """Activities carrying at least one flag."""
    return with_activity_flags(qs, ref).filter(any_flag())


def with_commitment_flags(qs: QuerySet[Commitment], ref: Reference) -> QuerySet[Commitment]:
    """Annotate the three flags and ``last_validated_at`` on commitments. The queryset
    must carry the ``progress`` annotation (``Commitment.objects.with_progress()``).

    The subqueries go through the commitment's activities, then each activity's
    updates, so that both steps use an index (activity → commitment, update →
    activity/status/validated_at) instead of joining every update to its activity.
    """
    activities = Activity.objects.filter(commitment=OuterRef("pk"))
    recent = activities.filter(
        Exists(_validated_updates(OuterRef("pk"), ref).filter(validated_at__gte=ref.cutoff))
    )
    last = (
        activities.annotate(
            last=Subquery(
                _validated_updates(OuterRef("pk"), ref)
                .order_by("-validated_at")
                .values("validated_at")[:1]
            )
        )
        .exclude(last__isnull=True)
        .order_by("-last")
        .values("last")[:1]
    )
    changed = activities.annotate(baseline_progress=baseline_progress(ref)).exclude(
        baseline_progress=F("progress")
    )
    late = activities.filter(progress__lt=100, end_date__lt=ref.today)
    incomplete = Q(progress__lt=100) & Q(plan__period_end__gte=ref.today)
    return qs.annotate(
        last_validated_at=Subquery(last),
        flag_not_updated=_flag(incomplete & ~Exists(recent)),
        flag_no_progress=_flag(incomplete & ~Exists(changed)),
        flag_overdue=_flag(incomplete & (Q(end_date__lt=ref.today) | Exists(late))),
    )


def any_flag() -> Q:
    """A filter on annotated rows: at least one staleness flag."""
    q = Q()
    for flag in STALENESS_FLAGS:
        q |= Q(**{f"flag_{flag.value}": True})
    return q


def flags_of(obj: Any) -> list[Flag]:
    """The flags an annotated commitment or activity carries, in a fixed order."""
    return [flag for flag in STALENESS_FLAGS if getattr(obj, f"flag_{flag.value}", False)]
