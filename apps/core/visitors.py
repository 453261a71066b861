"""What the platform asks of a visitor who is not signed in: an e-mail address it can
trust a little, and a rate.

Shared by the public consultation on a report (``apps.reports``) and the follows of a
plan's progress (``apps.tracking.follow``):

- :func:`normalise_email`: one address whatever its case or surrounding spaces;
- :func:`address_refusal`: why an address is refused (not an address, a reserved or
  literal domain that no mail can reach), or ``None``;
- :func:`client_address`: the visitor's network address, read where the rate limit
  reads it;
- :func:`over_rate` / :func:`count`: a post counted per network address and per
  e-mail address (django-ratelimit's counters, in the cache); a post over the rate on
  either is refused. Invalid posts are not counted;
- :func:`token_for_signed_in_only`: a form a visitor posts without a CSRF token (so
  that the page carrying it is the same for every visitor and served from the public
  cache as it is), refused when the browser says it comes from another site; the same
  form posted by a signed-in person needs its token, exactly as everywhere else.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import CsrfViewMiddleware
from django.urls import get_callable
from django.utils.http import is_same_domain
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import csrf_exempt
from django_ratelimit.core import get_usage

EMAIL_MAX_LENGTH = 254
# Domains no mail is ever delivered to (RFC 2606, RFC 6761): a visitor who gives one
# gives no address.
RESERVED_SUFFIXES = (".invalid", ".localhost", ".local", ".test")

RateKey = tuple[str, str | Callable[[str, HttpRequest], str]]


def normalise_email(email: str) -> str:
    """One address whatever its case or surrounding spaces."""
    return email.strip().lower()


def address_refusal(email: str) -> Any:
    """Why ``email`` (normalised) cannot be written to, in words for the visitor; ``None``
    when it can."""
    if not email:
        return _("Give your e-mail address.")
    if len(email) > EMAIL_MAX_LENGTH or any(ord(c) < 32 or ord(c) == 127 for c in email):
        return _("This e-mail address is not valid.")
    try:
        validate_email(email)
    except ValidationError:
        return _("This e-mail address is not valid.")
    domain = email.rpartition("@")[2]
    if domain.startswith("[") or "." not in domain or domain.endswith(RESERVED_SUFFIXES):
        return _("Mail cannot be delivered to this address: give another one.")
    return None


def email_key(field: str = "email") -> Callable[[str, HttpRequest], str]:
    """A rate key: the normalised address posted in ``field``."""

    def key(_group: str, request: HttpRequest) -> str:
        return normalise_email(request.POST.get(field, ""))[:EMAIL_MAX_LENGTH]

    return key


def client_address(request: HttpRequest) -> str:
    """The visitor's network address, read where the rate limit reads it."""
    return str(
        request.META.get(getattr(settings, "RATELIMIT_IP_META_KEY", "") or "REMOTE_ADDR", "")
    )


def over_rate(request: HttpRequest, keys: Sequence[RateKey], rate: str) -> bool:
    """Whether one more post would exceed ``rate`` on any of ``keys``."""
    for group, key in keys:
        usage = get_usage(request, group=group, key=key, rate=rate)
        if usage is not None and usage["count"] >= usage["limit"]:
            return True
    return False


def count(request: HttpRequest, keys: Sequence[RateKey], rate: str) -> None:
    """Count one post on every key."""
    for group, key in keys:
        get_usage(request, group=group, key=key, rate=rate, increment=True)


# -- Forms a visitor posts without a CSRF token ---------------------------------------

_SAFE_METHODS = ("GET", "HEAD", "OPTIONS", "TRACE")


def _trusted(origin: str, request: HttpRequest) -> bool:
    """Whether ``origin`` (``scheme://host[:port]``) is this site's or a trusted one."""
    if origin == f"{request.scheme}://{request.get_host()}":
        return True
    for trusted in settings.CSRF_TRUSTED_ORIGINS:
        if origin == trusted:
            return True
        if "*" in trusted:
            scheme, _sep, host = trusted.partition("://")
            parts = urlsplit(origin)
            if parts.scheme == scheme and is_same_domain(parts.netloc, host.replace("*", "")):
                return True
    return False


def from_another_site(request: HttpRequest) -> bool:
    """Whether the browser says this request was made by another site's page: its
    ``Origin`` (every browser sends it with a POST) is not this site's nor a trusted one
    (``null`` included), or, without ``Origin``, ``Sec-Fetch-Site`` is neither
    ``same-origin`` nor ``none`` (typed by the person), or the ``Referer`` names another
    site. A request that says none of them (a script, not a browser) is not a forged
    one: whoever sends it could post the same form themselves."""
    origin = request.headers.get("Origin")
    if origin is not None:
        return not _trusted(origin, request)
    site = request.headers.get("Sec-Fetch-Site")
    if site is not None:
        return site not in ("same-origin", "none")
    referer = request.headers.get("Referer")
    if referer:
        parts = urlsplit(referer)
        return not _trusted(f"{parts.scheme}://{parts.netloc}", request)
    return False


def token_for_signed_in_only(
    view: Callable[..., HttpResponse],
) -> Callable[..., HttpResponse]:
    """A view whose form a visitor posts without a CSRF token; for a signed-in person,
    Django's CSRF check exactly as on every other form.

    Only for a form whose visitor's post acts for nobody: it writes to no account
    and no session, and at most sends a mail to the address given, rate-limited (see
    :func:`over_rate`). What a token would add there is refused anyway by
    :func:`from_another_site`: another site's page making a visitor's browser post it.
    A post carrying a signed-in person's session cookie is a post *for them*: it needs
    the token (and a session cookie is ``SameSite=Lax``: another site's POST does not
    carry it). The page showing the visitor's form then has no token of its own and is
    served from the public cache as it is, with no cookie to set."""
    checker = CsrfViewMiddleware(lambda request: HttpResponse())

    @csrf_exempt
    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.method not in _SAFE_METHODS:
            if request.user.is_authenticated:
                refused = checker.process_view(request, view, args, kwargs)
                if refused is not None:
                    return refused
            elif from_another_site(request):
                failure = get_callable(settings.CSRF_FAILURE_VIEW)
                return failure(request, reason="Origin checking failed: another site.")
        return view(request, *args, **kwargs)

    return wrapped
