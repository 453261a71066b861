"""The roll-up rules: commitment = weighted mean of activities, plan = mean of commitments."""

from __future__ import annotations

import pytest
from django.test import override_settings
from hypothesis import given, settings
from hypothesis import strategies as st

from apps.plans.choices import CompletionLevel
from apps.plans.models import ActionPlan, Commitment, Theme
from apps.plans.progress import completion_level, weighted_mean
from apps.plans.tests.factories import make_commitment, make_plan, make_theme

pytestmark = pytest.mark.django_db


def progress_of(commitment: Commitment) -> float:
    return Commitment.objects.with_progress().get(pk=commitment.pk).progress  # type: ignore[attr-defined]


def test_it_weights_activities():
    plan = make_plan()
    commitment = make_commitment(plan, [(100, 3), (0, 1)])
    assert progress_of(commitment) == pytest.approx(75.0)


def test_it_uses_the_plain_mean_when_all_weights_are_zero():
    plan = make_plan()
    commitment = make_commitment(plan, [(100, 0), (20, 0), (30, 0)])
    assert progress_of(commitment) == pytest.approx(50.0)


def test_it_counts_a_commitment_without_activities_as_zero():
    plan = make_plan()
    commitment = make_commitment(plan, [])
    assert progress_of(commitment) == 0.0


def test_it_ignores_zero_weight_activities_when_others_weigh():
    plan = make_plan()
    commitment = make_commitment(plan, [(100, 1), (0, 0)])
    assert progress_of(commitment) == pytest.approx(100.0)


def test_it_averages_commitments_for_the_plan_and_the_theme():
    plan = make_plan()
    theme = make_theme(plan)
    make_commitment(plan, [(100, 1)], theme=theme)
    make_commitment(plan, [(50, 1), (0, 1)], theme=theme)
    make_commitment(plan, [])
    annotated = ActionPlan.objects.with_progress().get(pk=plan.pk)
    assert annotated.progress == pytest.approx((100 + 25 + 0) / 3)  # type: ignore[attr-defined]
    assert annotated.commitments_count == 3  # type: ignore[attr-defined]
    theme_row = Theme.objects.with_progress().get(pk=theme.pk)
    assert theme_row.progress == pytest.approx(62.5)  # type: ignore[attr-defined]


def test_a_plan_without_commitments_is_at_zero():
    plan = make_plan()
    assert ActionPlan.objects.with_progress().get(pk=plan.pk).progress == 0.0  # type: ignore[attr-defined]


def test_it_derives_the_completion_level_in_the_database_and_in_python():
    plan = make_plan()
    expected = {
        0: "not_started",
        1: "limited",
        49: "limited",
        50: "substantial",
        99: "substantial",
        100: "complete",
    }
    for pct in expected:
        make_commitment(plan, [(pct, 1)], number=pct + 1)
    rows = Commitment.objects.with_progress().filter(plan=plan)
    for row in rows:
        pct = row.number - 1
        assert row.completion_level == expected[pct]  # type: ignore[attr-defined]
        assert completion_level(pct) == expected[pct]


@override_settings(SHARAKA_COMPLETION_THRESHOLDS={"limited": 10, "substantial": 60, "complete": 95})
def test_completion_thresholds_come_from_settings():
    plan = make_plan()
    make_commitment(plan, [(55, 1)], number=1)
    make_commitment(plan, [(96, 1)], number=2)
    levels = dict(
        Commitment.objects.with_progress()
        .filter(plan=plan)
        .values_list("number", "completion_level")
    )
    assert levels == {1: CompletionLevel.LIMITED, 2: CompletionLevel.COMPLETE}


activities_strategy = st.lists(
    st.tuples(st.integers(0, 100), st.sampled_from([0, 0.5, 1, 2, 3.25, 10, 99999.99])),
    max_size=8,
)


@settings(max_examples=40, deadline=None)
@given(activities=activities_strategy)
def test_any_weights_give_a_progress_between_0_and_100(activities):
    plan = make_plan()
    try:
        commitment = make_commitment(plan, activities)
        value = progress_of(commitment)
        assert 0.0 <= value <= 100.0 + 1e-9
        assert value == pytest.approx(
            weighted_mean([(p, float(w)) for p, w in activities]), abs=1e-6
        )
    finally:
        plan.delete()
