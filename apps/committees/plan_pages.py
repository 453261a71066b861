"""What the committees app adds to the public plan pages (see
:mod:`apps.plans.extensions`): the date of the plan's last meeting snapshot, one of the
dates the page's figures are as of. Registered by ``CommitteesConfig.ready``."""

from __future__ import annotations

from collections.abc import Sequence

from django.db.models import Max
from django.http import HttpRequest
from django.utils import timezone

from apps.committees.models import Snapshot
from apps.plans.extensions import PageExtras, register_commitment_page, register_plan_page
from apps.plans.models import ActionPlan, Activity, Commitment


def _last_snapshot(plan: ActionPlan) -> PageExtras:
    frozen = Snapshot.objects.filter(plan=plan).aggregate(last=Max("frozen_at"))["last"]
    return PageExtras(as_of=timezone.localtime(frozen).date() if frozen else None)


@register_plan_page
def plan_snapshot_date(
    request: HttpRequest, plan: ActionPlan, commitments: Sequence[Commitment]
) -> PageExtras:
    return _last_snapshot(plan)


@register_commitment_page
def commitment_snapshot_date(
    request: HttpRequest, commitment: Commitment, activities: Sequence[Activity]
) -> PageExtras:
    return _last_snapshot(commitment.plan)
