"""The lockout page in Debian's Chromium, in the three languages: after the limit of
wrong passwords, the right one shows the lockout page (429), in the page's language and
direction, with the way out (password reset)."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings as django_settings

from apps.accounts.tests.personas import PASSWORD
from apps.plans.tests.test_browser import browser  # noqa: F401 - the shared fixture

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
# The production number (the test settings raise axes' limit, not this one).
LIMIT = django_settings.SHARAKA_LOGIN_FAILURE_LIMIT

SCREENSHOTS = Path(django_settings.VAR_DIR) / "screenshots"
TITLE = {"ar": "تسجيل الدخول موقوف", "fr": "Connexion bloquée", "en": "Sign-in locked"}


def sign_in(page, base: str, lang: str, password: str) -> int:
    page.goto(f"{base}/{lang}/accounts/login/")
    page.fill("#id_login", "amal")
    page.fill("#id_password", password)
    with page.expect_navigation() as navigation:
        page.click("main button[type=submit]")
    return navigation.value.status


@pytest.mark.parametrize("lang", ["ar", "fr", "en"])
def test_the_lockout_page_in_the_browser(live_server, browser, settings, lang):  # noqa: F811
    from apps.accounts.tests.personas import make_user

    settings.AXES_FAILURE_LIMIT = settings.SHARAKA_LOGIN_FAILURE_LIMIT
    make_user("amal", language=lang)
    page = browser.new_page()
    statuses = [sign_in(page, live_server.url, lang, "wrong") for _ in range(LIMIT)]
    assert statuses == [200] * (LIMIT - 1) + [429]
    assert sign_in(page, live_server.url, lang, PASSWORD) == 429
    assert page.locator("[data-testid=locked-out]").inner_text() == TITLE[lang]
    assert page.locator("html").get_attribute("dir") == ("rtl" if lang == "ar" else "ltr")
    assert page.locator("main [role=alert]").is_visible()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"lockout-{lang}.png"), full_page=True)
    page.click(f"main a[href='/{lang}/accounts/password/reset/']")
    page.wait_for_url(f"**/{lang}/accounts/password/reset/")
    page.close()
