"""The plans' own dates obey the one rule of apps/core/bounds.py, wherever they are
written: the admin's forms (which call the models' ``clean``) and the actions."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from apps.plans import actions
from apps.plans.tests.factories import make_commitment, make_plan

pytestmark = pytest.mark.django_db


def test_a_plan_period_in_year_9999_or_0001_is_refused_with_the_range():
    plan = make_plan()
    for name, day in (
        ("period_end", datetime.date(9999, 12, 31)),
        ("period_start", datetime.date(1, 1, 1)),
    ):
        setattr(plan, name, day)
        with translation.override("fr"), pytest.raises(ValidationError) as refused:
            plan.full_clean()
        message = refused.value.message_dict[name][0]
        assert "Indiquez une date comprise entre le" in message and "2000-01-01" in message
        plan.refresh_from_db()
    plan.full_clean()  # its own period is fine


def test_a_commitment_or_activity_date_far_from_the_plan_is_refused(secretariat):
    plan = make_plan()
    commitment = make_commitment(plan, [(0, 1)])
    with pytest.raises(ValidationError) as refused:
        actions.do_edit_commitment(
            commitment, acting_user=secretariat, end_date=datetime.date(9999, 12, 31)
        )
    assert "end_date" in refused.value.message_dict
    activity = commitment.activities.get()
    with pytest.raises(ValidationError) as refused:
        actions.do_edit_activity(
            activity, acting_user=secretariat, start_date=datetime.date(1, 1, 1)
        )
    assert "start_date" in refused.value.message_dict
    commitment.refresh_from_db()
    assert commitment.end_date != datetime.date(9999, 12, 31)
