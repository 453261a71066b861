"""The Arabic plan page in Debian's Chromium, driven by Playwright."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CHROMIUM = "/usr/bin/chromium"
SCREENSHOTS = Path(settings.VAR_DIR) / "screenshots"


@pytest.fixture
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield browser
        browser.close()


@pytest.mark.parametrize("lang", ["ar", "fr", "en"])
def test_the_plan_page_shows_the_22_commitments(live_server, browser, lang):
    call_command("load_demo", "--no-admin", verbosity=0)
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(f"{live_server.url}/{lang}/plans/morocco-2021-2023/")
    assert page.locator("html").get_attribute("dir") == ("rtl" if lang == "ar" else "ltr")
    assert page.locator("#commitments tbody tr").count() == 22
    assert page.locator("[data-testid=plan-progress]").inner_text().strip() == "75%"
    # Bootstrap is loaded from our own server (the RTL build in Arabic), nothing from outside.
    assert all(url.startswith(live_server.url) for url in requests)
    css = page.evaluate("getComputedStyle(document.querySelector('nav.navbar')).display")
    assert css == "flex"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"plan-{lang}.png"), full_page=True)
    page.close()
