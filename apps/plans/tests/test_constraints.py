"""Invariants hold at the database, not only in forms."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from apps.plans.models import Activity
from apps.plans.tests.factories import make_commitment, make_plan

pytestmark = pytest.mark.django_db


@pytest.fixture
def activity():
    plan = make_plan()
    commitment = make_commitment(plan, [(10, 1)])
    return commitment.activities.get()


@pytest.mark.parametrize(
    "changes",
    [
        {"progress": 101},
        {"weight": -1},
        {"start_date": datetime.date(2023, 1, 2), "end_date": datetime.date(2023, 1, 1)},
    ],
)
def test_the_database_rejects_bad_activity_values(activity, changes):
    with pytest.raises(IntegrityError), transaction.atomic():
        Activity.objects.filter(pk=activity.pk).update(**changes)
    activity.refresh_from_db()
    assert activity.progress == 10


@pytest.mark.parametrize("progress", [-1, 101, 1000])
def test_validators_reject_progress_out_of_range(activity, progress):
    activity.progress = progress
    with pytest.raises(ValidationError):
        activity.full_clean()


def test_validators_reject_a_negative_weight_and_reversed_dates(activity):
    activity.weight = -0.5
    activity.start_date = datetime.date(2023, 5, 1)
    activity.end_date = datetime.date(2023, 4, 1)
    with pytest.raises(ValidationError) as error:
        activity.full_clean()
    assert {"weight", "end_date"} <= set(error.value.message_dict)


def test_the_database_rejects_a_plan_ending_before_it_starts():
    plan = make_plan()
    with pytest.raises(IntegrityError), transaction.atomic():
        type(plan).objects.filter(pk=plan.pk).update(period_end=datetime.date(2020, 1, 1))


def test_commitment_numbers_are_unique_in_a_plan():
    plan = make_plan()
    make_commitment(plan, number=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        make_commitment(plan, number=1)
