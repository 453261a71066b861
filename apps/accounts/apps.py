from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "apps.accounts"
    label = "accounts"
    verbose_name = _("Accounts and institutions")

    def ready(self) -> None:
        from apps.accounts.rules import let_the_secretariat_administer

        # Institutions only: accounts are the administrators' business.
        let_the_secretariat_administer("accounts", ["institution"])
