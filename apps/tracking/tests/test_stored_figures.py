"""A plan's stored figures (apps/plans/figures.py) equal what apps/plans/progress.py
computes, after any sequence of the actions that move them: commitments and activities
added, weights changed, reports validated or returned, change requests accepted or
rejected, figures imported, activities and commitments removed."""

from __future__ import annotations

import decimal
import itertools
from typing import Any

import pytest
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from apps.core.batch import batched
from apps.plans import actions as plan_actions
from apps.plans import figures
from apps.plans.models import ActionPlan, Activity, Commitment
from apps.plans.tests.factories import make_plan
from apps.tracking import actions
from apps.tracking.tests.factories import assign, report

pytestmark = pytest.mark.django_db

_numbers = itertools.count(1)

percent = st.integers(min_value=0, max_value=100)
weight = st.decimals(min_value=0, max_value=20, places=2, allow_nan=False, allow_infinity=False)
index = st.integers(min_value=0, max_value=50)

steps = st.one_of(
    st.tuples(st.just("commitment"), index),
    st.tuples(st.just("activity"), index, weight),
    st.tuples(st.just("weight"), index, weight),
    st.tuples(st.just("validate"), index, percent),
    st.tuples(st.just("return"), index, percent),
    st.tuples(st.just("accept"), index, percent),
    st.tuples(st.just("reject"), index, percent),
    st.tuples(st.just("import"), index, percent),
    st.tuples(st.just("remove activity"), index),
    st.tuples(st.just("remove commitment"), index),
)


def _stored_and_computed() -> list[tuple[Any, ...]]:
    rows = figures.with_computed(ActionPlan.objects.all()).values_list(
        "pk", "progress", "commitments_count", "computed_progress", "computed_commitments_count"
    )
    return list(rows)


def _assert_current() -> None:
    for pk, progress, count, expected, expected_count in _stored_and_computed():
        assert count == expected_count, f"plan {pk}: {count} commitments stored"
        assert progress == pytest.approx(expected, abs=1e-9), f"plan {pk}: {progress} stored"


class _Run:
    def __init__(self, plans: list[ActionPlan], people: dict[str, Any]) -> None:
        self.plans = plans
        self.people = people

    def _pick(self, model: type[Any], i: int) -> Any:
        rows = list(model.objects.filter(pk__gt=0).order_by("pk"))
        return rows[i % len(rows)] if rows else None

    def commitment(self, i: int) -> None:
        plan = self.plans[i % len(self.plans)]
        commitment = plan_actions.do_create_commitment(
            plan,
            acting_user=self.people["secretariat"],
            lead_institution=self.people["ministry"],
            number=next(_numbers),
            title_ar="التزام",
        )
        assign(commitment, self.people["focal_point"], self.people["secretariat"])

    def activity(self, i: int, w: decimal.Decimal) -> None:
        if commitment := self._pick(Commitment, i):
            plan_actions.do_add_activity(
                commitment, acting_user=self.people["secretariat"], title_ar="نشاط", weight=w
            )

    def weight(self, i: int, w: decimal.Decimal) -> None:
        if activity := self._pick(Activity, i):
            plan_actions.do_set_activity_weight(activity, w, acting_user=self.people["secretariat"])

    def _reported(self, i: int, value: int) -> Any:
        if activity := self._pick(Activity, i):
            return actions.do_record_progress(
                activity, report(value), acting_user=self.people["focal_point"], submit=True
            )
        return None

    def validate(self, i: int, value: int) -> None:
        if update := self._reported(i, value):
            actions.do_validate_update(update, acting_user=self.people["secretariat"])

    def return_(self, i: int, value: int) -> None:
        if update := self._reported(i, value):
            actions.do_return_update(update, acting_user=self.people["secretariat"], reason="x")

    def _proposed(self, i: int, value: int) -> Any:
        if activity := self._pick(Activity, i):
            return actions.do_propose_change(
                activity,
                acting_user=self.people["committee_member"],
                progress=value,
                justification="سبب",
            )
        return None

    def accept(self, i: int, value: int) -> None:
        if request := self._proposed(i, value):
            actions.do_accept_change(request, acting_user=self.people["secretariat"])

    def reject(self, i: int, value: int) -> None:
        if request := self._proposed(i, value):
            actions.do_reject_change(request, acting_user=self.people["secretariat"], reason="x")

    def import_(self, i: int, value: int) -> None:
        if activity := self._pick(Activity, i):
            with batched():  # as the imports do: one refresh at the end
                actions.do_import_progress(
                    activity,
                    progress=value,
                    reported_on=timezone.localdate(),
                    acting_user=self.people["secretariat"],
                )

    def remove_activity(self, i: int) -> None:
        if activity := self._pick(Activity, i):
            plan_actions.do_remove_activity(activity, acting_user=self.people["secretariat"])

    def remove_commitment(self, i: int) -> None:
        if commitment := self._pick(Commitment, i):
            plan_actions.do_remove_commitment(commitment, acting_user=self.people["secretariat"])

    def do(self, step: tuple[Any, ...]) -> None:
        name = step[0].replace(" ", "_")
        method = getattr(self, name if hasattr(self, name) else name + "_")
        method(*step[1:])


@settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(sequence=st.lists(steps, min_size=1, max_size=14))
def test_stored_figures_equal_the_computed_ones_after_any_sequence(
    sequence, ministry_a, focal_point_a, secretariat, committee_member
):
    people = {
        "ministry": ministry_a,
        "focal_point": focal_point_a,
        "secretariat": secretariat,
        "committee_member": committee_member,
    }
    saved = transaction.savepoint()  # each example starts from no plan at all
    try:
        plans = [make_plan(), make_plan()]
        run = _Run(plans, people)
        for step in [("commitment", 0), ("activity", 0, decimal.Decimal(1)), *sequence]:
            run.do(step)
            _assert_current()
        assert figures.stale_plans() == []
    finally:
        transaction.savepoint_rollback(saved)


def test_a_figure_written_behind_the_actions_back_is_found_and_repaired(ministry_a, secretariat):
    """The repair command finds what bypassed the actions (a bulk write) and fixes it."""
    from io import StringIO

    from django.core.management import call_command

    plan = make_plan()
    commitment = plan_actions.do_create_commitment(
        plan, acting_user=secretariat, number=1, title_ar="التزام"
    )
    activity = plan_actions.do_add_activity(commitment, acting_user=secretariat, title_ar="ن")
    Activity.objects.filter(pk=activity.pk).update(progress=80)  # not through an action
    assert figures.stale_plans() == [plan.pk]
    out = StringIO()
    call_command("refresh_figures", stdout=out)
    assert "1 had figures out of date" in out.getvalue()
    plan.refresh_from_db()
    assert (plan.progress, plan.commitments_count) == (80.0, 1)
    assert figures.stale_plans() == []


def test_the_migration_fills_what_progress_computes(ministry_a, secretariat):
    """The fill of 0004_stored_figures (historical models, the rule in Python) agrees
    with the database's figures."""
    import importlib

    from django.apps import apps as django_apps

    from apps.plans.tests.factories import make_commitment

    plan = make_plan()
    make_commitment(plan, [(30, 1), (90, 3)])
    make_commitment(plan, [(10, 0), (50, 0)])
    make_commitment(plan, [])
    expected = figures.with_computed(ActionPlan.objects.all()).get(pk=plan.pk)
    ActionPlan.objects.filter(pk=plan.pk).update(progress=0, commitments_count=0)
    migration = importlib.import_module("apps.plans.migrations.0004_stored_figures")
    migration.fill(django_apps, None)
    plan.refresh_from_db()
    assert plan.commitments_count == expected.computed_commitments_count == 3
    assert plan.progress == pytest.approx(expected.computed_progress)
    assert plan.progress == pytest.approx((75 + 30 + 0) / 3)
