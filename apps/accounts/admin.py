"""The accounts' administration: institutions through the actions, and every other
account record the admin shows (users, groups, e-mail addresses, two-factor
authenticators, sessions) audited on save and delete (``AuditedAdmin``)."""

from __future__ import annotations

from typing import Any

from allauth.account.admin import EmailAddressAdmin as BaseEmailAddressAdmin
from allauth.account.models import EmailAddress
from allauth.mfa.admin import AuthenticatorAdmin as BaseAuthenticatorAdmin
from allauth.mfa.models import Authenticator
from allauth.usersessions.admin import UserSessionAdmin as BaseUserSessionAdmin
from allauth.usersessions.models import UserSession
from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin as BaseGroupAdmin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.models import Group
from django.http import HttpRequest, HttpResponse
from modeltranslation.admin import TranslationAdmin

from apps.accounts.models import Institution, User
from apps.core.admin import ActionAdmin, AuditedAdmin
from apps.core.models import AuditLog


@admin.register(Institution)
class InstitutionAdmin(ActionAdmin, TranslationAdmin):
    list_display = ["name", "acronym", "kind", "contact_email"]
    list_filter = ["kind"]
    search_fields = ["name", "name_fr", "name_en", "acronym"]
    prepopulated_fields = {"slug": ["acronym"]}


@admin.register(User)
class UserAdmin(AuditedAdmin, BaseUserAdmin):
    list_display = ["username", "email", "first_name", "last_name", "institution", "is_staff"]
    list_filter = ["is_staff", "is_superuser", "institution"]
    fieldsets = (
        *(BaseUserAdmin.fieldsets or ()),
        (None, {"fields": ("institution", "preferred_language")}),
    )

    def user_change_password(
        self, request: HttpRequest, id: str, form_url: str = ""
    ) -> HttpResponse:
        """Django's password form; a password set here is audited (never the password)."""
        response = super().user_change_password(request, id, form_url)
        if request.method == "POST" and response.status_code == 302:
            user = User.objects.get(pk=id)
            AuditLog.record(actor=request.user, action="accounts.set_password", target=user)
        return response


for model, base in (
    (Group, BaseGroupAdmin),
    (EmailAddress, BaseEmailAddressAdmin),
    (Authenticator, BaseAuthenticatorAdmin),
    (UserSession, BaseUserSessionAdmin),
):
    # Django's and allauth's own admins, audited: registered again over theirs.
    admin.site.unregister(model)
    audited: Any = type(base.__name__, (AuditedAdmin, base), {"__module__": __name__})
    admin.site.register(model, audited)
