from __future__ import annotations

from typing import TYPE_CHECKING

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from apps.plans.models import ActionPlan


class CocreationConfig(AppConfig):
    name = "apps.cocreation"
    label = "cocreation"
    verbose_name = _("Co-creation")

    def ready(self) -> None:
        # The commitment and plan pages show where an adopted commitment comes from;
        # the self-assessment report tells the co-creation process of its plan.
        from apps.cocreation import plan_pages, report_section  # noqa: F401
        from apps.cocreation.models import attachments_stored_by
        from apps.core.files import register_usage

        # A person's upload quota counts the files joined to their proposals.
        register_usage(attachments_stored_by)

    def load_demo(self, plan: ActionPlan) -> str:
        """The seed's third-plan process, its phases, themes and a few proposals."""
        from apps.cocreation.demo import load_cocreation_demo

        process = load_cocreation_demo(plan)
        return f"Demo co-creation: {process.slug} ({process.get_absolute_url()})"

    def reset_demo(self) -> None:
        from apps.cocreation.demo import reset_cocreation_demo

        reset_cocreation_demo()
