"""The plan sheet: export, import into an empty database, idempotence, bad input."""

from __future__ import annotations

import datetime
import decimal
import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from apps.accounts import system_user
from apps.accounts.models import Institution
from apps.exchange import plan_sheet
from apps.exchange.tests.sheets import export, figures, wipe
from apps.plans.demo import load_demo
from apps.plans.figures import stale_plans
from apps.plans.models import ActionPlan, Activity, Commitment
from apps.tracking.models import ProgressUpdate, UpdateSource, UpdateStatus

pytestmark = pytest.mark.django_db

DEMO = "morocco-2021-2023"


@pytest.fixture
def demo():
    """The demo plan alone (its institutions, commitments and activities)."""
    return load_demo()


@pytest.mark.parametrize("fmt,language", [("xlsx", "ar"), ("csv", "fr")])
def test_it_gives_the_demo_back_in_an_empty_database(demo, tmp_path: Path, fmt, language):
    before = figures(DEMO)
    path = export(demo, tmp_path / f"plan.{fmt}", fmt, language)
    wipe()
    report = plan_sheet.run(path, apply=True, user=system_user(), options={})
    assert report.ok and report.applied, list(report.lines())
    assert report.counts()["create"] == len(report.rows)
    assert figures(DEMO) == before
    again = plan_sheet.run(path, apply=True, user=system_user(), options={})
    assert again.ok
    assert again.counts()["unchanged"] == len(again.rows), list(again.lines())


def test_its_own_export_changes_nothing(demo, tmp_path: Path):
    path = export(demo, tmp_path / "plan.xlsx")
    updates = ProgressUpdate.objects.count()
    report = plan_sheet.run(path, apply=True, user=system_user(), options={})
    assert report.counts()["unchanged"] == len(report.rows), list(report.lines())
    assert ProgressUpdate.objects.count() == updates


# Bad input: each one a clear error, and nothing written. ------------------------------

HEADERS = plan_sheet.headers("en")


def _csv(tmp_path: Path, rows: list[dict[str, str]], headers=None, encoding="utf-8") -> Path:
    """A sheet with the given cells (by column key), in ``headers``' language."""
    import csv
    import io

    keys = [c.key for c in plan_sheet.COLUMNS]
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(headers or HEADERS)
    for row in rows:
        writer.writerow([row.get(k, "") for k in keys])
    path = tmp_path / "sheet.csv"
    path.write_bytes(out.getvalue().encode(encoding))
    return path


NEW_PLAN = {
    "plan": "new-plan",
    "plan_member_ar": "المغرب",
    "plan_ordinal": "3",
    "plan_title_ar": "الخطة الثالثة",
    "plan_start": "2024-01-01",
    "plan_end": "2027-12-31",
}


def _row(commitment="1", activity="1", **cells: str) -> dict[str, str]:
    return {
        **NEW_PLAN,
        "commitment": commitment,
        "commitment_title_ar": f"التزام {commitment}",
        "activity": activity,
        "activity_title_ar": f"نشاط {activity}",
        **cells,
    }


def _run(path: Path, apply: bool = True):
    with translation.override("en"):
        return plan_sheet.run(path, apply=apply, user=system_user(), options={})


def _errors(report) -> list[tuple[int, str, str]]:
    return [(e.row, e.column, e.message) for e in report.errors]


def test_it_reads_arabic_indic_digits_and_percent_signs(tmp_path):
    path = _csv(
        tmp_path,
        [_row(activity="1", progress="60 %"), _row(activity="٢", progress="٦٠٪", weight="١٫٥")],
        headers=plan_sheet.headers("ar"),
    )
    report = _run(path)
    assert report.applied, _errors(report)
    assert sorted(Activity.objects.values_list("order", "progress", "weight")) == [
        (1, 60, decimal.Decimal("1.00")),
        (2, 60, decimal.Decimal("1.50")),
    ]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "cp1256"])
def test_it_reads_every_encoding(tmp_path, encoding):
    report = _run(_csv(tmp_path, [_row()], headers=plan_sheet.headers("ar"), encoding=encoding))
    assert report.applied, _errors(report)
    assert Activity.objects.get().title_ar == "نشاط 1"  # type: ignore[attr-defined]


