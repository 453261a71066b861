"""Benchmark: the co-creation's proposals list (newest, ranked by supports, filtered,
deep page), its statistics and its API at 50,000 proposals and 500,000 supports, in a
throwaway SQLite database (or the database of BENCH_DATABASE_URL). Prints the query
count and the median server time.

    DEBUG=1 .venv/bin/python bench/bench_cocreation.py

Measured on the shared 2-core machine (median of 7, server time, signed in as a citizen),
SQLite | PostgreSQL, every page at a fixed number of queries:

    proposals list, newest                    12 queries   33 ms |  26 ms
    ranked by supports                        12 queries   16 ms |  24 ms
    ranked, one theme, one status             12 queries   42 ms |  20 ms
    ranked, page 1,000                        12 queries   44 ms |  78 ms
    a proposal                                14 queries    8 ms |  18 ms
    statistics (figures and three charts)     14 queries  258 ms | 230 ms
    API proposals, 200 a page                  3 queries   20 ms |  44 ms

Before the API sliced its queryset it serialised all 50,000 proposals for one page
(14.4 s); the statistics counted participants in Python sets (1.2 s).
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
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

PROPOSALS, SUPPORTS, ACCOUNTS, THEMES, RUNS = 50_000, 500_000, 5_000, 8, 7
BATCH = 5_000


def build() -> str:
    import datetime

    from django.contrib.auth.hashers import make_password
    from django.db.models import Count, OuterRef, Subquery
    from django.db.models.functions import Coalesce

    from apps.accounts.models import User
    from apps.cocreation.models import Process, Proposal, Region, Support, Theme

    process = Process.objects.create(
        slug="bench", year=2026, title_ar="مسار", created_at=timezone.now()
    )
    themes = Theme.objects.bulk_create(
        Theme(process=process, order=i, title_ar=f"محور {i}") for i in range(THEMES)
    )
    regions = Region.objects.bulk_create(
        Region(slug=f"r{i}", order=i, name_ar=f"جهة {i}") for i in range(12)
    )
    password = make_password(None)
    accounts = User.objects.bulk_create(
        User(username=f"c{i}", email=f"c{i}@example.org", password=password)
        for i in range(ACCOUNTS)
    )
    now = timezone.now()
    for start in range(0, PROPOSALS, BATCH):
        Proposal.objects.bulk_create(
            Proposal(
                process=process,
                number=n + 1,
                author=accounts[n % ACCOUNTS],
                author_name=f"c{n}",
                title=f"مقترح {n}",
                problem="p",
                solution="s",
                theme=themes[n % THEMES],
                region=regions[n % 12],
                created_at=now - datetime.timedelta(minutes=n),
            )
            for n in range(start, min(start + BATCH, PROPOSALS))
        )
    ids = list(Proposal.objects.order_by("pk").values_list("pk", flat=True))
    per_account = SUPPORTS // ACCOUNTS
    rows = []
    for a, account in enumerate(accounts):
        for k in range(per_account):
            # Skewed: low numbers gather more supports (a realistic ranking).
            index = (a * 7919 + k * k * 31) % (len(ids) // (1 + k % 10))
            rows.append(Support(proposal_id=ids[index], account=account, created_at=now))
        if len(rows) >= 50_000:
            Support.objects.bulk_create(rows, ignore_conflicts=True)
            rows = []
    Support.objects.bulk_create(rows, ignore_conflicts=True)
    counts = (
        Support.objects.filter(proposal=OuterRef("pk"))
        .values("proposal")
        .annotate(n=Count("pk"))
        .values("n")
    )
    Proposal.objects.update(supports_count=Coalesce(Subquery(counts), 0))
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # statistics after the bulk load, as autovacuum would
    print(
        f"data: {Proposal.objects.count()} proposals, {Support.objects.count()} supports, "
        f"{ACCOUNTS} accounts, {THEMES} themes"
    )
    return str(themes[3].pk)


def measure(client: Client, url: str) -> tuple[int, float]:
    client.get(url)  # warm up
    times, queries = [], 0
    for _ in range(RUNS):
        with CaptureQueriesContext(connection) as ctx:
            start = time.perf_counter()
            response = client.get(url)
            elapsed = time.perf_counter() - start
        assert response.status_code == 200, (url, response.status_code)
        times.append(elapsed * 1000)
        queries = len(ctx.captured_queries)
    return queries, statistics.median(times)


def main() -> None:
    setup_test_environment()
    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    theme = build()
    print(f"built in {time.perf_counter() - started:.0f} s")
    from apps.accounts.models import User

    client = Client()
    client.force_login(User.objects.get(username="c1"))
    print(f"database: {connection.vendor}; median of {RUNS} runs (signed in as a citizen)")
    base = "/ar/participate/bench"
    for url in (
        f"{base}/proposals/",
        f"{base}/proposals/?sort=supports",
        f"{base}/proposals/?sort=supports&theme={theme}&status=submitted",
        f"{base}/proposals/?sort=supports&page=1000",
        f"{base}/proposals/1/",
        f"{base}/statistics/",
        f"{base}/",
        "/api/v1/cocreation/bench/proposals?limit=200",
    ):
        queries, ms = measure(client, url)
        print(f"{url:62} {queries:3d} queries {ms:8.1f} ms")


if __name__ == "__main__":
    main()
