"""django-allauth's hooks: a citizen who registers gets the page's language as their
preferred language (the language of the mail the platform sends them)."""

from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from django.http import HttpRequest
from django.utils import translation

from apps.core.languages import LANGUAGES


class AccountAdapter(DefaultAccountAdapter):
    def save_user(self, request: HttpRequest, user: Any, form: Any, commit: bool = True) -> Any:
        user = super().save_user(request, user, form, commit=False)
        language = (translation.get_language() or "")[:2]
        if language in LANGUAGES:
            user.preferred_language = language
        if commit:
            user.save()
        return user
