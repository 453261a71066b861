"""Benchmark: the open-data exports at OGP-wide scale — 5,000 commitments (50 plans of
100), 30,000 activities, 60,000 validated progress updates — in a throwaway SQLite
database (or the database of BENCH_DATABASE_URL). For each large table and format:
the server time to write the whole file, its size, the queries, and the peak of
Python memory allocated while writing it (tracemalloc).

    DEBUG=1 .venv/bin/python bench/bench_export.py

The peak is what constant memory means here: it must not grow with the number of
rows (compare with BENCH_SCALE=0.2, a fifth of the rows).

Measured on the shared 2-core machine (load average about 5: times are rough; under a
load of 7 they were two to three times longer), SQLite, whole file, one query each:

    table (rows at 5,000 commitments)  format   time    size     peak | peak at 1/5
    commitments (5,000)                csv      0.6 s   1.0 MB   9.5 MB | 2.4 MB
                                       json     0.5 s   4.2 MB   9.4 MB | 2.3 MB
                                       xlsx     1.3 s   0.6 MB   9.4 MB | 2.4 MB
    activities (30,000)                csv      0.4 s   1.3 MB   1.5 MB | 1.5 MB
                                       json     0.5 s   8.3 MB   1.4 MB | 1.4 MB
                                       xlsx     1.7 s   1.3 MB   1.4 MB | 1.4 MB
    progress_updates (60,000)          csv      3.5 s   4.8 MB   2.6 MB | 2.6 MB
                                       json     2.4 s  22.8 MB   2.5 MB | 2.4 MB
                                       xlsx     6.5 s   3.1 MB   2.5 MB | 2.5 MB

The peak is bounded by the chunks the query is read in (2,000 rows; Django holds the
previous chunk while it fetches the next), not by the table: read 500, 1,000, 2,000,
3,000, 4,000 and 6,000 commitments, the peak is 4.6, 4.5, 4.5, 8.9, 8.9 and 9.0 MB
(commitments are the heaviest rows: three titles and three summaries each). At
1,000 commitments (one partial chunk) it is 2.4 MB. Before the progress history read
only its own columns (``.only()``), it carried whole activities and accounts: 6.9 MB.
"""

from __future__ import annotations

import datetime
import os
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
tmp = tempfile.TemporaryDirectory()
os.environ["DATABASE_URL"] = os.environ.get(
    "BENCH_DATABASE_URL", f"sqlite:///{tmp.name}/bench.sqlite3"
)
os.environ.setdefault("DEBUG", "1")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sharaka.settings")
os.environ["SHARAKA_VAR_DIR"] = tmp.name

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402
from django.utils import timezone  # noqa: E402

from bench.synthetic import generate  # noqa: E402

SCALE = float(os.environ.get("BENCH_SCALE", "1"))
PLANS, COMMITMENTS_EACH, ACTIVITIES_EACH, UPDATES_EACH = int(50 * SCALE) or 1, 100, 6, 2
TABLES = ("commitments", "activities", "progress_updates")
FORMATS = ("csv", "json", "xlsx")


def build() -> None:
    from apps.accounts.models import User
    from apps.plans.models import Activity
    from apps.tracking.models import ProgressUpdate

    generate(PLANS, COMMITMENTS_EACH, ACTIVITIES_EACH)
    author = User.objects.create_user("fp", "fp@example.org", "x")
    now = timezone.now()
    rows = []
    for activity_id in Activity.objects.values_list("pk", flat=True).iterator(chunk_size=5000):
        for n in range(UPDATES_EACH):
            rows.append(
                ProgressUpdate(
                    activity_id=activity_id,
                    author=author,
                    status="validated",
                    progress=10 * (n + 1),
                    previous_progress=10 * n,
                    reported_on=datetime.date(2022, 1, 1),
                    validated_at=now,
                    narrative_ar="تقدم",
                )
            )
        if len(rows) >= 5000:
            ProgressUpdate.objects.bulk_create(rows)
            rows = []
    ProgressUpdate.objects.bulk_create(rows)


def fetch(client: Client, table: str, fmt: str) -> tuple[int, int]:
    """(bytes, queries) of the whole file, read as a client would."""
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(f"/open-data/{table}.{fmt}")
        size = sum(len(chunk) for chunk in response.streaming_content)
        response.close()
    return size, len(ctx)


def measure(client: Client, table: str, fmt: str) -> tuple[float, int, int, int]:
    """(seconds, bytes, queries, peak bytes allocated) to write the whole file: timed
    without tracemalloc (which slows Python down), then traced for the peak."""
    start = time.perf_counter()
    size, queries = fetch(client, table, fmt)
    elapsed = time.perf_counter() - start
    tracemalloc.start()
    fetch(client, table, fmt)
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return elapsed, size, queries, peak


def main() -> None:
    setup_test_environment()
    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    build()
    from apps.plans.models import Activity, Commitment
    from apps.tracking.models import ProgressUpdate

    print(
        f"built {Commitment.objects.count():,} commitments, {Activity.objects.count():,} "
        f"activities, {ProgressUpdate.objects.count():,} updates "
        f"in {time.perf_counter() - started:.1f} s ({connection.vendor})"
    )
    client = Client()
    fetch(client, "plans", "csv")  # the first request loads the URLs and catalogs
    for table in TABLES:
        for fmt in FORMATS:
            seconds, size, queries, peak = measure(client, table, fmt)
            print(
                f"{table:18} {fmt:5} {seconds:6.2f} s  {size / 1e6:6.1f} MB  "
                f"{queries} queries  peak {peak / 1e6:5.1f} MB"
            )


if __name__ == "__main__":
    main()
