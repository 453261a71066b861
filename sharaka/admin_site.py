"""The administration site: open to the secretariat as well as to staff accounts."""

from __future__ import annotations

from django.contrib.admin import AdminSite
from django.contrib.admin.apps import AdminConfig
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _


class SharakaAdminSite(AdminSite):
    site_header = _("Sharaka administration")
    site_title = _("Sharaka administration")

    def has_permission(self, request: HttpRequest) -> bool:
        from apps.accounts.rules import is_secretariat

        user = request.user
        return bool(user.is_active and (user.is_staff or is_secretariat(user)))


class SharakaAdminConfig(AdminConfig):
    default_site = "sharaka.admin_site.SharakaAdminSite"
