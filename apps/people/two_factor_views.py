"""The page that asks a person who must use two-factor sign-in to enrol
(``apps/people/middleware.py`` sends them here)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from apps.people import two_factor


@login_required
def two_factor_required(request: HttpRequest) -> HttpResponse:
    """Why the person must enrol, and the button to do it; once enrolled (or if the rule
    does not concern them) the page leads to their profile."""
    if not two_factor.must_use_two_factor(request.user) or two_factor.has_authenticator(
        request.user
    ):
        return redirect("profile")
    return render(request, "people/two_factor_required.html")
