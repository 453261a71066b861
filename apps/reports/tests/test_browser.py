"""The secretariat opens a report cycle and starts its first stage, in Debian's Chromium,
in Arabic, French and English."""

from __future__ import annotations

import pytest

from apps.accounts.tests.browser import SCREENSHOTS, sign_in
from apps.plans.tests.factories import make_plan
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
    page.fill("#id_login", secretariat.username)
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


COMMENTS = {
    "ar": "يستحسن ذكر تاريخ انطلاق الخطة في المقدمة.",
    "fr": "L’introduction devrait rappeler la date de lancement du plan : "
    "https://www.opengovpartnership.org/?doc=morocco_action_plan_2021_2023_end_of_term_report",
    "en": "The introduction should recall when the plan started.",
}


def test_a_member_comments_in_three_languages_and_the_secretariat_resolves(
    live_server,
    browser,  # noqa: F811
    demo_cycle,
    committee_member,
    secretariat,
):
    from apps.reports.models import ReviewComment

    base = live_server.url
    review = f"/reports/{demo_cycle.pk}/review/"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page = sign_in(browser, base, "ar", committee_member, width=390)
    for lang, text in COMMENTS.items():
        page.goto(f"{base}/{lang}{review}")
        assert page.locator("html").get_attribute("dir") == ("rtl" if lang == "ar" else "ltr")
        page.fill("#introduction textarea[name=body]", text)
        page.click("#introduction form.review-form button")
        page.wait_for_url(f"{base}/{lang}{review}#introduction")
        assert page.locator("#introduction .review-body", has_text=text).count() == 1
        # Nothing overflows a phone's width (a long link in a comment wraps).
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        if lang in ("ar", "fr"):
            page.screenshot(path=str(SCREENSHOTS / f"report-review-{lang}-390.png"), full_page=True)
    page.close()
    mine = ReviewComment.objects.filter(author=committee_member).order_by("pk")
    assert [c.body for c in mine] == list(COMMENTS.values())
    page = sign_in(browser, base, "fr", secretariat)
    page.goto(f"{base}/fr{review}")
    assert page.get_by_test_id("open-count").inner_text().endswith("5")
    arabic = mine[0]
    page.check(f"#id_r{arabic.pk}_resolution_0")
    page.fill(f"#id_r{arabic.pk}_response", "Ajouté : le plan a été lancé en janvier 2021.")
    page.click(f"#comment-{arabic.pk} form.review-resolve button")
    page.wait_for_url(f"{base}/fr{review}#comment-{arabic.pk}")
    assert page.get_by_test_id("open-count").inner_text().endswith("4")
    assert page.locator(f"#comment-{arabic.pk} .review-response").count() == 1
    page.screenshot(path=str(SCREENSHOTS / "report-review-fr-secretariat.png"), full_page=True)
    page.goto(f"{base}/ar{review}?open=1")
    page.screenshot(path=str(SCREENSHOTS / "report-review-ar-secretariat.png"), full_page=True)
    arabic.refresh_from_db()
    assert arabic.resolution == "accepted" and arabic.resolved_by == secretariat
    page.close()
