"""A plan's stored figures: its progress and how many commitments it has.

The lists of plans (home page, plan list, ``/api/v1/plans``, the open data) read
``ActionPlan.progress`` and ``ActionPlan.commitments_count`` as stored, so a list costs
the same whatever the number of plans, commitments and activities. The definition stays
:mod:`apps.plans.progress`: :func:`refresh` stores what its expressions compute (the plan's
row locked, then one UPDATE), inside the caller's transaction.

Who calls :func:`refresh`: every action that changes what the figures read (an
activity's progress or weight, an activity or a commitment added or removed), explicitly
(:mod:`apps.plans.actions`, ``apps.tracking.actions._publish``, the adoption of a
co-created plan, the demo loader). The admin saves through those actions, and its
commitment screen refreshes its plan once more after a save or a deletion (a safety net
for what an inline might do). There are no signals: bulk writes bypass them anyway, and
an explicit call shows where the cost is. Inside an import's batch
(:func:`apps.core.batch.batched`) a plan is refreshed once at the end, not once per row.
``manage.py refresh_figures`` recomputes every plan (after an upgrade, or a repair).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import OuterRef, Q, QuerySet

from apps.core import batch
from apps.plans.progress import commitments_count, mean_commitment_progress

if TYPE_CHECKING:
    from apps.plans.models import ActionPlan


class _Touched:
    """The plans touched in a batch (:mod:`apps.core.batch`), stored once at its end."""

    def __init__(self) -> None:
        self.ids: set[int] = set()

    def __call__(self) -> None:
        if self.ids:
            _store(Q(pk__in=self.ids))


def _batch() -> _Touched | None:
    return batch.pending("plans.figures", _Touched)


def with_computed(plans: QuerySet[ActionPlan]) -> QuerySet[ActionPlan]:
    """``plans`` with their figures as :mod:`apps.plans.progress` computes them
    (``computed_progress``, ``computed_commitments_count``), to compare with the stored."""
    return plans.annotate(
        computed_progress=mean_commitment_progress(plan=OuterRef("pk")),
        computed_commitments_count=commitments_count(plan=OuterRef("pk")),
    )


def _store(where: Q) -> int:
    from apps.plans.models import ActionPlan

    # The plans' rows are locked first (in one order: no deadlock): a transaction that
    # changed another figure of the same plan and has not committed yet is waited for,
    # and the UPDATE, a new statement, then sees it. Without the lock, PostgreSQL would
    # compute the figures from the snapshot taken before the wait, and the figures of
    # the transaction that committed first would be lost.
    with transaction.atomic(savepoint=False):  # (the caller's transaction, if any)
        locked = list(
            ActionPlan.objects.select_for_update(of=("self",))
            .filter(where)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        return ActionPlan.objects.filter(pk__in=locked).update(
            progress=mean_commitment_progress(plan=OuterRef("pk")),
            commitments_count=commitments_count(plan=OuterRef("pk")),
        )


def refresh(*plan_ids: int | None) -> None:
    """Store the figures of the plans ``plan_ids`` (two queries), or note them for the
    end of the enclosing batch (:func:`apps.core.batch.batched`: an import)."""
    ids = {pk for pk in plan_ids if pk is not None}
    if not ids:
        return
    if (touched := _batch()) is not None:
        touched.ids.update(ids)
        return
    _store(Q(pk__in=ids))


def refresh_for_commitment(commitment_id: int) -> None:
    """Store the figures of the plan of a commitment (no look-up first)."""
    if _batch() is not None:
        from apps.plans.models import Commitment

        refresh(Commitment.objects.filter(pk=commitment_id).values_list("plan", flat=True).first())
        return
    _store(Q(commitments__pk=commitment_id))


def refresh_all() -> int:
    """Store the figures of every plan; how many plans."""
    return _store(Q())


def stale_plans(plan_ids: Iterable[int] | None = None) -> list[int]:
    """The plans whose stored figures differ from the computed ones (tests, repair)."""
    from apps.plans.models import ActionPlan

    plans = ActionPlan.objects.all()
    if plan_ids is not None:
        plans = plans.filter(pk__in=list(plan_ids))
    return [
        plan.pk
        for plan in with_computed(plans)
        if plan.commitments_count != plan.computed_commitments_count  # type: ignore[attr-defined]
        or abs(plan.progress - plan.computed_progress) > 1e-9  # type: ignore[attr-defined]
    ]
