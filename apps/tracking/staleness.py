"""Staleness flags, computed by the database (one query for a whole list).

Three flags, on activities and on commitments:

- ``not_updated``: below 100% and no validated update since the *cutoff*: the later of
  ``SHARAKA_STALE_AFTER_DAYS`` days ago and the last committee meeting.
- ``no_progress``: below 100% and the figure is the same as at the *baseline*: the last
  committee meeting or, until meetings are known, ``SHARAKA_STALE_AFTER_DAYS`` days ago.
  The figure at the baseline is the last validated value at that time; when the first
  validated update came later, the figure it replaced; with no validated update at all,
  today's figure (nothing has changed). A commitment has no progress when none of its
  activities has.
- ``overdue``: end date passed (the activity's, else its commitment's) and below 100%.

"Validated" time is when the secretariat published the figure (``validated_at``): that
is when the live figure changed.
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
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.plans.models import ActionPlan, Activity, Commitment
from apps.tracking.meetings import last_meeting_date
from apps.tracking.models import ProgressUpdate, UpdateStatus

FLAGS = ("not_updated", "no_progress", "overdue")
FLAG_LABELS = {
    "not_updated": _("Not updated"),
    "no_progress": _("No progress"),
    "overdue": _("Overdue"),
}
FLAG_HELP = {
    "not_updated": _("No validated progress update recently or since the last meeting."),
    "no_progress": _("The figure has not changed since the reference date."),
    "overdue": _("The end date has passed and it is not complete."),
}


@dataclass(frozen=True)
class Reference:
    """The moments the flags are computed against."""

    now: datetime.datetime
    cutoff: datetime.datetime
    baseline: datetime.datetime

    @property
    def today(self) -> datetime.date:
        return timezone.localtime(self.now).date()


def _start_of_day(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def reference_for(
    plan: ActionPlan | None = None, now: datetime.datetime | None = None
) -> Reference:
    """The cutoff and baseline for ``plan`` (see the module docstring)."""
    now = now or timezone.now()
    days_ago = now - datetime.timedelta(days=settings.SHARAKA_STALE_AFTER_DAYS)
    meeting = last_meeting_date(plan)
    if meeting is None:
        return Reference(now=now, cutoff=days_ago, baseline=days_ago)
    held = _start_of_day(meeting)
    return Reference(now=now, cutoff=max(days_ago, held), baseline=held)


def _validated_updates(activity: Any) -> QuerySet[ProgressUpdate]:
    return ProgressUpdate.objects.filter(activity=activity, status=UpdateStatus.VALIDATED)


def _flag(condition: Any) -> Case:
    return Case(
        When(condition, then=Value(True)), default=Value(False), output_field=BooleanField()
    )


def baseline_progress(ref: Reference) -> Coalesce:
    """An activity's figure at ``ref.baseline`` (for an Activity queryset)."""
    before = (
        _validated_updates(OuterRef("pk"))
        .filter(validated_at__lte=ref.baseline)
        .order_by("-validated_at", "-pk")
        .values("progress")[:1]
    )
    first_after = (
        _validated_updates(OuterRef("pk"))
        .filter(validated_at__gt=ref.baseline)
        .order_by("validated_at", "pk")
        .values("previous_progress")[:1]
    )
    return Coalesce(Subquery(before), Subquery(first_after), F("progress"))


def with_activity_flags(qs: QuerySet[Activity], ref: Reference) -> QuerySet[Activity]:
    """Annotate ``flag_not_updated``, ``flag_no_progress``, ``flag_overdue`` and
    ``last_validated_at`` on activities."""
    recent = _validated_updates(OuterRef("pk")).filter(validated_at__gte=ref.cutoff)
    last = _validated_updates(OuterRef("pk")).order_by("-validated_at").values("validated_at")[:1]
    incomplete = Q(progress__lt=100)
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
    return with_activity_flags(qs, ref).filter(
        Q(flag_not_updated=True) | Q(flag_no_progress=True) | Q(flag_overdue=True)
    )


def with_commitment_flags(qs: QuerySet[Commitment], ref: Reference) -> QuerySet[Commitment]:
    """Annotate the three flags and ``last_validated_at`` on commitments. The queryset
    must carry the ``progress`` annotation (``Commitment.objects.with_progress()``).

    The subqueries go through the commitment's activities, then each activity's
    updates, so that both steps use an index (activity → commitment, update →
    activity/status/validated_at) instead of joining every update to its activity.
    """
    activities = Activity.objects.filter(commitment=OuterRef("pk"))
    recent = activities.filter(
        Exists(_validated_updates(OuterRef("pk")).filter(validated_at__gte=ref.cutoff))
    )
    last = (
        activities.annotate(
            last=Subquery(
                _validated_updates(OuterRef("pk"))
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
    incomplete = Q(progress__lt=100)
    return qs.annotate(
        last_validated_at=Subquery(last),
        flag_not_updated=_flag(incomplete & ~Exists(recent)),
        flag_no_progress=_flag(incomplete & ~Exists(changed)),
        flag_overdue=_flag(incomplete & Q(end_date__lt=ref.today)),
    )


def flags_of(obj: Any) -> list[str]:
    """The flags an annotated commitment or activity carries, in a fixed order."""
    return [name for name in FLAGS if getattr(obj, f"flag_{name}", False)]


def is_stale(obj: Any) -> bool:
    return bool(flags_of(obj))
