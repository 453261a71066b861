"""Uploaded files are served only by views that ask who may see them (apps/core/files.py).

Every kind of file, every persona: a file someone may not see is a 404, as if it did not
exist; the headers keep a file from running anything on the platform's origin; there is
no ``/media/`` in any mode, and no page links to one.
"""

from __future__ import annotations

import importlib
from typing import Any

import pytest
from django.apps import apps
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import models
from django.test import Client
from django.urls import Resolver404, clear_url_caches, resolve, reverse
from django.utils import timezone

from apps.accounts import system_user
from apps.cocreation import actions as cocreation_actions
from apps.cocreation.models import ProposalAttachment
from apps.cocreation.tests.factories import draft, make_process
from apps.committees import actions as committee_actions
from apps.committees.models import Committee, CommitteeDocument
from apps.committees.tests.factories import make_committee, make_meeting
from apps.exchange.models import ImportJob, ImportKind
from apps.reports import actions as report_actions
from apps.reports.models import ReportFile, ReportVersion
from apps.tracking import actions as tracking_actions
from apps.tracking.models import Evidence
from apps.tracking.tests.factories import PDF, PNG, assign, docx_bytes, make_activity, report
from apps.tracking.tests.factories import upload as make_upload

WHO = ("anonymous", "citizen", "focal_point_a", "focal_point_b", "committee_member", "secretariat")
EVERYONE = set(WHO)
# The view that serves each model's files (a new FileField needs one, and a line here).
SERVED_BY = {
    "tracking.Evidence": "tracking:evidence_file",
    "committees.CommitteeDocument": "committee_document_file",
    "reports.ReportFile": "report_file",
    "cocreation.ProposalAttachment": "cocreation:attachment",
    "exchange.ImportJob": "import_file",
}


