"""What every browser test shares: Debian's Chromium driven by Playwright (the
``browser`` fixture, registered in the root ``conftest.py``), where screenshots go, the
browser's locale per language, and signing in through allauth's form."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings

CHROMIUM = "/usr/bin/chromium"
SCREENSHOTS = Path(settings.VAR_DIR) / "screenshots"
# The browser speaks the page's language too (its date picker shows 29/11/2026 in French).
LOCALES = {"ar": "ar-MA", "fr": "fr-FR", "en": "en-GB"}


@pytest.fixture
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(
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
        yield chromium
        chromium.close()


def sign_in(
    where: Any, base: str, lang: str, who: Any, *, width: int = 1280, password: str = ""
) -> Any:
    """Sign ``who`` (a user or a username) in through the sign-in page in ``lang``; returns
    the page, signed in. ``where`` is the browser (a new context, in the language's
    locale, ``width`` wide), a context (a new page in it) or a page (used as it is)."""
    from apps.accounts.tests.personas import PASSWORD

    if hasattr(where, "new_context"):
        context = where.new_context(
            viewport={"width": width, "height": 900}, locale=LOCALES.get(lang, "en-GB")
        )
        page = context.new_page()
    elif hasattr(where, "new_page"):
        page = where.new_page()
    else:
        page = where
    page.goto(f"{base}/{lang}/accounts/login/")
    page.fill("#id_login", getattr(who, "username", who))
    page.fill("#id_password", password or PASSWORD)
    with page.expect_navigation():
        page.click("main button[type=submit]")
    return page
