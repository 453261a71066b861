from __future__ import annotations

from typing import TYPE_CHECKING

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from apps.plans.models import ActionPlan


class CommitteesConfig(AppConfig):
    name = "apps.committees"
    label = "committees"
    verbose_name = _("Committees")

    def ready(self) -> None:
        # Tracking asks the committee's calendar for meeting dates and the chair, and
        # the snapshot asks tracking for change requests and hand-overs.
        # The plan pages show the date of the last snapshot.
        from apps.accounts.rules import let_the_secretariat_administer
        from apps.committees import calendar, charts, plan_pages, tracking_notes  # noqa: F401
        from apps.tracking.meetings import register_calendar

        register_calendar(calendar)
        # Committees, their members and guides; meetings and snapshots change only
        # through the committees' pages (actions), which write the audit trail.
        let_the_secretariat_administer("committees", ["committee", "committeedocument", "member"])

    def load_demo(self, plan: ActionPlan) -> str:
        """The seed meeting of the demo (see plans' ``load_demo`` command)."""
        from apps.committees.demo import load_committee_demo

        meeting = load_committee_demo(plan)
        return f"Demo meeting: {meeting} ({meeting.get_absolute_url()})"

    def reset_demo(self) -> None:
        from apps.committees.demo import reset_committee_demo

        reset_committee_demo()
