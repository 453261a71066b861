"""The Arabic minutes in Debian's Chromium, driven by Playwright."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from apps.committees.models import Meeting, Snapshot
from apps.plans.tests.test_browser import browser  # noqa: F401  (the shared fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_arabic_minutes_read_right_to_left_with_the_22_rows(live_server, browser):  # noqa: F811
    call_command("load_demo", "--no-admin", verbosity=0)
    meeting = Meeting.objects.get()
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(f"{live_server.url}/ar/meetings/{meeting.pk}/minutes/")
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.locator("[data-testid=progress-table] tbody tr").count() == 22
    assert page.locator("[data-testid=participants] li").count() == 21
    assert page.locator("[data-testid=participants] li.remote").count() == 7
    first = page.locator("[data-testid=progress-table] tbody tr").first
    # The number column is on the right in Arabic.
    number_box = first.locator("td.col-number").bounding_box()
    title_box = first.locator("td.col-title").bounding_box()
    assert number_box and title_box and number_box["x"] > title_box["x"]
    assert "65%" in first.locator("td.col-progress").inner_text()
    assert all(url.startswith(live_server.url) for url in requests)


FREEZE_ERROR = {
    "ar": "ضع علامة في الخانة لتأكيد أن اللقطة نهائية.",
    "fr": "Cochez la case pour confirmer que l'instantané est définitif.",
    "en": "Tick the box to confirm that the snapshot is final.",
}
MISSING_CHOICE = {
    "ar": "اختر حاضر أو عن بعد أو معتذر أو غائب بالنسبة إلى عضو جديد.",
    "fr": "Choisissez présent, à distance, excusé ou absent pour عضو جديد.",
    "en": "Choose present, remote, excused or absent for عضو جديد.",
}


@pytest.mark.parametrize("lang", ["ar", "fr", "en"])
def test_the_secretariat_records_attendance_and_freezes_after_confirming(
    live_server,
    browser,  # noqa: F811
    draft,
    committee,
    gov,
    secretariat,
    lang,
):
    from apps.accounts.tests.personas import PASSWORD
    from apps.committees.tests.factories import make_member
    from apps.plans.tests.factories import make_institution
    from apps.tracking.tests.test_browser import SCREENSHOTS

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    secretariat.preferred_language = lang  # signing in leads to the site in this language
    secretariat.save(update_fields=["preferred_language"])
    newcomer = make_member(committee, gov, name="عضو جديد")
    absent_body = make_institution(slug="absent-body")
    base = live_server.url
    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    page.goto(f"{base}/{lang}/accounts/login/")
    page.fill("#id_login", secretariat.username)
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(f"{base}/{lang}/")

    page.goto(f"{base}/{lang}/meetings/{draft.pk}/")
    page.click(f"a[href='/{lang}/meetings/{draft.pk}/attendance/']")
    table = page.locator("[data-testid=attendance-table]")
    assert table.locator("tbody tr").count() == 3
    newcomer_row = table.locator(f"tr[data-member='{newcomer.pk}']")
    assert newcomer_row.locator("input:checked").count() == 0
    # Saving with a row left empty: the error is in the page's language, nothing saved.
    page.click("[data-testid=save-attendance]")
    assert MISSING_CHOICE[lang] in page.locator("[data-testid=row-error]").inner_text()
    assert not draft.attendances.filter(member=newcomer).exists()
    # Everyone present, one exception, one institution ticked, saved.
    page.click("[data-testid=all-present]")
    assert table.locator("input[value=present]:checked").count() == 3
    # A click anywhere in the cell chooses (the label fills it).
    newcomer_row.locator("td:has(input[value=excused])").click()
    page.check(f"#invited_{absent_body.pk}")
    page.screenshot(path=str(SCREENSHOTS / f"attendance-{lang}.png"), full_page=True)
    page.click("[data-testid=save-attendance]")
    page.wait_for_url(f"{base}/{lang}/meetings/{draft.pk}/")
    statuses = dict(draft.attendances.values_list("member__name", "status"))
    assert statuses == {"سارة": "present", "يوسف": "present", "عضو جديد": "excused"}
    assert list(draft.invitations.values_list("institution__slug", flat=True)) == ["absent-body"]

    # Freezing: a page warns it cannot be undone and wants the box ticked.
    page.click(f"a[href='/{lang}/meetings/{draft.pk}/snapshot/freeze/']")
    assert page.locator("[data-testid=freeze-warning]").is_visible()
    page.click("[data-testid=confirm-freeze]")
    assert FREEZE_ERROR[lang] in page.locator("main").inner_text()
    assert not Snapshot.objects.exists()
    page.check("#id_confirm")
    page.screenshot(path=str(SCREENSHOTS / f"freeze-confirm-{lang}.png"), full_page=True)
    page.click("[data-testid=confirm-freeze]")
    page.wait_for_url(f"{base}/{lang}/meetings/{draft.pk}/")
    assert Snapshot.objects.filter(meeting=draft).count() == 1
    assert page.locator("#snapshot tbody tr").count() == 2

    # On a phone the attendance table scrolls within itself, the page does not.
    phone = browser.new_context(
        viewport={"width": 390, "height": 844}, storage_state=page.context.storage_state()
    ).new_page()
    phone.goto(f"{base}/{lang}/meetings/{draft.pk}/attendance/")
    wide = phone.evaluate(
        "[...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > 391 && !e.closest('.table-responsive')).map(e => e.tagName + '.' + e.className + ':' + e.textContent.slice(0, 40)).slice(0, 8)"
    )
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390, wide


def test_the_minutes_pdf_is_prepared_while_the_page_waits(live_server, browser):  # noqa: F811
    """A cold PDF: the page says it is being prepared and looks again by itself (a meta
    refresh, no script); once the worker has laid it out, the page offers the download."""
    from apps.core.tests.tasks import run_tasks

    call_command("load_demo", "--no-admin", verbosity=0)
    meeting = Meeting.objects.get()
    page = browser.new_page()
    url = f"{live_server.url}/ar/meetings/{meeting.pk}/minutes.pdf"
    page.goto(url)
    status = page.locator(".minutes-rendering")
    assert status.get_attribute("data-state") == "waiting"
    assert "يجري إعداد ملف PDF الخاص بالمحضر" in status.inner_text()
    run_tasks()
    page.wait_for_selector(".minutes-rendering[data-state=ready]", timeout=15_000)
    assert page.url == f"{url}?prepared"
    with page.expect_download() as download:
        page.get_by_role("link", name="تنزيل ملف PDF").click()
    assert download.value.suggested_filename == "minutes-2023-03-28-ar.pdf"
    with open(download.value.path(), "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"
