"""Benchmark: the secretariat dashboard (and the validation queue, the plan page, the
API) at 500 commitments / 3,000 activities, in a throwaway SQLite database (or the
database of BENCH_DATABASE_URL). Prints the query count and the median server time.

    DEBUG=1 .venv/bin/python bench/bench_dashboard.py
"""

from __future__ import annotations

import datetime
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

COMMITMENTS, ACTIVITIES_EACH, INSTITUTIONS, RUNS = 500, 6, 25, 7


def build() -> None:
    from django.contrib.auth.models import Group

    from apps.accounts.models import Institution, User
    from apps.plans.models import ActionPlan, Activity, Commitment
    from apps.tracking.models import Evidence, FocalPointAssignment, ProgressUpdate

    plan = ActionPlan.objects.create(
        slug="bench",
        member="Bench",
        ordinal=1,
        title="Bench plan",
        status="implementation",
        period_start=datetime.date(2021, 1, 1),
        period_end=datetime.date(2023, 12, 31),
    )
    institutions = Institution.objects.bulk_create(
        Institution(slug=f"inst-{i}", kind="government", name=f"Ministry {i}", name_ar=f"وزارة {i}")
        for i in range(INSTITUTIONS)
    )
    fp_group = Group.objects.get(name="focal_point")
    focal_points = []
    for i, inst in enumerate(institutions):
        user = User.objects.create_user(f"fp{i}", f"fp{i}@example.org", "x", institution=inst)
        user.groups.add(fp_group)
        focal_points.append(user)
    secretariat = User.objects.create_user("sec", "sec@example.org", "x")
    secretariat.groups.add(Group.objects.get(name="secretariat"))
    commitments = Commitment.objects.bulk_create(
        Commitment(
            plan=plan,
            number=n,
            title=f"Commitment {n}",
            title_ar=f"التزام {n}",
            lead_institution=institutions[n % INSTITUTIONS],
            start_date=datetime.date(2021, 1, 1),
            end_date=datetime.date(2023, 12, 31) if n % 3 else datetime.date(2030, 1, 1),
        )
        for n in range(1, COMMITMENTS + 1)
    )
    activities = Activity.objects.bulk_create(
        Activity(
            commitment=c,
            order=i,
            title=f"Activity {i}",
            title_ar=f"نشاط {i}",
            progress=(c.number * 7 + i * 13) % 101,
        )
        for c in commitments
        for i in range(ACTIVITIES_EACH)
    )
    FocalPointAssignment.objects.bulk_create(
        FocalPointAssignment(
            commitment=c,
            user=focal_points[c.number % INSTITUTIONS],
            started_on=datetime.date(2021, 1, 1),
        )
        for c in commitments
    )
    now = timezone.now()
    updates = []
    for k, a in enumerate(activities):
        author = focal_points[a.commitment.number % INSTITUTIONS]
        common = {"activity": a, "author": author, "reported_on": now.date(), "submitted_at": now}
        if k % 2 == 0:  # half the activities have a validated history (3 updates)
            for age, pct in (
                (200, max(a.progress - 20, 0)),
                (90, max(a.progress - 10, 0)),
                (k % 120, a.progress),
            ):
                updates.append(
                    ProgressUpdate(
                        status="validated",
                        progress=pct,
                        previous_progress=max(pct - 10, 0),
                        validated_at=now - datetime.timedelta(days=age),
                        decided_by=secretariat,
                        **common,
                    )
                )
        if k % 10 == 0:
            updates.append(
                ProgressUpdate(status="submitted", progress=min(a.progress + 5, 100), **common)
            )
    ProgressUpdate.objects.bulk_create(updates)
    Evidence.objects.bulk_create(
        Evidence(update=u, url="https://example.org/evidence") for u in updates[::3]
    )
    print(
        f"data: {COMMITMENTS} commitments, {len(activities)} activities, "
        f"{len(updates)} progress updates, {INSTITUTIONS} institutions"
    )


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
    build()
    from apps.accounts.models import User

    client = Client()
    client.force_login(User.objects.get(username="sec"))
    print(f"database: {connection.vendor}; median of {RUNS} runs")
    for url in (
        "/ar/tracking/dashboard/?plan=bench",
        "/ar/tracking/dashboard.xlsx?plan=bench",
        "/ar/tracking/queue/",
        "/ar/plans/bench/",
        "/api/v1/plans/bench/commitments?limit=200",
    ):
        queries, ms = measure(client, url)
        print(f"{url:45} {queries:3d} queries {ms:8.1f} ms")


if __name__ == "__main__":
    main()
