"""Search over the demo, then over ~5,000 commitments (30,000 activities) written with
the demo's Arabic, French and English texts: the time to rebuild the index, and the
median time and queries of the results page for a few queries.

``DEBUG=1 .venv/bin/python bench/bench_search.py`` on a throw-away SQLite database, or
with ``DATABASE_URL=postgres://…/<empty database>`` on PostgreSQL.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from synthetic import setup_django  # noqa: E402

QUERIES = ["الشفافيه", "المعلومات", "اعاقة", "transparence", "information", "zzqq"]


def measure_pages(label: str, repeat: int) -> None:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from apps.search.results import run

    client = Client()
    for query in QUERIES:
        lang = "ar" if query[0] > "z" else "fr"
        client.get(f"/{lang}/search/", {"q": query})  # warm up
        times = []
        for _ in range(repeat):
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                response = client.get(f"/{lang}/search/", {"q": query})
                times.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200
        total = run(query).found
        print(
            f"{label}: /{lang}/search/?q={query}: {statistics.median(times):.0f} ms median,"
            f" {len(queries)} queries, {total} objects found"
        )


def grow(commitments: int, activities: int, seed: int = 1) -> None:
    """Plans of 25 commitments whose texts are the demo's, shuffled."""
    import datetime

    from apps.plans.models import ActionPlan, Activity, Commitment

    rng = random.Random(seed)
    demo = list(Commitment.objects.all())
    demo_activities = list(Activity.objects.filter(is_grouping=False))
    plans = ActionPlan.objects.bulk_create(
        ActionPlan(
            slug=f"bench-plan-{p}",
            member_ar=f"عضو {p}",
            ordinal=1,
            title_ar=f"خطة {p}",
            title_fr=f"Plan {p}",
            period_start=datetime.date(2021, 1, 1),
            period_end=datetime.date(2023, 12, 31),
        )
        for p in range(commitments // 25)
    )
    made = Commitment.objects.bulk_create(
        (
            Commitment(
                plan=plan,
                number=n + 1,
                title_ar=(source := rng.choice(demo)).title_ar,  # type: ignore[attr-defined]
                title_fr=source.title_fr,  # type: ignore[attr-defined]
                title_en=source.title_en,  # type: ignore[attr-defined]
                summary_ar=" ".join(rng.choice(demo_activities).title_ar for _ in range(3)),  # type: ignore[attr-defined]
            )
            for plan in plans
            for n in range(25)
        ),
        batch_size=1000,
    )
    Activity.objects.bulk_create(
        (
            Activity(
                commitment=c,
                order=a,
                title_ar=rng.choice(demo_activities).title_ar,  # type: ignore[attr-defined]
            )
            for c in made
            for a in range(activities)
        ),
        batch_size=2000,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--commitments", type=int, default=5000)
    parser.add_argument("--activities", type=int, default=6)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    setup_django()
    from django.core.management import call_command
    from django.db import connection

    from apps.search.index import rebuild

    with open(os.devnull, "w") as quiet:
        call_command("load_demo", "--no-admin", verbosity=0, stdout=quiet)
    print(f"Python {sys.version.split()[0]}, {connection.vendor}")
    measure_pages("demo", args.repeat)
    grow(args.commitments, args.activities)
    started = time.perf_counter()
    entries = rebuild()
    print(f"rebuild_search_index: {entries} entries in {time.perf_counter() - started:.1f} s")
    measure_pages(f"+{args.commitments} commitments", args.repeat)


if __name__ == "__main__":
    main()
