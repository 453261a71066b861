"""Generations and versions: in the background, numbered and kept, diffs between them,
hostile text stays text, nothing half-done on failure, the pages and the API."""

from __future__ import annotations

import datetime
import io
import shutil
import subprocess
import zipfile

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from apps.reports import actions
from apps.reports.actions import ReportError
from apps.reports.document import diff
from apps.reports.models import (
    JOB_STALE_AFTER,
    GenerationJob,
    JobStatus,
    ReportCycle,
    ReportFile,
    ReportVersion,
)

pytestmark = pytest.mark.django_db

HOSTILE = '<script>alert("x")</script><b>gras</b>'


def read(item: ReportFile) -> bytes:
    with item.file.open("rb") as handle:
        return handle.read()


def files_on_disk(media) -> set[str]:
    return {str(p.relative_to(media)) for p in media.rglob("*") if p.is_file()}


def test_a_generation_without_a_snapshot_is_refused(demo_cycle, secretariat, client):
    cycle = actions.do_create_cycle(demo_cycle.plan, "mid_term", 2022, acting_user=secretariat)
    assert cycle.stages.count() == 6
    with pytest.raises(ReportError) as refused:
        actions.do_request_generation(cycle, acting_user=secretariat)
    with translation.override("en"):
        assert "Choose the committee snapshot" in str(refused.value)
    assert not GenerationJob.objects.filter(cycle=cycle).exists()
    client.force_login(secretariat)
    response = client.post(f"/en/reports/{cycle.pk}/generate/", follow=True)
    assert "Choose the committee snapshot the figures come from" in response.content.decode()
    response = client.post(f"/fr/reports/{cycle.pk}/generate/", follow=True)
    assert "Choisissez l’instantané du comité" in response.content.decode()


def test_others_may_not_generate(demo_cycle, personas):
    for name in ("citizen", "focal_point_a", "committee_member", "translator"):
        with pytest.raises(ReportError):
            actions.do_request_generation(demo_cycle, acting_user=personas[name])
    assert GenerationJob.objects.filter(cycle=demo_cycle).count() == 1  # the demo's


def test_the_request_only_queues_the_generation(demo_cycle, secretariat, client):
    client.force_login(secretariat)
    response = client.post(f"/ar/reports/{demo_cycle.pk}/generate/")
    assert response.status_code == 302
    job = GenerationJob.objects.filter(cycle=demo_cycle).order_by("-pk").first()
    assert job.status == JobStatus.QUEUED and demo_cycle.versions.count() == 1
    page = client.get(f"/en/reports/{demo_cycle.pk}/").content.decode()
    assert "Last generation: Queued" in page
    # A second request while one is under way is refused.
    with pytest.raises(ReportError):
        actions.do_request_generation(demo_cycle, acting_user=secretariat)
    version = actions.run_generation(job.pk)
    assert version is not None and version.number == 2
    job.refresh_from_db()
    assert job.status == JobStatus.DONE and job.progress == 100 and job.version == version


