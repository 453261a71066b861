"""Two-factor sign-in in Debian's Chromium, in the three languages: a secretariat member
signs in, is asked to enrol, reads the secret key shown beside the QR code into an
"authenticator" (RFC 6238 computed with allauth's own functions), confirms, signs out
and signs back in with a code."""

from __future__ import annotations

import pytest
from allauth.mfa.totp.internal.auth import (
    format_hotp_value,
    hotp_value,
    yield_hotp_counters_from_time,
)

from apps.accounts.tests.personas import PASSWORD
from apps.plans.tests.test_browser import browser  # noqa: F401 - the shared fixture

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TITLE = {
    "ar": "التحقق بخطوتين إلزامي",
    "fr": "La connexion en deux étapes est obligatoire",
    "en": "Two-factor sign-in is required",
}


def code_for(secret: str) -> str:
    return format_hotp_value(hotp_value(secret, next(iter(yield_hotp_counters_from_time()))))


def submit(page, selector: str = "main button[type=submit]") -> None:
    with page.expect_navigation():
        page.click(selector)


@pytest.mark.parametrize("lang", ["ar", "fr", "en"])
def test_a_secretariat_member_enrols_and_signs_in_with_a_code(
    live_server,
    browser,  # noqa: F811
    settings,
    lang,
):
    from apps.accounts.roles import Role
    from apps.accounts.tests.personas import make_user

    settings.SHARAKA_REQUIRE_TWO_FACTOR = True
    make_user("amal", Role.SECRETARIAT, language=lang)
    base = live_server.url
    page = browser.new_page()
    page.goto(f"{base}/{lang}/accounts/login/")
    assert page.locator("html").get_attribute("dir") == ("rtl" if lang == "ar" else "ltr")
    page.fill("#id_login", "amal")
    page.fill("#id_password", PASSWORD)
    submit(page)
    # Asked to enrol, whatever page is asked for.
    page.goto(f"{base}/{lang}/plans/")
    assert page.url.endswith(f"/{lang}/accounts/two-factor/required/")
    assert page.locator("h1").inner_text() == TITLE[lang]
    with page.expect_navigation():
        page.click("[data-testid=enrol]")
    # allauth asks for the password again before a second factor is added.
    assert "/accounts/reauthenticate/" in page.url
    page.fill("#id_password", PASSWORD)
    submit(page)
    assert page.url.endswith(f"/{lang}/accounts/2fa/totp/activate/")
    assert page.locator("main img[src^='data:image/svg+xml']").is_visible()
    secret = page.input_value("[data-testid=totp-secret]")
    page.fill("#id_code", code_for(secret))
    submit(page, "[data-testid=totp-activate] button[type=submit]")
    # The recovery codes are shown once enrolled; the platform opens again.
    assert "/accounts/2fa/recovery-codes/" in page.url
    assert len(page.input_value("#recovery_codes").split()) == 10
    page.goto(f"{base}/{lang}/accounts/profile/")
    assert page.locator("[data-testid=two-factor-manage]").is_visible()
    submit(page, "#nav form[action$='/logout/'] button")

    page.goto(f"{base}/{lang}/accounts/login/")
    page.fill("#id_login", "amal")
    page.fill("#id_password", PASSWORD)
    submit(page)
    assert page.url.endswith(f"/{lang}/accounts/2fa/authenticate/")
    page.fill("#id_code", code_for(secret))
    submit(page, "[data-testid=two-factor-form] button[type=submit]")
    page.goto(f"{base}/{lang}/accounts/profile/")
    assert page.url.endswith(f"/{lang}/accounts/profile/")
    assert page.locator("[data-testid=profile-link]").inner_text() == "amal"
