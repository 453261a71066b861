from __future__ import annotations

from typing import TYPE_CHECKING

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from apps.plans.models import ActionPlan


class SearchConfig(AppConfig):
    name = "apps.search"
    label = "search"
    verbose_name = _("Search")

    def ready(self) -> None:
        # The index follows every change of what it holds (search sits after each app
        # it indexes, so it may listen to their models).
        from apps.search import signals

        signals.connect()

    def load_demo(self, plan: ActionPlan) -> str:
        """Index the demo (parts of it are written in bulk, without signals)."""
        from apps.search.index import rebuild

        return f"Search index: {rebuild()} entries"
