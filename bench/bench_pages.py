"""Server time and query count of the public pages and API lists at OGP-wide scale:
180 plans × 28 commitments (5,040) × 6 activities (30,240), in a throwaway SQLite
database (or DATABASE_URL). Prints one line per URL: median ms over 7 runs, queries."""

from __future__ import annotations

import statistics
import time

from synthetic import generate, setup_django

PLANS, COMMITMENTS, ACTIVITIES = 180, 28, 6


def main() -> None:
    setup_django()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    started = time.perf_counter()
    generate(PLANS, COMMITMENTS, ACTIVITIES)
    print(
        f"data: {PLANS} plans, {PLANS * COMMITMENTS} commitments, {PLANS * COMMITMENTS * ACTIVITIES} activities ({time.perf_counter() - started:.1f} s to build)"
    )
    client = Client()
    urls = [
        "/ar/",
        "/ar/plans/",
        "/ar/plans/bench-plan-7/",
        "/fr/plans/bench-plan-7/?level=substantial",
        "/ar/plans/bench-plan-7/commitments/3/",
        "/ar/institutions/bench-inst-3/",
        "/api/v1/plans?limit=200",
        "/api/v1/plans/bench-plan-7/commitments",
        "/api/v1/institutions?limit=200",
    ]
    print(f"{'url':48} {'median ms':>10} {'queries':>8}")
    for url in urls:
        client.get(url)
        times = []
        for _ in range(7):
            with CaptureQueriesContext(connection) as ctx:
                t0 = time.perf_counter()
                response = client.get(url)
                times.append((time.perf_counter() - t0) * 1000)
            assert response.status_code == 200, (url, response.status_code)
        print(f"{url:48} {statistics.median(times):10.1f} {len(ctx.captured_queries):8d}")


if __name__ == "__main__":
    main()
