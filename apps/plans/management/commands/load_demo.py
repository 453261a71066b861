from __future__ import annotations

import os
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandParser

from apps.plans.demo import load_demo


class Command(BaseCommand):
    help = (
        "Load the demo (the 2021–2023 plan of the seed minutes) if it is not there yet, "
        "and create the demo administrator. Running it twice changes nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--reset", action="store_true", help="Rebuild the demo plan.")
        parser.add_argument(
            "--no-admin", action="store_true", help="Do not create the demo administrator."
        )

    def handle(self, *args: Any, reset: bool, no_admin: bool, **options: Any) -> None:
        from apps.committees.demo import load_committee_demo, reset_committee_demo
        from apps.tracking.demo import load_tracking_demo

        if reset:
            reset_committee_demo()
        plan = load_demo(reset=reset)
        load_tracking_demo(plan)
        self.stdout.write(f"Demo plan: {plan.slug} ({plan.commitments.count()} commitments)")
        meeting = load_committee_demo(plan)
        self.stdout.write(f"Demo meeting: {meeting} ({meeting.get_absolute_url()})")
        if no_admin:
            return
        username = os.environ.get("DEMO_ADMIN_USERNAME", "admin")
        password = os.environ.get("DEMO_ADMIN_PASSWORD", "sharaka-demo")
        User = get_user_model()
        if not User.objects.filter(username=username).exists():
            User.objects.create_superuser(username, f"{username}@localhost", password)
            self.stdout.write(f"Demo administrator created: {username} / {password}")
        else:
            self.stdout.write(f"Demo administrator: {username} (password unchanged)")
