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
        from apps.accounts.rules import let_the_secretariat_administer

        # The open-data licence is the secretariat's to choose (audited admin).
        let_the_secretariat_administer("exchange", ["opendatasettings"])
        # The plan and commitment pages link to the open data; the plan page, for the
        # secretariat, to the plan's sheet and the imports.
        from apps.exchange import plan_pages  # noqa: F401
