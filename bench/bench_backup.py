"""Benchmark: ``manage.py backup`` and ``manage.py restore`` (docs/operations.md) on the
demo and on a 5,000-commitment database (50 plans of 100, 30,000 activities, 60,000
progress updates, 200 evidence files of 200 KB), SQLite in throwaway folders. Each
command runs as an operator runs it (its own process); the time printed is the
command's own time (as it prints it) and the wall time of its process (Django's
start-up included).

    .venv/bin/python bench/bench_backup.py

Measured on the shared 2-core machine (load average about 8: times are rough), SQLite:

    demo               database  1.9 MB  archive  0.5 MB  backup 0.27 s (process 8.7 s)
                                                          restore 0.27 s (process 9.9 s)
    5,000 commitments  database 19.9 MB  archive 43.1 MB  backup 2.41 s (process 5.1 s)
                                                          restore 0.89 s (process 4.5 s)

The 5,000-commitment archive is mostly its 40 MB of evidence (random bytes: they do not
compress; real PDFs compress little more). The process times are dominated by Django's
start-up on the busy machine.
"""

from __future__ import annotations

import datetime
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
tmp = tempfile.TemporaryDirectory(prefix="sharaka-bench-backup-")
os.environ.pop("DATABASE_URL", None)
os.environ.setdefault("SECRET_KEY", "bench-only")
os.environ["DEBUG"] = "0"


def manage(var_dir: Path, *args: str) -> tuple[float, float]:
    """Runs manage.py; returns the wall time of the process and the time the command
    reports for its own work (" in X s" at the end of its output; 0 if none)."""
    env = dict(os.environ, SHARAKA_VAR_DIR=str(var_dir))
    start = time.monotonic()
    result = subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *args],
        env=env,
        check=True,
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    reported = re.search(r" in ([0-9.]+) s\s*$", result.stdout)
    return time.monotonic() - start, float(reported.group(1)) if reported else 0.0


def measure(label: str, source: Path) -> None:
    target = source.parent / f"{source.name}-restored"
    target.mkdir()
    archive = source.parent / f"{source.name}.tar.gz"
    backup = manage(source, "backup", str(archive))
    restore = manage(target, "restore", str(archive))
    database = (source / "sharaka.sqlite3").stat().st_size
    print(
        f"{label:<20} database {database / 1e6:5.1f} MB  archive "
        f"{archive.stat().st_size / 1e6:5.1f} MB  backup {backup[1]:5.2f} s "
        f"(process {backup[0]:4.1f} s)  restore {restore[1]:5.2f} s "
        f"(process {restore[0]:4.1f} s)"
    )


def build_large(var_dir: Path) -> None:
    os.environ["SHARAKA_VAR_DIR"] = str(var_dir)
    from bench.synthetic import setup_django

    setup_django(str(var_dir))
    from django.core.files.base import ContentFile
    from django.utils import timezone

    from apps.accounts.models import User
    from apps.plans.models import Activity
    from apps.tracking.models import Evidence, ProgressUpdate
    from bench.synthetic import generate

    generate(50, 100, 6)
    author = User.objects.create_user("fp", "fp@example.org", "x")
    now = timezone.now()
    rows = []
    for activity_id in Activity.objects.values_list("pk", flat=True).iterator(chunk_size=5000):
        for n in range(2):
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
    for update in ProgressUpdate.objects.order_by("pk")[:200]:
        data = os.urandom(200_000)
        evidence = Evidence(update=update, original_name="report.pdf", size=len(data))
        evidence.file.save("report.pdf", ContentFile(data), save=True)


def main() -> None:
    base = Path(tmp.name)
    demo = base / "demo"
    demo.mkdir()
    manage(demo, "migrate", "-v0")
    manage(demo, "load_demo")
    measure("demo", demo)
    large = base / "large"
    large.mkdir()
    start = time.monotonic()
    build_large(large)
    print(f"(5,000 commitments built in {time.monotonic() - start:.0f} s)")
    measure("5,000 commitments", large)


if __name__ == "__main__":
    main()
