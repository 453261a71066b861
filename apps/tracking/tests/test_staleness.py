"""Staleness flags: computed by the database, one query for a whole list."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from apps.plans.models import Activity, Commitment
from apps.tracking import actions
from apps.tracking.models import ProgressUpdate
from apps.tracking.staleness import (
    flags_of,
    reference_for,
    with_activity_flags,
    with_commitment_flags,
)
from apps.tracking.tests.factories import make_activity, submitted

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


def activity_flags(activity, now=None):
    ref = reference_for(activity.commitment.plan, now)
    return flags_of(with_activity_flags(Activity.objects.filter(pk=activity.pk), ref).get())


def commitment_flags(commitment, now=None):
    ref = reference_for(commitment.plan, now)
    qs = with_commitment_flags(Commitment.objects.with_progress().filter(pk=commitment.pk), ref)
    return flags_of(qs.get())


def validate(activity, author, secretariat, progress, when):
    update = submitted(activity, author, progress)
    actions.do_validate_update(update, acting_user=secretariat)
    ProgressUpdate.objects.filter(pk=update.pk).update(validated_at=when)


def test_an_activity_never_validated_is_not_updated_and_has_no_progress(activity):
    assert activity_flags(activity) == ["not_updated", "no_progress"]


def test_a_recent_validated_change_clears_both_flags(activity, focal_point_a, secretariat):
    validate(activity, focal_point_a, secretariat, 40, timezone.now() - 5 * DAY)
    assert activity_flags(activity) == []
    assert commitment_flags(activity.commitment) == []


def test_it_is_not_updated_after_the_configured_days(
    settings, activity, focal_point_a, secretariat
):
    validate(activity, focal_point_a, secretariat, 40, timezone.now() - 61 * DAY)
    assert "not_updated" in activity_flags(activity)
    settings.SHARAKA_STALE_AFTER_DAYS = 90
    assert "not_updated" not in activity_flags(activity)


def test_a_recent_update_with_the_same_figure_is_no_progress(activity, focal_point_a, secretariat):
    validate(activity, focal_point_a, secretariat, 20, timezone.now() - DAY)
    assert activity_flags(activity) == ["no_progress"]


def test_no_progress_compares_with_the_last_validated_value_at_the_reference(
    activity, focal_point_a, secretariat
):
    now = timezone.now()
    validate(activity, focal_point_a, secretariat, 30, now - 100 * DAY)  # before reference
    validate(activity, focal_point_a, secretariat, 30, now - 10 * DAY)  # same figure since
    assert activity_flags(activity) == ["no_progress"]
    validate(activity, focal_point_a, secretariat, 35, now - 5 * DAY)
    assert activity_flags(activity) == []


def test_the_last_meeting_moves_the_reference(monkeypatch, activity, focal_point_a, secretariat):
    validate(activity, focal_point_a, secretariat, 40, timezone.now() - 20 * DAY)
    assert activity_flags(activity) == []
    meeting = timezone.localdate() - 10 * DAY
    monkeypatch.setattr("apps.tracking.staleness.last_meeting_date", lambda plan, before: meeting)
    assert activity_flags(activity) == ["not_updated", "no_progress"]


def test_it_is_overdue_when_the_end_date_passed_below_100(ministry_a):
    late = make_activity(ministry_a, progress=80, end_date=timezone.localdate() - DAY)
    assert "overdue" in activity_flags(late)
    done = make_activity(ministry_a, progress=100, end_date=timezone.localdate() - DAY)
    assert activity_flags(done) == []
    later = make_activity(ministry_a, progress=80, end_date=timezone.localdate() + DAY)
    assert "overdue" not in activity_flags(later)


def test_the_commitment_end_date_counts_for_its_activities(ministry_a):
    activity = make_activity(ministry_a, progress=50, end_date=None)
    Commitment.objects.filter(pk=activity.commitment_id).update(end_date=timezone.localdate() - DAY)
    assert "overdue" in activity_flags(activity)
    assert "overdue" in commitment_flags(activity.commitment)


def test_a_complete_commitment_carries_no_flag(ministry_a):
    activity = make_activity(ministry_a, progress=100, end_date=timezone.localdate() - DAY)
    assert commitment_flags(activity.commitment) == []


def test_flags_cost_one_query_for_any_number_of_commitments(ministry_a):
    from apps.plans.tests.factories import make_commitment, make_plan

    plan = make_plan()
    for n in range(1, 30):
        make_commitment(plan, [(10, 1), (50, 1)], number=n)
    ref = reference_for(plan)
    with CaptureQueriesContext(connection) as ctx:
        rows = list(with_commitment_flags(Commitment.objects.for_list().filter(plan=plan), ref))
    assert len(rows) == 29 and len(ctx.captured_queries) == 1
    assert all(flags_of(c) == ["not_updated", "no_progress"] for c in rows)
