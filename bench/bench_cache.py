"""Throughput of public pages under gunicorn against a bare one-view Django app.

Starts ``gunicorn`` (2 sync workers) twice in the same run: on a bare Django project of
one view (written to a temporary folder) and on Sharaka (its settings and database as
the environment gives them: ``SHARAKA_VAR_DIR``, ``DATABASE_URL``, ``DEBUG=0``, a
``SECRET_KEY``). Each URL is loaded for ``--seconds`` by ``--threads`` threads over
keep-alive-less ``http.client`` connections (what gunicorn's sync workers serve), after
a warm-up request; prints requests/s, median and p95, and the share of the bare view's
rate.

    python -m bench.bench_cache --port 8101 /ar/ /ar/plans/demo/ /api/v1/plans

``measure(urls, ...)`` returns the rows for other benchmarks (``make bench``).
"""

from __future__ import annotations

import argparse
import http.client
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

BARE_APP = """
from django.conf import settings
from django.core.wsgi import get_wsgi_application
from django.http import HttpResponse
from django.urls import path

settings.configure(
    DEBUG=False,
    SECRET_KEY="bare",
    ALLOWED_HOSTS=["*"],
    ROOT_URLCONF=__name__,
    MIDDLEWARE=[],
)


def view(request):
    return HttpResponse("<!doctype html><title>bare</title><p>Hello</p>")


urlpatterns = [path("", view)]
application = get_wsgi_application()
"""


def _get(port: int, url: str) -> tuple[int, float]:
    start = time.perf_counter()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request("GET", url, headers={"Host": "127.0.0.1"})
        response = conn.getresponse()
        response.read()
        status = response.status
    finally:
        conn.close()
    return status, time.perf_counter() - start


def load(port: int, url: str, seconds: float, threads: int) -> dict[str, float]:
    """Requests/s, median and p95 (ms) of ``url`` loaded for ``seconds``."""
    status, _elapsed = _get(port, url)  # warm-up: the first rendering fills the cache
    if status != 200:
        raise SystemExit(f"{url}: {status}")
    timings: list[float] = []
    errors = [0]
    lock = threading.Lock()
    deadline = time.perf_counter() + seconds

    def worker() -> None:
        mine: list[float] = []
        while time.perf_counter() < deadline:
            try:
                code, elapsed = _get(port, url)
            except OSError:
                errors[0] += 1
                continue
            if code != 200:
                errors[0] += 1
            mine.append(elapsed)
        with lock:
            timings.extend(mine)

    started = time.perf_counter()
    pool = [threading.Thread(target=worker) for _ in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    wall = time.perf_counter() - started
    timings.sort()
    return {
        "rps": len(timings) / wall,
        "median_ms": statistics.median(timings) * 1000 if timings else 0.0,
        "p95_ms": timings[int(len(timings) * 0.95) - 1] * 1000 if timings else 0.0,
        "errors": float(errors[0]),
    }


def _serve(args: list[str], cwd: Path, env: dict[str, str], port: int) -> subprocess.Popen[bytes]:
    gunicorn = str(Path(sys.executable).with_name("gunicorn"))
    process = subprocess.Popen(  # noqa: S603 - arguments built here
        [gunicorn, *args, "-w", "2", "-b", f"127.0.0.1:{port}", "--log-level", "warning"],
        cwd=cwd,
        env=env,
    )
    for _ in range(300):
        try:
            _get(port, "/")
            return process
        except OSError:
            time.sleep(0.1)
    process.terminate()
    raise SystemExit("gunicorn did not start")


def _stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    process.wait(timeout=30)


def measure(
    urls: list[str], port: int = 8101, seconds: float = 10.0, threads: int = 4
) -> list[dict[str, object]]:
    """One row per URL, the bare view first; ``share`` is the rate over the bare one."""
    rows: list[dict[str, object]] = []
    with tempfile.TemporaryDirectory() as folder:
        Path(folder, "bare_app.py").write_text(BARE_APP)
        bare = _serve(["bare_app:application"], Path(folder), dict(os.environ), port)
        try:
            base = load(port, "/", seconds, threads)
        finally:
            _stop(bare)
    rows.append({"url": "bare view", **base, "share": 1.0})
    env = dict(os.environ)
    env.setdefault("DEBUG", "0")
    env.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost")
    sharaka = _serve(["sharaka.wsgi"], ROOT, env, port)
    try:
        for url in urls:
            result = load(port, url, seconds, threads)
            rows.append({"url": url, **result, "share": result["rps"] / base["rps"]})
    finally:
        _stop(sharaka)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("urls", nargs="+")
    parser.add_argument("--port", type=int, default=8101)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--threads", type=int, default=4)
    options = parser.parse_args()
    rows = measure(options.urls, options.port, options.seconds, options.threads)
    print(f"{'URL':40} {'req/s':>8} {'median ms':>10} {'p95 ms':>8} {'errors':>6} {'share':>7}")
    for row in rows:
        print(
            f"{row['url']!s:40} {row['rps']:8.1f} {row['median_ms']:10.1f} "
            f"{row['p95_ms']:8.1f} {row['errors']:6.0f} {row['share']:7.1%}"
        )


if __name__ == "__main__":
    main()
