"""Time and memory to import OGP's commitments dataset at its real size: a generated file
of 5,000 rows in OGP's shape (180 members, 75 countries and 105 localities, 80
policy-area columns, multi-line full texts after two templates, free-text dates).

Runs on a throw-away SQLite database (or ``DATABASE_URL``)::

    DEBUG=1 .venv/bin/python bench/bench_ogp.py [--rows 5000]

Prints, for the preview, the first import and the same file again: the time, the rows
per outcome, and the process's peak memory (``ru_maxrss``) after each step; then the peak
of Python allocations (tracemalloc) over one more preview.
"""

from __future__ import annotations

import argparse
import csv
import random
import resource
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from synthetic import setup_django  # noqa: E402

TAGS = [f"Policy area {n:02d}" for n in range(1, 81)]
HEADERS = [
    "Commitment Unique Identifier", "Country/Locality", "Action Plan Number",
    "Commitment Number", "Code", "Region", "National Or Local", "Year Of Submission",
    "Action Plan End Year", "Theme", "Commitment Title", "Short Title", "Full Text",
    "Start Date", "End Date", "Lead Institution", "Supporting Institution(s)",
    "Access to Information", "Civic Participation", "Public Accountability",
    "Technology and Innovation for Transparency and Accountability", *TAGS,
    "Completion", "Did It Open Government?",
]  # fmt: skip
DATES = ["NA", "1/1/2019", "July 2019", "S II 2019", "2019-03-15", "Q2 2020", "Ongoing", ""]
TEXT = (
    "Status quo or problem addressed: {n} documents are not published.\n"
    "Main objective: publish them.\n"
    "Brief description of commitment:\nA portal,\nwith open data.\n"
    "Relevance: access to information."
)
TEXT_2020 = (
    "What is the public problem that the commitment will address?\n"
    "Commitment {n} addresses late budgets.\n"
    "What solution are you proposing?\nA calendar."
)


def generate(path: Path, rows: int, seed: int = 1) -> None:
    rng = random.Random(seed)
    members = [(f"Country {i:03d}", "National") for i in range(75)]
    members += [(f"Locality {i:03d}, Country {i % 75:03d}", "Local") for i in range(105)]
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(HEADERS)
        for n in range(rows):
            member, kind = members[n % len(members)]
            per_member = n // len(members)
            plan, number = per_member // 10 + 1, per_member % 10 + 1
            year = 2011 + 2 * plan
            writer.writerow(
                [
                    f"X{n:05d}", member, plan, number, "XXX", "Region", kind, year, year + 2,
                    f"Theme {number % 3}", f"Commitment {n} of {member}", f"C{n}",
                    (TEXT if n % 2 else TEXT_2020).format(n=n),
                    rng.choice(DATES), rng.choice(DATES),
                    f"Ministry {n % 7}", f"Agency {n % 5};\nCivil society {n % 4}",
                    rng.choice("10"), rng.choice(["1", "0", "ND"]), rng.choice(["1", "0", "NR"]),
                    rng.choice("10"), *(rng.choice("0001") for _ in TAGS),
                    rng.choice(["Complete", "Limited", "Substantial", "Not Started", ""]),
                    rng.choice(["Marginal", "Major", "Did not change", ""]),
                ]
            )  # fmt: skip


def maxrss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=5000)
    args = parser.parse_args()
    directory = setup_django()
    from django.utils import translation

    from apps.accounts import system_user
    from apps.exchange import ogp

    path = Path(directory) / "ogp.csv"
    generate(path, args.rows)
    print(f"OGP dataset: {args.rows} rows, {path.stat().st_size / 2**20:.1f} MiB")
    user = system_user()
    with translation.override("en"):
        for label, apply in (("preview", False), ("import", True), ("same file again", True)):
            start, cpu = time.perf_counter(), time.process_time()
            report = ogp.run(path, apply=apply, user=user, options={})
            elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
            print(
                f"{label:<16} {elapsed:7.1f} s (CPU {cpu:6.1f} s)  {args.rows / elapsed:5.0f} rows/s  "
                f"{report.counts()}  maxrss {maxrss_mb():6.0f} MiB"
            )
            assert report.ok, list(report.errors)[:3]
        tracemalloc.start()
        ogp.run(path, apply=False, user=user, options={})
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        print(f"preview peak of Python allocations: {peak / 2**20:.1f} MiB (tracemalloc)")


if __name__ == "__main__":
    main()
