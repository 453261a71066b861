"""Lighthouse's mobile profile on the home, plan and commitment pages in ar, fr and en,
served as in production: gunicorn (2 workers), ``DEBUG=0``, static files compressed and
named by their hash (WhiteNoise), the demo loaded in a throw-away folder.

    .venv/bin/python bench/bench_lighthouse.py [--runs 1]

Prints one row per page: the performance, accessibility and best-practices scores
against the goal (each >= 95; with ``--runs N`` the median of N runs), the bytes
transferred on first load (HTML, CSS, JS) and the audits that did not pass. Needs the
test tools (``scripts/bootstrap.sh test``: Chromium and Lighthouse).
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PAGES = ["/", "/plans/morocco-2021-2023/", "/plans/morocco-2021-2023/commitments/12/"]
CATEGORIES = ["performance", "accessibility", "best-practices"]
GOAL = 95


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def serve(var_dir: str, port: int) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "SHARAKA_VAR_DIR": var_dir,
        "DEBUG": "0",
        "SECRET_KEY": "bench-only",
        "ALLOWED_HOSTS": "127.0.0.1",
        "STATICFILES_BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage",
        "SHARAKA_ARABIC_VARIANT": "ar-MA",
    }
    python = str(ROOT / ".venv" / "bin" / "python")
    for command in (
        ["migrate", "--noinput"],
        ["load_demo"],
        ["rebuild_search_index"],
        ["collectstatic", "--noinput"],
    ):
        subprocess.run([python, "manage.py", *command, "-v0"], cwd=ROOT, env=env, check=True)
    server = subprocess.Popen(
        [
            str(ROOT / ".venv" / "bin" / "gunicorn"),
            "sharaka.wsgi",
            "-w",
            "2",
            "-b",
            f"127.0.0.1:{port}",
        ],
        cwd=ROOT,
        env=env,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/ar/", timeout=2)
            return server
        except OSError:
            time.sleep(0.2)
    server.terminate()
    raise SystemExit("gunicorn did not answer")


def lighthouse(urls: list[str]) -> list[dict]:
    output = subprocess.run(
        ["node", "scripts/lighthouse.mjs", ",".join(CATEGORIES), *urls],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return [json.loads(line) for line in output.splitlines() if line.startswith("{")]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=1)
    runs = parser.parse_args().runs
    with tempfile.TemporaryDirectory(prefix="sharaka-lighthouse-") as var_dir:
        port = free_port()
        server = serve(var_dir, port)
        try:
            urls = [
                f"http://127.0.0.1:{port}/{lang}{page}"
                for lang in ("ar", "fr", "en")
                for page in PAGES
            ]
            lighthouse(urls[:1])  # warm the workers and the fonts
            results = [lighthouse(urls) for _ in range(runs)]
        finally:
            server.terminate()
            server.wait()
    print(
        f"Lighthouse, mobile profile, gunicorn 2 workers, median of {runs} run(s); goal: each score >= {GOAL}"
    )
    print(
        f"{'page':48} {'perf':>5} {'a11y':>5} {'b.p.':>5} {'HTML kB':>8} {'CSS kB':>7} {'JS kB':>6}  result"
    )
    failures = 0
    for index, url in enumerate(urls):
        rows = [run[index] for run in results]
        scores = [statistics.median(row["scores"][c] for row in rows) for c in CATEGORIES]
        weights = rows[0]["weights"]
        ok = all(score >= GOAL for score in scores) and not rows[0]["errors"]
        failures += not ok
        path = url.split(str(port), 1)[1]
        print(
            f"{path:48} {scores[0]:5.0f} {scores[1]:5.0f} {scores[2]:5.0f} "
            f"{weights.get('Document', 0) / 1000:8.1f} {weights.get('Stylesheet', 0) / 1000:7.1f} "
            f"{weights.get('Script', 0) / 1000:6.1f}  {'pass' if ok else 'FAIL'}"
            + ("" if ok else "  " + " ".join(rows[0]["failed"] + rows[0]["errors"]))
        )
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
