"""The OGP-scale benchmark (``make bench``: bench/ogp_scale.py, bench/bench_scale.py) at
a tiny scale: the builder writes the data set it announces, and the table has a row per
page and persona with its queries, times and verdict against the goals."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))

import bench_scale  # noqa: E402
import ogp_scale  # noqa: E402

from apps.committees.models import Snapshot, SnapshotRow  # noqa: E402
from apps.plans.figures import stale_plans  # noqa: E402
from apps.plans.models import Commitment  # noqa: E402
from apps.tracking.models import (  # noqa: E402
    ChangeRequest,
    Evidence,
    FocalPointAssignment,
    ProgressUpdate,
)

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

SCALE = 0.005


def test_the_data_set_and_the_table_at_a_tiny_scale() -> None:
    sizes = ogp_scale.build(scale=SCALE)

    bench = {"activity__commitment__plan__slug__startswith": "bench-plan-"}
    updates = ProgressUpdate.objects.filter(**bench)
    assert sizes.updates == updates.count() == ogp_scale.scaled(ogp_scale.UPDATES, SCALE)
    assert sizes.evidence == Evidence.objects.filter(update__in=updates).count()
    assert sizes.evidence == -(-sizes.updates // ogp_scale.EVIDENCE_EVERY)
    heavy = updates.filter(
        activity__commitment__plan__slug=ogp_scale.HEAVY_PLAN, activity__commitment__number=1
    )
    assert heavy.count() >= ogp_scale.scaled(ogp_scale.HEAVY_UPDATES, SCALE, 12) - 6
    # The history spans the plans' years, as a real one does, not the build's second.
    first, last = (
        updates.order_by("created_at").first(),
        updates.order_by("-created_at").first(),
    )
    assert first is not None and last is not None
    assert (last.created_at - first.created_at).days > 700
    assert updates.exclude(status="validated").exists()
    commitments = Commitment.objects.filter(plan__slug__startswith="bench-plan-")
    assert commitments.count() == sizes.commitments
    current = FocalPointAssignment.objects.current().filter(commitment__in=commitments)
    assert current.count() == sizes.commitments
    assert current.filter(user__username=ogp_scale.FOCAL_USERNAME).count() == 28
    snapshots = Snapshot.objects.filter(plan__slug__startswith="bench-plan-")
    assert snapshots.count() == sizes.meetings == sizes.plans
    assert SnapshotRow.objects.filter(snapshot__in=snapshots).count() == sizes.commitments
    assert ChangeRequest.objects.pending().exists()
    assert ChangeRequest.objects.count() >= sizes.change_requests
    # The plans' stored figures are those the actions would have stored (the plan list
    # and the plan page read them).
    assert stale_plans() == []

    rows = bench_scale.measure_pages(repeat=1)
    whos = {row.who for row in rows}
    assert whos == {"anonymous", "secretariat", "focal point", "committee member"}
    # Every page exists for whom it is measured (a refusal is reported, never a 404/500).
    assert {row.status for row in rows} <= {200, 403}, [(r.target, r.status) for r in rows]
    for row in rows:
        if row.status == 200:
            assert row.median_ms is not None and row.p95_ms is not None
            assert row.ok == (
                row.queries is not None
                and row.queries <= bench_scale.MAX_QUERIES
                and row.p95_ms <= bench_scale.MAX_P95_MS
            )
        else:
            assert row.ok is None
    # Every page and endpoint costs at most 15 queries, for everyone (a signed-in
    # person's session read from the sessions' cache, as in production).
    over = [
        (row.target, row.who, row.queries)
        for row in rows
        if (row.queries or 0) > bench_scale.MAX_QUERIES
    ]
    assert over == []
    printed = bench_scale.table(rows)
    assert len(printed.splitlines()) == len(rows) + 3
    assert "/ar/plans/bench-plan-7/" in printed
    assert printed.splitlines()[-1].endswith("fail")
