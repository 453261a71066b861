from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommitteesConfig(AppConfig):
    name = "apps.committees"
    label = "committees"
    verbose_name = _("Committees")

    def ready(self) -> None:
        # Tracking asks the committee's calendar for meeting dates and the chair, and
        # the snapshot asks tracking for change requests and hand-overs.
        # The plan pages show the date of the last snapshot.
        from apps.committees import calendar, plan_pages, tracking_notes  # noqa: F401
        from apps.tracking.meetings import register_calendar

        register_calendar(calendar)
