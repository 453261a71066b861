"""Where tracking meets the committee's calendar: pluggable, setting-free hooks.

The committees app (meetings, snapshots) is built separately. Until it fills these in,
they answer "no meeting known", and tracking falls back to fixed rules:

- :func:`last_meeting_date` → ``None``: "not updated" means no validated update for
  ``SHARAKA_STALE_AFTER_DAYS`` days, and "no progress" compares today's figure with the
  last validated value ``SHARAKA_STALE_AFTER_DAYS`` days ago.
- :func:`next_meeting_date` → ``None``: reminders are sent every
  ``SHARAKA_REMINDER_INTERVAL_DAYS`` days only (no pre-meeting reminder).
- :func:`is_committee_chair` → ``False``: only the secretariat decides change requests.

To plug the committees app in, replace the body of each function (or have it call
``apps.committees``); callers only rely on the signatures.
"""

from __future__ import annotations

import datetime
from typing import Any

from apps.plans.models import ActionPlan


def last_meeting_date(plan: ActionPlan | None) -> datetime.date | None:
    """The date of the plan's last steering-committee meeting held, if any is known."""
    return None


def next_meeting_date(plan: ActionPlan | None) -> datetime.date | None:
    """The date of the plan's next scheduled steering-committee meeting, if any."""
    return None


def is_committee_chair(user: Any) -> bool:
    """Whether ``user`` chairs the steering committee (may decide change requests)."""
    return False
