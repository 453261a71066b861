"""Canada's tracker format: the schema's structure, the records' statuses, the export
per reporting period, the command."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import pytest
import yaml
from django.core.management import CommandError, call_command
from django.test import override_settings
from django.utils import translation

from apps.core.models import AuditLog
from apps.exchange import canada
from apps.exchange.models import Indicator, IndicatorStatus, Tracker
from apps.exchange.report import IMPORTERS
from apps.plans.figures import stale_plans
from apps.plans.models import ActionPlan, Activity, Commitment
from apps.tracking.models import ProgressUpdate

# Canada's 4th plan (2018-2020) tracker schema, as open.canada.ca publishes it.
SCHEMA = Path(__file__).resolve().parent / "data" / "canada_nap4_tracker_schema.yaml"

PERIODS = [f"{y}-{m:02d}" for y in (2019, 2020, 2021) for m in (3, 6, 9, 12)]
COLUMNS = [
    "reporting_period",
    "commitments",
    "milestones",
    "indicators",
    "status",
    "progress_en",
    "progress_fr",
    "evidence_en",
    "evidence_fr",
    "challenges_en",
    "challenges_fr",
]


def _run(path: Path, user: Any, apply: bool = True, **options: Any):
    return canada.run(path, apply=apply, user=user, options=options)


def _codes() -> list[str]:
    data = yaml.safe_load(SCHEMA.read_text(encoding="utf-8"))
    field = next(f for f in data["resources"][0]["fields"] if f["datastore_id"] == "indicators")
    return [str(code) for code in field["choices"]]


def _records(path: Path, rows: list[dict[str, str]], columns: list[str] | None = None) -> Path:
    columns = columns or COLUMNS
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(columns)
        for row in rows:
            writer.writerow([row.get(c, "") for c in columns])
    return path


def _row(period: str, code: str, status: str, text: str = "") -> dict[str, str]:
    milestone = code.rsplit(".", 1)[0]
    return {
        "reporting_period": period,
        "commitments": milestone.split(".")[0],
        "milestones": milestone,
        "indicators": code,
        "status": status,
        "progress_en": text or f"Progress on {code} in {period}",
        "progress_fr": f"Progrès de {code} en {period}",
    }


@pytest.fixture
def structure(secretariat):
    report = _run(SCHEMA, secretariat)
    assert report.ok, list(report.lines())
    return ActionPlan.objects.get(slug="canada-nap")


@pytest.mark.django_db
def test_it_is_the_canada_importer():
    assert IMPORTERS["canada"] == "apps.exchange.canada"


@pytest.mark.django_db
def test_it_imports_the_schema_with_its_counts(structure):
    plan = structure
    assert plan.commitments.count() == 10
    assert Activity.objects.filter(commitment__plan=plan).count() == 56
    assert Indicator.objects.filter(plan=plan).count() == 135
    first = plan.commitments.get(number=1)
    assert first.title_en == "User-friendly open government"
    assert first.title_fr == "Gouvernement ouvert facile à comprendre"
    # Milestones are activities of their commitment, in their order, titles without the
    # departments, which become the commitment's institutions.
    second = first.activities.get(order=2)
    assert second.title_en == "Help Canadians learn about Canada’s work on open government"
    assert second.stakeholders == "CSPS/TBS"
    assert first.lead_institution.acronym_en == "TBS"
    assert "CSPS" in {i.acronym_en for i in first.supporting_institutions.all()}
    indicator = Indicator.objects.get(plan=plan, code="C01.1.1")
    assert indicator.activity == first.activities.get(order=1)
    assert indicator.text_fr == "Un projet-pilote est lancé"
    assert indicator.due == "2020-06"
    assert plan.period_end.isoformat() == "2021-12-31"
    assert plan.title_en == "National Action Plan on Open Government"
    assert Tracker.objects.get(plan=plan).schema["periods"] == PERIODS


@pytest.mark.django_db
def test_a_preview_writes_nothing(secretariat):
    report = _run(SCHEMA, secretariat, apply=False)
    assert report.ok and not report.applied
    assert report.counts()["create"] == 1 + 10 + 56 + 135
    assert not ActionPlan.objects.exists() and not Indicator.objects.exists()


@pytest.mark.django_db
def test_a_second_import_changes_nothing(structure, secretariat):
    audit = AuditLog.objects.count()
    report = _run(SCHEMA, secretariat)
    assert report.ok
    assert report.counts() == {"create": 0, "update": 0, "unchanged": 202, "error": 0}
    assert AuditLog.objects.count() == audit


@pytest.mark.django_db
def test_only_the_secretariat_imports(focal_point_a):
    report = _run(SCHEMA, focal_point_a)
    assert not report.ok and not report.applied
    assert not ActionPlan.objects.exists()


def _variant(tmp_path: Path) -> Path:
    """A later plan of the same family: fields renamed, an extra one, departments given
    by the indicators' ``lead_dept`` instead of the milestones' titles."""
    data = yaml.safe_load(SCHEMA.read_text(encoding="utf-8"))
    data["dataset_type"] = "nap9"
    data["title"] = "9th National Action Plan on Open Government Tracker"
    resource = data["resources"][0]
    resource["resource_name"] = "nap9"
    fields = resource["fields"]
    by_id = {f["datastore_id"]: f for f in fields}
    by_id["commitments"]["datastore_id"] = "commitment_id"
    by_id["commitments"]["label"] = {"en": "Commitment", "fr": "Engagement"}
    by_id["progress_en"]["datastore_id"] = "progress_update_en"
    by_id["status"]["label"] = {"en": "Implementation status", "fr": "État de mise en œuvre"}
    for choice in by_id["milestones"]["choices"].values():
        for lang in ("en", "fr"):
            choice[lang] = choice[lang].rsplit(" (", 1)[0]
    for code, choice in by_id["indicators"]["choices"].items():
        choice["lead_dept"] = "tbs-sct" if code.startswith("C01") else "statcan"
    del by_id["challenges_fr"]["label"]
    fields.insert(
        5,
        {
            "datastore_id": "s4d",
            "label": {"en": "Sustainable development", "fr": "Développement durable"},
            "datastore_type": "text",
            "choices": {"Y": {"en": "Yes", "fr": "Oui"}, "N": {"en": "No", "fr": "Non"}},
        },
    )
    resource["datastore_primary_key"] = ["reporting_period", "indicators"]
    path = tmp_path / "nap9.yml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


@pytest.mark.django_db
def test_a_variant_schema_still_imports(tmp_path, secretariat):
    report = _run(_variant(tmp_path), secretariat)
    assert report.ok, list(report.lines())
    plan = ActionPlan.objects.get(slug="canada-nap9")
    assert plan.commitments.count() == 10
    assert Activity.objects.filter(commitment__plan=plan).count() == 56
    assert Indicator.objects.filter(plan=plan).count() == 135
    first = plan.commitments.get(number=1)
    assert first.lead_institution.acronym_en == "TBS"
    assert first.lead_institution.acronym_fr == "SCT"
    schema = Tracker.objects.get(plan=plan).schema
    assert schema["commitment"] == "commitment_id"
    assert schema["narrative"] == {"en": "progress_update_en", "fr": "progress_fr"}
    assert "s4d" not in schema["texts"]
    # Its records, with the renamed columns, import too.
    columns = ["reporting_period", "commitment_id", "milestones", "indicators", "status"]
    columns += ["progress_update_en"]
    row = _row("2019-03", "C01.1.1", "C")
    row["commitment_id"] = "C01"
    row["progress_update_en"] = "Done"
    report = _run(_records(tmp_path / "r.csv", [row], columns), secretariat, plan="canada-nap9")
    assert report.ok, list(report.lines())
    assert IndicatorStatus.objects.get().texts == {"progress_update_en": "Done"}


@pytest.mark.django_db
def test_a_file_that_is_no_tracker_schema_is_refused(tmp_path, secretariat):
    path = tmp_path / "x.yaml"
    path.write_text("dataset_type: x\nresources:\n- fields:\n  - datastore_id: a\n")
    with translation.override("fr"):
        report = _run(path, secretariat)
    assert not report.ok
    assert "engagements, de jalons et d’indicateurs" in report.file_errors[0].message


@pytest.mark.django_db
def test_records_set_statuses_and_progress(structure, secretariat, tmp_path):
    rows = [_row("2019-03", code, "NS") for code in _codes()]
    statuses = {"C01.1.1": "C", "C01.1.2": "C", "C01.1.3": "SP", "C01.1.4": "LP"}
    rows += [_row("2019-06", code, status) for code, status in statuses.items()]
    report = _run(_records(tmp_path / "r.csv", rows), secretariat)
    assert report.ok, list(report.lines())
    assert report.counts()["create"] == 135 + 4
    assert IndicatorStatus.objects.count() == 139
    activity = Activity.objects.get(commitment__plan=structure, commitment__number=1, order=1)
    # Complete → 100, complete → 100, substantial → 50, limited → 1: (100+100+50+1)/4.
    assert activity.progress == 63
    # The plan's stored figures (apps/plans/figures.py) followed the import.
    structure.refresh_from_db()
    assert stale_plans() == [] and structure.progress > 0
    update = ProgressUpdate.objects.get(activity=activity)
    assert update.source == "import" and update.status == "validated"
    assert update.reported_on.isoformat() == "2019-06-30"
    assert "C01.1.3: Progress on C01.1.3 in 2019-06" in update.narrative_en
    # Nothing reported beyond "not started" elsewhere: no figure moved.
    assert ProgressUpdate.objects.count() == 1
    # The same file again: every row unchanged, nothing written.
    audit = AuditLog.objects.count()
    report = _run(_records(tmp_path / "r.csv", rows), secretariat)
    assert report.counts() == {"create": 0, "update": 0, "unchanged": 139, "error": 0}
    assert ProgressUpdate.objects.count() == 1
    assert AuditLog.objects.count() == audit


@pytest.mark.django_db
@override_settings(SHARAKA_COMPLETION_THRESHOLDS={"limited": 10, "substantial": 60, "complete": 90})
def test_statuses_map_to_the_configured_thresholds(structure, secretariat, tmp_path):
    rows = [_row("2019-03", "C01.1.1", "LP"), _row("2019-03", "C02.1.1", "SP")]
    rows += [_row("2019-03", "C03.1.1", "C")]
    report = _run(_records(tmp_path / "r.csv", rows), secretariat)
    assert report.ok, list(report.lines())
    assert [canada.level_percent(level) for level in ("limited", "substantial", "complete")] == [
        10,
        60,
        90,
    ]
    by_code = {
        i.code: i.activity
        for i in Indicator.objects.filter(code__in=["C01.1.1", "C02.1.1", "C03.1.1"])
    }
    for code, status in (("C01.1.1", 10), ("C02.1.1", 60), ("C03.1.1", 90)):
        activity = Activity.objects.get(pk=by_code[code].pk)
        count = Indicator.objects.filter(activity=activity).count()
        assert activity.progress == int(status / count + 0.5)  # rounded half up


@pytest.mark.django_db
def test_labels_and_excel_style_cells_are_read(structure, secretariat, tmp_path):
    row = _row("2019-03", "C01.1.1", "")
    row["indicators"] = "C01.1.1: Pilot launched for users"
    row["status"] = "Progrès important"
    path = tmp_path / "r.csv"
    columns = ["Reporting Period", "Commitments", "Milestones", "Indicators", "État"]
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(columns)
        writer.writerow([row[c] for c in COLUMNS[:5]])
    report = _run(path, secretariat)
    assert report.ok, list(report.lines())
    assert IndicatorStatus.objects.get().status == "SP"


@pytest.mark.django_db
def test_bad_records_give_row_errors_and_write_nothing(structure, secretariat, tmp_path):
    rows = [
        _row("2019-03", "C01.1.1", "C"),
        _row("2019-03", "C99.1.1", "C"),
        _row("2019-03", "C01.1.2", "XX"),
        _row("2018-01", "C01.1.3", "SP"),
        _row("2019-03", "C01.1.1", "NS"),
    ]
    rows[2]["milestones"] = "C01.1"
    bad_parent = _row("2019-03", "C01.1.4", "LP")
    bad_parent["milestones"] = "C02.1"
    rows.append(bad_parent)
    report = _run(_records(tmp_path / "r.csv", rows), secretariat)
    assert not report.ok and not report.applied
    errors = {(e.row, e.column) for e in report.errors}
    assert errors == {
        (3, "indicators"),
        (4, "status"),
        (5, "reporting_period"),
        (6, "indicators"),
        (7, "milestones"),
    }
    messages = " ".join(e.message for e in report.errors)
    assert "C99.1.1" in messages and "XX" in messages and "2018-01" in messages
    assert not IndicatorStatus.objects.exists()
    assert not ProgressUpdate.objects.exists()


@pytest.mark.django_db
def test_records_need_the_structure_first(secretariat, tmp_path):
    with translation.override("en"):
        report = _run(_records(tmp_path / "r.csv", [_row("2019-03", "C01.1.1", "C")]), secretariat)
    assert not report.ok
    assert "schema first" in report.file_errors[0].message


@pytest.mark.django_db
def test_records_without_a_status_column_are_refused(structure, secretariat, tmp_path):
    path = _records(tmp_path / "r.csv", [_row("2019-03", "C01.1.1", "C")], COLUMNS[:4])
    report = _run(path, secretariat)
    assert [(e.row, e.column) for e in report.file_errors] == [(0, "status")]


def _read_csv(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


@pytest.mark.django_db
def test_export_then_import_gives_the_same_statuses(structure, secretariat, tmp_path):
    codes = _codes()
    statuses = ["NS", "LP", "SP", "C"]
    rows = [_row("2019-06", code, statuses[i % 4]) for i, code in enumerate(codes)]
    rows[0]["evidence_fr"] = '=HYPERLINK("http://x")'
    assert _run(_records(tmp_path / "r.csv", rows), secretariat).ok
    exported = _read_csv(canada.export_csv(structure, "2019-06"))
    assert exported[0] == COLUMNS
    assert len(exported) == 1 + 135
    assert exported[1][:5] == ["2019-06", "C01", "C01.1", "C01.1.1", "NS"]
    assert exported[1][COLUMNS.index("evidence_fr")] == '\'=HYPERLINK("http://x")'
    assert {r[3]: r[4] for r in exported[1:]} == {r["indicators"]: r["status"] for r in rows}
    # The export, in CSV and in Excel, imports back as it is.
    rows[0]["evidence_fr"] = '\'=HYPERLINK("http://x")'
    assert _run(_records(tmp_path / "r.csv", rows), secretariat).ok
    path = tmp_path / "export.csv"
    path.write_text(canada.export_csv(structure, "2019-06"), encoding="utf-8")
    report = _run(path, secretariat)
    assert report.counts() == {"create": 0, "update": 0, "unchanged": 135, "error": 0}
    path = tmp_path / "export.xlsx"
    path.write_bytes(canada.export_xlsx(structure, "2019-06"))
    report = _run(path, secretariat)
    assert report.counts() == {"create": 0, "update": 0, "unchanged": 135, "error": 0}


@pytest.mark.django_db
def test_a_period_without_records_exports_the_activities_levels(structure, secretariat, tmp_path):
    rows = [_row("2019-06", code, "C") for code in _codes() if code.startswith("C01.1.")]
    assert _run(_records(tmp_path / "r.csv", rows), secretariat).ok
    exported = {r[3]: r for r in _read_csv(canada.export_csv(structure, "2019-09"))[1:]}
    # Every indicator of C01.1 is complete, so the activity is at 100 %: complete.
    assert exported["C01.1.1"][4] == "C"
    assert exported["C01.2.1"][4] == "NS"
    # Before the update was reported, the activity was not started.
    earlier = {r[3]: r for r in _read_csv(canada.export_csv(structure, "2019-03"))[1:]}
    assert earlier["C01.1.1"][4] == "NS"


@pytest.mark.django_db
def test_the_command_imports_schema_and_records(secretariat, tmp_path):
    out = io.StringIO()
    call_command("import_canada_tracker", str(SCHEMA), "--dry-run", stdout=out)
    assert "New: 202" in out.getvalue()
    assert not Commitment.objects.exists()
    out = io.StringIO()
    call_command("import_canada_tracker", str(SCHEMA), "--plan", "nap4", stdout=out)
    assert "Applied." in out.getvalue()
    assert ActionPlan.objects.get(slug="nap4").commitments.count() == 10
    path = _records(tmp_path / "r.csv", [_row("2019-03", "C01.1.1", "C")])
    out = io.StringIO()
    call_command("import_canada_tracker", str(path), "--plan", "nap4", stdout=out)
    assert "New: 1" in out.getvalue()
    bad = _records(tmp_path / "bad.csv", [_row("2019-03", "C01.1.1", "??")])
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_canada_tracker", str(bad), "--plan", "nap4", stdout=out)
    assert "row 2 [status]" in out.getvalue()


@pytest.mark.django_db
def test_the_secretariat_downloads_a_period(client, structure, secretariat, focal_point_a):
    url = f"/en/exchange/canada/{structure.slug}/"
    assert client.get(url).status_code == 302
    client.force_login(focal_point_a)
    assert client.get(url).status_code == 403
    client.force_login(secretariat)
    page = client.get(url)
    assert page.status_code == 200
    assert 'data-period="2021-12"' in page.content.decode()
    response = client.get(url, {"period": "2019-03", "format": "csv"})
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="canada-nap-2019-03.csv"'
    rows = _read_csv(response.content.decode("utf-8-sig"))
    assert rows[0] == COLUMNS and len(rows) == 136
    response = client.get(url, {"period": "2019-03", "format": "xlsx"})
    assert response.content.startswith(b"PK")
    assert client.get(url, {"period": "1999-03"}).status_code == 404
    assert AuditLog.objects.filter(action="exchange.export_canada").count() == 2


@pytest.mark.django_db
def test_it_never_overwrites_a_plan_it_did_not_import(secretariat):
    assert _run(SCHEMA, secretariat).ok
    plan = ActionPlan.objects.get(slug="canada-nap")
    Tracker.objects.filter(plan=plan).delete()  # as if the plan had been made by hand
    before = plan.commitments.get(number=1).title_en
    report = _run(SCHEMA, secretariat)
    assert not report.ok and [e.row for e in report.file_errors] == [0]
    assert plan.commitments.get(number=1).title_en == before


@pytest.mark.django_db
def test_a_bad_plan_period_is_a_file_error(secretariat):
    report = _run(SCHEMA, secretariat, period_start="01/07/2019")
    assert not report.ok and not ActionPlan.objects.exists()


@pytest.mark.django_db
def test_excel_records_with_periods_turned_into_dates(structure, secretariat, tmp_path):
    import datetime

    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(COLUMNS[:5])
    # Excel reads a typed "2019-03" as the 1st of March 2019.
    sheet.append([datetime.datetime(2019, 3, 1), "C01", "C01.1", "C01.1.1", "C"])  # noqa: DTZ001
    path = tmp_path / "records.xlsx"
    workbook.save(path)
    report = _run(path, secretariat)
    assert report.ok, list(report.lines())
    assert IndicatorStatus.objects.get().period == "2019-03"


@pytest.mark.django_db
def test_a_plan_period_ending_before_it_starts_is_a_file_error(secretariat):
    report = _run(SCHEMA, secretariat, period_start="2022-01-01", period_end="2021-01-01")
    assert not report.ok and not ActionPlan.objects.exists()


@pytest.mark.django_db
def test_the_plan_option_is_a_slug(secretariat, tmp_path):
    assert _run(SCHEMA, secretariat, plan="Canada NAP 4").ok
    plan = ActionPlan.objects.get(slug="canada-nap-4")
    path = _records(tmp_path / "r.csv", [_row("2019-03", "C01.1.1", "C")])
    assert _run(path, secretariat, plan="Canada NAP 4").ok
    assert IndicatorStatus.objects.get().indicator.plan == plan


@pytest.mark.django_db
def test_it_tells_how_many_rows_it_has_done(structure, secretariat, tmp_path):
    rows = [_row(period, code, "LP") for period in PERIODS[:4] for code in _codes()]
    seen: list[int] = []
    path = _records(tmp_path / "r.csv", rows)
    report = canada.run(path, apply=True, user=secretariat, options={}, progress=seen.append)
    assert report.ok
    assert seen == [500, 540]  # rows read, then rows written


@pytest.mark.django_db
def test_a_plan_period_out_of_bounds_is_a_file_error_naming_the_range(secretariat):
    with translation.override("fr"):
        report = _run(SCHEMA, secretariat, period_start="2019-01-01", period_end="9999-12-31")
    assert not report.ok and not ActionPlan.objects.exists()
    message = report.file_errors[0].message
    assert "Indiquez une date comprise entre le" in message and "2000-01-01" in message
