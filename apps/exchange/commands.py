"""The base of the import commands (``import_plan``, ``import_ogp_dataset``,
``import_canada_tracker``): the same arguments, the same run, the same printed report
as the web import's result page (:mod:`apps.exchange.report`)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.module_loading import import_string

from apps.accounts import system_user
from apps.accounts.models import User
from apps.exchange.report import IMPORTERS, ImportReport


class ImportCommand(BaseCommand):
    kind = ""  # a key of IMPORTERS

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        parser.add_argument("path", type=Path, help="The file to import.")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Check the file and print the report without writing anything.",
        )
        parser.add_argument(
            "--user",
            help="Username the import is recorded under in the audit trail "
            "(default: the platform's own account).",
        )
        parser.add_argument(
            "--language", default="en", choices=["ar", "fr", "en"], help="Report language."
        )

    def options_for(self, options: dict[str, Any]) -> dict[str, Any]:
        """The importer's own options, from the command's (subclasses add theirs)."""
        return {}

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["path"]
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        user = system_user()
        if options["user"]:
            found = User.objects.filter(username=options["user"]).first()
            if found is None:
                raise CommandError(f"No such user: {options['user']}")
            user = found
        run = import_string(IMPORTERS[self.kind] + ".run")
        with translation.override(options["language"]):
            report: ImportReport = run(
                path, apply=not options["dry_run"], user=user, options=self.options_for(options)
            )
            for line in report.lines():
                self.stdout.write(line)
        if not report.ok:
            raise CommandError("The file has errors; nothing was written.")
