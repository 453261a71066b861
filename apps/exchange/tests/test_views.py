"""The import pages: upload, preview, apply, result, past imports; the template and a
plan's export. Secretariat only; each page costs a fixed number of queries."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from apps.core.models import AuditLog
from apps.core.tests.tasks import run_tasks
from apps.exchange import plan_sheet
from apps.exchange.models import ImportJob, ImportStatus
from apps.exchange.tests.sheets import export, figures, wipe
from apps.plans.demo import load_demo
from apps.plans.models import ActionPlan, Activity

pytestmark = pytest.mark.django_db

DEMO = "morocco-2021-2023"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def on_commit(monkeypatch):
    """The tasks are queued after commit, as in production: the test's transaction
    never commits, so each request's callbacks run when it ends."""
    from django.test import TestCase

    original = Client.request

    def request(self, **kwargs):
        with TestCase.captureOnCommitCallbacks(execute=True):
            return original(self, **kwargs)

    monkeypatch.setattr(Client, "request", request)


def _client(user=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _upload(client: Client, name: str, content: bytes, kind: str = "plan"):
    return client.post("/en/imports/", {"kind": kind, "file": SimpleUploadedFile(name, content)})


def _sheet(tmp_path: Path, fmt: str = "xlsx") -> bytes:
    plan = load_demo()
    data = export(plan, tmp_path / f"sheet.{fmt}", fmt).read_bytes()
    return data


def test_it_checks_then_applies_an_upload(secretariat, tmp_path):
    data = _sheet(tmp_path)
    before = figures(DEMO)
    rows = Activity.objects.count()
    wipe()
    client = _client(secretariat)
    response = _upload(client, "plan.xlsx", data)
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/en/imports/{job.pk}/"
    page = client.get(f"/en/imports/{job.pk}/")
    assert 'http-equiv="refresh"' in page.content.decode()  # waits for the worker
    run_tasks()
    job.refresh_from_db()
    assert job.status == ImportStatus.PREVIEWED and job.rows_done == rows
    assert not ActionPlan.objects.exists()  # the preview writes nothing
    page = client.get(f"/en/imports/{job.pk}/")
    html = page.content.decode()
    assert 'data-testid="apply"' in html and "New: <bdi>" in html
    token = page.context["apply_form"]["token"].value()
    client.post(f"/en/imports/{job.pk}/apply/", {"token": token})
    client.post(f"/en/imports/{job.pk}/apply/", {"token": token})  # a double click
    run_tasks()
    job.refresh_from_db()
    assert job.status == ImportStatus.APPLIED
    assert figures(DEMO) == before
    actions = set(AuditLog.objects.values_list("action", flat=True))
    assert {"exchange.upload_import", "exchange.apply_import", "exchange.import_applied"} <= actions
    assert "plans.add_activity" in actions and "tracking.import_progress" in actions
    assert 'data-testid="import-applied"' in client.get(f"/en/imports/{job.pk}/").content.decode()


def test_a_file_with_errors_cannot_be_applied(secretariat):
    client = _client(secretariat)
    _upload(client, "plan.csv", b"Plan ID,Commitment number\nx,1\n")
    run_tasks()
    job = ImportJob.objects.get()
    page = client.get(f"/en/imports/{job.pk}/").content.decode()
    assert "Columns missing" in page and 'data-testid="apply"' not in page
    client.post(f"/en/imports/{job.pk}/apply/", {})
    job.refresh_from_db()
    assert job.status == ImportStatus.PREVIEWED


@pytest.mark.parametrize(
    "name,content,kind,message",
    [
        ("plan.pdf", b"%PDF-1.4", "plan", "This kind of import reads .xlsx, .csv files"),
        ("plan.csv", b"", "plan", "The submitted file is empty."),
    ],
)
def test_it_refuses_a_wrong_file(secretariat, name, content, kind, message):
    response = _upload(_client(secretariat), name, content, kind)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not ImportJob.objects.exists()


def test_an_unavailable_kind_is_refused(secretariat, settings):
    from apps.exchange import report

    missing = "apps.exchange.no_such_importer"
    kind = next(k for k, v in report.IMPORTERS.items() if k != "plan")
    original = report.IMPORTERS[kind]
    report.IMPORTERS[kind] = missing
    try:
        response = _upload(_client(secretariat), "x.csv", b"a,b\n1,2\n", kind)
    finally:
        report.IMPORTERS[kind] = original
    assert response.status_code == 400
    assert "This kind of import is not available yet." in response.content.decode()
    assert not ImportJob.objects.exists()


@pytest.mark.parametrize(
    "path",
    ["/en/imports/", "/en/imports/plan-template/?format=csv", f"/en/plans/{DEMO}/sheet/"],
)
def test_only_the_secretariat_gets_in(path, focal_point_a, secretariat):
    load_demo()
    assert _client().get(path).status_code == 302
    assert _client(focal_point_a).get(path).status_code == 403
    assert _client(secretariat).get(path).status_code == 200


def test_a_focal_point_cannot_apply(secretariat, focal_point_a, tmp_path):
    client = _client(secretariat)
    _upload(client, "plan.xlsx", _sheet(tmp_path))
    run_tasks()
    job = ImportJob.objects.get()
    assert _client(focal_point_a).get(f"/en/imports/{job.pk}/").status_code == 403
    assert _client(focal_point_a).post(f"/en/imports/{job.pk}/apply/").status_code == 403
    job.refresh_from_db()
    assert job.status == ImportStatus.PREVIEWED


@pytest.mark.parametrize("language", ["ar", "fr", "en"])
def test_the_template_speaks_the_readers_language(secretariat, language):
    response = _client(secretariat).get(f"/{language}/imports/plan-template/?format=xlsx")
    wb = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    ws = wb.worksheets[0]
    assert [c.value for c in next(ws.iter_rows())] == plan_sheet.headers(language)
    csv = _client(secretariat).get(f"/{language}/imports/plan-template/?format=csv")
    text = b"".join(csv.streaming_content).decode("utf-8-sig")
    assert text.splitlines()[0] == ",".join(plan_sheet.headers(language))


def test_the_arabic_export_is_right_to_left_and_audited(secretariat):
    load_demo()
    response = _client(secretariat).get(f"/ar/plans/{DEMO}/sheet/?format=xlsx")
    assert response.status_code == 200
    from openpyxl import load_workbook as load

    wb = load(io.BytesIO(b"".join(response.streaming_content)))
    assert wb.worksheets[0].sheet_view.rightToLeft
    assert wb.worksheets[0].max_row == Activity.objects.count() + 1
    assert AuditLog.objects.filter(action="exchange.export_plan").count() == 1


def test_the_plan_page_links_to_the_export_for_the_secretariat(secretariat, focal_point_a):
    load_demo()
    mine = _client(secretariat).get(f"/en/plans/{DEMO}/").content.decode()
    theirs = _client(focal_point_a).get(f"/en/plans/{DEMO}/").content.decode()
    assert 'data-testid="plan-export-xlsx"' in mine and 'data-testid="imports-menu"' in mine
    assert "plan-export-xlsx" not in theirs and "imports-menu" not in theirs


def _queries(client: Client, path: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return len(queries)


def test_the_pages_cost_a_fixed_number_of_queries(secretariat, tmp_path):
    client = _client(secretariat)
    small = "\n".join([",".join(plan_sheet.headers("en"))] + [f"p,1,x{i}" for i in range(2)])
    _upload(client, "small.csv", small.encode())
    data = _sheet(tmp_path)
    _upload(client, "plan.xlsx", data)
    run_tasks()
    first, second = ImportJob.objects.order_by("pk")
    assert _queries(client, f"/en/imports/{first.pk}/") == _queries(
        client, f"/en/imports/{second.pk}/"
    )
    few = _queries(client, "/en/imports/")
    for _ in range(3):
        _upload(client, "plan.xlsx", data)
    assert _queries(client, "/en/imports/") == few
