"""``manage.py rebuild_search_index``: the whole search index again from the data.

The index follows every save through signals; run this after an upgrade that brings
the search, after restoring a backup, or after writes that bypass signals (bulk
imports with ``QuerySet.update``). It runs in one transaction: searches meanwhile see
the previous index.
"""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand

from apps.search.index import rebuild


class Command(BaseCommand):
    help = "Rebuild the search index from the public data."

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.monotonic()
        total = rebuild()
        elapsed = time.monotonic() - started
        self.stdout.write(f"Search index rebuilt: {total} entries in {elapsed:.1f} s.")
