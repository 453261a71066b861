"""The one rule that bounds every date a person, an import or the API gives the platform.

A date typed by mistake does harm long after it is saved: a hand-over dated 9999-12-31
blocks every later hand-over ("cannot be dated before the current assignment"), a report
dated 0001-01-01 sorts before the plan and spoils the timelines. Two kinds of dates:

- **Facts**, things that happened (a progress report's date, a hand-over, an attendance,
  a decision, a meeting held, a validation, a report sent): never in the future
  (today is allowed, plus :data:`FACT_TOLERANCE` for a reader whose time zone is ahead
  of the platform's), and not before :data:`FLOOR`, nor, when a plan applies, before the
  plan's start minus :data:`FACT_MARGIN_YEARS` (the co-creation of a plan happens before
  its period).
- **Plan dates**, things scheduled (a plan's period, an activity's start and end,
  deadlines, action items' due dates, meetings' scheduled dates, stages and phases):
  within the plan's period widened by :data:`PLAN_MARGIN_YEARS` on each side, or, with
  no plan, between :data:`FLOOR` and today plus :data:`HORIZON_YEARS`.

Every form (:class:`apps.core.forms.FactDateField`, :class:`~apps.core.forms.PlanDateField`),
every action (:func:`check_fact`, :func:`check_plan`, which raise the app's
:class:`~apps.core.errors.ActionError`), every API write schema (:data:`FactDay`,
:data:`PlanDay`: a 422) and the spreadsheet imports call these functions; the error
names the allowed range in the user's language.
"""

from __future__ import annotations

import datetime
from typing import Annotated, Any, Protocol

from django.utils import timezone
from django.utils.translation import gettext as _
from pydantic import AfterValidator
from pydantic_core import PydanticCustomError

from apps.core.dates import date_text
from apps.core.errors import ActionError

# No date the platform records is older than this: the OGP was founded in 2011, and no
# plan, meeting or report of the platform predates the year 2000.
FLOOR = datetime.date(2000, 1, 1)
# A fact may be dated up to this far past the platform's "today": a reader whose time
# zone is ahead (up to UTC+14) already lives on the next day.
FACT_TOLERANCE = datetime.timedelta(days=1)
# A fact about a plan may be this many years older than the plan's start (co-creation
# meetings, phases and decisions that prepared it).
FACT_MARGIN_YEARS = 3
# A plan date lies within the plan's period widened by this many years on each side
# (a late activity, a deadline moved past the period's end).
PLAN_MARGIN_YEARS = 3
# With no plan to go by, a plan date lies at most this many years after today.
HORIZON_YEARS = 10


class HasPeriod(Protocol):
    period_start: datetime.date
    period_end: datetime.date


def _day(value: datetime.date | datetime.datetime) -> datetime.date:
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value


def _shift(day: datetime.date, years: int) -> datetime.date:
    """``day`` moved by whole years (29 February becomes 28 February), clamped to the
    calendar's range."""
    year = min(max(day.year + years, datetime.MINYEAR), datetime.MAXYEAR)
    try:
        return day.replace(year=year)
    except ValueError:
        return day.replace(year=year, day=28)


def today() -> datetime.date:
    return timezone.localdate()


def fact_range(plan: HasPeriod | None = None) -> tuple[datetime.date, datetime.date]:
    """The first and last day a fact (about ``plan``) may be dated."""
    first = FLOOR
    if plan is not None and plan.period_start:
        first = max(FLOOR, _shift(plan.period_start, -FACT_MARGIN_YEARS))
    # A plan far in the future still lets today's facts in.
    return min(first, today()), today() + FACT_TOLERANCE


def plan_range(plan: HasPeriod | None = None) -> tuple[datetime.date, datetime.date]:
    """The first and last day a scheduled date (of ``plan``) may be."""
    if plan is not None and plan.period_start and plan.period_end:
        first = max(FLOOR, _shift(plan.period_start, -PLAN_MARGIN_YEARS))
        last = _shift(plan.period_end, PLAN_MARGIN_YEARS)
        return first, max(first, last)
    return FLOOR, _shift(today(), HORIZON_YEARS)


def _message(first: datetime.date, last: datetime.date) -> str:
    return _("Give a date between %(first)s and %(last)s.") % {
        "first": date_text(first),
        "last": date_text(last),
    }


def _error(
    value: datetime.date | datetime.datetime | None, bounds: tuple[datetime.date, datetime.date]
) -> str | None:
    if value is None:
        return None
    first, last = bounds
    return None if first <= _day(value) <= last else _message(first, last)


def fact_error(
    value: datetime.date | datetime.datetime | None, plan: HasPeriod | None = None
) -> str | None:
    """Why ``value`` cannot date a fact (translated, naming the allowed range), or None."""
    return _error(value, fact_range(plan))


def plan_error(
    value: datetime.date | datetime.datetime | None, plan: HasPeriod | None = None
) -> str | None:
    """Why ``value`` cannot be a scheduled date (translated, naming the range), or None."""
    return _error(value, plan_range(plan))


def check_fact(
    value: datetime.date | datetime.datetime | None,
    plan: HasPeriod | None = None,
    error: type[ActionError] = ActionError,
) -> None:
    """For actions: raise ``error`` unless ``value`` may date a fact."""
    message = fact_error(value, plan)
    if message:
        raise error(message)


def check_plan(
    value: datetime.date | datetime.datetime | None,
    plan: HasPeriod | None = None,
    error: type[ActionError] = ActionError,
) -> None:
    """For actions: raise ``error`` unless ``value`` may be a scheduled date."""
    message = plan_error(value, plan)
    if message:
        raise error(message)


def _pydantic(check: Any) -> Any:
    def validate(value: Any) -> Any:
        message = check(value)
        if message:
            raise PydanticCustomError("date_out_of_range", message)
        return value

    return validate


# API schema types: a date outside the bounds (with no plan: the widest) is a 422.
FactDay = Annotated[datetime.date, AfterValidator(_pydantic(fact_error))]
PlanDay = Annotated[datetime.date, AfterValidator(_pydantic(plan_error))]
