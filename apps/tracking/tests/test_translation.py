"""The narrative of an update is translated content like the rest (modeltranslation)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import translation

from apps.tracking import actions
from apps.tracking.models import ProgressUpdate
from apps.tracking.tests.factories import report


@pytest.mark.django_db
def test_it_reads_the_narrative_in_the_active_language_else_the_first_given(
    activity, focal_point_a
):
    update = actions.do_record_progress(
        activity,
        report(narratives={"fr": "Étude faite", "en": "Study done"}),
        acting_user=focal_point_a,
    )
    update = ProgressUpdate.objects.get(pk=update.pk)
    with translation.override("en"):
        assert update.narrative == "Study done"
    with translation.override("ar"):
        assert update.narrative == "Étude faite"
    update.narrative_ar = "أنجزت الدراسة"
    with translation.override("en"):
        assert update.narrative == "Study done"
    with translation.override("fr"):
        assert update.narrative == "Étude faite"
    assert ProgressUpdate._meta.get_field("narrative_en")  # the column modeltranslation reads


@pytest.mark.django_db(transaction=True)
def test_the_migration_keeps_the_narratives(activity, focal_point_a):
    before = [("tracking", "0001_progress_tracking")]
    executor = MigrationExecutor(connection)
    latest = executor.loader.graph.leaf_nodes("tracking")
    executor.migrate(before)
    try:
        OldUpdate = executor.loader.project_state(before).apps.get_model(
            "tracking", "ProgressUpdate"
        )
        old = OldUpdate.objects.create(
            activity_id=activity.pk,
            author_id=focal_point_a.pk,
            progress=40,
            reported_on="2023-03-01",
            language="fr",
            narrative_ar="",
            narrative_fr="Étude faite",
            narrative_en="Study done",
        )
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(latest)
    update = ProgressUpdate.objects.get(pk=old.pk)
    assert (update.narrative_ar or "", update.narrative_fr, update.narrative_en) == (
        "",
        "Étude faite",
        "Study done",
    )
    with translation.override("ar"):
        assert update.narrative == "Étude faite"


@pytest.mark.django_db
def test_the_admin_shows_the_narrative_in_each_language(client, superuser, activity, focal_point_a):
    update = actions.do_record_progress(
        activity,
        report(narratives={"ar": "تقدم ملموس", "fr": "Progrès"}),
        acting_user=focal_point_a,
    )
    client.force_login(superuser)
    html = client.get(f"/fr/admin/tracking/progressupdate/{update.pk}/change/").content.decode()
    assert "تقدم ملموس" in html and "Progrès" in html
    assert 'name="narrative"' not in html and "narrative_en" in html
