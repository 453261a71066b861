"""Pages of the follows (:mod:`apps.tracking.follow`): the follow form of a plan or a
commitment, the link that confirms a visitor's address and the link that unsubscribes.

The links' GET shows a button and only the POST acts (a mail scanner fetching every
link must not act on the reader's behalf). The unsubscribe POST needs no CSRF token:
a mail client posts ``List-Unsubscribe=One-Click`` to it (RFC 8058); the signed link
is what authorises it.

The follow form of a visitor carries no CSRF token
(:func:`apps.core.visitors.token_for_signed_in_only`): it only sends a confirmation
mail to the address given, rate-limited, and a post from another site's page is
refused by its ``Origin``; the plan and commitment pages showing it are then the same
for every visitor, served from the public cache with no cookie to set. A signed-in
person's one-click form keeps its token, checked as everywhere else."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from apps.core import visitors
from apps.core.errors import ActionError, report_error
from apps.core.languages import active_language
from apps.plans.models import ActionPlan, Commitment
from apps.tracking import follow
from apps.tracking.forms import FollowForm

# Requests to follow are counted per network address and per address given.
RATE_KEYS: tuple[visitors.RateKey, ...] = (("tracking.follow.email", visitors.email_key()),)
IP_KEYS: tuple[visitors.RateKey, ...] = (("tracking.follow.address", "ip"),)


def _over_rate(request: HttpRequest) -> bool:
    return visitors.over_rate(request, RATE_KEYS, settings.SHARAKA_FOLLOW_RATE) or (
        visitors.over_rate(request, IP_KEYS, settings.SHARAKA_FOLLOW_RATE_IP)
    )


def _count(request: HttpRequest) -> None:
    visitors.count(request, RATE_KEYS, settings.SHARAKA_FOLLOW_RATE)
    visitors.count(request, IP_KEYS, settings.SHARAKA_FOLLOW_RATE_IP)


def _page(
    request: HttpRequest, target: follow.Target, form: FollowForm | None, status: int = 200
) -> HttpResponse:
    return render(
        request,
        "tracking/follow.html",
        {
            "target": target,
            "plan": target if isinstance(target, ActionPlan) else target.plan,
            "commitment": target if isinstance(target, Commitment) else None,
            "follow_ctx": {
                "form": form,
                "following": follow.following(request.user, target),
                "follow_url": request.path,
            },
        },
        status=status,
    )


@visitors.token_for_signed_in_only
@require_http_methods(["GET", "HEAD", "POST"])
def plan_follow(request: HttpRequest, slug: str) -> HttpResponse:
    return _follow(request, get_object_or_404(ActionPlan, slug=slug))


@visitors.token_for_signed_in_only
@require_http_methods(["GET", "HEAD", "POST"])
def commitment_follow(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    commitment: Commitment = get_object_or_404(
        Commitment.objects.select_related("plan"), plan__slug=slug, number=number
    )
    return _follow(request, commitment)


def _follow(request: HttpRequest, target: follow.Target) -> HttpResponse:
    signed_in = request.user.is_authenticated
    if request.method != "POST":
        return _page(request, target, None if signed_in else FollowForm())
    if signed_in:
        try:
            if request.POST.get("action") == "unfollow":
                follow.do_unfollow(target, acting_user=request.user)
                messages.success(request, _("You no longer follow it."))
            else:
                follow.do_follow(target, acting_user=request.user)
                messages.success(
                    request, _("You follow it: a mail tells you of each validated update.")
                )
        except ActionError as error:
            report_error(request, error)
            return _page(request, target, None, status=422)
        return redirect(target.get_absolute_url())
    form = FollowForm(request.POST)
    if _over_rate(request):
        messages.error(
            request,
            _("Too many requests in a short time. Nothing was sent: please try again later."),
        )
        return _page(request, target, form, status=429)
    if not form.is_valid():
        return _page(request, target, form, status=422)
    try:
        follow.do_request_follow(
            target, email=form.cleaned_data["email"], language=active_language()
        )
    except ActionError as error:
        form.add_error("email", str(error))
        return _page(request, target, form, status=422)
    _count(request)
    # The same words whether the address already follows or not.
    messages.success(
        request,
        _(
            "Unless this address already follows it, a link to confirm it is on its way. "
            "Nothing is sent to it before the link is followed."
        ),
    )
    return redirect(target.get_absolute_url())


def _link_page(request: HttpRequest, context: dict[str, Any], status: int = 200) -> HttpResponse:
    return render(request, "tracking/follow_link.html", context, status=status)


@require_http_methods(["GET", "HEAD", "POST"])
def follow_confirm(request: HttpRequest, token: str) -> HttpResponse:
    try:
        found = follow.follow_for_token(token, follow.CONFIRM)
    except follow.LinkError as error:
        return _link_page(request, {"kind": "confirm", "error": str(error)}, status=400)
    if found is None:
        message = _("This link no longer works: follow again.")
        return _link_page(request, {"kind": "confirm", "error": message}, status=410)
    if request.method == "POST":
        found = follow.do_confirm_follow(token)
        messages.success(request, _("Confirmed: a mail tells you of each validated update."))
        return redirect(found.target.get_absolute_url())
    return _link_page(request, {"kind": "confirm", "follow": found})


@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
def follow_unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    try:
        found = follow.follow_for_token(token, follow.UNSUBSCRIBE)
    except follow.LinkError as error:
        return _link_page(request, {"kind": "unsubscribe", "error": str(error)}, status=400)
    if request.method == "POST":
        ended = follow.do_unsubscribe(token)
        return _link_page(request, {"kind": "unsubscribe", "done": True, "follow": ended or found})
    return _link_page(request, {"kind": "unsubscribe", "follow": found, "done": found is None})
