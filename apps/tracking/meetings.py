"""Where tracking meets the committee's calendar.

Tracking needs three facts that belong to the committees app: the date of the plan's
last meeting, the date of its next one, and whether a user chairs the steering
committee. Dependencies point from ``committees`` to ``tracking``, not back, so the
committees app registers a *calendar* here when it starts
(:func:`register_calendar`, called from ``CommitteesConfig.ready``).

Without a calendar (tracking alone), the hooks answer "no meeting known" and tracking
falls back to fixed rules:

- :func:`last_meeting_date` → ``None``: "not updated" means no validated update for
  ``SHARAKA_STALE_AFTER_DAYS`` days, and "no progress" compares today's figure with the
  last validated value ``SHARAKA_STALE_AFTER_DAYS`` days ago.
- :func:`next_meeting_date` → ``None``: reminders are sent every
  ``SHARAKA_REMINDER_INTERVAL_DAYS`` days only (no pre-meeting reminder).
- :func:`is_committee_chair` → ``False``: only the secretariat decides change requests.
"""

from __future__ import annotations

import datetime
from typing import Any, Protocol

from django.db.models import QuerySet
from django.utils import timezone

from apps.plans.models import ActionPlan


class MeetingCalendar(Protocol):
    def last_meeting_date(
        self, plan: ActionPlan | None, before: datetime.date
    ) -> datetime.date | None: ...

    def next_meeting_date(self, plan: ActionPlan | None) -> datetime.date | None: ...

    def is_committee_chair(self, user: Any) -> bool: ...

    def chair_seats(self) -> QuerySet[Any]:
        """The current chair and co-chair seats of the steering committee, with their
        ``user`` (a person's: filtered on it)."""
        ...


_calendar: MeetingCalendar | None = None


def register_calendar(calendar: MeetingCalendar | None) -> None:
    """Install the source of meeting dates (``None`` removes it)."""
    global _calendar
    _calendar = calendar


def last_meeting_date(
    plan: ActionPlan | None, before: datetime.date | None = None
) -> datetime.date | None:
    """The date of the plan's last steering-committee meeting held on a day before
    ``before`` (today by default), if any is known."""
    if _calendar is None:
        return None
    return _calendar.last_meeting_date(plan, before or timezone.localdate())


def next_meeting_date(plan: ActionPlan | None) -> datetime.date | None:
    """The date of the plan's next scheduled steering-committee meeting, if any."""
    return _calendar.next_meeting_date(plan) if _calendar else None


def is_committee_chair(user: Any) -> bool:
    """Whether ``user`` chairs the steering committee (may decide change requests)."""
    return _calendar.is_committee_chair(user) if _calendar else False


def chair_seats() -> QuerySet[Any] | None:
    """The steering committee's current chair seats (``None`` without a calendar)."""
    return _calendar.chair_seats() if _calendar else None
