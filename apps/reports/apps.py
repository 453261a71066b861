from __future__ import annotations

from typing import TYPE_CHECKING

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from apps.plans.models import ActionPlan


class ReportsConfig(AppConfig):
    name = "apps.reports"
    label = "reports"
    verbose_name = _("Self-assessment reports")

    def load_demo(self, plan: ActionPlan) -> str:
        """The seed's 2023 end-of-term cycle and one generated version."""
        from apps.reports.demo import load_reports_demo

        cycle = load_reports_demo(plan)
        return f"Demo report: {cycle} ({cycle.get_absolute_url()})"

    def reset_demo(self) -> None:
        from apps.reports.demo import reset_reports_demo

        reset_reports_demo()
