"""A focal point reports in Arabic and the secretariat validates, in Debian's Chromium."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings

from apps.plans.tests.test_browser import browser  # noqa: F401 - the shared fixture
from apps.tracking.tests.factories import PDF
from conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(settings.VAR_DIR) / "screenshots"


def sign_in(page, base, username):
    page.goto(f"{base}/ar/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(f"{base}/ar/")


def test_a_focal_point_reports_in_arabic_and_the_secretariat_validates(
    live_server,
    browser,  # noqa: F811
    activity,
    focal_point_a,
    secretariat,
    tmp_path,  # noqa: F811
):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    base = live_server.url
    evidence = tmp_path / "محضر.pdf"
    evidence.write_bytes(PDF)

    fp = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    sign_in(fp, base, focal_point_a.username)
    fp.click("text=التزاماتي")
    fp.click(f"[data-activity='{activity.pk}'] >> text=الإبلاغ عن التقدم")
    fp.fill("#id_progress", "65")
    fp.fill("#id_narrative_ar", "تم إعداد مشروع النص القانوني وعرضه على الأمانة العامة للحكومة")
    fp.set_input_files("#id_attachments", str(evidence))
    fp.fill("#id_links", "https://example.org/محضر")
    fp.screenshot(path=str(SCREENSHOTS / "tracking-report-ar.png"), full_page=True)
    fp.click("[data-testid=submit-update]")
    fp.wait_for_selector("[data-status=submitted]")
    assert fp.locator("html").get_attribute("dir") == "rtl"
    assert fp.locator("[data-testid=update-progress]").inner_text().strip() == "65%"
    fp.screenshot(path=str(SCREENSHOTS / "tracking-submitted-ar.png"), full_page=True)

    sec = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    sign_in(sec, base, secretariat.username)
    sec.click("text=في انتظار المصادقة")
    row = sec.locator("#queue tbody tr").first
    assert "65%" in row.inner_text() and "20%" in row.inner_text()
    sec.screenshot(path=str(SCREENSHOTS / "tracking-queue-ar.png"), full_page=True)
    count = sec.locator("[data-testid=queue-count]")
    assert count.inner_text().strip() == "تحيين واحد في انتظار المصادقة."
    row.locator("[data-testid=approve]").click()
    sec.wait_for_selector("#queue [data-status=validated]")  # swapped in place by htmx
    # The count above the queue follows the decision (swapped out of band).
    sec.wait_for_function(
        "document.querySelector('[data-testid=queue-count]').innerText.includes('لا يوجد')"
    )
    assert sec.locator("[data-testid=queue-count]").count() == 1
    assert sec.url.endswith("/ar/tracking/queue/")
    sec.screenshot(path=str(SCREENSHOTS / "tracking-validated-ar.png"), full_page=True)

    public = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    public.goto(f"{base}{activity.commitment.get_absolute_url()}")
    assert public.locator("[data-testid=commitment-progress]").inner_text().strip() == "65%"
    history = public.locator("#progress-history").inner_text()
    assert "تم إعداد مشروع النص القانوني" in history and "محضر.pdf" in history
    public.screenshot(path=str(SCREENSHOTS / "tracking-public-ar.png"), full_page=True)
