from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from apps.core.backup import BackupError, restore


class Command(BaseCommand):
    help = (
        "Restore a backup made by `manage.py backup` into the configured database and "
        "MEDIA_ROOT. Refuses a database or a media folder that is not empty unless --force."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive", help="The backup archive (.tar.gz).")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Replace the database's tables and the uploaded files that are there.",
        )

    def handle(self, *args: Any, archive: str, force: bool, **options: Any) -> None:
        start = time.monotonic()
        try:
            manifest = restore(Path(archive), force=force)
        except (BackupError, OSError) as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"Restored the backup of {manifest['created']} ({manifest['engine']}, "
            f"{len(manifest['files'])} files) in {time.monotonic() - start:.2f} s"
        )
