"""The demo is the seed's 2021–2023 plan, with the seed's figures."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management import call_command

from apps.plans.models import ActionPlan, Activity, Commitment
from apps.plans.seed import SEED_PATH, read_progress_table

pytestmark = pytest.mark.django_db

# Read off the seed's table by a person, row by row (numbers 1 to 22).
SEED_PERCENTAGES = [
    65,
    91,
    47,
    74,
    47,
    100,
    100,
    100,
    78,
    62,
    42,
    70,
    83,
    95,
    87,
    59,
    57,
    56,
    50,
    84,
    93,
    100,
]


def seed_text() -> str:
    # The seed as handed to the project, when it is beside the repository; the copy otherwise.
    shared = Path(__file__).resolve().parents[4] / "shared" / "seeds" / "000_40e39945a3751939.txt"
    return (shared if shared.exists() else SEED_PATH).read_text(encoding="utf-8")


@pytest.fixture
def demo():
    call_command("load_demo", "--no-admin", verbosity=0)
    return ActionPlan.objects.get(slug="morocco-2021-2023")


def test_the_seed_reader_finds_the_22_rows_with_their_percentages():
    rows = read_progress_table(seed_text())
    assert [r.number for r in rows] == list(range(1, 23))
    assert [r.progress for r in rows] == SEED_PERCENTAGES


def test_the_demo_has_the_seeds_22_computed_percentages(demo):
    computed = list(
        Commitment.objects.with_progress()
        .filter(plan=demo)
        .order_by("number")
        .values_list("progress", flat=True)
    )
    assert computed == [float(p) for p in SEED_PERCENTAGES]


def test_the_demo_titles_are_the_seeds_arabic_titles(demo):
    text = seed_text()
    for commitment in demo.commitments.all():
        assert commitment.title_ar in " ".join(text.split())
        assert commitment.title_fr and commitment.title_en


def test_every_pending_activity_of_the_seed_is_there_with_its_percentage(demo):
    for row in read_progress_table(seed_text()):
        listed = list(
            Activity.objects.filter(
                commitment__plan=demo, commitment__number=row.number, is_grouping=False
            )
            .order_by("order")
            .values_list("title_ar", "progress")
        )
        assert listed == [(a.title, a.progress or 0) for a in row.pending]
    # Spot checks read by a person: commitment 10 lists the legal framework at 20%.
    assert (
        Activity.objects.get(
            commitment__number=10,
            title_ar="وضع الإطار القانوني اللازم لتشجيع تطوير المعطيات المفتوحة",
        ).progress
        == 20
    )
    assert Activity.objects.filter(commitment__plan=demo, is_grouping=False).count() == 69


def test_the_grouping_of_completed_activities_is_labelled_on_the_page(client, demo):
    html = client.get("/fr/plans/morocco-2021-2023/commitments/1/").content.decode()
    assert "Activités achevées (non détaillées dans le procès-verbal du 28 mars 2023)" in html
    assert "activity-grouping" in html


def test_loading_the_demo_twice_changes_nothing(demo):
    def snapshot():
        return (
            list(ActionPlan.objects.values_list("pk", "title_ar")),
            list(Commitment.objects.values_list("pk", "number", "title_ar", "lead_institution")),
            list(Activity.objects.values_list("pk", "title_ar", "progress", "weight")),
        )

    before = snapshot()
    call_command("load_demo", verbosity=0)
    call_command("load_demo", verbosity=0)
    assert snapshot() == before


def test_the_demo_names_the_institutions_of_the_seed(demo):
    from apps.accounts.models import Institution

    text = seed_text()
    names = list(Institution.objects.values_list("name_ar", flat=True))
    assert len(names) >= 23
    for name in [
        "وزارة العدل",
        "وكالة التنمية الرقمية",
        "وزارة الصحة والحماية الاجتماعية",
        "جمعية نساء بلادي للتنمية والسياحة",
    ]:
        assert name in names and name in text


def test_make_run_migrates_and_loads_the_demo_in_one_command():
    """``make run`` calls ``load_demo --migrate`` (one start of Django less): the
    migrations are applied first, then the demo is there."""
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    call_command("load_demo", "--migrate", "--no-admin", verbosity=0)
    executor = MigrationExecutor(connection)
    assert executor.migration_plan(executor.loader.graph.leaf_nodes()) == []
    assert ActionPlan.objects.filter(slug="morocco-2021-2023").exists()
