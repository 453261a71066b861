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
  either is refused. Invalid posts are not counted.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
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
