"""The production path, run as the README's "Deploying on PostgreSQL with workers" says:
collectstatic with the manifest storage, migrate, gunicorn with three workers, one
manage.py worker, DEBUG=0, a real PostgreSQL database, mail to a local SMTP server, the demo.
Plain HTTP then checks the public pages in three languages and their hashed static
files (WhiteNoise), a sign-in, a progress report with an evidence file, its validation,
the mail the worker sends, a minutes PDF, and a bounded load on the public pages.

Runs once, in the PostgreSQL pass of ``make test`` (skipped on SQLite). Every process
started is stopped at the end, by process group, failure or not.
"""

from __future__ import annotations

import email
import http.client
import os
import re
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from email import policy
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest

from apps.core.tests.processes import (
    ROOT,
    base_environment,
    manage,
    on_postgresql,
    postgresql_databases,
)

pytestmark = [
    pytest.mark.production,
    pytest.mark.skipif(not on_postgresql(), reason="runs in the PostgreSQL pass"),
]

DEMO_PASSWORD = "sharaka-demo"
FOCAL_POINT = "demo-fp-mtnra"
LOAD_CLIENTS, LOAD_SECONDS = 8, 15
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Inbox:
    def __init__(self) -> None:
        self.envelopes: list[Any] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.envelopes.append(envelope)
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list[Any]:
        messages = [
            email.message_from_bytes(e.original_content or e.content, policy=policy.default)
            for e in self.envelopes
        ]
        return [m for m in messages if m["To"] == address]


