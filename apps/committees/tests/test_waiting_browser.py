"""A document not laid out yet, in Debian's Chromium: the reader asks for the minutes'
DOCX, gets the page saying it is being prepared in their language; once the worker has
laid it out, that page, refreshing itself with no script, offers the download."""

from __future__ import annotations

import pytest
from django.utils import timezone
from docx import Document

from apps.accounts.tests.browser import sign_in
from apps.core.tests.tasks import run_tasks
from apps.plans.tests.test_browser import browser  # noqa: F401  (the shared fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BEING_PREPARED = {
    "ar": "يجري إعداد ملف DOCX الخاص بالمحضر.",
    "fr": "Le DOCX du procès-verbal est en cours de préparation.",
    "en": "The DOCX of the minutes is being prepared.",
}

MINUTES_OF = {
    "ar": "محضر",
    "fr": "Procès-verbal de la réunion",
    "en": "Minutes of the meeting",
}


@pytest.mark.parametrize("lang", ["ar", "fr", "en"])
def test_the_waiting_page_turns_into_the_download_once_the_worker_is_done(
    live_server,
    browser,  # noqa: F811
    draft,
    secretariat,
    lang,
):
    page = sign_in(browser, live_server.url, lang, secretariat)
    url = f"{live_server.url}/{lang}/meetings/{draft.pk}/minutes.docx"
    response = page.goto(url)
    assert response is not None and response.status == 202
    assert page.locator("html").get_attribute("lang") == lang
    assert BEING_PREPARED[lang] in " ".join(page.locator("main").inner_text().split())
    # The worker lays the document out while the page waits; the page looks again by
    # itself (an HTTP header and a meta refresh, no script) and then offers the file.
    run_tasks()
    ready = page.locator(".minutes-rendering[data-state=ready]")
    ready.wait_for(timeout=20_000)
    assert "?prepared" in page.url
    with page.expect_download() as started:
        ready.locator("a[download]").click()
    download = started.value
    day = timezone.localtime(draft.starts_at).date()
    assert download.suggested_filename == f"minutes-{day}-{lang}.docx"
    text = " ".join(p.text for p in Document(download.path()).paragraphs)
    # The minutes of this meeting, in the reader's language.
    assert MINUTES_OF[lang] in text and "تقديم التقدم" in text
    page.context.close()
