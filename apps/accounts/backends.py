"""How a signed-in person is loaded on each request."""

from __future__ import annotations

from typing import Any

from allauth.account.auth_backends import AuthenticationBackend as AllauthBackend

from apps.accounts.access import load_person


class AuthenticationBackend(AllauthBackend):
    """allauth's backend (staff sign in with their username, citizens with their
    e-mail address), loading the person of a session with their roles, permissions and
    the facts other apps keep of them in one query (:mod:`apps.accounts.access`)."""

    def get_user(self, user_id: Any) -> Any:
        person = load_person(user_id)
        return person if person is not None and self.user_can_authenticate(person) else None