class Browser:
    """Cookies, CSRF and forms over http.client: a visitor without a browser."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.cookies: dict[str, str] = {}

    def request(
        self, method: str, path: str, body: bytes | None = None, content_type: str = ""
    ) -> tuple[int, dict[str, str], bytes]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        headers = {"Host": f"127.0.0.1:{self.port}"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if body is not None:
            headers["Content-Type"] = content_type
            headers["Origin"] = f"http://127.0.0.1:{self.port}"
            headers["Referer"] = f"http://127.0.0.1:{self.port}{path}"
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            data = response.read()
        finally:
            connection.close()
        for name, value in response.getheaders():
            if name.lower() == "set-cookie":
                key, _, rest = value.partition("=")
                self.cookies[key] = rest.split(";", 1)[0]
        return response.status, {k.lower(): v for k, v in response.getheaders()}, data

    def get(self, path: str) -> tuple[int, dict[str, str], bytes]:
        return self.request("GET", path)

    def post(
        self, path: str, fields: dict[str, str], files: dict[str, tuple[str, bytes]] | None = None
    ) -> tuple[int, dict[str, str], bytes]:
        fields = {"csrfmiddlewaretoken": self.cookies.get("csrftoken", ""), **fields}
        if not files:
            return self.request(
                "POST", path, urlencode(fields).encode(), "application/x-www-form-urlencoded"
            )
        boundary = uuid.uuid4().hex
        parts = []
        for name, value in fields.items():
            parts.append(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
                f"{value}\r\n".encode()
            )
        for name, (filename, data) in files.items():
            parts.append(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
                f'filename="{filename}"\r\nContent-Type: application/pdf\r\n\r\n'.encode()
                + data
                + b"\r\n"
            )
        parts.append(f"--{boundary}--\r\n".encode())
        return self.request(
            "POST", path, b"".join(parts), f"multipart/form-data; boundary={boundary}"
        )

    def sign_in(self, username: str) -> None:
        status, _, _ = self.get("/ar/accounts/login/")
        assert status == 200 and "csrftoken" in self.cookies
        status, headers, body = self.post(
            "/ar/accounts/login/", {"login": username, "password": DEMO_PASSWORD}
        )
        assert status == 302, body.decode()[:2000]
        assert "sessionid" in self.cookies


def report_form(port: int, lang: str) -> tuple[Browser, str, str, str]:
    """The demo focal point, signed in, on the form of their first activity in ``lang``:
    (their browser, the form's path, its HTML, its default reporting date)."""
    focal_point = Browser(port)
    focal_point.sign_in(FOCAL_POINT)
    status, _, body = focal_point.get(f"/{lang}/tracking/my/")
    activity = re.search(r"/tracking/activities/(\d+)/report/", body.decode())
    assert status == 200 and activity, "the focal point has nothing to report on"
    form_path = f"/{lang}/tracking/activities/{activity.group(1)}/report/"
    status, _, body = focal_point.get(form_path)
    page = body.decode()
    reported_on = re.search(r'name="reported_on"[^>]*value="([^"]+)"', page) or re.search(
        r'value="([^"]+)"[^>]*name="reported_on"', page
    )
    assert status == 200 and reported_on
    return focal_point, form_path, page, reported_on.group(1)


def hidden_inputs(html: str) -> dict[str, str]:
    fields = {}
    for tag in re.findall(r"<input[^>]*>", html):
        if 'type="hidden"' in tag:
            name = re.search(r'name="([^"]+)"', tag)
            value = re.search(r'value="([^"]*)"', tag)
            if name:
                fields[name.group(1)] = value.group(1) if value else ""
    return fields


def start(command: list[str], env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    with open(log, "wb") as out:
        return subprocess.Popen(  # noqa: S603
            command,
            env=env,
            cwd=ROOT,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group, stopped whole
        )


def stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is not None:
        return
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)
    except ProcessLookupError:
        pass


def wait_for_port(port: int, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"gunicorn stopped:\n{log.read_text()}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"gunicorn did not listen:\n{log.read_text()}")


@pytest.fixture(scope="module")
def platform(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[int, Inbox, Path, str]]:
    """The platform as deployed, shared by this module's tests (the last one takes its
    database away)."""
    from aiosmtpd.controller import Controller

    tmp_path = tmp_path_factory.mktemp("production")

    inbox = Inbox()
    smtp_port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=smtp_port)
    controller.start()
    processes: list[subprocess.Popen[bytes]] = []
    try:
        with postgresql_databases("production") as (database_url,):
            web_port = free_port()
            env = base_environment(tmp_path, database_url)
            env.update(
                STATICFILES_BACKEND="whitenoise.storage.CompressedManifestStaticFilesStorage",
                ALLOWED_HOSTS="127.0.0.1",
                EMAIL_HOST="127.0.0.1",
                EMAIL_PORT=str(smtp_port),
                SITE_URL=f"http://127.0.0.1:{web_port}",
            )
            manage(env, "migrate", "-v0")
            manage(env, "collectstatic", "--noinput", "-v0")
            manage(env, "load_demo")
            gunicorn = str(Path(sys.executable).with_name("gunicorn"))
            web_log = tmp_path / "gunicorn.log"
            processes.append(
                start(
                    [gunicorn, "sharaka.wsgi", "-w", "3", "-b", f"127.0.0.1:{web_port}"],
                    env,
                    web_log,
                )
            )
            processes.append(
                start(
                    [sys.executable, "manage.py", "worker", "--no-startup-delay"],
                    env,
                    tmp_path / "worker.log",
                )
            )
            wait_for_port(web_port, processes[0], web_log)
            yield web_port, inbox, tmp_path, database_url
    finally:
        for process in processes:
            stop(process)
        controller.stop()


def test_the_platform_as_deployed(platform: tuple[int, Inbox, Path, str]) -> None:
    port, inbox, var_dir, _ = platform
    visitor = Browser(port)

    # Public pages in three languages, their static files hashed and served by WhiteNoise.
    for language, marker in (("ar", 'dir="rtl"'), ("fr", 'lang="fr"'), ("en", 'lang="en"')):
        status, _, body = visitor.get(f"/{language}/")
        html = body.decode()
        assert status == 200 and marker in html
        assets = re.findall(r'/static/[^"\']+\.[0-9a-f]{12}\.(?:css|js)', html)
        assert assets, "no hashed static file on the page"
        for asset in assets:
            status, headers, _ = visitor.get(asset)
            assert status == 200
            assert "max-age=315360000" in headers["cache-control"], headers
    assert (var_dir / "static" / "staticfiles.json").exists()

    # A focal point reports progress with an evidence file.
    focal_point, form_path, page, reported_on = report_form(port, "ar")
    status, headers, body = focal_point.post(
        form_path,
        {
            **hidden_inputs(page),
            "progress": "80",
            "reported_on": reported_on,
            "narrative_ar": "اختبار مسار الإنتاج: أنجز التقرير",
            "links": "",
            "submit": "1",
        },
        files={"attachments": ("report.pdf", PDF)},
    )
    assert status == 302, body.decode()[:3000]
    update = re.search(r"/tracking/updates/(\d+)/", headers["location"])
    assert update
    status, _, body = focal_point.get(headers["location"])
    evidence = re.search(r"/ar/tracking/evidence/\d+/", body.decode())
    assert status == 200 and evidence
    status, _, data = focal_point.get(evidence.group(0))
    assert status == 200 and data == PDF

    # The secretariat validates it; the worker sends the decision mail.
    secretariat = Browser(port)
    secretariat.sign_in("demo-secretariat")
    secretariat.get(f"/ar/tracking/updates/{update.group(1)}/")
    status, _, body = secretariat.post(f"/ar/tracking/updates/{update.group(1)}/validate/", {})
    assert status in (200, 302), body.decode()[:2000]
    deadline = time.monotonic() + 30
    while not inbox.to(f"{FOCAL_POINT}@sharaka.example") and time.monotonic() < deadline:
        time.sleep(0.3)
    mails = inbox.to(f"{FOCAL_POINT}@sharaka.example")
    assert len(mails) == 1, (var_dir / "worker.log").read_text()

    # The minutes as a PDF: laid out by the worker (202 and a waiting page meanwhile).
    deadline = time.monotonic() + 60
    status, headers, data = visitor.get("/ar/meetings/1/minutes.pdf")
    while status == 202 and time.monotonic() < deadline:
        time.sleep(0.5)
        status, headers, data = visitor.get("/ar/meetings/1/minutes.pdf")
    assert status == 200 and data.startswith(b"%PDF"), data[:300]

    # A bounded load on the public pages, loopback only.
    pages = ["/ar/", "/fr/", "/en/", "/ar/meetings/", "/fr/methodology/", "/en/meetings/"]
    stop_at = time.monotonic() + LOAD_SECONDS

    def client(n: int) -> list[tuple[float, int]]:
        results = []
        i = n
        while time.monotonic() < stop_at:
            path = pages[i % len(pages)]
            i += 1
            began = time.monotonic()
            try:
                status = Browser(port).get(path)[0]
            except OSError:
                status = 0
            results.append((time.monotonic() - began, status))
        return results

    with ThreadPoolExecutor(LOAD_CLIENTS) as pool:
        results = [r for batch in pool.map(client, range(LOAD_CLIENTS)) for r in batch]
    times = sorted(t for t, _ in results)
    errors = sum(1 for _, status in results if status != 200)
    p95 = times[int(len(times) * 0.95) - 1]
    print(
        f"\nload: {LOAD_CLIENTS} clients x {LOAD_SECONDS} s: {len(results)} requests, "
        f"{errors} errors, p95 {p95 * 1000:.0f} ms"
    )
    assert errors == 0
    assert len(results) > 50


def test_the_database_going_away_answers_503_in_the_visitors_language(
    platform: tuple[int, Inbox, Path, str],
) -> None:
    """PostgreSQL stops taking connections (its existing ones are ended): every page
    answers 503 in the language of its address, a form posted meanwhile writes nothing,
    and the platform serves again once the database is back."""
    import psycopg

    port, _, _, database_url = platform
    name = database_url.rsplit("/", 1)[1]
    focal_point, form_path, page, _ = report_form(port, "fr")

    def count_updates() -> int:
        with psycopg.connect(database_url) as connection:
            row = connection.execute("SELECT count(*) FROM tracking_progressupdate").fetchone()
            return int(row[0]) if row else -1

    before = count_updates()
    admin = psycopg.connect(database_url.rsplit("/", 1)[0] + "/postgres", autocommit=True)
    try:
        admin.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false')
        admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s",
            [name],
        )
        for path, text in (
            ("/ar/", "منصة شراكة غير متاحة مؤقتًا"),
            ("/fr/", "Sharaka est momentanément indisponible"),
            ("/en/meetings/", "Sharaka is briefly unavailable"),
        ):
            status, headers, body = Browser(port).get(path)
            assert status == 503, body.decode()[:500]
            assert text in body.decode() and headers.get("retry-after") == "30"
        status, _, body = focal_point.post(
            form_path,
            {
                **hidden_inputs(page),
                "progress": "90",
                "reported_on": "2023-06-30",
                "narrative_ar": "لن يحفظ",
                "links": "",
                "submit": "1",
            },
            files={"attachments": ("report.pdf", PDF)},
        )
        assert status == 503
        assert "La base de données est injoignable" in body.decode()
    finally:
        admin.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true')
        admin.close()
    assert count_updates() == before
    assert Browser(port).get("/fr/")[0] == 200


