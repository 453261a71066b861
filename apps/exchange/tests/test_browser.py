"""The open-data page in Debian's Chromium, in Arabic, French and English: reached from
the footer, a CSV downloaded as a visitor would."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from apps.plans.models import Commitment
from apps.plans.tests.test_browser import browser  # noqa: F401 - the shared fixture

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(settings.VAR_DIR) / "screenshots"
HEADINGS = {"ar": "البيانات المفتوحة", "fr": "Données ouvertes", "en": "Open data"}


def test_a_visitor_downloads_the_commitments_as_csv_in_three_languages(
    live_server,
    browser,  # noqa: F811
):
    call_command("load_demo", "--no-admin", verbosity=0)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    expected = Commitment.objects.count()
    for lang, heading in HEADINGS.items():
        context = browser.new_context(
            viewport={"width": 1280, "height": 900}, accept_downloads=True
        )
        page = context.new_page()
        page.goto(f"{live_server.url}/{lang}/")
        page.click("[data-testid=open-data-link]")
        assert page.url == f"{live_server.url}/{lang}/open-data/"
        assert page.locator("h1").inner_text() == heading
        assert page.locator("html").get_attribute("dir") == ("rtl" if lang == "ar" else "ltr")
        page.screenshot(path=str(SCREENSHOTS / f"open-data-{lang}.png"), full_page=True)
        with page.expect_download() as download:
            page.click("#table-commitments a[data-format=csv]")
        assert download.value.suggested_filename == "commitments.csv"
        text = Path(download.value.path()).read_text(encoding="utf-8")
        rows = list(csv.DictReader(io.StringIO(text)))
        assert len(rows) == expected > 0
        assert all(row["title_ar"] for row in rows)
        context.close()
