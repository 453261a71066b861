"""``manage.py import_canada_tracker FILE``: Canada's open-government tracker. FILE is
the tracker's schema (YAML: the plan's structure) or its records (CSV or Excel: each
period's status per indicator), see :mod:`apps.exchange.canada`."""

from __future__ import annotations

import argparse
from typing import Any

from apps.exchange.commands import ImportCommand


class Command(ImportCommand):
    help = (
        "Import Canada's open-government tracker: its schema (YAML, the plan's "
        "commitments, milestones and indicators) or its records (CSV/Excel, a status "
        "per indicator and reporting period)."
    )
    kind = "canada"

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        super().add_arguments(parser)
        parser.add_argument(
            "--plan",
            help="Slug of the plan (created by a schema import; default for a schema: "
            "<member>-<dataset type>, e.g. canada-nap; for records: the only tracker plan).",
        )
        parser.add_argument("--member", help="OGP member of a new plan (default: Canada).")
        parser.add_argument("--title", help="Title of a new plan (default: the schema's).")
        parser.add_argument(
            "--period-start",
            help="First day of a new plan (YYYY-MM-DD; default: the quarter of the "
            "first reporting period).",
        )
        parser.add_argument(
            "--period-end",
            help="Last day of a new plan (YYYY-MM-DD; default: the end of the last "
            "reporting period).",
        )

    def options_for(self, options: dict[str, Any]) -> dict[str, Any]:
        names = ("plan", "member", "title", "period_start", "period_end")
        return {name: options[name] for name in names if options.get(name)}
