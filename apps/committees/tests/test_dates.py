"""The meeting page, the minutes (HTML, PDF, DOCX) print the member's Arabic months."""

from __future__ import annotations

import io
import shutil
import subprocess

import pytest

from apps.accounts import system_user
from apps.committees.minutes import build_minutes, render_docx, render_pdf
from apps.committees.tests.factories import at, make_meeting

pytestmark = pytest.mark.django_db


@pytest.fixture
def november(committee, settings):
    settings.SHARAKA_ARABIC_VARIANT = "ar-MA"
    meeting = make_meeting(committee, at(2026, 11, 29))
    from apps.committees import actions

    actions.do_announce_meeting(meeting, acting_user=system_user())
    return meeting


def test_the_meeting_page_prints_moroccan_months(client, november):
    html = client.get(f"/ar/meetings/{november.pk}/").content.decode()
    assert "<bdi>الأحد 29 نونبر 2026</bdi>" in html and "نوفمبر" not in html
    assert "<bdi>29 novembre 2026</bdi>" not in html
    french = client.get(f"/fr/meetings/{november.pk}/").content.decode()
    assert "dimanche 29 novembre 2026" in french


def test_the_minutes_docx_and_pdf_print_moroccan_months(november):
    from docx import Document

    minutes = build_minutes(november, None, "ar")
    assert minutes.date_text == "الأحد 29 نونبر 2026"
    document = Document(io.BytesIO(render_docx(minutes)))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "29 نونبر 2026" in text and "نوفمبر" not in text
    if shutil.which("pdftotext"):
        pdf = render_pdf(minutes)
        extracted = subprocess.run(
            ["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True
        ).stdout.decode()
        assert "نونبر" in extracted and "نوفمبر" not in extracted
