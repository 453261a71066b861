"""The secretariat opens a report cycle and starts its first stage, in Debian's Chromium,
in Arabic, French and English."""

from __future__ import annotations

import pytest

from apps.plans.tests.factories import make_plan
from apps.plans.tests.test_browser import SCREENSHOTS, browser  # noqa: F401  (the shared fixture)
from apps.reports.models import ReportCycle

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("lang", ["ar", "fr", "en"])
def test_the_secretariat_creates_a_cycle_and_starts_its_first_stage(
    live_server,
    browser,  # noqa: F811
    secretariat,
    lang,
):
    from apps.accounts.tests.personas import PASSWORD

    plan = make_plan()
    base = live_server.url
    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    page.goto(f"{base}/{lang}/accounts/login/")
    page.fill("#id_username", secretariat.username)
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.goto(f"{base}/{lang}/reports/new/")
    page.select_option("#id_plan", str(plan.pk))
    page.select_option("#id_kind", "end_of_term")
    page.fill("#id_year", "2026")
    page.click("main form button")
    cycle = ReportCycle.objects.get(plan=plan)
    page.wait_for_url(f"{base}/{lang}/reports/{cycle.pk}/")
    assert page.locator("html").get_attribute("dir") == ("rtl" if lang == "ar" else "ltr")
    assert page.locator("form[action$='/start/']").count() == 6  # six planned stages
    page.locator("form[action$='/start/'] button").first.click()
    page.wait_for_load_state()
    assert page.locator("form[action$='/complete/']").count() == 1
    assert page.locator("form[action$='/start/']").count() == 5
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"report-cycle-{lang}.png"), full_page=True)
    started = [s for s in cycle.stages.all() if s.started_on]
    assert started == [cycle.stages.order_by("order").first()]
    page.close()
