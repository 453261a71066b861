"""Invitation pages: the secretariat's list and form (``people.manage``), and the link's
page where the invited person accepts. A view parses, checks permission, calls one
action (``apps.people.invitations``) and renders."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render, resolve_url
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.core.errors import ActionError, report_error
from apps.people import invitations
from apps.people.forms_invitations import InvitationForm
from apps.people.models import Invitation

RECENT = 50  # accepted, expired and withdrawn invitations shown under the pending ones


def _forbidden(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "tracking/forbidden.html",
        {"message": _("Only the secretariat invites people.")},
        status=403,
    )


@login_required
def invitation_list(request: HttpRequest) -> HttpResponse:
    """The form to invite someone, the pending invitations (resend, withdraw) and the
    recent accepted, expired and withdrawn ones: a fixed number of queries (nine) whatever
    their number."""
    if not request.user.has_perm("people.manage"):
        return _forbidden(request)
    form = InvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            invitation = invitations.do_invite(form.draft(), acting_user=request.user)
        except ActionError as error:
            report_error(request, error)
        else:
            messages.success(
                request,
                _("An invitation was sent to %(email)s.") % {"email": invitation.email},
            )
            return redirect("invitation_list")
    now = timezone.now()
    pending = Invitation.objects.for_list().open(now).order_by("expires_at", "pk")
    recent = Invitation.objects.for_list().closed(now).order_by("-created_at", "-pk")[:RECENT]
    return render(
        request,
        "people/invitations.html",
        {
            "form": form,
            "pending": pending,
            "recent": recent,
            "link_days": settings.SHARAKA_INVITATION_DAYS,
        },
        status=400 if form.is_bound else 200,
    )


def _change(request: HttpRequest, pk: int, resend: bool) -> HttpResponse:
    if not request.user.has_perm("people.manage"):
        return _forbidden(request)
    invitation = get_object_or_404(Invitation, pk=pk)
    try:
        if resend:
            invitations.do_resend_invitation(invitation, acting_user=request.user)
        else:
            invitations.do_withdraw_invitation(invitation, acting_user=request.user)
    except ActionError as error:
        report_error(request, error)
    else:
        text = (
            _("The invitation to %(email)s was sent again, with a new link.")
            if resend
            else _("The invitation to %(email)s was withdrawn: its link no longer works.")
        )
        messages.success(request, text % {"email": invitation.email})
    return redirect("invitation_list")


@login_required
@require_POST
def invitation_resend(request: HttpRequest, pk: int) -> HttpResponse:
    return _change(request, pk, resend=True)


@login_required
@require_POST
def invitation_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    return _change(request, pk, resend=False)


def _gone(request: HttpRequest, message: str, status: int) -> HttpResponse:
    return render(request, "people/invitation_gone.html", {"message": message}, status=status)


def invitation_accept(request: HttpRequest, key: str) -> HttpResponse:
    """The link of the invitation mail. GET shows the invitation and a button; only a
    POST acts (a mail scanner that fetches the link accepts nothing):

    - signed in with the invited address: accept, the role is added to the account;
    - signed in with another address: refused, they sign out first;
    - not signed in, an account uses the address (a citizen's, say): sign in, come back;
    - not signed in, no account: allauth's sign-up, the address prefilled and verified.
    """
    invitation = invitations.find(key)
    if invitation is None:
        return _gone(
            request,
            _("This invitation link is not valid. Check that it was copied whole from the mail."),
            404,
        )
    refusal = invitations.refusal_of(invitation)
    if refusal is not None:
        return _gone(request, str(refusal), 410)
    user = request.user
    signed_in = bool(user.is_authenticated)
    if signed_in and not invitations.owns_address(user, invitation.email):
        return render(
            request,
            "people/invitation_accept.html",
            {"invitation": invitation, "case": "other_account"},
            status=403,
        )
    existing = None if signed_in else invitations.account_with(invitation.email)
    case = "accept" if signed_in else ("sign_in" if existing else "sign_up")
    if request.method == "POST":
        if case == "accept":
            try:
                invitations.do_accept_invitation(invitation, acting_user=user)
            except ActionError as error:
                # Used or withdrawn a moment ago (410), or refused for this account (409).
                fresh = Invitation.objects.get(pk=invitation.pk)
                return _gone(request, str(error), 410 if invitations.refusal_of(fresh) else 409)
            messages.success(
                request,
                _("Welcome to Sharaka. Your role: %(role)s.")
                % {"role": invitation.get_role_display()},
            )
            return redirect("home")
        if case == "sign_up":
            invitations.remember_for_signup(request, invitation)
            return redirect(
                reverse("account_signup") + "?" + urlencode({"email": invitation.email})
            )
    # The sign-in page wherever the settings put it (allauth's or Django's).
    login_url = resolve_url(settings.LOGIN_URL) + "?" + urlencode({"next": request.path})
    return render(
        request,
        "people/invitation_accept.html",
        {"invitation": invitation, "case": case, "login_url": login_url},
        status=400 if request.method == "POST" else 200,
    )
