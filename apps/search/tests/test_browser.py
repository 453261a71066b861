"""A citizen searches from the header box, in Arabic and in French, in Chromium."""

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
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield browser
        browser.close()


@pytest.mark.parametrize(
    ("lang", "query", "title"),
    [
        # Typed without hamza and with ha for ta marbuta: found all the same.
        ("ar", "اعاقه", "تعزيز الولوج إلى المعلومات للأشخاص في وضعية إعاقة"),
        (
            "fr",
            "handicap",
            "Renforcer l'accès à l'information des personnes en situation de handicap",
        ),
        ("en", "disabilities", "access to information for persons with disabilities"),
    ],
)
def test_a_citizen_searches_from_the_header_and_reaches_the_commitment(
    live_server, browser, lang, query, title
):
    call_command("load_demo", "--no-admin", verbosity=0)
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(f"{live_server.url}/{lang}/")
    box = page.locator("[data-testid=header-search] input[name=q]")
    box.fill(query)
    box.press("Enter")
    page.wait_for_url(f"**/{lang}/search/?q=*")
    assert page.locator("[data-testid=search-query]").first.inner_text() == query
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"search-{lang}.png"), full_page=True)
    page.locator(".search-result[data-kind=commitment] a.search-title").first.click()
    page.wait_for_url(f"**/{lang}/plans/morocco-2021-2023/commitments/12/")
    assert title in page.locator("h1").inner_text()
    page.close()
