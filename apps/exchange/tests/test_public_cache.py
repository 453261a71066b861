"""A plan imported from a sheet shows at once on the public pages and in the API, through
the public cache (apps/core/public_cache.py)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from django.utils import translation

from apps.accounts import system_user
from apps.core.tests.public_cache import cached_twice, public_cache, text
from apps.exchange import plan_sheet

pytestmark = pytest.mark.django_db(transaction=True)
enabled = pytest.fixture(autouse=True)(public_cache.__wrapped__)  # type: ignore[attr-defined]

ROW = {
    "plan": "imported-plan",
    "plan_member_ar": "المغرب",
    "plan_ordinal": "3",
    "plan_title_ar": "الخطة المستوردة من جدول",
    "plan_start": "2024-01-01",
    "plan_end": "2027-12-31",
    "commitment": "1",
    "commitment_title_ar": "التزام مستورد",
    "activity": "1",
    "activity_title_ar": "نشاط مستورد",
}


def _sheet(tmp_path: Path, **cells: str) -> Path:
    keys = [c.key for c in plan_sheet.COLUMNS]
    headers = plan_sheet.headers("en")
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(headers)
    writer.writerow([{**ROW, **cells}.get(k, "") for k in keys])
    path = tmp_path / "sheet.csv"
    path.write_text(out.getvalue(), encoding="utf-8")
    return path


def _import(path: Path) -> None:
    with translation.override("en"):
        report = plan_sheet.run(path, apply=True, user=system_user(), options={})
    assert report.applied, [(e.row, e.column, e.message) for e in report.errors]


def test_an_imported_plan_and_its_new_figures_show_at_once(tmp_path):
    for url in ("/ar/", "/ar/plans/", "/api/v1/plans"):
        assert "الخطة المستوردة من جدول" not in cached_twice(url), url
    _import(_sheet(tmp_path, progress="10"))
    for url in ("/ar/", "/ar/plans/", "/api/v1/plans"):
        assert "الخطة المستوردة من جدول" in text(url), url
    commitment = "/ar/plans/imported-plan/commitments/1/"
    before = cached_twice(commitment)
    _import(_sheet(tmp_path, progress="70", commitment_title_ar="التزام مستورد ومعدل"))
    after = text(commitment)
    assert after != before and "التزام مستورد ومعدل" in after
