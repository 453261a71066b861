"""In Debian's Chromium: citizens comment on the draft report in Arabic and in French,
each publishes the comment through the link mailed to them (a real SMTP server), and the
secretariat responds. Screenshots of the public page in Arabic and French, phone and
desktop widths."""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache
from django.core.management import call_command

from apps.plans.models import Commitment
from apps.plans.tests.test_browser import SCREENSHOTS, browser  # noqa: F401  (the shared fixture)
from apps.reports.models import PublicComment, ReportCycle
from apps.reports.tests.factories import open_consultation

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def _comment(page, base, lang, cycle, commitment, name, email, body):
    page.goto(f"{base}/{lang}/reports/{cycle.pk}/consultation/")
    page.fill("#id_name", name)
    page.fill("#id_email", email)
    page.select_option("#id_about", f"commitment:{commitment.pk}")
    page.fill("#id_body", body)
    page.click("[data-testid=send-comment]")
    page.wait_for_url(f"{base}/{lang}/reports/{cycle.pk}/consultation/sent/")
    assert page.locator("[data-testid=check-mail]").is_visible()


def _verify_from_mail(page, smtp, email, base):
    (message,) = smtp.to(email)
    text = message.get_body(preferencelist=("plain",)).get_content()
    link = re.search(re.escape(base) + r"\S+", text).group(0)
    page.goto(link)
    page.click("[data-testid=confirm-comment]")
    page.wait_for_load_state()


def test_citizens_comment_in_arabic_and_french_and_the_secretariat_responds(
    live_server,
    browser,  # noqa: F811
    smtp,
    settings,
    media,
    secretariat,
):
    from apps.accounts.tests.personas import PASSWORD

    cache.clear()
    settings.TASKS = IMMEDIATE
    settings.SITE_URL = live_server.url
    call_command("load_demo", "--no-admin", verbosity=0)
    cycle = open_consultation(
        ReportCycle.objects.get(plan__slug="morocco-2021-2023", kind="end_of_term"), days_ago=2
    )
    commitment = Commitment.objects.filter(plan=cycle.plan).order_by("number").first()
    base = live_server.url

    arabic = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
    _comment(
        arabic,
        base,
        "ar",
        cycle,
        commitment,
        "فاطمة الزهراء",
        "fz@example.org",
        "نقترح نشر البيانات <b>بصيغة مفتوحة</b>.",
    )
    assert not PublicComment.objects.filter(status="published").exists()
    _verify_from_mail(arabic, smtp, "fz@example.org", base)
    assert arabic.locator("html").get_attribute("dir") == "rtl"
    assert arabic.get_by_text("نقترح نشر البيانات <b>بصيغة مفتوحة</b>.").is_visible()

    french = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    _comment(
        french,
        base,
        "fr",
        cycle,
        commitment,
        "Claire Dubois",
        "claire@example.org",
        "Le calendrier de cet engagement mériterait d'être précisé.",
    )
    _verify_from_mail(french, smtp, "claire@example.org", base)
    assert french.get_by_text("mériterait d'être précisé").is_visible()

    staff = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    staff.goto(f"{base}/ar/accounts/login/")
    staff.fill("#id_login", secretariat.username)
    staff.fill("#id_password", PASSWORD)
    staff.click("main button[type=submit]")
    staff.wait_for_load_state()
    staff.goto(f"{base}/ar/reports/{cycle.pk}/consultation/moderate/?awaiting=1")
    assert "2" in staff.locator("[data-testid=awaiting-count]").inner_text()
    target = PublicComment.objects.get(participant__email="fz@example.org")
    staff.fill(f"#response-{target.pk}", "شكرًا، سيُنشر الملحق بصيغة مفتوحة في النسخة المقبلة.")
    staff.click(f"[data-testid=respond-{target.pk}]")
    staff.wait_for_load_state()
    target.refresh_from_db()
    assert target.response.startswith("شكرًا")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    staff.screenshot(path=str(SCREENSHOTS / "consultation-moderate-ar.png"), full_page=True)

    for lang in ("ar", "fr"):
        for width, height, label in ((390, 844, "phone"), (1280, 900, "desktop")):
            page = browser.new_context(viewport={"width": width, "height": height}).new_page()
            page.goto(f"{base}/{lang}/reports/{cycle.pk}/consultation/")
            assert page.locator(f"#comment-{target.pk}").is_visible()
            # No sideways scrolling at a phone's width, whatever the commitments' titles.
            assert page.evaluate("document.documentElement.scrollWidth") <= width
            page.screenshot(
                path=str(SCREENSHOTS / f"consultation-{lang}-{label}.png"), full_page=True
            )
            page.close()
