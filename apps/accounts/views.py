"""The signed-in person's own pages."""

from __future__ import annotations

from allauth.mfa.models import Authenticator
from allauth.usersessions.models import UserSession
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.sessions.models import Session
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, translate_url
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from apps.accounts import sessions as account_sessions
from apps.accounts import tokens
from apps.accounts.actions import do_update_profile
from apps.accounts.forms import ApiTokenForm, ProfileForm
from apps.accounts.models import ApiToken, User
from apps.accounts.sessions import end_sessions
from apps.core.errors import ActionError, report_error


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    form = ProfileForm(request.POST or None, instance=user)
    if request.method == "POST" and form.is_valid():
        do_update_profile(
            user,
            acting_user=user,
            fields={name: form.cleaned_data[name] for name in form.Meta.fields},
        )
        lang = form.cleaned_data["preferred_language"]
        with translation.override(lang):
            messages.success(request, _("Your profile was saved."))
        # Show the site in the language just chosen.
        return redirect(translate_url(request.path, lang))
    return _profile_page(request, form=form, status=400 if form.is_bound else 200)


def _profile_page(
    request: HttpRequest,
    *,
    form: ProfileForm | None = None,
    token_form: ApiTokenForm | None = None,
    new_token: str | None = None,
    status: int = 200,
) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    return render(
        request,
        "accounts/profile.html",
        {
            "form": form or ProfileForm(instance=user),
            "roles": user.role_labels(),
            "may_hold_tokens": tokens.may_hold_tokens(user),
            "tokens": ApiToken.objects.filter(user=user),
            "token_form": token_form or ApiTokenForm(),
            "new_token": new_token,
            "has_authenticator": Authenticator.objects.filter(
                user_id=user.pk, type=Authenticator.Type.TOTP
            ).exists(),
            "sessions": _live_sessions(user),
            "idle_minutes": settings.SHARAKA_SESSION_IDLE_MINUTES,
        },
        status=status,
    )


@login_required
@require_POST
def create_api_token(request: HttpRequest) -> HttpResponse:
    """Create an API token and show it, this once, on the profile page (answering the
    post itself: the clear token is never stored, not even in the session)."""
    form = ApiTokenForm(request.POST)
    if not form.is_valid():
        return _profile_page(request, token_form=form, status=400)
    try:
        token, clear = tokens.create_token(
            request.user,
            form.cleaned_data["name"],
            expires_in_days=form.expires_in_days(),
            form_token=form.cleaned_data["form_token"],
        )
    except ActionError as error:
        report_error(request, error)
        return _profile_page(request, token_form=form, status=403)
    if clear is None:
        messages.warning(
            request,
            _(
                "This token was already created and shown once; it cannot be shown again. "
                "Revoke it if you did not copy it."
            ),
        )
        return redirect("profile")
    return _profile_page(request, new_token=clear)


@login_required
@require_POST
def revoke_api_token(request: HttpRequest, pk: int) -> HttpResponse:
    """Revoke one of one's own tokens; another person's is a 404."""
    token = get_object_or_404(ApiToken, pk=pk, user_id=request.user.pk)
    try:
        tokens.revoke_token(token, acting_user=request.user)
    except ActionError as error:
        report_error(request, error)
    else:
        messages.success(request, _("The token “%(name)s” was revoked.") % {"name": token.name})
    return redirect("profile")


def _live_sessions(user: User) -> list[UserSession]:
    """The person's sessions that have not ended, oldest first, in one query (the
    sessions live in the database: Django's default session engine)."""
    live = Session.objects.filter(expire_date__gt=timezone.now()).values("session_key")
    return list(
        UserSession.objects.filter(user_id=user.pk, session_key__in=live).order_by("created_at")
    )


@login_required
@require_POST
def end_session(request: HttpRequest, pk: int) -> HttpResponse:
    """End one of one's own other sessions (another person's is a 404)."""
    session = get_object_or_404(
        UserSession.objects.exclude(session_key=request.session.session_key or ""),
        pk=pk,
        user_id=request.user.pk,
    )
    account_sessions.end_session(session, acting_user=request.user)
    messages.success(request, _("The session was ended."))
    return redirect(reverse("profile") + "#sessions")


@login_required
@require_POST
def end_other_sessions(request: HttpRequest) -> HttpResponse:
    """End every session of the person but this one."""
    ended = end_sessions(request.user, keep=request.session.session_key, acting_user=request.user)
    messages.success(
        request,
        ngettext(
            "%(count)s other session was ended.", "%(count)s other sessions were ended.", ended
        )
        % {"count": ended},
    )
    return redirect(reverse("profile") + "#sessions")
