"""Progress read from an imported file: a validated update with source "import", the
secretariat's alone; the same figure again writes nothing."""

from __future__ import annotations

import datetime

import pytest
from django.utils import translation

from apps.accounts import system_user
from apps.core.models import AuditLog
from apps.plans.models import Activity
from apps.tracking.actions import TrackingError, do_import_progress
from apps.tracking.models import ProgressUpdate, UpdateSource, UpdateStatus

pytestmark = pytest.mark.django_db

DAY = datetime.date(2024, 5, 1)


def test_it_records_a_validated_update_and_moves_the_figure(activity, secretariat):
    start = activity.progress
    update = do_import_progress(activity, progress=65, reported_on=DAY, acting_user=secretariat)
    assert update is not None
    update.refresh_from_db()
    assert (update.status, update.source, update.progress, update.previous_progress) == (
        UpdateStatus.VALIDATED,
        UpdateSource.IMPORT,
        65,
        start,
    )
    assert update.reported_on == DAY and update.author == secretariat
    assert Activity.objects.get(pk=activity.pk).progress == 65 and activity.progress == 65
    assert set(AuditLog.objects.values_list("action", flat=True)) >= {
        "tracking.import_progress",
        "plans.change_activity_progress",
    }


def test_the_same_figure_writes_nothing(activity, secretariat):
    do_import_progress(activity, progress=65, reported_on=DAY, acting_user=secretariat)
    counts = (ProgressUpdate.objects.count(), AuditLog.objects.count())
    again = do_import_progress(activity, progress=65, reported_on=DAY, acting_user=secretariat)
    assert again is None
    assert (ProgressUpdate.objects.count(), AuditLog.objects.count()) == counts


def test_the_platform_account_may_import(activity):
    assert do_import_progress(activity, progress=10, reported_on=DAY, acting_user=system_user())


@pytest.mark.parametrize("persona", ["focal_point_a", "committee_member", "citizen"])
def test_nobody_else_imports_progress(activity, personas, persona):
    with translation.override("en"), pytest.raises(TrackingError, match="Only the secretariat"):
        do_import_progress(activity, progress=70, reported_on=DAY, acting_user=personas[persona])
    assert not ProgressUpdate.objects.filter(source=UpdateSource.IMPORT).exists()


@pytest.mark.parametrize("progress", [-1, 101])
def test_it_refuses_a_figure_outside_0_100(activity, secretariat, progress):
    with pytest.raises(TrackingError):
        do_import_progress(activity, progress=progress, reported_on=DAY, acting_user=secretariat)
    assert Activity.objects.get(pk=activity.pk).progress == activity.progress


def test_a_narrative_is_kept_in_its_language(activity, secretariat):
    update = do_import_progress(
        activity,
        progress=30,
        reported_on=DAY,
        acting_user=secretariat,
        narrative="Mis à jour par l'import",
        language="fr",
    )
    assert update is not None
    assert update.narrative_fr == "Mis à jour par l'import"  # type: ignore[attr-defined]
