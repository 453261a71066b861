"""The administration site: open to the secretariat as well as to staff accounts."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.admin import AdminSite
from django.contrib.admin.apps import AdminConfig
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _


class SharakaAdminSite(AdminSite):
    site_header = _("Sharaka administration")
    site_title = _("Sharaka administration")

    def has_permission(self, request: HttpRequest) -> bool:
        from apps.accounts.rules import is_secretariat

        user = request.user
        return bool(user.is_active and (user.is_staff or is_secretariat(user)))

    def login(self, request: HttpRequest, extra_context: Any = None) -> HttpResponse:
        """The administration has no sign-in of its own: a password alone must not open
        it. Everyone signs in on django-allauth's page (with the second factor)."""
        # Imported here: this module is loaded with the app registry, before the models.
        from django.contrib.auth.views import redirect_to_login

        next_url = request.GET.get(REDIRECT_FIELD_NAME, "")
        if not url_has_allowed_host_and_scheme(
            next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            next_url = reverse("admin:index", current_app=self.name)
        if request.user.is_authenticated:
            if self.has_permission(request):
                return HttpResponseRedirect(next_url)
            raise PermissionDenied
        return redirect_to_login(next_url, settings.LOGIN_URL)


class SharakaAdminConfig(AdminConfig):
    default_site = "sharaka.admin_site.SharakaAdminSite"
