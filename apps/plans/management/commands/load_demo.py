from __future__ import annotations

import os
from typing import Any

from django.apps import AppConfig, apps
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from apps.accounts.demo import mark_demo_account
from apps.plans.demo import load_demo


class Command(BaseCommand):
    help = (
        "Load the demo (the 2021–2023 plan of the seed minutes) if it is not there yet, "
        "and create the demo administrator. Running it twice changes nothing."
    )
    # The apps built on plans add their part of the demo (focal points and updates,
    # the seed meeting…) without plans knowing them: an app whose AppConfig has
    # ``load_demo(plan)`` is called after the plan, in INSTALLED_APPS order (each after
    # the apps it builds on), and its ``reset_demo()`` before the plan is rebuilt.

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--reset", action="store_true", help="Rebuild the demo plan.")
        parser.add_argument(
            "--no-admin", action="store_true", help="Do not create the demo administrator."
        )
        parser.add_argument(
            "--migrate",
            action="store_true",
            help="Apply the migrations first, in the same process (make run: one start less).",
        )

    def handle(
        self, *args: Any, reset: bool, no_admin: bool, migrate: bool = False, **options: Any
    ) -> None:
        if migrate:
            call_command("migrate", interactive=False, verbosity=0, skip_checks=True)
        extensions = [config for config in apps.get_app_configs() if _has(config, "load_demo")]
        if reset:
            for config in reversed(extensions):
                if _has(config, "reset_demo"):
                    config.reset_demo()  # type: ignore[attr-defined]
        plan = load_demo(reset=reset)
        self.stdout.write(f"Demo plan: {plan.slug} ({plan.commitments.count()} commitments)")
        for config in extensions:
            message = config.load_demo(plan)  # type: ignore[attr-defined]
            if message:
                self.stdout.write(message)
        if no_admin:
            return
        username = os.environ.get("DEMO_ADMIN_USERNAME", "admin")
        password = os.environ.get("DEMO_ADMIN_PASSWORD", "sharaka-demo")
        User = get_user_model()
        if not User.objects.filter(username=username).exists():
            admin = User.objects.create_superuser(username, f"{username}@localhost", password)
            # Exempt from two-factor sign-in, like every demo account (apps/accounts/demo.py).
            mark_demo_account(admin)
            self.stdout.write(f"Demo administrator created: {username} / {password}")
        else:
            self.stdout.write(f"Demo administrator: {username} (password unchanged)")


def _has(config: AppConfig, name: str) -> bool:
    return callable(getattr(config, name, None))
