"""The e-mail verification step of allauth's sign-in, for the platform's two kinds of
account: a citizen registers with an e-mail address, which must be verified before
they sign in (allauth's rule); an account created by the secretariat or an
administrator has no address recorded with allauth, and signs in at once (the
secretariat vouches for it)."""

from __future__ import annotations

from typing import Any

from allauth.account import stages
from allauth.account.models import EmailAddress


class EmailVerificationStage(stages.EmailVerificationStage):
    def handle(self) -> tuple[Any, bool]:
        user = self.login.user
        if user is not None and not EmailAddress.objects.filter(user_id=user.pk).exists():
            return None, True
        return super().handle()
