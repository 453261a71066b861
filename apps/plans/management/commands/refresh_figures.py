"""Recompute every plan's stored figures from apps/plans/progress.py."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction

from apps.plans import figures


class Command(BaseCommand):
    help = (
        "Recompute the stored figures of every plan (progress, number of commitments) "
        "from their definition: after an upgrade, or to repair them."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        with transaction.atomic():
            stale = figures.stale_plans()
            count = figures.refresh_all()
        self.stdout.write(f"{count} plans refreshed; {len(stale)} had figures out of date.")
