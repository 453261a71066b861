"""The committees app's answers to tracking's questions about meetings
(see :mod:`apps.tracking.meetings`): registered when the app starts."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from apps.committees.models import Committee, Meeting, Member
from apps.core.dates import start_of_day
from apps.plans.models import ActionPlan


def _meetings(plan: ActionPlan | None) -> Any:
    """Steering-committee meetings about ``plan``: of its own committee, or of the
    country's committee when the committee is not tied to a plan."""
    meetings = Meeting.objects.filter(committee__kind=Committee.Kind.STEERING)
    if plan is None:
        return meetings
    return meetings.filter(
        Q(committee__plan=plan)
        | Q(committee__plan__isnull=True, committee__member_country=plan.member)
    )


def last_meeting_date(plan: ActionPlan | None, before: datetime.date) -> datetime.date | None:
    """The last meeting held on a day before ``before``."""
    starts_at = (
        _meetings(plan)
        .filter(starts_at__lt=start_of_day(before))
        .order_by("-starts_at")
        .values_list("starts_at", flat=True)
        .first()
    )
    return timezone.localdate(starts_at) if starts_at else None


def next_meeting_date(plan: ActionPlan | None) -> datetime.date | None:
    starts_at = (
        _meetings(plan)
        .filter(starts_at__gt=timezone.now())
        .order_by("starts_at")
        .values_list("starts_at", flat=True)
        .first()
    )
    return timezone.localdate(starts_at) if starts_at else None


def chair_seats() -> QuerySet[Member]:
    return Member.objects.current().filter(
        committee__kind=Committee.Kind.STEERING,
        role__in=[Member.Role.CHAIR, Member.Role.CO_CHAIR],
    )


def is_committee_chair(user: Any) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return chair_seats().filter(user=user).exists()
