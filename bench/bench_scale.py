"""The benchmark against the goals of issue 14, at OGP-wide scale.

Builds the data set of :mod:`ogp_scale` (180 plans, 5,040 commitments, 30,240 activities,
500,000 updates with evidence, focal points, meetings with snapshots, change requests)
with bulk inserts in a throw-away database, then prints ONE table:

- every main page and API endpoint, anonymous and for each role (secretariat, focal
  point, committee member): queries, median and p95 server time (Django's test client,
  in process, DEBUG off, every cache of pages and figures cleared before each request:
  "uncached"; a signed-in person's session stays in the sessions' cache, as it does in
  production);
- throughput under gunicorn (2 sync workers) of the home page, the plan page, a
  commitment page and two API endpoints, as a percentage of a bare one-view Django app
  (``bare_app.py``) measured in the same run with the same load generator;
- the minutes documents: the demo's PDF in a warm process, a 200-commitment meeting's,
  and the time to serve a stored one.

Each row says pass or fail against: ≤ 15 queries; p95 ≤ 100 ms uncached; cached public
pages ≥ 50 % of the bare view; minutes PDF ≤ 1.5 s warm, ≤ 6 s for 200 commitments,
served ≤ 50 ms.

    .venv/bin/python bench/bench_scale.py                        # SQLite, full scale
    .venv/bin/python bench/bench_scale.py --database postgres     # a throw-away PostgreSQL
    .venv/bin/python bench/bench_scale.py --scale 0.05 --no-load --no-documents  # quick
    .venv/bin/python bench/bench_scale.py --database postgres --explain  # plans, JIT

``DATABASE_URL`` set: that (empty) database is used instead of a throw-away one.
"""

from __future__ import annotations

import argparse
import gc
import http.client
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT))

MAX_QUERIES, MAX_P95_MS, MIN_SHARE = 15, 100.0, 50.0
PDF_WARM_S, PDF_200_S, SERVED_MS = 1.5, 6.0, 50.0
PORT_SITE, PORT_BARE, PG_PORT = 8106, 8107, 54339


@dataclass
class Row:
    kind: str  # page, api, throughput, document
    target: str
    who: str = ""
    status: int | str = ""
    queries: int | None = None
    median_ms: float | None = None
    p95_ms: float | None = None
    value: str = ""
    goal: str = ""
    ok: bool | None = None
    sql: list[dict[str, Any]] = field(default_factory=list, repr=False)

    @property
    def verdict(self) -> str:
        return "-" if self.ok is None else ("pass" if self.ok else "FAIL")


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]


# The database -------------------------------------------------------------------------


