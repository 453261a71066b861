from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrackingConfig(AppConfig):
    name = "apps.tracking"
    label = "tracking"
    verbose_name = _("Progress tracking")

    def ready(self) -> None:
        # Tracking adds its badges, dates and panels to the plan pages from its side.
        from apps.tracking import plan_pages  # noqa: F401
