"""Benchmark: the committee's ranking (weighted scores with the spread between scorers)
at 50,000 proposals retained for review, each scored by three members on three weighted
criteria (450,000 scores), in a throwaway SQLite database (or the database of
BENCH_DATABASE_URL). Prints the query count and the median server time of the ranking's
first and a deep page, of a decision page and of the ranking query alone.

    DEBUG=1 .venv/bin/python bench/bench_cocreation_ranking.py [--proposals 50000]
"""

from __future__ import annotations

import argparse
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

MEMBERS, RUNS, BATCH = 3, 7, 5_000


def build(proposals: int) -> None:
    from django.contrib.auth.models import Group

    from apps.accounts.models import User
    from apps.accounts.roles import Role
    from apps.cocreation.models import Criterion, Process, Proposal, ProposalStatus, Score

    process = Process.objects.create(
        slug="bench", year=2026, title_ar="مسار", created_at=timezone.now()
    )
    criteria = Criterion.objects.bulk_create(
        Criterion(process=process, order=i, name_ar=name, weight=weight)
        for i, (name, weight) in enumerate((("الأثر", 3), ("قابلية التنفيذ", 2), ("القيم", 1)))
    )
    group = Group.objects.get_or_create(name=Role.COMMITTEE_MEMBER.value)[0]
    members = []
    for i in range(MEMBERS):
        member = User.objects.create_user(username=f"m{i}", password=None)
        member.groups.add(group)
        members.append(member)
    now = timezone.now()
    for start in range(0, proposals, BATCH):
        created = Proposal.objects.bulk_create(
            Proposal(
                process=process,
                number=n + 1,
                author_name=f"c{n}",
                title=f"مقترح {n}",
                problem="p",
                solution="s",
                status=ProposalStatus.RETAINED,
                created_at=now,
            )
            for n in range(start, min(start + BATCH, proposals))
        )
        Score.objects.bulk_create(
            Score(
                proposal=p,
                criterion=c,
                member=m,
                value=(p.number * 7 + j * 3 + k) % 6,
                scored_at=now,
            )
            for p in created
            for j, m in enumerate(members)
            for k, c in enumerate(criteria)
        )
    print(f"data: {Proposal.objects.count()} proposals, {Score.objects.count()} scores")


def measure(call: object) -> tuple[int, float]:
    call()  # type: ignore[operator]  # warm up
    times, queries = [], 0
    for _ in range(RUNS):
        with CaptureQueriesContext(connection) as ctx:
            start = time.perf_counter()
            call()  # type: ignore[operator]
            elapsed = time.perf_counter() - start
        times.append(elapsed * 1000)
        queries = len(ctx.captured_queries)
    return queries, statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--proposals", type=int, default=50_000)
    args = parser.parse_args()
    setup_test_environment()
    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    build(args.proposals)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:  # fresh statistics, as autovacuum would keep
            cursor.execute("ANALYZE")
    print(f"built in {time.perf_counter() - started:.0f} s")
    from apps.accounts.models import User
    from apps.cocreation.models import Process
    from apps.cocreation.prioritisation import ranking_page

    client = Client()
    client.force_login(User.objects.get(username="m0"))
    print(f"database: {connection.vendor}; median of {RUNS} runs (signed in as a member)")
    base = "/ar/participate/bench"
    deep = args.proposals // 100  # the ranking shows 50 a page: the middle of it
    for url in (f"{base}/ranking/", f"{base}/ranking/?page={deep}"):

        def get(url: str = url) -> None:
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)

        queries, ms = measure(get)
        print(f"{url:46} {queries:3d} queries {ms:8.1f} ms")
    process = Process.objects.get(slug="bench")
    queries, ms = measure(lambda: ranking_page(process, offset=0, limit=50))
    print(f"{'ranking_page() alone, first 50':46} {queries:3d} queries {ms:8.1f} ms")


if __name__ == "__main__":
    main()