@contextmanager
def throwaway_postgres(directory: str) -> Iterator[str]:
    """A PostgreSQL server in ``directory`` started as ``scripts/test.sh`` does (fsync
    off), stopped on exit; yields its URL."""
    pg_bin = sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=lambda p: int(p.parent.name))[-1]
    data = Path(directory) / "pgdata"
    as_pg = ["runuser", "-u", "postgres", "--"] if os.getuid() == 0 else []
    if os.getuid() == 0:
        shutil.chown(directory, "postgres")
    subprocess.run(
        [*as_pg, str(pg_bin / "initdb"), "-D", str(data), "-U", "postgres", "-A", "trust",
         "-E", "UTF8", "--locale=C.UTF-8"],
        check=True, stdout=subprocess.DEVNULL,
    )  # fmt: skip
    options = f"-h 127.0.0.1 -p {PG_PORT} -k {directory} -F -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
    subprocess.run(
        [*as_pg, str(pg_bin / "pg_ctl"), "-D", str(data), "-l", f"{directory}/pg.log", "-w",
         "-o", options, "start"],
        check=True, stdout=subprocess.DEVNULL,
    )  # fmt: skip
    subprocess.run(
        [*as_pg, str(pg_bin / "createdb"), "-h", "127.0.0.1", "-p", str(PG_PORT), "-U",
         "postgres", "sharaka"],
        check=True,
    )  # fmt: skip
    try:
        yield f"postgres://postgres@127.0.0.1:{PG_PORT}/sharaka"
    finally:
        subprocess.run(
            [*as_pg, str(pg_bin / "pg_ctl"), "-D", str(data), "-m", "fast", "stop"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip


def configure_environment(var_dir: str) -> None:
    os.environ["SHARAKA_VAR_DIR"] = var_dir
    os.environ["DEBUG"] = "0"
    os.environ.setdefault("SECRET_KEY", "bench-only-secret-key")
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sharaka.settings")


# The pages ----------------------------------------------------------------------------


@dataclass
class Target:
    kind: str
    url: str
    who: str = "anonymous"


def targets() -> list[Target]:
    """Every main page and endpoint, for the people who use it."""
    from apps.committees.models import Meeting
    from apps.plans.models import Activity, Commitment

    plan = "bench-plan-7"
    commitment = Commitment.objects.get(plan__slug=plan, number=3)
    heavy = Commitment.objects.get(plan__slug="bench-plan-0", number=1)
    activity = Activity.objects.filter(commitment=commitment).order_by("order").first()
    assert activity is not None
    meeting = Meeting.objects.get(committee__plan__slug=plan)
    demo_meeting = Meeting.objects.get(committee__slug="steering-committee")
    public = [
        "/ar/",
        "/ar/methodology/",
        "/ar/plans/",
        f"/ar/plans/{plan}/",
        f"/ar/plans/{plan}/commitments/3/",
        "/ar/plans/bench-plan-0/commitments/1/",
        "/ar/institutions/",
        "/ar/institutions/bench-inst-3/",
        "/ar/committees/",
        "/ar/meetings/",
        f"/ar/meetings/{demo_meeting.pk}/",
        f"/ar/meetings/{demo_meeting.pk}/minutes/",
        f"/ar/plans/{plan}/feed/",
        "/ar/search/?q=التزام",
    ]
    api = [
        "/api/v1/plans?limit=200",
        f"/api/v1/plans/{plan}",
        f"/api/v1/plans/{plan}/commitments",
        f"/api/v1/plans/{plan}/flags",
        "/api/v1/institutions?limit=200",
        "/api/v1/commitments?limit=100",
        f"/api/v1/commitments/{commitment.pk}",
        f"/api/v1/commitments/{heavy.pk}/updates?limit=100",
        "/api/v1/meetings",
    ]
    rows = [Target("page", u) for u in public] + [Target("api", u) for u in api]
    for who in ("secretariat", "focal point", "committee member"):
        rows += [
            Target("page", "/ar/", who),
            Target("page", f"/ar/plans/{plan}/", who),
            Target("page", f"/ar/plans/{plan}/commitments/3/", who),
        ]
    rows += [
        Target("page", "/ar/tracking/dashboard/", "secretariat"),
        Target("page", "/ar/tracking/queue/", "secretariat"),
        Target("page", "/ar/tracking/change-requests/", "secretariat"),
        Target("page", f"/ar/meetings/{meeting.pk}/", "secretariat"),
        Target("page", f"/ar/meetings/{demo_meeting.pk}/", "secretariat"),
        Target("page", "/ar/tracking/my/", "focal point"),
        Target("page", f"/ar/tracking/activities/{activity.pk}/report/", "focal point"),
        Target("page", "/ar/tracking/change-requests/", "committee member"),
        Target("page", "/ar/tracking/dashboard/", "committee member"),
        Target("page", f"/ar/tracking/activities/{activity.pk}/propose/", "committee member"),
    ]
    return rows


PERSONAS = {
    "secretariat": "demo-secretariat",
    "focal point": "bench-focal-point",
    "committee member": "demo-committee",
}


def clear_caches() -> None:
    """Every cache of pages and figures; not the sessions' (a signed-in person's session
    is read from it from their second request on, as in production)."""
    from django.conf import settings
    from django.core.cache import caches

    for alias in settings.CACHES:
        if alias != settings.SESSION_CACHE_ALIAS:
            caches[alias].clear()


def measure_pages(repeat: int, only: int | None = None) -> list[Row]:
    """Queries, median and p95 of each target, the caches of pages and figures cleared
    before each request."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from apps.accounts.models import User
    from sharaka.settle import settle

    clients: dict[str, Client] = {"anonymous": Client()}
    for who, username in PERSONAS.items():
        clients[who] = Client()
        clients[who].force_login(User.objects.get(username=username))
    # As each web process does before its first request (sharaka.wsgi): without it, one
    # request in ten here paid a full garbage collection of what the build left behind.
    settle()
    rows = []
    for target in targets()[:only]:
        client = clients[target.who]
        clear_caches()
        first = client.get(target.url)  # the first request of a URL (imports, resolver)
        times: list[float] = []
        queries: list[dict[str, Any]] = []
        for _ in range(repeat):
            clear_caches()
            with CaptureQueriesContext(connection) as ctx:
                start = time.perf_counter()
                response = client.get(target.url)
                times.append((time.perf_counter() - start) * 1000)
            queries = list(ctx.captured_queries)
        with CaptureQueriesContext(connection) as warm:  # caches left as the last one left them
            client.get(target.url)
        status = response.status_code if repeat else first.status_code
        row = Row(target.kind, target.url, target.who, status, len(queries))
        row.sql = queries
        row.value = f"{len(response.content) / 1024:.0f} KiB" if repeat else ""
        if len(warm.captured_queries) != len(queries):
            row.value += f", {len(warm.captured_queries)} q with a warm cache"
        if times:
            row.median_ms, row.p95_ms = statistics.median(times), p95(times)
        row.goal = f"≤ {MAX_QUERIES} q, p95 ≤ {MAX_P95_MS:.0f} ms"
        if status == 200 and row.p95_ms is not None:
            row.ok = len(queries) <= MAX_QUERIES and row.p95_ms <= MAX_P95_MS
        rows.append(row)
    gc.unfreeze()
    return rows


# Throughput ---------------------------------------------------------------------------


def load(port: int, path: str, seconds: float, concurrency: int) -> tuple[float, int]:
    """Requests per second answered 200 by ``port`` for ``path``: ``concurrency`` threads,
    one connection per request (gunicorn's sync workers close it), for ``seconds``."""
    done = [0]
    errors = [0]
    lock = threading.Lock()
    stop = time.perf_counter() + seconds

    def worker() -> None:
        ok = bad = 0
        while time.perf_counter() < stop:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            try:
                conn.request("GET", path, headers={"Host": "127.0.0.1"})
                response = conn.getresponse()
                response.read()
                if response.status == 200:
                    ok += 1
                else:
                    bad += 1
            except OSError:
                bad += 1
            finally:
                conn.close()
        with lock:
            done[0] += ok
            errors[0] += bad

    started = time.perf_counter()
    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return done[0] / (time.perf_counter() - started), errors[0]


def wait_for(port: int, path: str, timeout: float = 60) -> None:
    deadline = time.perf_counter() + timeout
    while time.perf_counter() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            conn.request("GET", path, headers={"Host": "127.0.0.1"})
            if conn.getresponse().status in (200, 302):
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"nothing answered on port {port}")


@contextmanager
def gunicorn(app: str, port: int, chdir: Path, env: dict[str, str]) -> Iterator[None]:
    process = subprocess.Popen(
        [str(ROOT / ".venv/bin/gunicorn"), app, "--workers", "2", "--worker-class", "sync",
         "--bind", f"127.0.0.1:{port}", "--chdir", str(chdir), "--log-level", "warning"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )  # fmt: skip
    try:
        yield
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()


def measure_throughput(seconds: float, concurrency: int) -> list[Row]:
    from apps.plans.models import Commitment

    commitment = Commitment.objects.get(plan__slug="bench-plan-7", number=3)
    paths = [
        "/ar/",
        "/ar/plans/bench-plan-7/",
        "/ar/plans/bench-plan-7/commitments/3/",
        "/api/v1/plans?limit=200",
        f"/api/v1/commitments/{commitment.pk}",
    ]
    env = {**os.environ, "ALLOWED_HOSTS": "127.0.0.1,localhost"}
    rows = []
    with (
        gunicorn("bare_app:application", PORT_BARE, HERE, env),
        gunicorn("sharaka.wsgi:application", PORT_SITE, ROOT, env),
    ):
        wait_for(PORT_BARE, "/")
        wait_for(PORT_SITE, "/ar/")
        for path in paths:  # every worker's first request of each path
            for _ in range(4):
                load(PORT_SITE, path, 0.01, 1)
        bare_before, _ = load(PORT_BARE, "/", seconds, concurrency)
        measured = [(path, *load(PORT_SITE, path, seconds, concurrency)) for path in paths]
        bare_after, _ = load(PORT_BARE, "/", seconds, concurrency)
    bare = (bare_before + bare_after) / 2
    rows.append(
        Row("throughput", "bare one-view Django app", "anonymous", 200,
            value=f"{bare:.0f} req/s (before {bare_before:.0f}, after {bare_after:.0f})")
    )  # fmt: skip
    for path, rate, errors in measured:
        share = 100 * rate / bare if bare else 0.0
        rows.append(
            Row("throughput", path, "anonymous", 200 if not errors else f"{errors} errors",
                value=f"{rate:.1f} req/s = {share:.1f} % of bare",
                goal=f"≥ {MIN_SHARE:.0f} % of bare", ok=share >= MIN_SHARE and not errors)
        )  # fmt: skip
    return rows


# Documents ----------------------------------------------------------------------------


def measure_documents(commitments: int, repeat: int) -> list[Row]:
    """Minutes PDF: the demo meeting in a warm process, a ``commitments``-commitment
    meeting, and the request for a stored one (the functions of ``bench_minutes.py``)."""
    saved = os.environ.get("DATABASE_URL")
    import bench_minutes  # sets DATABASE_URL for its own runs: the database stays ours

    if saved is None:
        os.environ.pop("DATABASE_URL", None)
    else:
        os.environ["DATABASE_URL"] = saved
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.utils import translation

    from apps.committees.minutes import document_name, render_pdf
    from apps.committees.models import Meeting
    from apps.committees.tasks import render_minutes_task

    rows = []
    translation.activate("ar")

    from django.core.files.storage import default_storage

    def forget() -> None:  # the stored renderings: the next one is laid out again
        bench_minutes.forget_renderings()
        shutil.rmtree(Path(default_storage.location) / "renderings", ignore_errors=True)

    def timed(render: Callable[[], bytes], times: int) -> list[float]:
        out = []
        for _ in range(times):
            forget()
            start = time.perf_counter()
            render()
            out.append(time.perf_counter() - start)
        return out

    demo = Meeting.objects.get(committee__slug="steering-committee")
    build = bench_minutes.minutes_of(demo)
    cold = timed(lambda: render_pdf(build()), 1)[0]
    warm = timed(lambda: render_pdf(build()), repeat)
    rows.append(
        Row("document", "demo minutes PDF, warm process", "worker",
            median_ms=statistics.median(warm) * 1000, p95_ms=max(warm) * 1000,
            value=f"first in the process {cold:.2f} s", goal=f"≤ {PDF_WARM_S} s",
            ok=statistics.median(warm) <= PDF_WARM_S)
    )  # fmt: skip
    big = bench_minutes.synthetic_meeting(commitments, 5)
    build_big = bench_minutes.minutes_of(big)
    times = timed(lambda: render_pdf(build_big()), max(1, repeat // 2))
    rows.append(
        Row("document", f"{commitments}-commitment minutes PDF", "worker",
            median_ms=statistics.median(times) * 1000, p95_ms=max(times) * 1000,
            goal=f"≤ {PDF_200_S} s", ok=statistics.median(times) <= PDF_200_S)
    )  # fmt: skip
    secretariat = get_user_model().objects.get(username="demo-secretariat")
    client = Client()
    client.force_login(secretariat)
    for meeting, label in ((demo, "demo"), (big, f"{commitments}-commitment")):
        path = f"/ar/meetings/{meeting.pk}/minutes.pdf"
        # Laid out and stored by the worker's task, as the approval would have it.
        name = document_name(Meeting.objects.for_page().get(pk=meeting.pk), "ar", "pdf")
        render_minutes_task.call(meeting.pk, "ar", "pdf", name)
        client.get(path)
        served = []
        for _ in range(5):
            start = time.perf_counter()
            response = client.get(path)
            served.append((time.perf_counter() - start) * 1000)
        is_pdf = response.get("Content-Type", "").startswith("application/pdf")
        rows.append(
            Row("document", f"{label} minutes PDF served ({path})", "secretariat",
                response.status_code, median_ms=statistics.median(served), p95_ms=max(served),
                value="PDF" if is_pdf else response.get("Content-Type", ""),
                goal=f"≤ {SERVED_MS:.0f} ms, a PDF",
                ok=is_pdf and statistics.median(served) <= SERVED_MS)
        )  # fmt: skip
    return rows


# EXPLAIN and JIT ----------------------------------------------------------------------


def explain(rows: list[Row], top: int) -> None:
    """Print the plans of the ``top`` slowest distinct queries of the pages."""
    from django.db import connection

    seen: dict[str, tuple[float, str]] = {}
    for row in rows:
        for q in row.sql:
            sql, spent = q["sql"], float(q.get("time") or 0)
            if not sql.lstrip().upper().startswith("SELECT"):
                continue
            if sql not in seen or seen[sql][0] < spent:
                seen[sql] = (spent, f"{row.who} {row.target}")
    slowest = sorted(seen.items(), key=lambda item: -item[1][0])[:top]
    postgres = connection.vendor == "postgresql"
    print(f"\n== EXPLAIN of the {len(slowest)} slowest queries ({connection.vendor})")
    with connection.cursor() as cursor:
        for sql, (spent, where) in slowest:
            print(f"\n-- {spent * 1000:.1f} ms on {where}\n{sql[:600]}")
            prefix = "EXPLAIN (ANALYZE, BUFFERS)" if postgres else "EXPLAIN QUERY PLAN"
            try:
                cursor.execute(f"{prefix} {sql}")
                for line in cursor.fetchall():
                    print("   ", " ".join(str(x) for x in line))
            except Exception as error:  # a query text Django could not quote back
                print(f"    (not explained: {error})")


def jit_check(rows: list[Row]) -> Row | None:
    """On PostgreSQL: how many of the pages' queries JIT-compile (EXPLAIN ANALYZE shows
    a "JIT" entry), on the connection the pages use."""
    from django.db import connection, transaction

    if connection.vendor != "postgresql":
        return None
    queries = {q["sql"] for row in rows for q in row.sql}
    selects = [q for q in queries if q.lstrip().upper().startswith("SELECT")]
    jitted = []
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        setting = cursor.fetchone()[0]
        for sql in selects:
            try:
                with transaction.atomic():
                    cursor.execute(f"EXPLAIN (ANALYZE, FORMAT JSON) {sql}")
            except Exception as error:  # a query text Django could not quote back
                print(f"not explained: {error}: {sql[:200]}")
                continue
            plan = cursor.fetchone()[0]
            plan = plan if isinstance(plan, list) else json.loads(plan)
            if "JIT" in plan[0]:
                jitted.append(sql)
        # What the server's default (jit=on) would have compiled: the reason for jit=off.
        would = 0
        for sql in selects:
            try:
                with transaction.atomic():
                    cursor.execute("SET LOCAL jit = on")
                    cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}")
                    plan = cursor.fetchone()[0]
            except Exception as error:
                print(f"not explained: {error}: {sql[:200]}")
                continue
            plan = plan if isinstance(plan, list) else json.loads(plan)
            would += "JIT" in plan[0]
    return Row(
        "postgres", "page queries paying JIT compilation", "all", "",
        queries=len(selects),
        value=f"jit={setting}: {len(jitted)} of {len(selects)} (with jit=on: {would})",
        goal="none", ok=not jitted,
    )  # fmt: skip


# The table ----------------------------------------------------------------------------


def fmt(value: float | None) -> str:
    return "" if value is None else f"{value:.1f}"


def table(rows: list[Row]) -> str:
    header = (
        f"{'kind':<10} {'target':<52} {'who':<16} {'HTTP':>5} {'queries':>7} "
        f"{'median ms':>9} {'p95 ms':>8}  {'result':<6} {'goal':<24} measured"
    )
    lines = [header, "-" * len(header)]
    for r in rows:
        q = "" if r.queries is None else str(r.queries)
        lines.append(
            f"{r.kind:<10} {r.target[:52]:<52} {r.who:<16} {str(r.status):>5} {q:>7} "
            f"{fmt(r.median_ms):>9} {fmt(r.p95_ms):>8}  {r.verdict:<6} {r.goal:<24} {r.value}"
        )
    passed = sum(1 for r in rows if r.ok)
    failed = sum(1 for r in rows if r.ok is False)
    lines.append(f"{passed} pass, {failed} fail")
    return "\n".join(lines)


def run(args: argparse.Namespace, var_dir: str) -> list[Row]:
    from synthetic import setup_django

    started = time.perf_counter()
    setup_django(var_dir)
    migrated = time.perf_counter() - started
    from django.db import connection
    from ogp_scale import build

    sizes = build(scale=args.scale)
    vendor = connection.vendor
    print(
        f"{vendor}, scale {args.scale}: {sizes.line()}\n"
        f"built in {sizes.total_seconds:.1f} s (migrations before: {migrated:.1f} s): "
        + ", ".join(f"{k} {v:.1f} s" for k, v in sizes.seconds.items()),
        flush=True,
    )
    build_row = Row(
        "build", f"OGP data set at scale {args.scale} ({vendor})", "", "",
        value=f"{sizes.total_seconds:.1f} s (the demo {sizes.seconds.get('demo', 0):.1f} s)",
        goal="≤ 180 s at scale 1",
        ok=sizes.total_seconds <= 180 if args.scale == 1 else None,
    )  # fmt: skip
    rows = [build_row, *measure_pages(args.repeat, args.only)]
    jit = jit_check(rows)
    if jit:
        rows.append(jit)
    if args.explain:
        explain(rows, args.explain_top)
    if not args.no_load:
        rows += measure_throughput(args.load_seconds, args.concurrency)
    if not args.no_documents:
        rows += measure_documents(args.commitments, args.doc_repeat)
    return rows


def main(argv: list[str] | None = None) -> list[Row]:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--scale", type=float, default=1.0, help="1 = OGP-wide (default)")
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--repeat", type=int, default=15, help="timed requests per row")
    parser.add_argument("--only", type=int, default=None, help="the first N page rows only")
    parser.add_argument("--explain", action="store_true", help="print the slowest plans")
    parser.add_argument("--explain-top", type=int, default=12)
    parser.add_argument("--no-load", action="store_true", help="skip the gunicorn rows")
    parser.add_argument("--load-seconds", type=float, default=5.0)
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--no-documents", action="store_true", help="skip the PDF rows")
    parser.add_argument("--commitments", type=int, default=200)
    parser.add_argument("--doc-repeat", type=int, default=3)
    args = parser.parse_args(argv)
    var_dir = tempfile.mkdtemp(prefix="sharaka-bench-scale-")
    configure_environment(var_dir)
    cpus = os.cpu_count()
    print(
        f"bench_scale {time.strftime('%Y-%m-%d %H:%M')} on {platform.node()}: {cpus} CPUs, "
        f"load average {os.getloadavg()[0]:.1f}, Python {platform.python_version()}",
        flush=True,
    )
    try:
        if args.database == "postgres" and not os.environ.get("DATABASE_URL"):
            with throwaway_postgres(tempfile.mkdtemp(prefix="sharaka-bench-pg-")) as url:
                os.environ["DATABASE_URL"] = url
                rows = run(args, var_dir)
                from django.db import connections

                connections.close_all()
        else:
            rows = run(args, var_dir)
    finally:
        shutil.rmtree(var_dir, ignore_errors=True)
    print(f"\n{table(rows)}\nload average after: {os.getloadavg()[0]:.1f}")
    return rows


if __name__ == "__main__":
    main()
