"""Superusers obey the four-eyes rules: Django's flags open the admin, not the workflow."""

from __future__ import annotations

import pytest
from django.test import Client

from apps.tracking import actions
from apps.tracking.models import ChangeRequestStatus, UpdateStatus
from apps.tracking.tests.factories import assign, make_activity, submitted

pytestmark = pytest.mark.django_db


@pytest.fixture
def own_activity(ministry_a, superuser, secretariat):
    """An activity the superuser answers for as ministry A's focal point."""
    activity = make_activity(ministry_a, progress=20)
    assign(activity.commitment, superuser, secretariat)
    return activity


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def test_it_refuses_a_superuser_validating_their_own_update(own_activity, superuser):
    update = submitted(own_activity, superuser, 70)
    assert not superuser.has_perm("tracking.validate_update", update)
    with pytest.raises(actions.TrackingError):
        actions.do_validate_update(update, acting_user=superuser)
    page = _client(superuser).get(update.get_absolute_url())
    assert f"/tracking/updates/{update.pk}/validate/" not in page.content.decode()
    response = _client(superuser).post(f"/ar/tracking/updates/{update.pk}/validate/")
    assert response.status_code in (302, 403)
    update.refresh_from_db()
    own_activity.refresh_from_db()
    assert update.status == UpdateStatus.SUBMITTED and own_activity.progress == 20


def test_it_lets_someone_else_validate_a_superusers_update(own_activity, superuser, secretariat):
    update = submitted(own_activity, superuser, 70)
    actions.do_validate_update(update, acting_user=secretariat)
    own_activity.refresh_from_db()
    assert own_activity.progress == 70


def test_it_lets_a_superuser_validate_another_persons_update(
    superuser, focal_point_b, ministry_b, secretariat
):
    activity = make_activity(ministry_b, progress=10)
    assign(activity.commitment, focal_point_b, secretariat)
    update = submitted(activity, focal_point_b, 40)
    response = _client(superuser).post(f"/ar/tracking/updates/{update.pk}/validate/")
    assert response.status_code == 302
    update.refresh_from_db()
    assert update.status == UpdateStatus.VALIDATED


def test_it_refuses_a_superuser_deciding_their_own_change_request(own_activity, superuser):
    request = actions.do_propose_change(
        own_activity, acting_user=superuser, progress=60, justification="سبب"
    )
    assert not superuser.has_perm("tracking.decide_change", request)
    for decide in (actions.do_accept_change, actions.do_reject_change):
        with pytest.raises(actions.TrackingError):
            decide(request, acting_user=superuser, reason="قرار")
    response = _client(superuser).post(
        f"/ar/tracking/change-requests/{request.pk}/decide/",
        {"decision": "accept", "reason": "قرار"},
    )
    assert response.status_code in (302, 403)
    request.refresh_from_db()
    own_activity.refresh_from_db()
    assert request.status == ChangeRequestStatus.PENDING and own_activity.progress == 20


def test_a_superuser_keeps_the_admin(superuser):
    client = _client(superuser)
    for path in (
        "/ar/admin/",
        "/ar/admin/committees/meeting/",
        "/ar/admin/committees/meeting/add/",
        "/ar/admin/plans/commitment/",
        "/ar/admin/accounts/user/",
    ):
        assert client.get(path).status_code == 200, path


def test_the_admin_changes_no_assignment_and_audits_a_deletion(own_activity, superuser):
    from apps.core.models import AuditLog
    from apps.tracking.models import FocalPointAssignment, ProgressUpdate

    client = _client(superuser)
    assignment = FocalPointAssignment.objects.get(user=superuser)
    assert client.get("/ar/admin/tracking/focalpointassignment/add/").status_code == 403
    url = f"/ar/admin/tracking/focalpointassignment/{assignment.pk}/change/"
    assert client.post(url, {"started_on": "2020-01-01"}).status_code == 403
    update = submitted(own_activity, superuser, 30)
    response = client.post(
        f"/ar/admin/tracking/progressupdate/{update.pk}/delete/", {"post": "yes"}
    )
    assert response.status_code == 302
    assert not ProgressUpdate.objects.filter(pk=update.pk).exists()
    row = AuditLog.objects.get(action="tracking.delete_progressupdate")
    assert row.actor == superuser and row.before["progress"] == 30