@pytest.fixture(autouse=True)
def _media(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _client(user: Any) -> Client:
    client = Client()
    if user.is_authenticated:
        client.force_login(user)
    return client


def _answers(personas: Any, path: str) -> dict[str, int]:
    return {who: _client(personas[who]).get(path).status_code for who in WHO}


def _expect(allowed: set[str]) -> dict[str, int]:
    return {who: 200 if who in allowed else 404 for who in WHO}


@pytest.fixture
def activity(ministry_a, focal_point_a, secretariat):
    activity = make_activity(ministry_a, progress=20)
    assign(activity.commitment, focal_point_a, secretariat)
    return activity


def _evidence(activity: Any, author: Any, name: str, content: bytes, kind: str) -> Evidence:
    update = tracking_actions.do_record_progress(
        activity, report(files=[(make_upload(name, content), kind)]), acting_user=author
    )
    return update.evidence.get()


# Who sees which file ---------------------------------------------------------------------


def test_evidence_of_a_draft_only_for_its_author(personas, activity, focal_point_a):
    evidence = _evidence(activity, focal_point_a, "draft.pdf", PDF, "application/pdf")
    path = reverse("tracking:evidence_file", args=[evidence.pk])
    assert _answers(personas, path) == _expect({"focal_point_a"})


def test_evidence_of_a_submitted_update_for_its_author_and_the_secretariat(
    personas, activity, focal_point_a
):
    evidence = _evidence(activity, focal_point_a, "sent.pdf", PDF, "application/pdf")
    tracking_actions.do_submit_update(evidence.update, acting_user=focal_point_a)
    path = reverse("tracking:evidence_file", args=[evidence.pk])
    assert _answers(personas, path) == _expect({"focal_point_a", "secretariat"})


def test_evidence_of_a_validated_update_is_public(personas, activity, focal_point_a, secretariat):
    evidence = _evidence(activity, focal_point_a, "done.pdf", PDF, "application/pdf")
    tracking_actions.do_submit_update(evidence.update, acting_user=focal_point_a)
    tracking_actions.do_validate_update(evidence.update, acting_user=secretariat)
    path = reverse("tracking:evidence_file", args=[evidence.pk])
    assert _answers(personas, path) == _expect(EVERYONE)


def _guide(file: bool = True) -> CommitteeDocument:
    committee = make_committee(slug="steering")
    name = default_storage.save("committees/documents/guide.pdf", ContentFile(PDF)) if file else ""
    return CommitteeDocument.objects.create(
        committee=committee, version=1, title="دليل لجنة الإشراف", file=name
    )


def test_a_committee_guide_is_public_and_its_page_links_to_its_view(personas):
    guide = _guide()
    path = guide.get_file_url()
    assert _answers(personas, path) == _expect(EVERYONE)
    response = Client().get(path)
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Disposition"] == 'inline; filename="steering-guide-v1.pdf"'
    page = Client().get(guide.get_absolute_url()).content.decode()
    assert f'href="{path}"' in page and "/media/" not in page


def test_a_guide_without_a_file_or_whose_file_left_the_disk_is_not_found(db):
    assert Client().get(_guide(file=False).get_file_url()).status_code == 404
    Committee.objects.all().delete()
    guide = _guide()
    default_storage.delete(guide.file.name)
    assert Client().get(guide.get_file_url()).status_code == 404


def test_the_admin_links_a_guide_to_its_view_not_to_the_storage(superuser):
    guide = _guide()
    client = _client(superuser)
    page = client.get(f"/ar/admin/committees/committee/{guide.committee.pk}/change/")
    html = page.content.decode()
    assert page.status_code == 200
    assert guide.get_file_url() in html and "/media/" not in html


def test_a_report_file_is_public_and_its_html_is_shown_sandboxed(personas, activity, secretariat):
    meeting = make_meeting(make_committee(activity.commitment.plan, slug="steering"))
    snapshot = committee_actions.do_freeze_snapshot(meeting, acting_user=system_user())
    cycle = report_actions.do_create_cycle(
        meeting.committee.plan, "mid_term", 2022, acting_user=secretariat
    )
    version = ReportVersion.objects.create(
        cycle=cycle, number=1, snapshot=snapshot, content={}, generated_at=timezone.now()
    )
    html = b"<!doctype html><title>r</title><script>alert(1)</script>"
    item = ReportFile.objects.create(
        version=version,
        language="ar",
        format="html",
        file=default_storage.save("reports/1/1-ar.html", ContentFile(html)),
        checksum="0" * 64,
        size=len(html),
    )
    path = reverse("report_file", args=[item.pk])
    assert _answers(personas, path) == _expect(EVERYONE)
    response = Client().get(path)
    assert response["Content-Disposition"].startswith("inline;")
    assert "sandbox" in response["Content-Security-Policy"]


def test_a_hidden_proposal_s_attachment_only_for_the_secretariat(personas, citizen, secretariat):
    process = make_process(secretariat)
    proposal = cocreation_actions.do_submit_proposal(
        process,
        draft(files=[(make_upload("note.png", PNG), "image/png")]),
        acting_user=citizen,
    )
    attachment = ProposalAttachment.objects.get()
    path = reverse("cocreation:attachment", args=[process.slug, proposal.number, attachment.pk])
    assert _answers(personas, path) == _expect(EVERYONE)
    cocreation_actions.do_hide_proposal(proposal, reason="إشهار", acting_user=secretariat)
    assert _answers(personas, path) == _expect({"secretariat"})


def test_an_import_file_only_for_the_secretariat(personas, secretariat):
    job = ImportJob.objects.create(
        kind=ImportKind.PLAN,
        file=default_storage.save("imports/abc.csv", ContentFile(b"a,b\n1,2\n")),
        file_name="خطة.csv",
        created_by=secretariat,
    )
    path = reverse("import_file", args=[job.pk])
    assert _answers(personas, path) == _expect({"secretariat"})
    response = _client(secretariat).get(path)
    assert response["Content-Disposition"] == "attachment; filename*=utf-8''%D8%AE%D8%B7%D8%A9.csv"
    page = _client(secretariat).get(reverse("import_job", args=[job.pk])).content.decode()
    assert f'href="{path}"' in page


# Headers ----------------------------------------------------------------------------------


def test_a_pdf_or_an_image_is_shown_sandboxed_anything_else_is_downloaded(activity, focal_point_a):
    client = _client(focal_point_a)
    shown = _evidence(activity, focal_point_a, "تقرير.pdf", PDF, "application/pdf")
    response = client.get(reverse("tracking:evidence_file", args=[shown.pk]))
    assert response["Content-Type"] == "application/pdf"
    assert (
        response["Content-Disposition"]
        == "inline; filename*=utf-8''%D8%AA%D9%82%D8%B1%D9%8A%D8%B1.pdf"
    )
    assert response["X-Content-Type-Options"] == "nosniff"
    policy = response["Content-Security-Policy"]
    assert "sandbox" in policy and "default-src 'none'" in policy
    assert response["Cache-Control"] == "private"  # a draft's file: no shared cache keeps it
    kind = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    other = tracking_actions.do_record_progress(
        activity,
        report(files=[(make_upload("table.docx", docx_bytes()), kind)]),
        acting_user=focal_point_a,
    ).evidence.get()
    response = client.get(reverse("tracking:evidence_file", args=[other.pk]))
    assert response["Content-Disposition"] == 'attachment; filename="table.docx"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]


@pytest.mark.parametrize("header", ["X-Accel-Redirect", "X-Sendfile"])
def test_the_web_server_may_send_the_file(header, settings, activity, focal_point_a):
    settings.SHARAKA_SENDFILE_HEADER = header
    evidence = _evidence(activity, focal_point_a, "a.pdf", PDF, "application/pdf")
    response = _client(focal_point_a).get(reverse("tracking:evidence_file", args=[evidence.pk]))
    assert response.status_code == 200 and response.content == b""
    expected = (
        f"/protected-media/{evidence.file.name}"
        if header == "X-Accel-Redirect"
        else evidence.file.path
    )
    assert response[header] == expected
    assert response["Content-Disposition"] == 'inline; filename="a.pdf"'
    default_storage.delete(evidence.file.name)
    missing = _client(focal_point_a).get(reverse("tracking:evidence_file", args=[evidence.pk]))
    assert missing.status_code == 404


# No /media/ ---------------------------------------------------------------------------------


def test_media_is_not_served_even_in_debug(settings, activity, focal_point_a):
    evidence = _evidence(activity, focal_point_a, "draft.pdf", PDF, "application/pdf")
    import sharaka.urls

    settings.DEBUG = True
    try:
        importlib.reload(sharaka.urls)
        clear_url_caches()
        with pytest.raises(Resolver404):
            resolve(f"/media/{evidence.file.name}")
        assert Client().get(f"/media/{evidence.file.name}").status_code == 404
    finally:
        settings.DEBUG = False
        importlib.reload(sharaka.urls)
        clear_url_caches()


def test_every_file_field_has_a_view_that_serves_it():
    fields = sorted(
        f"{model._meta.app_label}.{model.__name__}"
        for model in apps.get_models()
        if model.__module__.startswith("apps.")
        for field in model._meta.get_fields()
        if isinstance(field, models.FileField)
    )
    assert fields == sorted(SERVED_BY)
    for name in SERVED_BY.values():
        assert reverse(name, args=_args_of(name))


def _args_of(name: str) -> list[Any]:
    if name == "committee_document_file":
        return ["steering", 1]
    if name == "cocreation:attachment":
        return ["process", 1, 1]
    return [1]


def test_pages_that_show_files_link_to_their_views(activity, focal_point_a):
    evidence = _evidence(activity, focal_point_a, "a.pdf", PDF, "application/pdf")
    page = _client(focal_point_a).get(reverse("tracking:update_detail", args=[evidence.update.pk]))
    html = page.content.decode()
    assert reverse("tracking:evidence_file", args=[evidence.pk]) in html
    assert "/media/" not in html
