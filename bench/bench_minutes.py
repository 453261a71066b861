"""Time and peak memory to generate minutes as PDF and DOCX: the demo meeting (the seed,
22 commitments) and a synthetic plan of 200 commitments with 5 activities each, in a
warm worker (WeasyPrint preloaded, as ``manage.py worker`` does at start); then the time
to serve a stored document (median and p95) and to answer a cold request.

Runs on a throw-away SQLite database: ``DEBUG=1 .venv/bin/python bench/bench_minutes.py``.
Time is the best of ``--repeat`` runs without tracing; peak memory is measured on one
more run under tracemalloc (Python allocations) and, for the whole process,
``ru_maxrss`` after each step.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
TMP = tempfile.mkdtemp(prefix="sharaka-bench-")
os.environ["DATABASE_URL"] = f"sqlite:///{TMP}/bench.sqlite3"
os.environ.setdefault("DEBUG", "1")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sharaka.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402

settings.MEDIA_ROOT = f"{TMP}/media"  # stored renderings go with the throw-away database
settings.SHARAKA_REQUIRE_TWO_FACTOR = False  # the bench's reader signs in without a code

from django.core.management import call_command  # noqa: E402
from django.utils import translation  # noqa: E402

from apps.accounts import system_user  # noqa: E402
from apps.committees import actions  # noqa: E402
from apps.committees.minutes import build_minutes, render_docx, render_pdf  # noqa: E402
from apps.committees.models import Committee, Meeting, Snapshot  # noqa: E402
from apps.plans.models import ActionPlan, Activity, Commitment  # noqa: E402


def maxrss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def forget_renderings() -> None:
    """Delete the stored renderings (apps.core.renderings): the next one is cold."""
    from django.conf import settings

    shutil.rmtree(Path(settings.MEDIA_ROOT) / "renderings", ignore_errors=True)


def measure(label: str, render: Callable[[], bytes], repeat: int) -> None:
    """Time a cold render (stored renderings deleted before each run), then one stored."""
    times = []
    size = 0
    for _ in range(repeat):
        forget_renderings()
        start = time.perf_counter()
        size = len(render())
        times.append(time.perf_counter() - start)
    start = time.perf_counter()
    render()
    cached = time.perf_counter() - start
    forget_renderings()
    tracemalloc.start()
    render()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(
        f"{label:<38} {min(times):7.2f} s  (median {sorted(times)[len(times) // 2]:.2f} s,"
        f" again {cached:.2f} s)"
        f"  peak {peak / 2**20:7.1f} MiB (tracemalloc)  maxrss {maxrss_mb():7.1f} MiB"
        f"  {size / 1024:7.0f} KiB"
    )


def measure_request(label: str, meeting: Meeting, extension: str) -> None:
    """Time the request for a cold document: it enqueues the layout and answers at once
    (the worker, not the request, lays it out)."""
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django_tasks_db.models import DBTaskResult

    from apps.core.models import Rendering

    forget_renderings()
    Rendering.objects.all().delete()
    DBTaskResult.objects.all().delete()
    user = get_user_model().objects.filter(is_superuser=True).first()
    if user is None:  # the synthetic meeting is a draft: the secretariat's to see
        user = get_user_model().objects.create_superuser("bench", "bench@example.org", None)
    client = Client()
    client.force_login(user)
    path = f"/ar/meetings/{meeting.pk}/minutes.{extension}"
    client.get(path, secure=True)  # the process's first request (imports, URL resolver)
    forget_renderings()
    Rendering.objects.all().delete()
    start = time.perf_counter()
    status = client.get(path, secure=True).status_code
    print(f"{label:<38} {time.perf_counter() - start:7.2f} s  (HTTP {status}, task enqueued)")


def measure_warm_worker() -> None:
    """What ``manage.py worker`` pays at start (:func:`apps.core.renderings.preload`),
    and so what its first document no longer pays."""
    import subprocess

    code = (
        "import time; start = time.perf_counter(); from weasyprint import HTML; "
        "imported = time.perf_counter() - start; "
        'HTML(string=\'<p lang="ar" dir="rtl">سلام — Bonjour</p>\').write_pdf(); '
        "print(imported, time.perf_counter() - start)"
    )
    out = subprocess.run(  # noqa: S603  (a fresh process: nothing imported yet)
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    imported, seconds = (float(x) for x in out.split())
    print(f"{'worker start: WeasyPrint preloaded':<38} {seconds:7.2f} s  (import {imported:.2f} s)")


def measure_served(label: str, meeting: Meeting, extension: str, requests: int = 30) -> None:
    """Time the request for a stored document (laid out beforehand, as the worker does):
    median and p95 of ``requests`` requests, and the queries of one."""
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    user = get_user_model().objects.filter(is_superuser=True).first()
    if user is None:
        user = get_user_model().objects.create_superuser("bench", "bench@example.org", None)
    client = Client()
    client.force_login(user)
    path = f"/ar/meetings/{meeting.pk}/minutes.{extension}"
    from apps.committees.minutes import document_name
    from apps.committees.tasks import render_minutes_task

    name = document_name(Meeting.objects.for_page().get(pk=meeting.pk), "ar", extension)
    render_minutes_task.call(meeting.pk, "ar", extension, name)  # the worker's part
    client.get(path, secure=True)  # the process's first request (imports, URL resolver)
    times = []
    for _ in range(requests):
        start = time.perf_counter()
        response = client.get(path, secure=True)
        times.append(time.perf_counter() - start)
    assert response.status_code == 200, (response.status_code, response.get("Location"))
    with CaptureQueriesContext(connection) as queries:
        client.get(path, secure=True)
    times.sort()
    median, p95 = times[len(times) // 2], times[min(len(times) - 1, int(len(times) * 0.95))]
    print(
        f"{label:<38} {median * 1000:7.1f} ms median, {p95 * 1000:.1f} ms p95"
        f"  ({len(queries)} queries, {len(response.content) / 1024:.0f} KiB)"
    )


def minutes_of(meeting: Meeting):
    def build():
        fresh = Meeting.objects.for_page().get(pk=meeting.pk)
        snapshot = Snapshot.objects.with_rows().get(meeting=fresh)
        return build_minutes(fresh, snapshot, "ar")

    return build


def synthetic_meeting(commitments: int, activities: int) -> Meeting:
    demo = ActionPlan.objects.get(slug="morocco-2021-2023")
    plan = ActionPlan.objects.create(
        slug="synthetic",
        member="المغرب",
        ordinal=99,
        title="خطة تجريبية",
        period_start=demo.period_start,
        period_end=demo.period_end,
        status="implementation",
    )
    titles = list(Commitment.objects.filter(plan=demo).values_list("title_ar", flat=True))
    activity_titles = list(
        Activity.objects.filter(commitment__plan=demo, is_grouping=False).values_list(
            "title_ar", flat=True
        )
    )
    rows = Commitment.objects.bulk_create(
        Commitment(plan=plan, number=n, title_ar=titles[n % len(titles)])
        for n in range(1, commitments + 1)
    )
    Activity.objects.bulk_create(
        Activity(
            commitment=c,
            order=i,
            title_ar=activity_titles[(c.number * activities + i) % len(activity_titles)],
            progress=(c.number * 7 + i * 13) % 101,
        )
        for c in rows
        for i in range(activities)
    )
    seed_committee = Committee.objects.get(slug="steering-committee")
    committee = Committee.objects.create(
        slug="synthetic", kind="steering", name=seed_committee.name, plan=plan
    )
    for member in seed_committee.members.all():
        member.pk = None
        member.committee = committee
        member.save()
    seed = Meeting.objects.get(committee=seed_committee)
    meeting = actions.do_create_meeting(
        committee, acting_user=system_user(), starts_at=seed.starts_at, place=seed.place
    )
    actions.do_record_attendance(
        meeting, {m.pk: "present" for m in committee.members.all()}, acting_user=system_user()
    )
    actions.do_add_agenda_item(
        meeting, acting_user=system_user(), title="التقدم", shows_progress=True
    )
    actions.do_freeze_snapshot(meeting, acting_user=system_user())
    return meeting


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--commitments", type=int, default=200)
    parser.add_argument("--activities", type=int, default=5)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    with open(os.devnull, "w") as quiet:
        call_command("load_demo", "--no-admin", verbosity=0, stdout=quiet)
    translation.activate("ar")
    print(f"Python {sys.version.split()[0]}, database {TMP}/bench.sqlite3")
    demo = Meeting.objects.get(committee__slug="steering-committee")
    build = minutes_of(demo)
    measure_warm_worker()
    measure("demo minutes (22 commitments) PDF", lambda: render_pdf(build()), args.repeat)
    measure("demo minutes (22 commitments) DOCX", lambda: render_docx(build()), args.repeat)
    measure_served("demo minutes PDF, stored, served", demo, "pdf")
    measure_served("demo minutes DOCX, stored, served", demo, "docx")
    start = time.perf_counter()
    big = synthetic_meeting(args.commitments, args.activities)
    print(
        f"synthetic plan: {args.commitments} commitments × {args.activities} activities, "
        f"snapshot frozen in {time.perf_counter() - start:.2f} s (incl. data creation)"
    )
    build = minutes_of(big)
    label = f"{args.commitments} commitments"
    measure(f"{label} PDF", lambda: render_pdf(build()), args.repeat)
    measure(f"{label} DOCX", lambda: render_docx(build()), args.repeat)
    measure_served(f"{label} PDF, stored, served", big, "pdf")
    measure_served(f"{label} DOCX, stored, served", big, "docx")
    measure_request(f"{label} PDF, cold request", big, "pdf")
    measure_request(f"{label} DOCX, cold request", big, "docx")


if __name__ == "__main__":
    try:
        main()
    finally:
        shutil.rmtree(TMP, ignore_errors=True)
