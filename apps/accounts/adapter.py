"""django-allauth's hooks. allauth is the one sign-in of the platform (staff by username,
citizens by e-mail address), its sign-out, password reset and change, two-factor
sign-in and session list. Here: a citizen who registers gets the page's language as
their preferred language; signing in leads to the site in the person's preferred
language; the mail allauth sends a person (password reset…) is written in that
language, its links too."""

from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import translate_url
from django.utils import translation

from apps.core.languages import LANGUAGES


def _language_of(user: Any) -> str | None:
    language = getattr(user, "preferred_language", "") or ""
    return language if language in LANGUAGES else None


class AccountAdapter(DefaultAccountAdapter):
    def save_user(self, request: HttpRequest, user: Any, form: Any, commit: bool = True) -> Any:
        user = super().save_user(request, user, form, commit=False)
        language = (translation.get_language() or "")[:2]
        if language in LANGUAGES:
            user.preferred_language = language
        if commit:
            user.save()
        return user

    def get_login_stages(self) -> list[str]:
        """allauth's stages, with our e-mail verification (``apps.accounts.stages``)."""
        ours = "apps.accounts.stages.EmailVerificationStage"
        return [
            ours if path == "allauth.account.stages.EmailVerificationStage" else path
            for path in super().get_login_stages()
        ]

    def post_login(self, request: HttpRequest, user: Any, **kwargs: Any) -> HttpResponse:
        """Signing in (after the second factor, if any) takes the person to the page
        asked for, in their preferred language."""
        response = super().post_login(request, user, **kwargs)
        language = _language_of(user)
        if language and isinstance(response, HttpResponseRedirect):
            response["Location"] = translate_url(response["Location"], language)
        return response

    def get_client_ip(self, request: HttpRequest) -> str:
        """The visitor's address for allauth's rate limits: the same as the lockout's
        (``apps.accounts.lockout.client_ip``)."""
        from apps.accounts.lockout import client_ip

        return client_ip(request) or super().get_client_ip(request)

    def pre_authenticate(self, request: HttpRequest, **credentials: Any) -> None:
        """A locked-out account or address gets the lockout page (django-axes), before
        allauth's own, looser, limit is counted (``apps.accounts.lockout``)."""
        from apps.accounts.lockout import is_locked, login_key

        if is_locked(request, login_key(request, credentials)):
            request.axes_locked_out = True  # type: ignore[attr-defined]
            request.axes_credentials = credentials  # type: ignore[attr-defined]
            raise self.validation_error("too_many_login_attempts")
        super().pre_authenticate(request, **credentials)

    def send_mail(self, template_prefix: str, email: str, context: dict[str, Any]) -> None:
        """Mail to a known person goes out in their preferred language."""
        language = _language_of(context.get("user"))
        if language is None:
            return super().send_mail(template_prefix, email, context)
        with translation.override(language):
            return super().send_mail(template_prefix, email, context)

    def send_password_reset_mail(self, user: Any, email: str, context: dict[str, Any]) -> None:
        """The reset link opens the site in the person's language, like the mail."""
        language = _language_of(user)
        if language is not None and "uid" in context and "key" in context:
            with translation.override(language):
                context["password_reset_url"] = self.get_reset_password_from_key_url(
                    f"{context['uid']}-{context['key']}"
                )
        return super().send_password_reset_mail(user, email, context)
