from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = (
        "Queue the reminder task for the worker (run it daily, e.g. from cron, or keep it "
        "running with --every); --now sends the due reminders in this process. Never two "
        "reminders per focal point and period, however often it runs."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--now", action="store_true", help="Send now instead of queueing.")
        parser.add_argument(
            "--every",
            type=int,
            metavar="SECONDS",
            help="Keep running and queue the task every SECONDS seconds (at least 60).",
        )

    def handle(self, *args: Any, now: bool, every: int | None, **options: Any) -> None:
        from apps.tracking.mail import send_reminders
        from apps.tracking.tasks import send_reminders_task

        if now:
            self.stdout.write(f"Reminders sent: {send_reminders()}")
            return
        while True:
            result = send_reminders_task.enqueue()
            self.stdout.write(f"Reminder task queued: {result.id}")
            if not every:
                return
            time.sleep(max(every, 60))
