"""A translator translates an activity title into French, in Debian's Chromium."""

from __future__ import annotations

import pytest

from apps.plans.models import Activity
from apps.plans.tests.test_browser import SCREENSHOTS, browser  # noqa: F401  (the shared fixture)
from apps.translations.models import TranslationState
from apps.translations.registry import kinds
from apps.translations.status import entries

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SAVED = {
    "ar": "حُفظت الترجمة مسودةً.",
    "fr": "La traduction est enregistrée comme brouillon.",
    "en": "The translation is saved as a draft.",
}


@pytest.mark.parametrize("lang", ["ar", "fr", "en"])
def test_the_translator_translates_an_activity_title_into_french(
    live_server,
    browser,  # noqa: F811
    translator,
    commitment,
    lang,
):
    from apps.accounts.tests.personas import PASSWORD

    activity = Activity.objects.filter(commitment=commitment).order_by("pk").first()
    assert activity is not None
    Activity.objects.filter(pk=activity.pk).update(title_ar="تنظيم ورشة وطنية", title_fr="")
    translator.preferred_language = lang
    translator.save(update_fields=["preferred_language"])
    base = live_server.url
    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    page.goto(f"{base}/{lang}/accounts/login/")
    page.fill("#id_login", translator.username)
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(f"{base}/{lang}/")
    page.click("[data-testid=translations-menu]")
    # The coverage: French activity titles that are missing.
    page.select_option("#id_kind", "plans.activity")
    page.select_option("#id_language", "fr")
    page.select_option("#id_status", "missing")
    page.click("[data-testid=coverage-filter] button[type=submit]")
    row = page.locator(f"#entries tr[data-object='{activity.pk}'][data-field='title']")
    assert row.count() == 1
    row.locator("a").click()
    card = page.locator("section#title")
    source = card.locator("[data-testid=source-title]")
    target = card.locator("textarea")
    assert source.inner_text() == "تنظيم ورشة وطنية"
    # The Arabic source on the right, the French field on the left, whatever the UI.
    source_box, target_box = source.bounding_box(), target.bounding_box()
    assert source_box and target_box and source_box["x"] > target_box["x"]
    assert target.get_attribute("lang") == "fr"
    target.fill("Organiser un atelier national")
    card.locator("button[value=save]").click()
    assert SAVED[lang] in page.locator(".alert").first.inner_text()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"translate-{lang}.png"), full_page=True)
    activity.refresh_from_db()
    assert activity.title_fr == "Organiser un atelier national"
    kind = kinds()["plans.activity"]
    found = entries(kind, "fr", Activity.objects.filter(pk=activity.pk), ["title"])
    assert found[0].state == TranslationState.DRAFT and found[0].last_editor == translator
    # The French commitment page now shows it, unmarked.
    page.goto(f"{base}/fr{commitment.get_absolute_url()[3:]}")
    cell = page.locator("td div[dir=auto]").filter(has_text="Organiser un atelier national")
    assert cell.count() == 1 and cell.locator("span[lang=ar]").count() == 0
    page.close()
