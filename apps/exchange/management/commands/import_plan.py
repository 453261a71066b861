"""``manage.py import_plan sheet.xlsx``: import the platform's plan sheet (Excel or CSV),
printing the same report as the web import (see :mod:`apps.exchange.plan_sheet`)."""

from __future__ import annotations

import argparse
from typing import Any

from apps.exchange.commands import ImportCommand


class Command(ImportCommand):
    help = "Import a plan sheet (Excel or CSV): plan, themes, commitments, activities, progress."
    kind = "plan"

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        super().add_arguments(parser)
        parser.add_argument(
            "--reported-on",
            help="Date the imported progress figures are reported on (YYYY-MM-DD; default: today).",
        )

    def options_for(self, options: dict[str, Any]) -> dict[str, Any]:
        return {"reported_on": options["reported_on"]} if options["reported_on"] else {}