def test_a_new_version_with_hostile_lessons_keeps_them_as_text(demo_cycle, secretariat, media):
    lessons = {"ar": HOSTILE, "fr": HOSTILE, "en": HOSTILE}
    actions.do_edit_cycle(
        demo_cycle, acting_user=secretariat, snapshot=demo_cycle.snapshot, lessons=lessons
    )
    job = actions.do_request_generation(demo_cycle, acting_user=secretariat, enqueue=False)
    second = actions.run_generation(job.pk)
    first = ReportVersion.objects.get(cycle=demo_cycle, number=1)
    assert second is not None and second.number == 2
    # Same snapshot: the same figures, only the lessons changed.
    assert diff(first.content, second.content, "en") == ["Lessons learned changed"]
    assert diff(first.content, first.content, "en") == []
    assert diff(first.content, second.content, "ar") == ["تغيّرت الدروس المستخلصة"]
    for lang in ("ar", "fr", "en"):
        html = read(second.files.get(language=lang, format="html")).decode()
        assert "<script>" not in html and "&lt;script&gt;" in html
        assert "<b>gras" not in html
        docx = read(second.files.get(language=lang, format="docx"))
        xml = zipfile.ZipFile(io.BytesIO(docx)).read("word/document.xml").decode()
        assert "&lt;script&gt;alert" in xml
        if shutil.which("pdftotext"):
            pdf = read(second.files.get(language=lang, format="pdf"))
            text = subprocess.run(
                ["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True
            ).stdout.decode()
            # pdftotext reorders Latin runs inside Arabic lines: the words are there.
            assert ("<script>alert" if lang != "ar" else "alert") in text
    old = {(f.language, f.format): f.checksum for f in first.files.all()}
    new = {(f.language, f.format): f.checksum for f in second.files.all()}
    assert old.keys() == new.keys() and all(old[k] != new[k] for k in old)


def test_the_same_snapshot_regenerates_the_same_content(demo_cycle, secretariat):
    job = actions.do_request_generation(demo_cycle, acting_user=secretariat, enqueue=False)
    second = actions.run_generation(job.pk)
    first = ReportVersion.objects.get(cycle=demo_cycle, number=1)
    assert second is not None and second.content == first.content


def test_a_failed_generation_leaves_no_version_and_no_file(
    demo_cycle, secretariat, media, monkeypatch
):
    before = files_on_disk(media)

    def broken(report):
        raise RuntimeError("the DOCX writer failed")

    # Fault injection: the last renderer fails after the other files were written.
    monkeypatch.setitem(actions.RENDERERS, "docx", broken)
    job = actions.do_request_generation(demo_cycle, acting_user=secretariat, enqueue=False)
    assert actions.run_generation(job.pk) is None
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and "DOCX writer failed" in job.error
    assert demo_cycle.versions.count() == 1
    assert files_on_disk(media) == before


def _page_queries(client, cycle: ReportCycle) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(f"/ar/reports/{cycle.pk}/").status_code == 200
    return len(queries)


def test_the_report_page_costs_a_fixed_number_of_queries(demo_cycle, secretariat, client):
    client.force_login(secretariat)
    one = _page_queries(client, demo_cycle)
    for _ in range(2):
        job = actions.do_request_generation(demo_cycle, acting_user=secretariat, enqueue=False)
        actions.run_generation(job.pk)
    assert _page_queries(client, demo_cycle) == one


def test_the_timeline_page_marks_late_stages_right_to_left(demo_cycle, client):
    page = client.get(f"/ar/reports/{demo_cycle.pk}/").content.decode()
    assert 'dir="rtl"' in page
    assert "تحيين المنصة" in page and "متأخرة" in page  # the update stage ended in June
    assert page.count("/reports/files/") == 9
    french = client.get(f"/fr/reports/{demo_cycle.pk}/").content.decode()
    assert "Mettre à jour la plateforme" in french and "En retard" in french
    assert client.get("/fr/reports/").status_code == 200


def test_the_diff_page(demo_cycle, secretariat, client):
    job = actions.do_request_generation(demo_cycle, acting_user=secretariat, enqueue=False)
    actions.run_generation(job.pk)
    page = client.get(f"/en/reports/{demo_cycle.pk}/diff/?from=1&to=2").content.decode()
    assert "Nothing changed." in page
    assert client.get(f"/en/reports/{demo_cycle.pk}/diff/?from=1&to=9").status_code == 404
    assert client.get(f"/en/reports/{demo_cycle.pk}/diff/?from=x").status_code == 404


def test_the_api_lists_stages_and_downloads(demo_cycle, client):
    body = client.get("/api/v1/reports").json()
    assert body["count"] == 1 and body["items"][0]["kind"] == "end_of_term"
    assert body["items"][0]["current_stage"] == "review"
    detail = client.get(f"/api/v1/reports/{demo_cycle.pk}?lang=fr").json()
    assert [s["key"] for s in detail["stages"]][:2] == ["update", "translate"]
    assert detail["stages"][0]["late"] is True and detail["stages"][0]["name"] == (
        "Mettre à jour la plateforme"
    )
    (version,) = detail["versions"]
    assert len(version["files"]) == 9
    link = next(f for f in version["files"] if f["language"] == "ar" and f["format"] == "pdf")
    response = client.get(link["url"])
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_the_secretariat_creates_a_cycle_once_and_moves_a_window(
    demo_cycle, secretariat, citizen, client
):
    client.force_login(citizen)
    assert client.get("/en/reports/new/").status_code == 403
    client.force_login(secretariat)
    form = client.get("/en/reports/new/").content.decode()
    token = form.split('name="token" value="')[1].split('"')[0]
    body = {"token": token, "plan": demo_cycle.plan_id, "kind": "mid_term", "year": "2022"}
    first = client.post("/en/reports/new/", body)
    second = client.post("/en/reports/new/", body)  # the same form posted twice
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    cycle = ReportCycle.objects.get(plan=demo_cycle.plan, kind="mid_term")
    stages = list(cycle.stages.all())
    assert [(s.planned_start.month, s.planned_end.month) for s in stages] == [
        (4, 5),
        (4, 5),
        (5, 5),
        (5, 6),
        (6, 6),
        (7, 7),
    ]
    assert stages[-1].planned_end.isoformat() == "2022-07-31"
    refused = client.post(
        f"/en/reports/stages/{stages[0].pk}/plan/",
        {"planned_start": "2022-05-01", "planned_end": "2022-04-01"},
    )
    assert "A stage cannot end before it starts." in refused.content.decode()
    client.post(
        f"/en/reports/stages/{stages[0].pk}/plan/",
        {"planned_start": "2022-03-01", "planned_end": "2022-04-15"},
    )
    stages[0].refresh_from_db()
    assert (stages[0].planned_start.isoformat(), stages[0].planned_end.isoformat()) == (
        "2022-03-01",
        "2022-04-15",
    )
    client.post(f"/en/reports/stages/{stages[0].pk}/start/")
    client.post(f"/en/reports/stages/{stages[0].pk}/complete/")
    stages[0].refresh_from_db()
    assert stages[0].started_on and stages[0].completed_on
    from apps.core.models import AuditLog

    actions_logged = set(
        AuditLog.objects.filter(target_type="reports.stage", target_id=stages[0].pk).values_list(
            "action", flat=True
        )
    )
    assert actions_logged == {"report.plan_stage", "report.start_stage", "report.complete_stage"}


def test_a_job_left_running_by_a_stopped_worker_fails_and_a_new_one_may_be_asked(
    demo_cycle, secretariat, client
):
    job = actions.do_request_generation(demo_cycle, acting_user=secretariat, enqueue=False)
    # The worker took it, wrote a file, and stopped: nothing more is heard of it.
    GenerationJob.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING, progress=10)
    client.force_login(secretariat)
    page = client.get(f"/en/reports/{demo_cycle.pk}/").content.decode()
    assert "Last generation: Generating (10%)" in page
    with pytest.raises(ReportError):  # a few seconds of silence: it still runs
        actions.do_request_generation(demo_cycle, acting_user=secretariat, enqueue=False)

    silent = timezone.now() - JOB_STALE_AFTER - datetime.timedelta(seconds=1)
    GenerationJob.objects.filter(pk=job.pk).update(updated_at=silent)
    page = client.get(f"/en/reports/{demo_cycle.pk}/").content.decode()
    assert "Last generation: Failed: the worker stopped before the end." in page
    assert '<button class="btn btn-primary">' in page  # the button is no longer disabled
    again = actions.do_request_generation(demo_cycle, acting_user=secretariat, enqueue=False)
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and "worker stopped" in job.error
    version = actions.run_generation(again.pk)
    assert version is not None and version.number == 2


def test_the_heartbeat_follows_each_file(demo_cycle, secretariat, monkeypatch):
    job = actions.do_request_generation(demo_cycle, acting_user=secretariat, enqueue=False)
    beats = []
    render_html = actions.RENDERERS["html"]

    def watched(report):
        beats.append(GenerationJob.objects.get(pk=job.pk).updated_at)
        return render_html(report)

    monkeypatch.setitem(actions.RENDERERS, "html", watched)
    actions.run_generation(job.pk)
    assert len(beats) == 3 and beats == sorted(beats) and len(set(beats)) == 3


def test_a_stalled_job_that_wakes_up_keeps_no_version(demo_cycle, secretariat, monkeypatch):
    job = actions.do_request_generation(demo_cycle, acting_user=secretariat, enqueue=False)
    render_docx = actions.RENDERERS["docx"]

    def slow(report):
        # Meanwhile the job was given up for stalled (its worker silent too long).
        GenerationJob.objects.filter(pk=job.pk).update(status=JobStatus.FAILED)
        return render_docx(report)

    monkeypatch.setitem(actions.RENDERERS, "docx", slow)
    assert actions.run_generation(job.pk) is None
    assert demo_cycle.versions.count() == 1
