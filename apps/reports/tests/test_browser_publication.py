"""The end of a report cycle in Debian's Chromium: the secretariat records the steering
committee's approval, publishes the report and records its submission, in French; a
citizen downloads the Arabic PDF from the published page, in Arabic and in English."""

from __future__ import annotations

import pytest
from django.utils import timezone

from apps.accounts import system_user
from apps.accounts.tests.browser import SCREENSHOTS, sign_in
from apps.committees import actions as committees
from apps.reports.models import Publication, Submission
from apps.reports.tests.test_publication import (
    build_story,
    generate,
    instant,
    review_and_consult,
    translate_activities,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_secretariat_publishes_and_a_citizen_downloads(
    live_server,
    browser,  # noqa: F811
    secretariat,
    citizen,
    media,
):
    story = build_story()
    cycle = story.cycle
    review_and_consult(cycle)
    committees.do_announce_meeting(story.meeting, acting_user=system_user())
    base = live_server.url

    page = sign_in(browser, base, "fr", secretariat)
    page.goto(f"{base}/fr/reports/{cycle.pk}/")
    assert page.get_by_text("Approbation, publication, envoi").count() == 1
    # Version 1 still shows Arabic in English: no approval form, its texts to translate.
    assert page.locator("form.report-approve-form").count() == 0
    gaps = page.locator("[data-testid=english-gaps]")
    gaps.locator("summary").click()
    links = gaps.get_by_role("link", name="Traduire")
    # One per activity: its next step and its row of the annex are translated together.
    assert links.count() == 3 and links.first.is_visible()
    translate_activities(cycle.snapshot_id)
    v2 = generate(cycle, instant(2))
    page.reload()
    assert page.locator("[data-testid=english-gaps]").count() == 0
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.locator("[data-testid=end-of-cycle]").screenshot(
        path=str(SCREENSHOTS / "report-approval-form-fr.png")
    )
    page.select_option("#id_version", str(v2.pk))
    page.select_option("#id_meeting", str(story.meeting.pk))
    page.click("form.report-approve-form button")
    page.wait_for_load_state()
    assert "L’approbation du comité de pilotage est enregistrée." in page.content()
    page.check("#id_confirm")
    page.click("form.report-publish-form button")
    page.wait_for_url(f"{base}/fr/reports/{cycle.pk}/published/")
    assert Publication.objects.get(cycle=cycle).version == v2
    page.goto(f"{base}/fr/reports/{cycle.pk}/")
    published_on = timezone.localdate(Publication.objects.get().published_at)
    page.fill("#id_submitted_on", published_on.isoformat())
    page.fill("#id_reference", "OGP/SU/2026/041")
    page.click("form.report-submit-form button")
    page.wait_for_load_state()
    assert "L’envoi à l’Unité d’appui du PGO est enregistré." in page.content()
    submission = Submission.objects.get(cycle=cycle)
    assert submission.reference == "OGP/SU/2026/041"
    assert {(f.language, f.format) for f in submission.files.all()} == {
        ("ar", "pdf"),
        ("fr", "pdf"),
        ("en", "pdf"),
    }
    page.screenshot(path=str(SCREENSHOTS / "report-end-of-cycle-fr.png"), full_page=True)
    page.goto(f"{base}/fr/reports/{cycle.pk}/published/")
    page.screenshot(path=str(SCREENSHOTS / "report-published-fr.png"), full_page=True)
    page.close()

    page = sign_in(browser, base, "ar", citizen)
    for lang in ("ar", "en"):
        page.goto(f"{base}/{lang}/reports/{cycle.pk}/published/")
        assert page.locator("html").get_attribute("dir") == ("rtl" if lang == "ar" else "ltr")
        statement = page.locator("[data-testid=publication]")
        assert statement.locator(f"a[href='/{lang}/meetings/{story.meeting.pk}/']").count() == 1
        if lang == "ar":
            page.screenshot(path=str(SCREENSHOTS / "report-published-ar.png"), full_page=True)
        with page.expect_download() as download:
            page.click("tr[data-language=ar] a[data-format=pdf]")
        path = download.value.path()
        with open(path, "rb") as handle:
            assert handle.read(5) == b"%PDF-"
        assert download.value.suggested_filename == (f"report-{cycle.pk}-v{v2.number}-ar.pdf")
    page.close()
