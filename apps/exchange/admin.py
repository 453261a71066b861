from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from apps.core.admin import ActionAdmin
from apps.exchange.models import OpenDataSettings


@admin.register(OpenDataSettings)
class OpenDataSettingsAdmin(ActionAdmin):
    """The open-data licence: one record, created once and then changed; every save is
    audited (ActionAdmin). Without a record the defaults apply."""

    list_display = ["licence_name", "licence_title", "licence_url"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return super().has_add_permission(request) and not OpenDataSettings.objects.exists()

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
