"""What the exchange app adds to the public plan and commitment pages (see
:mod:`apps.plans.extensions`): a link to the open data; for the secretariat, on the plan
page, the links to export the plan's sheet and to import one. No query. Registered by
``ExchangeConfig.ready``."""

from __future__ import annotations

from collections.abc import Sequence

from django.http import HttpRequest

from apps.plans.extensions import (
    PageExtras,
    Panel,
    register_commitment_page,
    register_plan_page,
)
from apps.plans.models import ActionPlan, Activity, Commitment

PANEL = Panel("exchange/_open_data_panel.html", "main")


@register_plan_page
def plan_open_data(
    request: HttpRequest, plan: ActionPlan, commitments: Sequence[Commitment]
) -> PageExtras:
    return PageExtras(panels=[PANEL])


@register_commitment_page
def commitment_open_data(
    request: HttpRequest, commitment: Commitment, activities: Sequence[Activity]
) -> PageExtras:
    return PageExtras(panels=[PANEL])


@register_plan_page
def plan_sheet_links(
    request: HttpRequest, plan: ActionPlan, commitments: Sequence[Commitment]
) -> PageExtras:
    if not commitments or not request.user.has_perm("exchange.export_plan", plan):
        return PageExtras()
    return PageExtras(
        panels=[
            Panel(
                "exchange/_plan_sheet_panel.html",
                "main",
                {"slug": plan.slug, "formats": ("xlsx", "csv")},
            )
        ]
    )