def test_headers_may_be_in_any_language_at_once(tmp_path):
    mixed = [
        plan_sheet.headers(("ar", "fr", "en")[i % 3])[i] for i in range(len(plan_sheet.COLUMNS))
    ]
    report = _run(_csv(tmp_path, [_row()], headers=mixed))
    assert report.applied, _errors(report)


@pytest.mark.parametrize(
    "cells,column,reason",
    [
        ({"progress": "160"}, "Progress (%)", "160 is outside 0–100."),
        ({"progress": "=A1*2"}, "Progress (%)", "is a formula: formulas are not evaluated"),
        ({"weight": "-1"}, "Weight", "A weight is a number from 0"),
        ({"activity_start": "2024-13-45"}, "Activity start", "is not a date"),
        ({"plan_ordinal": "third"}, "Plan number", "“third” is not a number."),
        ({"plan_ordinal": "2.5"}, "Plan number", "is not a whole number"),
        ({"grouping": "maybe"}, "Groups completed activities", "Write yes or no"),
        (
            {"activity_start": "2025-01-01", "activity_end": "2024-01-01"},
            "Activity end",
            "The end date must not be before the start date.",
        ),
        (
            {"commitment": "2", "lead_name_fr": "Ministère inconnu"},
            "Lead institution [fr]",
            "Add it in the administration",
        ),
        ({"lead_acronym": "MX"}, "Lead institution acronym", "is also on row 2"),
        ({"plan_status": "asleep"}, "Plan status", "is not one of"),
    ],
)
def test_a_bad_cell_is_an_error_with_its_row_and_column(tmp_path, cells, column, reason):
    path = _csv(tmp_path, [_row(activity="1"), _row(activity="2", **cells)])
    report = _run(path)
    assert not report.applied
    [(row, col, message)] = _errors(report)
    assert (row, col) == (3, column) and reason in message, message
    assert not ActionPlan.objects.exists()


def test_a_formula_in_a_title_is_kept_as_text(tmp_path):
    report = _run(_csv(tmp_path, [_row(activity_title_ar='=HYPERLINK("x")')]))
    assert report.applied, _errors(report)
    assert Activity.objects.get().title_ar == '=HYPERLINK("x")'  # type: ignore[attr-defined]


def test_duplicate_numbers_are_refused(tmp_path):
    path = _csv(
        tmp_path,
        [_row("1", "1"), _row("1", "1"), _row("2", "1"), _row("2", "2", commitment_title_ar="آخر")],
    )
    report = _run(path)
    errors = _errors(report)
    assert [(row, col) for row, col, _m in errors] == [
        (3, "Activity number"),
        (5, "Commitment title [ar]"),
    ]
    assert "is also on row 2" in errors[0][2] and "is also on row 4" in errors[1][2]
    assert not ActionPlan.objects.exists()


def test_missing_or_renamed_columns_are_named(tmp_path):
    headers = [h.replace("Activity title [ar]", "Activity name") for h in HEADERS]
    headers.remove("Commitment number")
    headers.append("")
    report = _run(_csv(tmp_path, [_row()], headers=headers))
    [(row, column, message)] = _errors(report)
    assert row == 0 and column == "Commitment number, Activity title [ar]"
    assert "“Commitment number”, “Activity title [ar]”" in message
    assert "“Activity name”" in " ".join(report.notes)


def test_merged_cells_read_as_the_value_above(tmp_path):
    path = tmp_path / "merged.xlsx"
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(HEADERS)
    keys = [c.key for c in plan_sheet.COLUMNS]
    rows = [
        _row("1", "1", theme_ar="محور", commitment_title_ar="أول"),
        {"activity": "2", "activity_title_ar": "ثان"},
        {
            "commitment": "2",
            "commitment_title_ar": "ثان",
            "activity": "1",
            "activity_title_ar": "ن",
        },
    ]
    for row in rows:
        ws.append([row.get(k, "") or None for k in keys])
    ws.merge_cells(start_row=2, end_row=4, start_column=1, end_column=1)
    wb.save(path)
    report = _run(path)
    assert report.applied, _errors(report)
    assert Commitment.objects.get(number=1).activities.count() == 2
    assert Commitment.objects.get(number=2).theme == Commitment.objects.get(number=1).theme


