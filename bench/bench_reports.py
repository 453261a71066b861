"""Time and peak memory to generate the self-assessment report as PDF and DOCX: the
demo plan (22 commitments, the seed meeting's snapshot) and a synthetic plan of 200
commitments with 5 activities each; then one whole generation as the background task
runs it (three languages × HTML, PDF, DOCX, files stored, version kept).

Runs on a throw-away SQLite database: ``DEBUG=1 .venv/bin/python bench/bench_reports.py``
(the set-up and the synthetic plan are the minutes benchmark's).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_minutes import TMP, measure, synthetic_meeting  # noqa: E402
from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.utils import translation  # noqa: E402

from apps.accounts import system_user  # noqa: E402
from apps.reports import actions  # noqa: E402
from apps.reports.document import build_report, capture  # noqa: E402
from apps.reports.models import ReportCycle  # noqa: E402
from apps.reports.render import render_docx, render_pdf  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--commitments", type=int, default=200)
    parser.add_argument("--activities", type=int, default=5)
    parser.add_argument("--language", default="ar")
    args = parser.parse_args()
    settings.MEDIA_ROOT = f"{TMP}/media"
    call_command("migrate", verbosity=0)
    with open(os.devnull, "w") as quiet:
        call_command("load_demo", "--no-admin", verbosity=0, stdout=quiet)
    translation.activate(args.language)
    print(f"Python {sys.version.split()[0]}, database {TMP}/bench.sqlite3, {args.language}")
    demo = ReportCycle.objects.get(plan__slug="morocco-2021-2023")
    content = capture(demo)
    label = "demo report (22 commitments)"
    measure(f"{label} PDF", lambda: render_pdf(build_report(content, args.language)), args.repeat)
    measure(f"{label} DOCX", lambda: render_docx(build_report(content, args.language)), args.repeat)
    big_meeting = synthetic_meeting(args.commitments, args.activities)
    big = actions.do_create_cycle(
        big_meeting.committee.plan,
        "end_of_term",
        2023,
        acting_user=system_user(),
        snapshot=big_meeting.snapshot,
    )
    start = time.perf_counter()
    big_content = capture(big)
    print(f"synthetic plan captured in {time.perf_counter() - start:.2f} s")
    label = f"{args.commitments} commitments report"
    measure(
        f"{label} PDF", lambda: render_pdf(build_report(big_content, args.language)), args.repeat
    )
    measure(
        f"{label} DOCX", lambda: render_docx(build_report(big_content, args.language)), args.repeat
    )
    for cycle, name in ((demo, "demo"), (big, f"{args.commitments} commitments")):
        job = actions.do_request_generation(cycle, acting_user=system_user(), enqueue=False)
        start = time.perf_counter()
        version = actions.run_generation(job.pk)
        assert version is not None, "the generation failed"
        print(
            f"{name}: whole generation task (3 languages × HTML, PDF, DOCX) "
            f"{time.perf_counter() - start:.2f} s, version {version.number}"
        )


if __name__ == "__main__":
    try:
        main()
    finally:
        import shutil

        shutil.rmtree(TMP, ignore_errors=True)
