"""The demo's tracking: focal points, the seed's hand-overs and the 20% → 60% proposal."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from apps.plans.models import ActionPlan
from apps.tracking.models import ChangeRequest, FocalPointAssignment, ProgressUpdate

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    call_command("load_demo", "--no-admin", verbosity=0)
    return ActionPlan.objects.get(slug="morocco-2021-2023")


def test_every_commitment_has_a_focal_point_of_its_lead_institution(demo):
    current = FocalPointAssignment.objects.current().filter(commitment__plan=demo)
    assert current.count() == 22
    assert all(a.user.institution_id == a.commitment.lead_institution_id for a in current)


def test_the_seeds_change_of_contact_is_a_recorded_hand_over(demo):
    for number in (11, 12):
        rows = list(
            FocalPointAssignment.objects.filter(
                commitment__plan=demo, commitment__number=number
            ).order_by("started_on")
        )
        assert len(rows) == 2 and rows[0].ended_on == rows[1].started_on
        assert "المخاطب" in rows[1].note


def test_the_seeds_proposal_is_a_pending_change_request(demo):
    request = ChangeRequest.objects.get()
    assert (request.current_progress, request.proposed_progress) == (20, 60)
    assert request.activity.commitment.number == 10 and request.status == "pending"


def test_the_demo_keeps_the_seeds_figures_and_loads_once(client, demo):
    assert ProgressUpdate.objects.validated().exists()
    assert ProgressUpdate.objects.pending().count() == 1
    html = client.get("/ar/plans/morocco-2021-2023/").content.decode()
    assert 'data-testid="plan-progress"><bdi>75%</bdi>' in html
    before = (FocalPointAssignment.objects.count(), ProgressUpdate.objects.count())
    call_command("load_demo", "--no-admin", verbosity=0)
    assert (FocalPointAssignment.objects.count(), ProgressUpdate.objects.count()) == before
