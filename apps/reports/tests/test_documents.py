"""The report's PDF and DOCX are laid out by the worker and kept in the media storage
shared by every process (``apps.core.renderings``), not in one process's memory: a
generation run by the worker stores them, a page serves the stored files; approving and
publishing a version ask for its documents again (laid out again only if the storage
lost them); a failed layout is tried again, a bounded number of times."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest
import weasyprint
from django.core.files.storage import default_storage
from docx import Document

from apps.accounts import system_user
from apps.committees.tests.test_minutes_lifecycle import pdf_text
from apps.core.models import Rendering, RenderingStatus
from apps.core.renderings import FOLDER
from apps.core.tests.tasks import queued, run_tasks
from apps.reports import actions, publication
from apps.reports.models import FileFormat, ReportFile, ReportVersion
from apps.reports.tests.test_publication import (
    build_story,
    generate,
    instant,
    review_and_consult,
    translate_activities,
)

pytestmark = pytest.mark.django_db

ASK = "apps.reports.tasks.render_version_documents_task"
RENDER = "apps.reports.tasks.render_report_task"
QUERIES = 2  # the person (the session is read from its cache), the file with its version and cycle


@pytest.fixture(autouse=True)
def _retry_at_once(settings):
    settings.SHARAKA_RENDERING_RETRY_SECONDS = [0, 0]  # three attempts, no wait


def renderings(extension: str) -> list[Path]:
    folder = Path(default_storage.path(f"{FOLDER}/report"))
    return sorted(folder.glob(f"*.{extension}")) if folder.exists() else []


def test_a_generation_run_by_the_worker_stores_the_documents_served_from_storage(
    demo_cycle,
    secretariat,
    client,
    django_capture_on_commit_callbacks,
    django_assert_num_queries,
    monkeypatch,
):
    with django_capture_on_commit_callbacks(execute=True):
        job = actions.do_request_generation(demo_cycle, acting_user=secretariat)
    assert len(queued("apps.reports.tasks.generate_report_task")) == 1
    run_tasks()
    job.refresh_from_db()
    version = job.version
    assert version is not None, job.error
    assert len(renderings("pdf")) == 3 and len(renderings("docx")) == 3

    client.force_login(secretariat)
    pdf = version.files.get(language="fr", format=FileFormat.PDF)
    with django_assert_num_queries(QUERIES):
        response = client.get(f"/fr/reports/files/{pdf.pk}/")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    body = b"".join(response.streaming_content) if response.streaming else response.content
    assert "rapport" in pdf_text(body).lower()
    docx = version.files.get(language="en", format=FileFormat.DOCX)
    response = client.get(f"/en/reports/files/{docx.pk}/")
    assert response["Content-Type"].endswith("wordprocessingml.document")
    body = b"".join(response.streaming_content) if response.streaming else response.content
    assert any(p.text for p in Document(io.BytesIO(body)).paragraphs)

    # Another worker, or the same one restarted, generates the same content again: the
    # documents are found in the shared storage, WeasyPrint is not called.
    def no_layout(self, *args, **kwargs):
        raise AssertionError("laid out again")

    monkeypatch.setattr(weasyprint.HTML, "write_pdf", no_layout)
    with django_capture_on_commit_callbacks(execute=True):
        again = actions.do_request_generation(demo_cycle, acting_user=secretariat)
    run_tasks()
    again.refresh_from_db()
    assert again.version is not None and again.version.number == version.number + 1, again.error


def approvable():
    story = build_story()
    translate_activities(story.cycle.snapshot_id)
    v2 = generate(story.cycle, instant(2))
    review_and_consult(story.cycle)
    return story, v2


def test_approval_and_publication_ask_for_the_documents_again(
    django_capture_on_commit_callbacks,
):
    story, v2 = approvable()
    shutil.rmtree(default_storage.path(FOLDER))  # the storage lost the laid-out documents
    with django_capture_on_commit_callbacks(execute=True):
        publication.do_record_approval(
            story.cycle, version=v2, meeting=story.meeting, acting_user=system_user()
        )
    assert len(queued(ASK)) == 1
    run_tasks()
    assert len(renderings("pdf")) == 3 and len(renderings("docx")) == 3
    assert not Rendering.objects.exists()
    laid_out = renderings("pdf") + renderings("docx")
    with django_capture_on_commit_callbacks(execute=True):
        publication.do_publish(story.cycle, acting_user=system_user())
    assert len(queued(ASK)) == 1
    run_tasks()
    assert queued(RENDER) == [] and renderings("pdf") + renderings("docx") == laid_out
    texts = [pdf_text(p.read_bytes()) for p in renderings("pdf")]
    assert any("National Open Government Action Plan" in text for text in texts)


def test_a_report_layout_that_fails_is_tried_again_then_marked_failed(
    django_capture_on_commit_callbacks, monkeypatch
):
    story, v2 = approvable()
    shutil.rmtree(default_storage.path(FOLDER))
    calls: list[int] = []

    def broken(self, *args, **kwargs):
        calls.append(1)
        raise RuntimeError("out of memory")

    monkeypatch.setattr(weasyprint.HTML, "write_pdf", broken)
    with django_capture_on_commit_callbacks(execute=True):
        publication.do_record_approval(
            story.cycle, version=v2, meeting=story.meeting, acting_user=system_user()
        )
    run_tasks()
    assert len(calls) == 3 * 3  # three languages, three attempts each
    assert renderings("pdf") == [] and len(renderings("docx")) == 3
    failed = Rendering.objects.filter(status=RenderingStatus.FAILED)
    assert failed.count() == 3 and all("out of memory" in r.error for r in failed)
    # The version's own files, made at generation, are untouched.
    assert ReportFile.objects.filter(version=v2).count() == 9
    assert ReportVersion.objects.filter(pk=v2.pk).exists()
