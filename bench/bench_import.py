"""Time and peak memory to import a plan sheet of 20,000 activity rows (4,000
commitments of 5 activities, every row with a progress figure): the check (preview,
nothing written), the import into an empty database, and the same file again (every row
unchanged).

Runs on a throw-away SQLite database: ``DEBUG=1 .venv/bin/python bench/bench_import.py``
(``--rows`` for another size, ``--format csv`` for CSV, ``--check-only`` for the
check alone: ``--rows 100000 --check-only --trace`` shows memory stays bounded). Peak memory: tracemalloc's peak
of Python allocations during each step (``--trace``, which slows it), and the process's
``ru_maxrss`` after it.
"""

from __future__ import annotations

import argparse
import csv
import os
import resource
import shutil
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
TMP = tempfile.mkdtemp(prefix="sharaka-bench-")
os.environ["DATABASE_URL"] = f"sqlite:///{TMP}/bench.sqlite3"
os.environ.setdefault("DEBUG", "1")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sharaka.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.utils import translation  # noqa: E402

from apps.accounts import system_user  # noqa: E402
from apps.exchange import plan_sheet  # noqa: E402
from apps.plans.models import Activity  # noqa: E402


def maxrss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def write_sheet(path: Path, rows: int, fmt: str) -> None:
    """A sheet of ``rows`` activities, 5 per commitment, with two institutions."""
    keys = [c.key for c in plan_sheet.COLUMNS]
    plan = {
        "plan": "bench",
        "plan_member_ar": "المغرب",
        "plan_ordinal": "9",
        "plan_title_ar": "خطة القياس",
        "plan_start": "2024-01-01",
        "plan_end": "2027-12-31",
    }

    def cells(i: int) -> list[Any]:
        number, order = 1 + i // 5, 1 + i % 5
        row = {
            **plan,
            "theme_ar": f"محور {1 + number // 500}",
            "commitment": str(number),
            "commitment_title_ar": f"التزام رقم {number} لتعزيز الشفافية",
            "lead": f"ministry-{number % 2}",
            "lead_name_ar": f"وزارة {number % 2}",
            "lead_kind": "government",
            "activity": str(order),
            "activity_title_ar": f"النشاط {order} من الالتزام {number}",
            "weight": str(order),
            "activity_start": "2024-03-01",
            "activity_end": "2025-06-30",
            "progress": str((i * 7) % 101),
        }
        return [row.get(k, "") for k in keys]

    with translation.override("ar"):
        headers = plan_sheet.headers("ar")
    if fmt == "csv":
        with path.open("w", encoding="utf-8", newline="") as out:
            writer = csv.writer(out)
            writer.writerow(headers)
            for i in range(rows):
                writer.writerow(cells(i))
        return
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet()
    ws.append(headers)
    for i in range(rows):
        ws.append(cells(i))
    wb.save(path)


def step(name: str, path: Path, apply: bool, trace: bool) -> None:
    if trace:
        tracemalloc.start()
    start = time.perf_counter()
    with translation.override("ar"):
        report = plan_sheet.run(path, apply=apply, user=system_user(), options={})
    elapsed = time.perf_counter() - start
    peak = ""
    if trace:
        peak = f"peak {tracemalloc.get_traced_memory()[1] / 2**20:6.1f} MiB (Python)   "
        tracemalloc.stop()
    print(
        f"{name:<28} {elapsed:7.1f} s   {peak}maxrss {maxrss_mb():6.0f} MiB   {report.counts()}",
        flush=True,
    )
    assert report.ok, list(report.lines())[:5]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--format", choices=["xlsx", "csv"], default="xlsx")
    parser.add_argument(
        "--check-only", action="store_true", help="Only the check (the preview), no import."
    )
    parser.add_argument(
        "--trace", action="store_true", help="Also trace Python allocations (slower)."
    )
    args = parser.parse_args()
    try:
        call_command("migrate", verbosity=0)
        path = Path(TMP) / f"sheet.{args.format}"
        write_sheet(path, args.rows, args.format)
        size = path.stat().st_size / 2**20
        print(f"{args.rows} activity rows, {args.format}, {size:.1f} MiB", flush=True)
        step("check (preview)", path, apply=False, trace=args.trace)
        if args.check_only:
            return
        step("import into empty database", path, apply=True, trace=args.trace)
        assert Activity.objects.count() == args.rows
        step("same file again", path, apply=True, trace=args.trace)
    finally:
        shutil.rmtree(TMP, ignore_errors=True)


if __name__ == "__main__":
    main()
