"""The one rule that bounds every date (apps.core.bounds)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import pytest
from django import forms
from django.utils import timezone, translation
from hypothesis import given
from hypothesis import strategies as st

from apps.core import bounds
from apps.core.errors import ActionError
from apps.core.forms import FactDateField, PlanDateField


@dataclass
class Period:
    period_start: datetime.date
    period_end: datetime.date


days = st.dates(min_value=datetime.date(1, 1, 1), max_value=datetime.date(9999, 12, 31))
periods = st.tuples(
    st.dates(min_value=datetime.date(2000, 1, 1), max_value=datetime.date(2100, 12, 31)),
    st.integers(min_value=0, max_value=3650),
).map(lambda p: Period(p[0], p[0] + datetime.timedelta(days=p[1])))


@given(day=days, plan=st.none() | periods)
def test_a_fact_is_never_in_the_future_nor_before_the_floor(day, plan):
    today = timezone.localdate()
    message = bounds.fact_error(day, plan)
    first, last = bounds.fact_range(plan)
    assert (message is None) == (first <= day <= last)
    assert first >= bounds.FLOOR and last == today + bounds.FACT_TOLERANCE
    if message is not None:
        assert first.isoformat() in message and last.isoformat() in message
    # Today is always a valid fact, whatever the plan; year 1 and 9999 never are.
    assert bounds.fact_error(today, plan) is None
    assert bounds.fact_error(datetime.date(1, 1, 1), plan)
    assert bounds.fact_error(datetime.date(9999, 12, 31), plan)


@given(day=days, plan=st.none() | periods)
def test_a_plan_date_lies_within_the_plans_period_plus_the_margin(day, plan):
    message = bounds.plan_error(day, plan)
    first, last = bounds.plan_range(plan)
    assert (message is None) == (first <= day <= last)
    if plan is not None:
        # The whole period is allowed, and a margin around it, never year 1 or 9999.
        assert bounds.plan_error(plan.period_start, plan) is None
        assert bounds.plan_error(plan.period_end, plan) is None
        assert last.year == plan.period_end.year + bounds.PLAN_MARGIN_YEARS
    assert first >= bounds.FLOOR and last.year < 9999
    with pytest.raises(ActionError):
        bounds.check_plan(datetime.date(9999, 12, 31), plan)
    bounds.check_plan(None, plan)


# Hypothesis takes naive bounds and gives naive datetimes, made aware below.
EARLIEST = datetime.datetime(1, 1, 2)  # noqa: DTZ001
LATEST = datetime.datetime(9999, 12, 30)  # noqa: DTZ001


@given(moment=st.datetimes(min_value=EARLIEST, max_value=LATEST))
def test_a_date_and_time_is_judged_by_its_day(moment):
    aware = timezone.make_aware(moment, datetime.UTC)
    assert (bounds.plan_error(aware) is None) == (bounds.plan_error(bounds._day(aware)) is None)


class _Form(forms.Form):
    happened = FactDateField()
    scheduled = PlanDateField(required=False)


@pytest.mark.parametrize(
    ("lang", "says"),
    [
        ("ar", "أدخل تاريخًا بين"),
        ("fr", "Indiquez une date comprise entre le"),
        ("en", "Give a date between"),
    ],
)
@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01"])
def test_the_form_fields_name_the_range_in_the_users_language(lang, says, day):
    with translation.override(lang):
        form = _Form({"happened": day, "scheduled": day})
        assert not form.is_valid()
        assert says in form.errors["happened"][0] and says in form.errors["scheduled"][0]
    assert _Form({"happened": timezone.localdate().isoformat()}).is_valid()
