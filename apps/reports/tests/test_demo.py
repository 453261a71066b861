"""The demo's report: six stages dated in 2023, one version with nine files, whose PDF
text holds every commitment's title and percentage in each language and whose Arabic
DOCX reads right to left."""

from __future__ import annotations

import hashlib
import io
import re
import shutil
import subprocess
import zipfile

import pytest

from apps.committees.minutes import percent_text
from apps.committees.models import SnapshotRow
from apps.reports.models import ReportFile, StageKey

pytestmark = pytest.mark.django_db

INVISIBLE = re.compile(r"[\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def squeeze(text: str) -> str:
    return re.sub(r"[\s()]", "", INVISIBLE.sub("", text))


def test_the_demo_cycle_has_the_six_stages_and_one_version(demo_cycle):
    stages = list(demo_cycle.stages.all())
    assert [s.key for s in stages] == [
        StageKey.UPDATE,
        StageKey.TRANSLATE,
        StageKey.GENERATE,
        StageKey.REVIEW,
        StageKey.CONSULT,
        StageKey.SUBMIT,
    ]
    assert all(s.planned_start.year == 2023 for s in stages)
    assert stages[0].is_late(stages[0].completed_on) and not stages[2].is_late(
        stages[2].completed_on
    )
    (version,) = demo_cycle.versions.all()
    assert version.number == 1 and version.generated_at.year == 2023
    files = list(version.files.all())
    assert sorted((f.language, f.format) for f in files) == sorted(
        (lang, fmt) for lang in ("ar", "fr", "en") for fmt in ("docx", "html", "pdf")
    )
    for f in files:
        with f.file.open("rb") as handle:
            assert hashlib.sha256(handle.read()).hexdigest() == f.checksum


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils")
@pytest.mark.parametrize("language", ["ar", "fr", "en"])
def test_the_pdf_holds_every_commitment_title_and_percentage(demo_cycle, language):
    pdf = ReportFile.objects.get(version__cycle=demo_cycle, language=language, format="pdf")
    with pdf.file.open("rb") as handle:
        text = subprocess.run(
            ["pdftotext", "-", "-"], input=handle.read(), capture_output=True, check=True
        ).stdout.decode()
    flat = squeeze(text)
    rows = SnapshotRow.objects.filter(snapshot=demo_cycle.snapshot).order_by("number")
    assert rows.count() == 22
    for row in rows:
        title = getattr(row, f"title_{language}") or row.title_ar
        # pdftotext reorders Latin words inside Arabic: then every word must be there.
        assert squeeze(title) in flat or all(squeeze(w) in flat for w in title.split()), title
        assert (
            squeeze(percent_text(row.progress)) in flat
            or squeeze("%" + str(round(row.progress))) in flat
        ), row.number


def test_the_arabic_docx_reads_right_to_left(demo_cycle):
    docx = ReportFile.objects.get(version__cycle=demo_cycle, language="ar", format="docx")
    with docx.file.open("rb") as handle:
        xml = zipfile.ZipFile(io.BytesIO(handle.read())).read("word/document.xml").decode()
    assert "<w:bidi/>" in xml  # section and paragraphs
    assert "<w:rtl/>" in xml  # Arabic runs
    assert "<w:bidiVisual/>" in xml  # tables, first column on the right
    sect = xml[xml.rindex("<w:sectPr") :]
    assert "<w:bidi/>" in sect
    french = ReportFile.objects.get(version__cycle=demo_cycle, language="fr", format="docx")
    with french.file.open("rb") as handle:
        xml_fr = zipfile.ZipFile(io.BytesIO(handle.read())).read("word/document.xml").decode()
    assert "<w:bidiVisual/>" not in xml_fr


def test_nothing_in_the_reports_demo_is_dated_the_day_it_was_loaded(demo_cycle):
    from django.apps import apps
    from django.db import models
    from django.utils import timezone

    today = timezone.localdate()
    checked = 0
    for model in apps.get_app_config("reports").get_models():
        for field in model._meta.concrete_fields:
            if not isinstance(field, models.DateTimeField | models.DateField):
                continue
            for value in model._default_manager.exclude(**{field.name: None}).values_list(
                field.name, flat=True
            ):
                day = timezone.localtime(value).date() if hasattr(value, "hour") else value
                checked += 1
                assert day != today, f"{model._meta.label}.{field.name} is dated today"
                assert day.year == 2023
    assert checked > 10


def test_arabic_standing_in_for_a_translation_is_marked(demo_cycle):
    html = ReportFile.objects.get(version__cycle=demo_cycle, language="fr", format="html")
    with html.file.open("rb") as handle:
        text = handle.read().decode()
    assert '<html lang="fr" dir="ltr">' in text
    assert '<span lang="ar" dir="rtl">' in text  # activities never translated
    assert '<li dir="rtl">' in text  # next steps in Arabic only
