"""Two-factor sign-in enforced by role (``apps/people/two_factor.py``): a person who must
use it and has no authenticator yet is sent, once signed in, to a page that explains why
and leads to the enrolment; only the enrolment, sign-out, the language switch and the
API (which answers to tokens, not to sessions) stay open to them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from apps.people import two_factor

# URL names a person without their required authenticator may still open.
OPEN_TO_THE_UNENROLLED = frozenset(
    {
        "two_factor_required",
        "mfa_index",
        "mfa_activate_totp",
        "mfa_reauthenticate",
        "mfa_view_recovery_codes",
        "mfa_download_recovery_codes",
        "mfa_generate_recovery_codes",
        "account_reauthenticate",
        "logout",
        "account_logout",
        "set_language",
    }
)


class TwoFactorRequiredMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view: Any, args: Any, kwargs: Any
    ) -> HttpResponse | None:
        if not two_factor.is_required():
            return None
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        if request.path.startswith(
            (settings.STATIC_URL or "/static/", settings.MEDIA_URL or "/media/")
        ):
            return None
        match = request.resolver_match
        if match is None or match.url_name in OPEN_TO_THE_UNENROLLED:
            return None
        if match.route.startswith("api/") or match.namespace == "api":
            return None
        if two_factor.must_use_two_factor(user) and not two_factor.has_authenticator(user):
            return redirect("two_factor_required")
        return None
