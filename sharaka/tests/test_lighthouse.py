"""Lighthouse (installed by ``make test`` from package-lock.json) on the home, plan and
commitment pages in ar, fr and en with its mobile profile: accessibility and best
practices each at least 95. Performance depends on the server and the machine's load, so
it is measured, not asserted, by ``bench/bench_lighthouse.py`` under gunicorn with
production settings."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ROOT = Path(settings.BASE_DIR)
PAGES = ["/", "/plans/morocco-2021-2023/", "/plans/morocco-2021-2023/commitments/12/"]


def test_lighthouse_scores_each_page_at_least_95(live_server):
    assert (ROOT / "node_modules" / "lighthouse").exists(), "run scripts/bootstrap.sh test"
    call_command("load_demo", verbosity=0)
    urls = [f"{live_server.url}/{lang}{page}" for lang in ("ar", "fr", "en") for page in PAGES]
    run = subprocess.run(
        ["node", "scripts/lighthouse.mjs", "accessibility,best-practices", *urls],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert run.returncode == 0, run.stderr[-2000:]
    results = [json.loads(line) for line in run.stdout.splitlines() if line.startswith("{")]
    assert [result["url"] for result in results] == urls
    below = [
        (result["url"], category, score, result["failed"])
        for result in results
        for category, score in result["scores"].items()
        if score < 95
    ]
    assert below == []
    assert all(result["errors"] == [] for result in results)
    assert all(set(result["scores"]) == {"accessibility", "best-practices"} for result in results)
