"""A web process settles before its first request (``sharaka.settle``, called by
``sharaka.wsgi``): the URL patterns and the views they import are loaded, and what was
loaded is out of the garbage collector's sight, while what requests create is still
collected."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

PROBE = """
import gc, json, sys
views = ("apps.plans.views", "apps.tracking.views", "apps.committees.views")
before = [name in sys.modules for name in views]
import sharaka.wsgi
after = [name in sys.modules for name in views]
frozen = gc.get_freeze_count()
garbage = []
garbage.append(garbage)
del garbage
print(json.dumps({"before": before, "after": after, "frozen": frozen, "collected": gc.collect()}))
"""


def test_a_web_process_loads_its_views_and_freezes_them_before_its_first_request() -> None:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "sharaka.settings", "DEBUG": "0"}
    env.setdefault("SECRET_KEY", "test-only")
    done = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    assert seen["before"] == [False, False, False]
    assert seen["after"] == [True, True, True]
    assert seen["frozen"] > 10_000
    assert seen["collected"] >= 1
