"""The Content-Security-Policy holds because the pages need nothing it refuses: no inline
script, no ``style`` attribute or ``<style>`` element, no ``on…=`` event handler, no
``javascript:`` link. The pages are those each persona reaches from the home page by
following links (one page per URL name), on the demo; the browser test
(``test_csp_browser.py``) checks that Chromium reports no violation on them.
"""

from __future__ import annotations

import re
from collections import deque
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import Resolver404, resolve

from apps.accounts.models import User
from apps.accounts.tests.personas import PASSWORD
from apps.people.tests.test_two_factor import enrol, signed_in
from apps.reports.models import ReportFile

pytestmark = pytest.mark.django_db

# Links not followed: downloads, sign-out, the admin and the API (their own policies,
# sharaka/csp.py), the language switch (the same pages again).
SKIPPED = re.compile(
    r"/(admin|api|media|open-data)/|/accounts/logout/|/i18n/|"
    r"\.(pdf|docx|xlsx|csv|ics|json|zip|html)$|/(download|pdf|docx|file|export)/?$"
)
JSON_TYPES = {"application/json", "application/ld+json"}


class InlineFinder(HTMLParser):
    """What the strict policy would block in a page, with its line."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self.links: list[str] = []
        self._script_open = False
        self._script_has_src = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        where = f"line {self.getpos()[0]}: <{tag}"
        if tag == "script":
            kind = (values.get("type") or "").lower()
            self._script_open = True
            self._script_has_src = bool(values.get("src")) or kind in JSON_TYPES
        if tag == "style":
            self.found.append(f"{where}> element")
        for name, value in attrs:
            if name == "style":
                self.found.append(f"{where} style={value!r}>")
            elif (
                re.fullmatch(r"on[a-z]+", name)
                or name in ("href", "src", "action")
                and (value or "").strip().lower().startswith("javascript:")
            ):
                self.found.append(f"{where} {name}={value!r}>")
        if tag == "a" and values.get("href"):
            self.links.append(values["href"] or "")

    def handle_data(self, data: str) -> None:
        if self._script_open and not self._script_has_src and data.strip():
            self.found.append(f"line {self.getpos()[0]}: inline <script>: {data.strip()[:60]!r}")

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._script_open = False


def inline_code(html: str) -> list[str]:
    finder = InlineFinder()
    finder.feed(html)
    return finder.found


def test_the_finder_sees_what_the_policy_refuses():
    page = (
        '<p style="color:red">a</p><style>p{}</style><button onclick="go()">b</button>'
        '<script>alert(1)</script><a href="javascript:go()">c</a>'
        '<script src="/static/x.js"></script><script type="application/json">{"a": 1}</script>'
    )
    found = inline_code(page)
    assert len(found) == 5, found
    assert inline_code('<p class="x" data-on="1">a</p><script src="/s.js"></script>') == []


def _crawl(client: Client, start: str, limit: int = 80) -> dict[str, list[str]]:
    """Pages reached from ``start`` by links (one per URL name) → what each has inline."""
    seen_names: set[str] = set()
    results: dict[str, list[str]] = {}
    queue = deque([start])
    while queue and len(results) < limit:
        path = queue.popleft()
        try:
            match = resolve(path)
        except Resolver404:
            continue
        name = f"{match.namespace}:{match.url_name}"
        if name in seen_names:
            continue
        seen_names.add(name)
        response = client.get(path)
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        finder = InlineFinder()
        finder.feed(response.content.decode())
        results[path] = finder.found
        for href in finder.links:
            url = urlsplit(urljoin(path, href))
            if url.netloc or not url.path.startswith("/ar/") or SKIPPED.search(url.path):
                continue
            queue.append(url.path)
    return results


@pytest.fixture
def demo(db):
    call_command("load_demo", "--no-admin", verbosity=0)


def _signed_in(username: str) -> Client:
    client = Client()
    client.force_login(User.objects.get(username=username))
    return client


def test_no_page_holds_inline_code_for_any_persona(demo, secretariat, superuser):
    focal_point = User.objects.filter(username__startswith="demo-fp-").order_by("pk").first()
    assert focal_point is not None
    clients = {
        "public": Client(),
        "focal point": _signed_in(focal_point.username),
        "secretariat": _signed_in("demo-secretariat"),
        "committee": _signed_in("demo-committee"),
        "citizen": _signed_in("demo-salma"),
    }
    failures: list[str] = []
    visited = 0
    for persona, client in clients.items():
        pages = _crawl(client, "/ar/")
        # Sign-in, sign-up, the profile and two-factor pages (allauth's, ours in templates/).
        for path in ("/ar/accounts/login/", "/ar/accounts/signup/", "/ar/accounts/profile/"):
            if path not in pages:
                pages.update(_crawl(client, path, limit=1))
        visited += len(pages)
        for path, found in pages.items():
            failures += [f"{persona} {path} {item}" for item in found]
    assert not failures, "\n".join(failures[:40])
    # The walk reached the work pages, not just the home page.
    assert visited > 80, visited


def test_the_two_factor_pages_hold_no_inline_code(secretariat, settings):
    """allauth's pages as our templates render them: re-authentication, the QR code
    (a data: image, which img-src allows), recovery codes, the code asked at sign-in."""
    settings.SHARAKA_REQUIRE_TWO_FACTOR = True
    client = signed_in(secretariat)
    pages = {}
    for path in ("/ar/accounts/2fa/", "/ar/accounts/reauthenticate/"):
        pages[path] = client.get(path)
    enrol(client)
    for path in ("/ar/accounts/2fa/", "/ar/accounts/2fa/recovery-codes/"):
        pages[f"{path} (enrolled)"] = client.get(path)
    client = Client()
    client.post("/ar/accounts/login/", {"login": secretariat.username, "password": PASSWORD})
    pages["/ar/accounts/2fa/authenticate/"] = client.get("/ar/accounts/2fa/authenticate/")
    failures: list[str] = []
    for path, response in pages.items():
        assert response.status_code == 200, path
        failures += [f"{path} {item}" for item in inline_code(response.content.decode())]
    assert not failures, "\n".join(failures)


def _policy(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in header.split(";") if part.strip()}


def test_every_page_carries_the_strict_policy(client):
    response = client.get("/ar/")
    policy = _policy(response)
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["img-src"] == ["'self'", "data:"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["form-action"] == ["'self'"]
    assert policy["base-uri"] == ["'self'"]
    assert "unsafe" not in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"


def test_the_admin_and_swagger_run_under_the_same_strict_policy(superuser, client):
    client.force_login(superuser)
    strict = client.get("/ar/")["Content-Security-Policy"]
    for path in ("/ar/admin/", "/ar/admin/plans/commitment/add/", "/api/v1/docs"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert response["Content-Security-Policy"] == strict, path
        assert inline_code(response.content.decode()) == [], path


def test_a_report_s_html_file_has_its_own_sandboxed_policy(demo, client):
    item = ReportFile.objects.filter(format="html").first()
    assert item is not None
    client.force_login(User.objects.get(username="demo-secretariat"))
    response = client.get(f"/ar/reports/files/{item.pk}/")
    assert response.status_code == 200
    policy = _policy(response)
    assert policy["default-src"] == ["'none'"]
    assert policy["style-src"] == ["'unsafe-inline'"]
    assert "sandbox" in policy
    assert "script-src" not in policy
