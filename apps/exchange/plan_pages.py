"""What exchange adds to the plan page (see :mod:`apps.plans.extensions`): for the
secretariat, the links to export the plan's sheet and to import one. No query."""

from __future__ import annotations

from collections.abc import Sequence

from django.http import HttpRequest

from apps.plans.extensions import PageExtras, Panel, register_plan_page
from apps.plans.models import ActionPlan, Commitment


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
