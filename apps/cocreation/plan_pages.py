"""What the co-creation adds to the public plan pages (see :mod:`apps.plans.extensions`):
on a commitment's page, the card it was drafted as and the proposals it came from; on a
plan's page, the co-creation process that prepared it. Registered by
``CocreationConfig.ready``; two queries at most per page."""

from __future__ import annotations

from collections.abc import Sequence

from django.db.models import QuerySet, prefetch_related_objects
from django.http import HttpRequest

from apps.cocreation.models import CommitmentCard, Process
from apps.plans.extensions import (
    PageExtras,
    Panel,
    register_commitment_page,
    register_commitment_rows,
    register_plan_page,
)
from apps.plans.models import ActionPlan, Activity, Commitment


@register_commitment_rows
def commitment_card(
    request: HttpRequest, commitments: QuerySet[Commitment]
) -> QuerySet[Commitment]:
    """The card the commitment was drafted as, and its process, come with it."""
    return commitments.select_related("cocreation_card__process")


@register_commitment_page
def commitment_origin(
    request: HttpRequest, commitment: Commitment, activities: Sequence[Activity]
) -> PageExtras:
    try:
        card = commitment.cocreation_card  # loaded with the commitment (commitment_card)
    except CommitmentCard.DoesNotExist:
        return PageExtras()
    prefetch_related_objects([card], "proposals")
    proposals = sorted(card.proposals.all(), key=lambda p: p.number)
    for proposal in proposals:
        proposal.process = card.process  # for its address, without a query per row
    return PageExtras(
        panels=[
            Panel(
                template="cocreation/round/_commitment_origin.html",
                slot="aside",
                context={"card": card, "process": card.process, "proposals": proposals},
            )
        ]
    )


@register_plan_page
def plan_origin(
    request: HttpRequest, plan: ActionPlan, commitments: Sequence[Commitment]
) -> PageExtras:
    process = Process.objects.filter(plan=plan).first()
    if process is None:
        return PageExtras()
    return PageExtras(
        panels=[
            Panel(
                template="cocreation/round/_plan_origin.html",
                slot="main",
                context={"process": process},
            )
        ]
    )
