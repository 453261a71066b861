"""The minutes' documents follow the minutes' state: approving, publishing or freezing
the progress table (the minutes regenerated) has the worker lay out the PDF and DOCX in
every language, before anybody asks; a request serves the stored file, never laid out
in the request. A failed layout is tried again a bounded number of times, and no broken
or partial file is ever stored or served."""

from __future__ import annotations

import io
import subprocess
import tempfile
from pathlib import Path

import pytest
import weasyprint
from django.core.files.storage import default_storage
from docx import Document

from apps.accounts import system_user
from apps.committees import actions
from apps.core.models import Rendering, RenderingStatus
from apps.core.renderings import FOLDER
from apps.core.tests.tasks import queued, run_tasks

pytestmark = pytest.mark.django_db

FAN_OUT = "apps.committees.tasks.render_meeting_documents_task"
RENDER = "apps.committees.tasks.render_minutes_task"


@pytest.fixture(autouse=True)
def _retry_at_once(settings):
    settings.SHARAKA_RENDERING_RETRY_SECONDS = [0, 0]  # three attempts, no wait


def stored_files() -> list[str]:
    folders, _files = (
        default_storage.listdir(FOLDER) if default_storage.exists(FOLDER) else ([], [])
    )
    return sorted(
        f"{folder}/{name}"
        for folder in folders
        for name in default_storage.listdir(f"{FOLDER}/{folder}")[1]
    )


def pdf_text(content: bytes) -> str:
    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        handle.write(content)
        handle.flush()
        text = subprocess.run(  # noqa: S603
            ["pdftotext", "-enc", "UTF-8", handle.name, "-"],  # noqa: S607
            capture_output=True,
            check=True,
        ).stdout.decode()
    for mark in "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069":
        text = text.replace(mark, "")
    return " ".join(text.split())


def docx_text(content: bytes) -> str:
    return " ".join(p.text for p in Document(io.BytesIO(content)).paragraphs)


def approve(meeting, capture):
    with capture(execute=True):
        actions.do_approve_minutes(meeting, acting_user=system_user())


def test_approved_minutes_are_laid_out_by_the_worker_then_served_from_storage(
    client, secretariat, draft, django_capture_on_commit_callbacks, django_assert_num_queries
):
    approve(draft, django_capture_on_commit_callbacks)
    assert len(queued(FAN_OUT)) == 1 and queued(RENDER) == []
    run_tasks()  # the fan-out asks for six documents, then each is laid out
    assert queued() == [] and not Rendering.objects.exists()
    files = stored_files()
    assert [f.rsplit(".", 1)[1] for f in files].count("pdf") == 3
    assert [f.rsplit(".", 1)[1] for f in files].count("docx") == 3
    assert not any(Path(f).name.startswith(".partial") for f in files)

    client.force_login(secretariat)
    expected = {
        "ar": ("تقرير اجتماع", "تقرير اجتماع"),
        "fr": ("Procès-verbal de la réunion", "Procès-verbal de la réunion"),
        "en": ("Minutes of the meeting", "Minutes of the meeting"),
    }
    for lang, (in_pdf, in_docx) in expected.items():
        # The person with their roles (the session is read from its cache), the meeting
        # (with its record), the file's name (snapshot rows, activities, history): no
        # meeting row is read again.
        with django_assert_num_queries(5):
            pdf = client.get(f"/{lang}/meetings/{draft.pk}/minutes.pdf")
        assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
        assert in_pdf in pdf_text(pdf.content)
        docx = client.get(f"/{lang}/meetings/{draft.pk}/minutes.docx")
        assert docx["Content-Type"].endswith("wordprocessingml.document")
        assert in_docx in docx_text(docx.content)
    assert queued() == []  # nothing laid out at the request


def test_publishing_lays_out_nothing_again_and_a_snapshot_asks_for_the_draft(
    draft, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        actions.do_freeze_snapshot(draft, acting_user=system_user())
    run_tasks()
    drafts = stored_files()
    assert len(drafts) == 6
    approve(draft, django_capture_on_commit_callbacks)
    run_tasks()
    approved = stored_files()
    assert len(approved) == 12  # the approved minutes lose the draft mark: new documents
    with django_capture_on_commit_callbacks(execute=True):
        actions.do_publish_minutes(draft, acting_user=system_user())
    [fan_out] = queued()
    run_tasks()
    assert stored_files() == approved  # same minutes, same documents: nothing laid out
    assert queued(RENDER) == []


def test_a_failed_layout_is_tried_again_and_then_served(
    client, secretariat, draft, django_capture_on_commit_callbacks, monkeypatch
):
    real = weasyprint.HTML.write_pdf
    calls: list[int] = []

    def fails_twice(self, *args, **kwargs):
        calls.append(1)
        if len(calls) <= 2:
            raise RuntimeError("fonts went away")
        return real(self, *args, **kwargs)

    monkeypatch.setattr(weasyprint.HTML, "write_pdf", fails_twice)
    client.force_login(secretariat)
    url = f"/en/meetings/{draft.pk}/minutes.pdf"
    assert client.get(url).status_code == 202
    run_tasks()
    assert len(calls) == 3
    pdf = client.get(url)
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert "Minutes of the meeting" in pdf_text(pdf.content)


def test_a_layout_that_keeps_failing_says_so_and_stores_nothing(
    client, secretariat, draft, monkeypatch
):
    calls: list[int] = []

    def truncated(self, *args, **kwargs):
        calls.append(1)
        return b"%PDF-1.7\n1 0 obj"  # cut short: no end-of-file mark

    monkeypatch.setattr(weasyprint.HTML, "write_pdf", truncated)
    client.force_login(secretariat)
    url = f"/fr/meetings/{draft.pk}/minutes.pdf"
    assert client.get(url).status_code == 202
    run_tasks()
    assert len(calls) == 3  # the attempts are bounded
    assert stored_files() == []
    row = Rendering.objects.get()
    assert row.status == RenderingStatus.FAILED and "not a whole PDF" in row.error
    page = client.get(url)
    assert page.status_code == 202 and page["Content-Type"].startswith("text/html")
    html = page.content.decode()
    assert "pas pu être préparé" in html
    assert "Refresh" not in page and "<meta http-equiv" not in html
    assert queued() == []


def test_the_waiting_page_refreshes_itself_in_the_reader_s_language(client, secretariat, draft):
    client.force_login(secretariat)
    url = f"/ar/meetings/{draft.pk}/minutes.docx"
    page = client.get(url)
    assert page.status_code == 202
    assert page["Refresh"] == f"3;url={url}?prepared"
    html = page.content.decode()
    assert '<html lang="ar" dir="rtl">' in html
    assert "<script>" not in html
