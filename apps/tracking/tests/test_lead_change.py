"""A commitment changes lead institution: who answers for it changes with it."""

from __future__ import annotations

import datetime
import re

import pytest
from django.test import Client

from apps.core.models import AuditLog
from apps.plans import actions as plan_actions
from apps.tracking import actions
from apps.tracking.models import FocalPointAssignment, UpdateStatus
from apps.tracking.tests.factories import report, submitted

pytestmark = pytest.mark.django_db


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def _report(client, activity):
    return client.post(
        f"/ar/tracking/activities/{activity.pk}/report/",
        {
            "progress": "55",
            "reported_on": "2023-01-15",
            "narrative_ar": "تقدم",
            "submit": "1",
        },
    )


def test_the_whole_story_of_a_lead_change(
    activity, focal_point_a, focal_point_b, ministry_b, secretariat
):
    commitment = activity.commitment
    pending = submitted(activity, focal_point_a, 40)
    old, new = _client(focal_point_a), _client(focal_point_b)
    assert new.get(f"/ar/tracking/activities/{activity.pk}/report/").status_code == 403

    notes = plan_actions.do_change_lead_institution(
        commitment, ministry_b, acting_user=secretariat, on=datetime.date(2023, 3, 28)
    )

    # The former focal point's assignment ended, recorded, with a word for the secretariat.
    assert len(notes) == 1 and focal_point_a.username in notes[0]
    ended = FocalPointAssignment.objects.get(user=focal_point_a)
    assert ended.ended_on == datetime.date(2023, 3, 28)
    row = AuditLog.objects.get(action="tracking.end_assignment")
    assert row.actor == secretariat and row.before["focal_point"] == focal_point_a.pk
    assert AuditLog.objects.filter(action="plans.change_lead_institution").count() == 1
    # They stop reporting; what they already submitted can still be decided.
    focal_point_a.__dict__.pop("_assigned_commitment_ids", None)  # (cached per instance)
    assert _report(old, activity).status_code == 403
    with pytest.raises(actions.TrackingError):
        actions.do_record_progress(activity, report(70), acting_user=focal_point_a)
    actions.do_validate_update(pending, acting_user=secretariat)
    pending.refresh_from_db()
    assert pending.status == UpdateStatus.VALIDATED
    # The secretariat hands the commitment to the new lead's focal point, who reports.
    hand_over = _client(secretariat).post(
        f"/ar/tracking/commitments/{commitment.pk}/hand-over/",
        {"focal_point": focal_point_b.pk, "started_on": "2023-03-28", "note": ""},
    )
    assert hand_over.status_code == 302, hand_over.content.decode()[:3000]
    focal_point_b.__dict__.pop("_assigned_commitment_ids", None)
    assert new.get(f"/ar/tracking/activities/{activity.pk}/report/").status_code == 200
    assert _report(new, activity).status_code == 302
    assert activity.updates.filter(author=focal_point_b).count() == 1


def test_a_focal_point_of_a_supporting_institution_stays(
    activity, focal_point_a, ministry_a, ministry_b, secretariat
):
    commitment = activity.commitment
    commitment.supporting_institutions.add(ministry_a)
    notes = plan_actions.do_change_lead_institution(commitment, ministry_b, acting_user=secretariat)
    assert notes == []
    assert FocalPointAssignment.objects.current().get(commitment=commitment).user == focal_point_a


def test_removing_a_supporting_institution_ends_its_focal_points_assignment(
    activity, focal_point_a, ministry_a, ministry_b, secretariat
):
    commitment = activity.commitment
    commitment.supporting_institutions.add(ministry_a)
    plan_actions.do_change_lead_institution(commitment, ministry_b, acting_user=secretariat)
    plan_actions.do_set_supporting_institutions(commitment, [], acting_user=secretariat)
    assert not FocalPointAssignment.objects.current().filter(commitment=commitment).exists()


def test_the_admin_ends_the_assignment_and_says_so(
    activity, focal_point_a, ministry_b, secretariat
):
    from apps.plans.tests.test_actions import _admin_post

    client = _client(secretariat)
    response = _admin_post(client, activity.commitment, lead_institution=ministry_b.pk)
    assert response.status_code == 302
    assert not FocalPointAssignment.objects.current().filter(user=focal_point_a).exists()
    page = client.get(response["Location"]).content.decode()
    warnings = re.findall(r'class="warning">([^<]*)<', page)
    assert any(focal_point_a.username in w.lower() for w in warnings), warnings
