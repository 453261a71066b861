"""The minutes' PDF and DOCX are laid out in the background: a request for a document
that is not ready answers a waiting page at once and enqueues one task; the worker lays
it out and keeps it in the media storage; the next request serves it."""

from __future__ import annotations

import datetime
import io

import pytest
from django.utils import timezone
from docx import Document
from pypdf import PdfReader

from apps.core.models import Rendering, RenderingStatus
from apps.core.renderings import STALE_AFTER
from apps.core.tests.tasks import queued, run_tasks

pytestmark = pytest.mark.django_db

TASK = "apps.committees.tasks.render_minutes_task"


@pytest.fixture
def reader(client, secretariat):
    client.force_login(secretariat)
    return client


def pdf_text(content: bytes) -> str:
    return " ".join(
        " ".join(p.extract_text() for p in PdfReader(io.BytesIO(content)).pages).split()
    )


def docx_text(content: bytes) -> str:
    return " ".join(p.text for p in Document(io.BytesIO(content)).paragraphs)


def test_a_cold_pdf_answers_a_waiting_page_then_the_pdf(reader, draft):
    url = f"/fr/meetings/{draft.pk}/minutes.pdf"
    waiting = reader.get(url)
    assert waiting.status_code == 202
    assert waiting["Content-Type"].startswith("text/html")
    html = waiting.content.decode()
    assert '<html lang="fr" dir="ltr">' in html
    assert "Le PDF du procès-verbal est en cours de préparation" in html
    assert f'<meta http-equiv="refresh" content="3;url={url}?prepared">' in html
    assert "<script>" not in html
    assert len(queued(TASK)) == 1
    # Asked again (another tab, the page looking again) while queued: still one task.
    assert reader.get(url).status_code == 202
    assert reader.get(f"{url}?prepared").status_code == 202
    assert len(queued(TASK)) == 1

    run_tasks()
    assert queued(TASK) == [] and not Rendering.objects.exists()
    ready = reader.get(f"{url}?prepared")
    assert ready.status_code == 200 and "<meta http-equiv" not in ready.content.decode()
    assert f'href="{url}"' in ready.content.decode()
    assert "Le PDF du procès-verbal est prêt." in ready.content.decode()
    pdf = reader.get(url)
    assert pdf["Content-Type"] == "application/pdf"
    assert "Comité de pilotage" in pdf_text(pdf.content)
    assert queued(TASK) == []


def test_a_cold_docx_likewise(reader, draft):
    url = f"/en/meetings/{draft.pk}/minutes.docx"
    waiting = reader.get(url)
    assert waiting.status_code == 202
    assert "The DOCX of the minutes is being prepared" in waiting.content.decode()
    assert len(queued(TASK)) == 1
    run_tasks()
    docx = reader.get(url)
    assert docx["Content-Type"].endswith("wordprocessingml.document")
    assert "Minutes of the meeting of the Steering Committee" in docx_text(docx.content)


def test_each_language_is_its_own_document(reader, draft):
    for lang in ("ar", "fr"):
        assert reader.get(f"/{lang}/meetings/{draft.pk}/minutes.pdf").status_code == 202
    assert len(queued(TASK)) == 2


def test_a_change_of_the_minutes_makes_a_new_document(reader, draft):
    from apps.accounts import system_user
    from apps.committees import actions

    url = f"/en/meetings/{draft.pk}/minutes.docx"
    reader.get(url)
    run_tasks()
    assert reader.get(url).status_code == 200
    actions.do_add_decision(draft, acting_user=system_user(), text="A new agreed point")
    assert reader.get(url).status_code == 202
    run_tasks()
    assert "A new agreed point" in docx_text(reader.get(url).content)


def test_a_rendering_left_by_a_stopped_worker_is_asked_for_again(reader, draft):
    url = f"/en/meetings/{draft.pk}/minutes.docx"
    reader.get(url)
    [task] = queued(TASK)
    task.delete()  # the worker took it and died
    long_ago = timezone.now() - STALE_AFTER - datetime.timedelta(seconds=1)
    Rendering.objects.update(status=RenderingStatus.RUNNING, updated_at=long_ago)
    assert reader.get(url).status_code == 202
    assert len(queued(TASK)) == 1
    run_tasks()
    assert reader.get(url).status_code == 200


def test_a_failed_rendering_says_so(reader, draft):
    url = f"/en/meetings/{draft.pk}/minutes.docx"
    reader.get(url)
    Rendering.objects.update(status=RenderingStatus.FAILED, updated_at=timezone.now())
    page = reader.get(url)
    assert page.status_code == 202
    assert "The document could not be prepared" in page.content.decode()
    assert "<meta http-equiv" not in page.content.decode()
    assert len(queued(TASK)) == 1  # not asked again at once


def test_the_public_waits_for_published_minutes_only(client, draft):
    assert client.get(f"/ar/meetings/{draft.pk}/minutes.pdf").status_code == 404
    assert queued(TASK) == []
