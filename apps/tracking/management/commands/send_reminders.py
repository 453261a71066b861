from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = (
        "Queue the reminder task for the worker (run it daily, e.g. from cron); "
        "--now sends the due reminders in this process. Never two per focal point and period."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--now", action="store_true", help="Send now instead of queueing.")

    def handle(self, *args: Any, now: bool, **options: Any) -> None:
        from apps.tracking.mail import send_reminders
        from apps.tracking.tasks import send_reminders_task

        if now:
            self.stdout.write(f"Reminders sent: {send_reminders()}")
            return
        result = send_reminders_task.enqueue()
        self.stdout.write(f"Reminder task queued: {result.id}")
