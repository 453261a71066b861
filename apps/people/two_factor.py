"""Who must sign in with a second factor (an authenticator app's one-time code, or a
recovery code; django-allauth's ``allauth.mfa``).

Everyone who can validate, publish or administer: administrators (superusers and staff),
the secretariat and the chairs of committees (a current member with the chair's seat).
Focal points and everyone else may opt in from their profile. The rule is on unless
``SHARAKA_REQUIRE_TWO_FACTOR`` is off; the demo's accounts (``apps/accounts/demo.py``)
are exempt. ``apps/people/middleware.py`` enforces it."""

from __future__ import annotations

from typing import Any

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.db.models import OuterRef, QuerySet

from apps.accounts.access import known, register_fact
from apps.accounts.demo import is_demo_account
from apps.accounts.roles import Role
from apps.committees.models import Member


def is_required() -> bool:
    return bool(getattr(settings, "SHARAKA_REQUIRE_TWO_FACTOR", True))


def must_use_two_factor(user: Any) -> bool:
    """Whether ``user`` must have an authenticator to use the platform."""
    if not is_required() or not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if is_demo_account(user):
        return False
    if user.is_superuser or user.is_staff or user.has_role(Role.SECRETARIAT.value):
        return True
    return known(user, "_chairs_a_committee", _chair_seats().filter(user_id=user.pk).exists)


def has_authenticator(user: Any) -> bool:
    """Whether ``user`` has an authenticator app enrolled (recovery codes alone are
    only a spare)."""
    return known(user, "_has_authenticator", _authenticators().filter(user_id=user.pk).exists)


def _chair_seats() -> QuerySet[Member]:
    return Member.objects.current().filter(role=Member.Role.CHAIR.value)


def _authenticators() -> QuerySet[Authenticator]:
    return Authenticator.objects.filter(type=Authenticator.Type.TOTP)


def register_facts() -> None:
    """Both questions, asked of every signed-in request, come with the person
    (:mod:`apps.accounts.access`)."""
    register_fact("_chairs_a_committee", lambda: _chair_seats().filter(user=OuterRef("pk")), bool)
    register_fact("_has_authenticator", lambda: _authenticators().filter(user=OuterRef("pk")), bool)
