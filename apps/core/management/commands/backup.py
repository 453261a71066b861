from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from apps.core.backup import BackupError, backup


class Command(BaseCommand):
    help = (
        "Back up the database and the uploaded files into one tar.gz archive with a "
        "manifest (sha256 of every file). Safe while the server runs."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "destination", help="A folder (a dated file name is chosen) or an archive name."
        )

    def handle(self, *args: Any, destination: str, **options: Any) -> None:
        start = time.monotonic()
        try:
            path, manifest = backup(destination)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"{path}: {manifest['engine']} database and {len(manifest['files'])} files "
            f"in {time.monotonic() - start:.2f} s"
        )