def test_a_report_cut_off_in_the_middle_of_its_writes_leaves_nothing(
    platform: tuple[int, Inbox, Path, str],
) -> None:
    """The database goes away while a progress report is being written: its update and
    evidence rows are inserted and its file stored when the request waits (the audit
    table is locked from here), then every connection is ended. The focal point reads
    503 in French; no row and no file of the report is left."""
    import psycopg

    port, _, var_dir, database_url = platform
    name = database_url.rsplit("/", 1)[1]
    focal_point, form_path, page, reported_on = report_form(port, "fr")

    def counts() -> tuple[int, int, int]:
        with psycopg.connect(database_url) as connection:
            row = connection.execute(
                "SELECT (SELECT count(*) FROM tracking_progressupdate),"
                " (SELECT count(*) FROM tracking_evidence),"
                " (SELECT count(*) FROM core_auditlog)"
            ).fetchone()
            assert row
            return int(row[0]), int(row[1]), int(row[2])

    def files() -> set[Path]:
        return {p for p in (var_dir / "media").rglob("*") if p.is_file()}

    before, files_before = counts(), files()
    admin = psycopg.connect(database_url.rsplit("/", 1)[0] + "/postgres", autocommit=True)
    blocker = psycopg.connect(database_url)  # a transaction that locks the audit table
    blocker.execute("LOCK TABLE core_auditlog IN SHARE MODE")
    try:
        with ThreadPoolExecutor(1) as pool:
            answer = pool.submit(
                focal_point.post,
                form_path,
                {
                    **hidden_inputs(page),
                    "progress": "95",
                    "reported_on": reported_on,
                    "narrative_ar": "لن يحفظ: انقطعت قاعدة البيانات أثناء الكتابة",
                    "links": "https://example.org/evidence",
                    "submit": "1",
                },
                {"attachments": ("cut-off.pdf", PDF)},
            )
            deadline = time.monotonic() + 30
            waiting = 0
            while not waiting and time.monotonic() < deadline:
                row = admin.execute(
                    "SELECT count(*) FROM pg_stat_activity"
                    " WHERE datname = %s AND wait_event_type = 'Lock'",
                    [name],
                ).fetchone()
                waiting = int(row[0]) if row else 0
                time.sleep(0.1)
            assert waiting, "the report never reached the audit table"
            assert len(files()) == len(files_before) + 1  # its file is stored by now
            admin.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false')
            admin.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                " WHERE datname = %s AND pid <> pg_backend_pid()",
                [name],
            )
            status, headers, body = answer.result(timeout=60)
        assert status == 503, body.decode()[:1000]
        assert "La base de données est injoignable" in body.decode()
        assert headers.get("retry-after") == "30"
    finally:
        admin.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true')
        admin.close()
        blocker.close()
    assert counts() == before
    assert files() == files_before
    assert Browser(port).get("/fr/")[0] == 200
