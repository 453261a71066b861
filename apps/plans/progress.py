"""The progress roll-up, as database expressions.

- An activity's progress is what its focal point reports (0–100).
- A commitment's progress is the weight-normalised mean of its activities' progress:
  sum(progress × weight) / sum(weight). When every weight is 0 it is the plain mean;
  a commitment without activities counts as 0.
- A plan's (or a theme's) progress is the plain mean of its commitments' progress.

Every figure is computed by the database, so a list of any length costs one query.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db.models import (
    Avg,
    Case,
    CharField,
    Count,
    Expression,
    FloatField,
    IntegerField,
    OuterRef,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce, NullIf
from django.utils.translation import gettext_lazy as _

from apps.plans.choices import CompletionLevel


def commitment_progress(commitment_ref: Any = None) -> Expression:
    """Progress of the commitment whose primary key is ``commitment_ref``."""
    from apps.plans.models import Activity

    ref = commitment_ref if commitment_ref is not None else OuterRef("pk")
    progress = Cast("progress", FloatField())
    weight = Cast("weight", FloatField())
    per_commitment = (
        Activity.objects.filter(commitment=ref)
        .order_by()
        .values("commitment")
        .annotate(
            value=Coalesce(
                Sum(progress * weight, output_field=FloatField())
                / NullIf(Sum(weight, output_field=FloatField()), Value(0.0)),
                Avg(progress, output_field=FloatField()),
            )
        )
        .values("value")
    )
    return Coalesce(Subquery(per_commitment, output_field=FloatField()), Value(0.0))


def mean_commitment_progress(**filters: Any) -> Expression:
    """Mean progress of the commitments matching ``filters`` (OuterRef allowed)."""
    from apps.plans.models import Commitment

    group_by = next(iter(filters))
    mean = (
        Commitment.objects.filter(**filters)
        .order_by()
        .values(group_by)
        .annotate(value=Avg(commitment_progress(OuterRef("pk")), output_field=FloatField()))
        .values("value")
    )
    return Coalesce(Subquery(mean, output_field=FloatField()), Value(0.0))


def commitments_count(**filters: Any) -> Expression:
    """How many commitments match ``filters`` (OuterRef allowed), as a subquery.

    A subquery rather than ``Count`` over a join: a join would make the query GROUP BY
    every column, and the database would evaluate the progress subquery once per
    joined row instead of once per plan.
    """
    from apps.plans.models import Commitment

    group_by = next(iter(filters))
    counted = (
        Commitment.objects.filter(**filters)
        .order_by()
        .values(group_by)
        .annotate(value=Count("pk"))
        .values("value")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def completion_level_case(field: str = "progress") -> Case:
    """The OGP completion level of an annotated percentage, in the database."""
    thresholds = settings.SHARAKA_COMPLETION_THRESHOLDS
    return Case(
        When(**{f"{field}__gte": thresholds["complete"]}, then=Value(CompletionLevel.COMPLETE)),
        When(
            **{f"{field}__gte": thresholds["substantial"]},
            then=Value(CompletionLevel.SUBSTANTIAL),
        ),
        When(**{f"{field}__gte": thresholds["limited"]}, then=Value(CompletionLevel.LIMITED)),
        default=Value(CompletionLevel.NOT_STARTED),
        output_field=CharField(),
    )


def completion_level(percent: float | None) -> CompletionLevel:
    """The same rule as :func:`completion_level_case`, for one value in Python."""
    thresholds = settings.SHARAKA_COMPLETION_THRESHOLDS
    value = percent or 0
    if value >= thresholds["complete"]:
        return CompletionLevel.COMPLETE
    if value >= thresholds["substantial"]:
        return CompletionLevel.SUBSTANTIAL
    if value >= thresholds["limited"]:
        return CompletionLevel.LIMITED
    return CompletionLevel.NOT_STARTED


def weighted_mean(pairs: list[tuple[float, float]]) -> float:
    """Reference implementation of the commitment rule over (progress, weight) pairs.

    Used to explain the formula and to check the database expression in tests.
    """
    if not pairs:
        return 0.0
    total_weight = sum(w for _, w in pairs)
    if total_weight == 0:
        return sum(p for p, _ in pairs) / len(pairs)
    return sum(p * w for p, w in pairs) / total_weight


# Where the people who run the server set the thresholds (read in sharaka/settings.py).
THRESHOLD_VARIABLES = {
    "limited": "SHARAKA_LIMITED_FROM",
    "substantial": "SHARAKA_SUBSTANTIAL_FROM",
    "complete": "SHARAKA_COMPLETE_FROM",
}

FORMULA_HELP = _(
    "A commitment's progress is the weighted mean of its activities' progress: "
    "the sum of (progress × weight) divided by the sum of the weights. "
    "When all weights are zero, it is the plain mean. A commitment without activities, "
    "or an activity without a reported figure, counts as 0%. "
    "The plan's progress is the mean of its commitments' progress."
)
