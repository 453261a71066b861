"""Two validators acting on the same update at once, on a real PostgreSQL server."""

from __future__ import annotations

import threading
import time

import pytest
from django.conf import settings
from django.db import connection

from apps.core.models import AuditLog
from apps.tracking import actions
from apps.tracking.actions import TrackingError
from apps.tracking.models import ProgressUpdate, UpdateStatus
from apps.tracking.tests.factories import submitted

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        "postgresql" not in settings.DATABASES["default"]["ENGINE"],
        reason="row locks (SELECT … FOR UPDATE) need PostgreSQL; SQLite locks the whole file",
    ),
]


def run_together(*calls):
    """Run each call in its own thread and connection, released together."""
    barrier = threading.Barrier(len(calls))
    results: list[object] = [None] * len(calls)

    def run(i, call):
        try:
            barrier.wait()
            results[i] = call()
        except Exception as error:  # noqa: BLE001 - reported to the test
            results[i] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    return results


@pytest.fixture
def slow_publish(monkeypatch):
    """Hold the lock a little while inside the transaction, so the two overlap."""
    original = actions._publish

    def slow(update, *, acting_user):
        time.sleep(0.3)
        original(update, acting_user=acting_user)

    monkeypatch.setattr(actions, "_publish", slow)


def test_two_validators_at_once_exactly_one_wins(
    slow_publish, activity, focal_point_a, secretariat
):
    from apps.accounts.roles import Role
    from apps.accounts.tests.personas import make_user

    other = make_user("secretariat2", Role.SECRETARIAT)
    update = submitted(activity, focal_point_a, 70)
    results = run_together(
        lambda: actions.do_validate_update(update.pk, acting_user=secretariat),
        lambda: actions.do_validate_update(update.pk, acting_user=other),
    )
    wins = [r for r in results if isinstance(r, ProgressUpdate)]
    losses = [r for r in results if isinstance(r, TrackingError)]
    assert len(wins) == 1 and len(losses) == 1, results
    assert AuditLog.objects.filter(action="tracking.validate_update").count() == 1
    assert AuditLog.objects.filter(action="plans.change_activity_progress").count() == 1
    activity.refresh_from_db()
    assert activity.progress == 70


def test_validating_and_returning_at_once_leaves_one_outcome(
    slow_publish, activity, focal_point_a, secretariat
):
    from apps.accounts.roles import Role
    from apps.accounts.tests.personas import make_user

    other = make_user("secretariat2", Role.SECRETARIAT)
    update = submitted(activity, focal_point_a, 70)
    results = run_together(
        lambda: actions.do_validate_update(update.pk, acting_user=secretariat),
        lambda: actions.do_return_update(update.pk, acting_user=other, reason="non"),
    )
    assert sum(isinstance(r, ProgressUpdate) for r in results) == 1, results
    update.refresh_from_db()
    activity.refresh_from_db()
    if update.status == UpdateStatus.VALIDATED:
        assert activity.progress == 70 and update.return_reason == ""
    else:
        assert update.status == UpdateStatus.RETURNED and activity.progress == 20


def test_two_updates_of_one_activity_validated_at_once_are_both_kept(
    slow_publish, activity, focal_point_a, secretariat
):
    from apps.accounts.roles import Role
    from apps.accounts.tests.personas import make_user

    other = make_user("secretariat2", Role.SECRETARIAT)
    first = submitted(activity, focal_point_a, 40)
    second = submitted(activity, focal_point_a, 50)
    results = run_together(
        lambda: actions.do_validate_update(first.pk, acting_user=secretariat),
        lambda: actions.do_validate_update(second.pk, acting_user=other),
    )
    assert all(isinstance(r, ProgressUpdate) for r in results), results
    rows = list(ProgressUpdate.objects.filter(activity=activity).order_by("validated_at"))
    activity.refresh_from_db()
    # The activity lock serialises them: the later one saw the earlier one's figure.
    assert rows[1].previous_progress == rows[0].progress
    assert activity.progress == rows[1].progress


def test_two_figures_of_one_plan_validated_at_once_are_both_in_its_stored_figures(
    secretariat, focal_point_a, monkeypatch
):
    """Two activities of one plan validated in two transactions at once: the plan's
    stored figures (apps/plans/figures.py) count both, not the one that committed last."""
    from apps.plans.figures import stale_plans
    from apps.plans.tests.factories import make_commitment, make_plan
    from apps.tracking.tests.factories import assign

    plan = make_plan()
    commitment = make_commitment(
        plan, [(0, 1), (0, 1)], number=1, lead_institution=focal_point_a.institution
    )
    assign(commitment, focal_point_a, secretariat)
    first, second = commitment.activities.order_by("order")
    updates = [submitted(first, focal_point_a, 40), submitted(second, focal_point_a, 80)]
    original = actions._publish

    def publish_then_linger(update, *, acting_user):
        # The first to publish keeps its transaction open a while: the other's
        # refresh of the same plan waits for it.
        original(update, acting_user=acting_user)
        time.sleep(0.4 if update.progress == 40 else 0)

    def validate(update, delay):
        time.sleep(delay)
        return actions.do_validate_update(update.pk, acting_user=secretariat)

    monkeypatch.setattr(actions, "_publish", publish_then_linger)
    results = run_together(lambda: validate(updates[0], 0), lambda: validate(updates[1], 0.15))
    assert not [r for r in results if isinstance(r, Exception)], results
    plan.refresh_from_db()
    assert plan.progress == 60.0 and stale_plans() == []
