from __future__ import annotations

from typing import TYPE_CHECKING

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from apps.plans.models import ActionPlan


class TrackingConfig(AppConfig):
    name = "apps.tracking"
    label = "tracking"
    verbose_name = _("Progress tracking")

    def ready(self) -> None:
        from apps.plans.hooks import on_institutions_changed

        # Tracking adds its badges, dates and panels to the plan pages from its side.
        from apps.tracking import charts, plan_pages  # noqa: F401
        from apps.tracking.actions import end_ineligible_assignments

        # Plans does not know who answers for a commitment: tell it what to do when
        # the institutions that may answer change.
        on_institutions_changed(end_ineligible_assignments)

        from apps.core.files import register_usage
        from apps.tracking.models import evidence_stored_by

        # A person's upload quota counts their evidence files.
        register_usage(evidence_stored_by)

        from apps.tracking.rules import register_facts

        # What the rules read of a signed-in person comes with the person.
        register_facts()

    def load_demo(self, plan: ActionPlan) -> str:
        """Tracking's part of the demo (see plans' ``load_demo`` command)."""
        from apps.tracking.demo import load_tracking_demo

        load_tracking_demo(plan)
        return ""
