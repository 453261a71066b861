"""The Arabic plan page in Debian's Chromium, driven by Playwright."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from apps.accounts.tests.browser import CHROMIUM, SCREENSHOTS, browser

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
# The shared fixture and paths (apps/accounts/tests/browser.py, beside the personas),
# also imported from here by the browser tests written before it was shared.
__all__ = ["CHROMIUM", "SCREENSHOTS", "browser"]


@pytest.mark.parametrize("lang", ["ar", "fr", "en"])
def test_the_plan_page_shows_the_22_commitments(live_server, browser, lang):
    call_command("load_demo", "--no-admin", verbosity=0)
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(f"{live_server.url}/{lang}/plans/morocco-2021-2023/")
    assert page.locator("html").get_attribute("dir") == ("rtl" if lang == "ar" else "ltr")
    assert page.locator("#commitments tbody tr[data-number]").count() == 22
    # In plan order the rows come theme by theme, each theme headed once.
    headings = page.locator("#commitments [data-testid=theme-heading]").all_inner_texts()
    assert len(headings) == len(set(headings)) > 1
    assert page.locator("[data-testid=plan-progress]").inner_text().strip() == "75%"
    # Bootstrap is loaded from our own server (the RTL build in Arabic), nothing from outside.
    assert all(url.startswith(live_server.url) for url in requests)
    css = page.evaluate("getComputedStyle(document.querySelector('nav.navbar')).display")
    assert css == "flex"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"plan-{lang}.png"), full_page=True)
    # On a phone each commitment is a card: its progress and level within the screen,
    # not pushed off to the side of a table.
    page.set_viewport_size({"width": 390, "height": 900})
    first = page.locator("#commitments tbody tr[data-number]").first
    for cell in (first.locator(".progress"), first.locator("td").last):
        box = cell.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390, box
    assert first.locator("td").last.get_attribute("data-label")
    page.close()
