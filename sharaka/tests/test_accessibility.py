"""Accessibility, proven in a real browser: axe-core (installed by ``make test`` from
package-lock.json) runs in Debian's Chromium on the main public pages and on the focal
point's and the secretariat's main pages, in ar, fr and en, at desktop and phone widths,
against WCAG 2.1 A and AA: no violation. And a keyboard alone reads the plan."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.management import call_command

from apps.accounts.tests.browser import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
RULES = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
PUBLIC = [
    "/",
    "/plans/",
    "/plans/morocco-2021-2023/",
    "/plans/morocco-2021-2023/commitments/12/",
    "/institutions/",
    "/institutions/adfm/",
    "/methodology/",
    "/meetings/",
    "/search/?q=handicap",
    "/privacy/",
    "/participate/",
]
WORK = {
    "demo-secretariat": ["/tracking/dashboard/", "/tracking/queue/", "/people/", "/audit/"],
    "demo-fp-mtnra": ["/tracking/my/", "/accounts/profile/"],
}


def violations(page: Any, base: str, lang: str, paths: list[str]) -> list[str]:
    found = []
    source = AXE.read_text(encoding="utf-8")
    for path in paths:
        response = page.goto(f"{base}/{lang}{path}")
        assert response is not None and response.status == 200, path
        page.evaluate(source)
        result = page.evaluate(
            "async (tags) => (await axe.run(document, {runOnly: {type: 'tag', values: tags}}))"
            ".violations.map(v => `${v.id}: ${v.nodes.map(n => n.target.join(' ')).join(', ')}`)",
            RULES,
        )
        found += [f"{lang}{path}: {v}" for v in result]
    return found


@pytest.fixture
def demo(live_server):
    assert AXE.exists(), "axe-core is missing: run scripts/bootstrap.sh test"
    call_command("load_demo", verbosity=0)
    call_command("rebuild_search_index", verbosity=0)
    return live_server.url


@pytest.mark.parametrize("lang", ["ar", "fr", "en"])
@pytest.mark.parametrize("width", [1280, 390])
def test_axe_finds_no_violation(demo, browser, lang, width):
    # axe is injected by the test, so the page's Content-Security-Policy is set aside for
    # it (the pages' own compliance with the CSP is sharaka/tests/test_csp_browser.py).
    context = browser.new_context(viewport={"width": width, "height": 900}, bypass_csp=True)
    found = violations(context.new_page(), demo, lang, PUBLIC)
    for username, paths in WORK.items():
        signed_in = browser.new_context(viewport={"width": width, "height": 900}, bypass_csp=True)
        page = sign_in(signed_in, demo, lang, username, password="sharaka-demo")
        found += violations(page, demo, lang, paths)
    assert found == []


@pytest.mark.parametrize("lang", ["ar", "fr", "en"])
def test_a_keyboard_alone_reads_the_plan(demo, browser, lang):
    """From the home page, Tab reaches the plan's link with a visible focus ring, Enter
    opens it, and Tab then reaches the first commitment."""
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(f"{demo}/{lang}/")
    for _ in range(60):
        page.keyboard.press("Tab")
        href = page.evaluate("document.activeElement.getAttribute('href') || ''")
        if href.endswith("/plans/morocco-2021-2023/"):
            break
    else:
        pytest.fail("Tab never reached the plan")
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline == "solid"  # the focus ring
    with page.expect_navigation():
        page.keyboard.press("Enter")
    for _ in range(80):
        page.keyboard.press("Tab")
        href = page.evaluate("document.activeElement.getAttribute('href') || ''")
        if href.endswith("/commitments/1/"):
            break
    else:
        pytest.fail("Tab never reached the first commitment")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith(f"/{lang}/plans/morocco-2021-2023/commitments/1/")


def tab_to(page: Any, test: str, what: str, presses: int = 120) -> None:
    """Press Tab until the focused element passes ``test`` (a JS expression on ``el``)."""
    for _ in range(presses):
        page.keyboard.press("Tab")
        if page.evaluate(f"(() => {{ const el = document.activeElement; return !!({test}); }})()"):
            return
    pytest.fail(f"Tab never reached {what}")


@pytest.mark.parametrize("lang", ["ar", "fr", "en"])
def test_a_keyboard_alone_reports_progress_and_validates_it(demo, browser, lang):
    from apps.tracking.models import ProgressUpdate

    focal_point = sign_in(browser, demo, lang, "demo-fp-mtnra", password="sharaka-demo")
    focal_point.goto(f"{demo}/{lang}/tracking/my/")
    tab_to(focal_point, "(el.getAttribute('href') || '').endsWith('/report/')", "a report link")
    with focal_point.expect_navigation():
        focal_point.keyboard.press("Enter")
    tab_to(focal_point, "el.name === 'progress'", "the progress field")
    focal_point.keyboard.press("Control+A")
    focal_point.keyboard.type("55")
    tab_to(focal_point, "(el.name || '').startsWith('narrative_')", "the narrative")
    focal_point.keyboard.type("تقدم مسجل بلوحة المفاتيح وحدها")
    tab_to(focal_point, "el.name === 'submit'", "the submit button")
    with focal_point.expect_navigation():
        focal_point.keyboard.press("Enter")
    update = ProgressUpdate.objects.latest("pk")
    assert update.progress == 55 and update.status == "submitted"

    secretariat = sign_in(browser, demo, lang, "demo-secretariat", password="sharaka-demo")
    secretariat.goto(f"{demo}/{lang}/tracking/queue/")
    tab_to(
        secretariat,
        f"el.dataset.testid === 'approve' && el.closest('tr').dataset.update === '{update.pk}'",
        "the approve button",
    )
    secretariat.keyboard.press("Enter")
    approve = f'tr[data-update="{update.pk}"] [data-testid=approve]'
    secretariat.locator(approve).wait_for(state="detached")
    update.refresh_from_db()
    assert update.status == "validated"
