from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExchangeConfig(AppConfig):
    """Data exchange: imports (the platform's plan sheet, OGP's commitments dataset,
    Canada's tracker), exports and the public open-data package."""

    name = "apps.exchange"
    label = "exchange"
    verbose_name = _("Data exchange")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # The secretariat's export and import links on the plan page, from this side.
        from apps.exchange import plan_pages  # noqa: F401
