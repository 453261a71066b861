"""The focal point's and the secretariat's journeys in Debian's Chromium, in Arabic,
French and English: report with evidence, return, edit the returned update, validate,
hand over. The date fields are left as the page fills them: in French they used to hold
``29/11/2026``, which the browser's date input shows as empty and submits as nothing."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone, translation

from apps.accounts.tests.browser import sign_in
from apps.tracking.tests.factories import PDF

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(settings.VAR_DIR) / "screenshots"
NARRATIVES = {
    "ar": "تم إعداد مشروع النص القانوني وعرضه على الأمانة العامة للحكومة",
    "fr": "Le projet de texte a été préparé et soumis au secrétariat général du gouvernement",
    "en": "The draft law was prepared and sent to the government's general secretariat",
}
AWAITING = {
    "ar": "في انتظار المصادقة",
    "fr": "En attente de validation",
    "en": "Awaiting validation",
}
EVIDENCE = {"ar": "محضر.pdf", "fr": "procès-verbal.pdf", "en": "minutes.pdf"}


@pytest.mark.parametrize("lang", ["ar", "fr", "en"])
def test_a_focal_point_reports_and_the_secretariat_returns_validates_and_hands_over(
    live_server,
    browser,  # noqa: F811
    lang,
    activity,
    focal_point_a,
    secretariat,
    ministry_a,
    tmp_path,
):
    from apps.accounts.roles import Role
    from apps.accounts.tests.personas import make_user

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    base = live_server.url
    today = timezone.localdate().isoformat()
    evidence = tmp_path / EVIDENCE[lang]
    evidence.write_bytes(PDF)

    # The focal point reports, leaving the reporting date as the page fills it.
    fp = sign_in(browser, base, lang, focal_point_a.username)
    fp.goto(f"{base}/{lang}/tracking/my/")
    fp.click(f"[data-activity='{activity.pk}'] a[href$='/report/']")
    assert fp.input_value("#id_reported_on") == today
    fp.fill("#id_progress", "65")
    fp.fill(f"#id_narrative_{lang}", NARRATIVES[lang])
    fp.set_input_files("#id_attachments", str(evidence))
    fp.fill("#id_links", "https://example.org/rapport")
    fp.screenshot(path=str(SCREENSHOTS / f"tracking-report-{lang}.png"), full_page=True)
    fp.click("[data-testid=submit-update]")
    fp.wait_for_selector("[data-status=submitted]")
    assert fp.locator("html").get_attribute("dir") == ("rtl" if lang == "ar" else "ltr")
    assert fp.locator("[data-testid=update-progress]").inner_text().strip() == "65%"
    update_pk = int(re.search(r"/updates/(\d+)/", fp.url).group(1))

    # On the commitment's page, in their language, the focal point finds it awaiting
    # validation, may report again (they answer for it) and may follow the commitment.
    with translation.override(lang):
        fp.goto(f"{base}{activity.commitment.get_absolute_url()}")
    assert AWAITING[lang] in fp.locator("#progress-history").inner_text()
    waiting = fp.locator(f"[data-testid=waiting-updates] li[data-activity='{activity.pk}']")
    assert "65%" in waiting.inner_text()
    assert fp.locator(f"a[href$='/activities/{activity.pk}/report/']").count() >= 1
    fp.click("[data-testid=follow]")
    fp.wait_for_selector("[data-testid=following]")

    # The secretariat returns it from the queue (swapped in place by htmx).
    sec = sign_in(browser, base, lang, secretariat.username)
    sec.goto(f"{base}/{lang}/tracking/queue/")
    row = sec.locator(f"#update-{update_pk}")
    assert "65%" in row.inner_text() and "20%" in row.inner_text()
    assert sec.get_attribute("[data-testid=queue-count]", "data-count") == "1"
    row.locator("input[name=reason]").fill("Ajoutez la liste des participants")
    row.locator("form[action$='/return/'] button").click()
    sec.wait_for_selector(f"#update-{update_pk} [data-status=returned]")
    # The count above the queue follows the decision (swapped in out of band).
    sec.wait_for_selector("[data-testid=queue-count][data-count='0']")
    assert sec.locator("[data-testid=queue-count]").count() == 1

    # The focal point edits the returned update: the narrative and the date are there.
    fp.goto(f"{base}/{lang}/tracking/updates/{update_pk}/edit/")
    assert fp.input_value("#id_reported_on") == today
    assert fp.input_value(f"#id_narrative_{lang}") == NARRATIVES[lang]
    fp.fill("#id_progress", "70")
    fp.screenshot(path=str(SCREENSHOTS / f"tracking-edit-returned-{lang}.png"), full_page=True)
    fp.click("[data-testid=submit-update]")
    fp.wait_for_selector("[data-status=submitted]")
    assert fp.locator("[data-testid=update-progress]").inner_text().strip() == "70%"

    # The secretariat validates it.
    sec.goto(f"{base}/{lang}/tracking/queue/")
    sec.locator(f"#update-{update_pk} [data-testid=approve]").click()
    sec.wait_for_selector(f"#update-{update_pk} [data-status=validated]")
    sec.screenshot(path=str(SCREENSHOTS / f"tracking-validated-{lang}.png"), full_page=True)

    # And hands the commitment over, leaving the date as the page fills it.
    successor = make_user("focal_a2", Role.FOCAL_POINT, institution=ministry_a)
    successor.first_name, successor.last_name = "Salma", "Alaoui"
    successor.save()
    commitment = activity.commitment
    with translation.override(lang):
        commitment_url = commitment.get_absolute_url()
    sec.goto(f"{base}/{lang}/tracking/commitments/{commitment.pk}/hand-over/")
    assert sec.input_value("#id_started_on") == today
    sec.select_option("#id_focal_point", str(successor.pk))
    sec.click("main form button[type=submit]")
    sec.wait_for_url(f"{base}{commitment_url}")

    # The public sees the person's name where the plan says so (the default shows the
    # institution only).
    commitment.plan.public_contacts = "name"
    commitment.plan.save(update_fields=["public_contacts"])
    public = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    public.goto(f"{base}{commitment_url}")
    assert public.locator("[data-testid=commitment-progress]").inner_text().strip() == "70%"
    assert "Salma Alaoui" in public.locator("[data-testid=focal-point]").inner_text()
    history = public.locator("#progress-history").inner_text()
    assert NARRATIVES[lang][:20] in history and EVIDENCE[lang] in history
    public.screenshot(path=str(SCREENSHOTS / f"tracking-public-{lang}.png"), full_page=True)
