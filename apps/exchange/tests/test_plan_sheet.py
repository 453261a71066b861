"""The plan sheet: export, import into an empty database, idempotence, bad input."""

from __future__ import annotations

from pathlib import Path

import pytest

from apps.accounts import system_user
from apps.exchange import plan_sheet
from apps.exchange.tests.sheets import export, figures, wipe
from apps.plans.demo import load_demo
from apps.tracking.models import ProgressUpdate

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
