"""Phones: no main page is wider than a 390 px screen, in any language, for a visitor,
the secretariat and a focal point (Debian's Chromium, the demo's data). List tables
become stacked cards there (``table-stack``), each cell under its column's name."""

from __future__ import annotations

import re

import pytest
from django.core.management import call_command

from apps.accounts.tests.browser import SCREENSHOTS, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTH = 390
PUBLIC = [
    "/",
    "/plans/",
    "/plans/morocco-2021-2023/",
    "/plans/morocco-2021-2023/commitments/12/",
    "/institutions/",
    "/methodology/",
    "/meetings/",
    "/committees/",
    "/participate/",
    "/search/?q=%D8%A7%D8%B9%D8%A7%D9%82%D9%87",
    "/privacy/",
]
SECRETARIAT = [
    "/tracking/dashboard/",
    "/tracking/queue/",
    "/people/",
    "/audit/",
    "/accounts/profile/",
]
FOCAL_POINT = ["/tracking/my/", "/accounts/profile/"]


def too_wide(page, base: str, lang: str, paths: list[str]) -> dict[str, int]:
    wide = {}
    for path in paths:
        response = page.goto(f"{base}/{lang}{path}")
        assert response is not None and response.status == 200, path
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > WIDTH:
            wide[path] = width
    return wide


@pytest.mark.parametrize("lang", ["ar", "fr", "en"])
def test_no_page_is_wider_than_a_phone(live_server, browser, lang):
    call_command("load_demo", verbosity=0)
    call_command("rebuild_search_index", verbosity=0)
    base = live_server.url
    visitor = browser.new_page(viewport={"width": WIDTH, "height": 800})
    visitor.goto(f"{base}/{lang}/meetings/")
    meetings = visitor.eval_on_selector_all(
        "main a[href*='/meetings/']", "links => links.map(a => a.getAttribute('href'))"
    )
    minutes = [m[3:] for m in meetings if re.search(r"/meetings/\d+/minutes/$", m)][:1]
    meeting = [m[3:] for m in meetings if re.search(r"/meetings/\d+/$", m)][:1]
    visitor.goto(f"{base}/{lang}/institutions/")
    institution = visitor.eval_on_selector_all(
        "main a[href*='/institutions/']", "links => links.map(a => a.getAttribute('href'))"
    )[:1]
    assert minutes and meeting and institution
    pages = [*PUBLIC, *minutes, *meeting, institution[0][3:]]
    assert too_wide(visitor, base, lang, pages) == {}

    # A list table as cards: its cells carry their column's name.
    visitor.goto(f"{base}/{lang}/plans/")
    label = visitor.locator("table.table-stack tbody td").first.get_attribute("data-label")
    assert label and label == visitor.locator("table.table-stack thead th").first.inner_text()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    visitor.screenshot(path=str(SCREENSHOTS / f"phone-plans-{lang}.png"))

    secretariat = sign_in(
        browser, base, lang, "demo-secretariat", width=WIDTH, password="sharaka-demo"
    )
    assert too_wide(secretariat, base, lang, SECRETARIAT) == {}
    focal_point = sign_in(
        browser, base, lang, "demo-fp-mtnra", width=WIDTH, password="sharaka-demo"
    )
    assert too_wide(focal_point, base, lang, FOCAL_POINT) == {}