@pytest.mark.parametrize(
    "content,reason",
    [
        (b"PK\x03\x04 this is no workbook", "The Excel file cannot be read"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1old", "old Excel file (.xls)"),
        (b"", "The file is empty."),
        (b"\x00\x01\x02binary\x00", "The file is not text"),
    ],
)
def test_a_broken_file_is_a_file_error(tmp_path, content, reason):
    path = tmp_path / "broken.xlsx"
    path.write_bytes(content)
    report = _run(path)
    [(row, _column, message)] = _errors(report)
    assert row == 0 and reason in message


def test_nothing_is_written_when_one_row_in_a_thousand_is_wrong(tmp_path):
    rows = [_row(str(1 + i // 10), str(1 + i % 10)) for i in range(1000)]
    rows[999]["progress"] = "abc"
    report = _run(_csv(tmp_path, rows))
    assert report.counts()["error"] == 1 and not report.applied
    assert not Activity.objects.exists() and not Institution.objects.exists()


def test_an_institution_is_created_only_with_its_kind(tmp_path):
    report = _run(
        _csv(tmp_path, [_row(lead_name_fr="Agence du numérique", lead_kind="Government")])
    )
    assert report.applied, _errors(report)
    agency = Institution.objects.get()
    assert agency.name_ar == "Agence du numérique" and agency.kind == "government"
    assert "Institution “Agence du numérique” (agence-du-numerique) created." in report.notes
    assert Commitment.objects.get().lead_institution == agency


def test_the_command_prints_the_report(tmp_path):
    path = _csv(tmp_path, [_row("1", "1"), _row("1", "2")])
    out = io.StringIO()
    call_command("import_plan", str(path), "--dry-run", stdout=out)
    assert out.getvalue().splitlines()[0] == "New: 2, Updated: 0, Unchanged: 0, Error: 0"
    assert not ActionPlan.objects.exists()
    call_command("import_plan", str(path), "--reported-on", "2024-05-01", stdout=io.StringIO())
    call_command("import_plan", str(path), stdout=(out := io.StringIO()))
    assert out.getvalue().splitlines()[0] == "New: 0, Updated: 0, Unchanged: 2, Error: 0"
    bad = _csv(tmp_path, [_row(progress="200")])
    with pytest.raises(CommandError):
        call_command("import_plan", str(bad), stdout=(out := io.StringIO()))
    assert "row 2 [Progress (%)]: 200 is outside 0–100." in out.getvalue()


def test_progress_is_a_validated_update_with_its_date(tmp_path):
    path = _csv(tmp_path, [_row(progress="40")])
    with translation.override("en"):
        plan_sheet.run(path, apply=True, user=system_user(), options={"reported_on": "2024-05-01"})
    update = ProgressUpdate.objects.get()
    assert (update.progress, update.source, update.reported_on) == (
        40,
        UpdateSource.IMPORT,
        datetime.date(2024, 5, 1),
    )
    assert update.status == UpdateStatus.VALIDATED
    # The plan's stored figures (apps/plans/figures.py) followed the import.
    assert stale_plans() == [] and ActionPlan.objects.get().commitments_count == 1


def test_an_institution_created_by_name_is_found_again_by_name(tmp_path):
    lead = {"lead_name_ar": "وكالة التنمية الرقمية", "lead_kind": "government"}
    path = _csv(tmp_path, [_row("1", **lead), _row("2", **lead)])
    report = _run(path, apply=False)
    assert report.ok and len(report.notes) == 1, _errors(report)
    assert _run(path).applied
    agency = Institution.objects.get()
    assert agency.slug == "institution"
    assert set(Commitment.objects.values_list("lead_institution", flat=True)) == {agency.pk}
    assert _run(path).counts()["unchanged"] == 2
