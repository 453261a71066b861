from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "apps.accounts"
    label = "accounts"
    verbose_name = _("Accounts and institutions")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from apps.accounts.rules import let_the_secretariat_administer

        # Institutions only: accounts are the administrators' business.
        let_the_secretariat_administer("accounts", ["institution"])
        # The idle time of a session counts from its sign-in (apps/accounts/middleware.py).
        user_logged_in.connect(_seen_at_sign_in, dispatch_uid="accounts_seen_at_sign_in")
        # Sign-ins, passwords, e-mail addresses and second factors: audited.
        from apps.accounts import audit

        audit.connect()
        # Password guessing (apps/accounts/lockout.py): a wrong two-factor code counts as
        # a failed sign-in; a password reset by mail ends the account's lock.
        from allauth.account.signals import password_reset
        from allauth.mfa.signals import authentication_failed

        from apps.accounts.lockout import count_failed_code, unlock_on_password_reset

        authentication_failed.connect(count_failed_code, dispatch_uid="accounts_failed_code")
        password_reset.connect(unlock_on_password_reset, dispatch_uid="accounts_reset_unlocks")


def _seen_at_sign_in(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    from apps.accounts.middleware import mark_seen

    session = getattr(request, "session", None)
    if session is not None:
        mark_seen(session)
