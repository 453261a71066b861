from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "apps.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        # Every committed write to the database renews the public cache's generation
        # (apps/core/public_cache.py).
        from apps.core import public_cache

        public_cache.install()
