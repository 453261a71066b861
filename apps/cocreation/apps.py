from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CocreationConfig(AppConfig):
    name = "apps.cocreation"
    label = "cocreation"
    verbose_name = _("Co-creation")

    def ready(self) -> None:
        # The commitment and plan pages show where an adopted commitment comes from.
        from apps.cocreation import plan_pages  # noqa: F401
