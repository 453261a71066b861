"""Password guessing: the sign-in locks out by account and by address (django-axes).

One rule for the whole sign-in (django-allauth's page; the administration's sign-in
redirects there): ``SHARAKA_LOGIN_FAILURE_LIMIT`` failed attempts on one account (from
any address), or from one address (on any account), within
``SHARAKA_LOGIN_COOLOFF_MINUTES``, lock that account or that address for the cool-off.
While locked, even the right password is refused: the person gets the lockout page in
their language with status 429. A wrong two-factor code counts as a failed attempt on
the account, like a wrong password. The lock ends by itself after the cool-off, when
the person resets their password by the link mailed to them (their account only), or
when the secretariat unlocks it (``apps.people.lockouts``).

The attempts live in the database (axes' ``AccessAttempt``), so every web process sees
the same counts. Here: the visitor's address (the same header as the other rate
limits, ``RATELIMIT_IP_META_KEY``), the account an attempt is on (a username or an
e-mail address typed at sign-in name the same account), and the lockout page.
"""

from __future__ import annotations

import datetime
from typing import Any

from axes.backends import AxesStandaloneBackend
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from apps.accounts.models import User


class LockoutBackend(AxesStandaloneBackend):
    """axes' backend, first of ``AUTHENTICATION_BACKENDS``: it refuses a locked-out
    sign-in before any password is checked. A check without a request (the test
    client's ``login()``, a shell) has no address and no page to answer: it is not a
    sign-in on the site, which always carries its request (allauth passes it)."""

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> None:
        if request is None:
            return None
        return super().authenticate(request, username, password, **kwargs)


def client_ip(request: HttpRequest) -> str:
    """The visitor's address: ``REMOTE_ADDR``, or behind a reverse proxy the header named
    by ``RATELIMIT_IP_META_KEY`` (e.g. ``HTTP_X_REAL_IP``), which the proxy sets. A list
    (``X-Forwarded-For``) counts by its last entry, the one our proxy appended: the
    entries before it are the client's to invent."""
    key = getattr(settings, "RATELIMIT_IP_META_KEY", "") or "REMOTE_ADDR"
    value = str(request.META.get(key) or request.META.get("REMOTE_ADDR") or "")
    return value.split(",")[-1].strip()[:45]


def account_key(login: str) -> str:
    """The name attempts on one account are counted under: its username, whether the
    person typed it or their e-mail address (in any case); what was typed when no
    account answers to it."""
    login = (login or "").strip()
    if not login:
        return ""
    field = "email__iexact" if "@" in login else "username__iexact"
    username = (
        User.objects.filter(**{field: login}).order_by("pk").values_list("username", flat=True)
    ).first()
    return str(username or login.lower())[:255]


def login_key(request: HttpRequest, credentials: dict[str, Any] | None) -> str:
    """axes' ``AXES_USERNAME_CALLABLE``: allauth authenticates with ``username=`` or
    ``email=``; the lockout page has only the posted form."""
    credentials = credentials or {}
    login = credentials.get("username") or credentials.get("email")
    if not login and request is not None and request.method == "POST":
        login = request.POST.get("login", "")
    return account_key(str(login or ""))


def cool_off() -> datetime.timedelta:
    return datetime.timedelta(minutes=settings.SHARAKA_LOGIN_COOLOFF_MINUTES)


def lockout_response(
    request: HttpRequest, original_response: Any = None, credentials: Any = None
) -> HttpResponse:
    """axes' ``AXES_LOCKOUT_CALLABLE``: the lockout page, in the language of the page
    the person signed in on, with status 429."""
    return render(
        request,
        "accounts/locked_out.html",
        {"minutes": settings.SHARAKA_LOGIN_COOLOFF_MINUTES},
        status=429,
    )


def is_locked(request: HttpRequest, username: str) -> bool:
    """Whether a sign-in on ``username`` from this request's address is locked out."""
    from axes.handlers.proxy import AxesProxyHandler

    return not AxesProxyHandler.is_allowed(request, {"username": username})


def count_failed_code(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    """A wrong two-factor code counts as a failed sign-in on the account (allauth.mfa's
    ``authentication_failed``): axes records it and, at the limit, the lockout page
    answers this very request."""
    from django.contrib.auth.signals import user_login_failed

    if request is None or user is None:
        return
    user_login_failed.send(
        sender=__name__, credentials={"username": user.get_username()}, request=request
    )


def unlock_on_password_reset(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    """A password reset by the link mailed to the person proves the mailbox: their
    account's lock ends (the address's, if any, stays until its cool-off)."""
    from axes.utils import reset

    from apps.core.models import AuditLog

    removed = reset(username=user.get_username())
    if removed:
        AuditLog.record(
            actor=user,
            action="accounts.unlock_by_password_reset",
            target=user,
            before={"failed_attempts": removed},
            after={"failed_attempts": 0},
        )
