"""An action's refusal reaches the user as one kind of message, whatever the app."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import translation

from apps.core.errors import ActionError
from apps.tracking.actions import TrackingError
from apps.tracking.models import UpdateStatus
from apps.tracking.tests.factories import assign, make_activity, submitted

pytestmark = pytest.mark.django_db


def test_every_apps_error_is_an_action_error():
    from apps.committees.actions import CommitteeError
    from apps.plans.actions import PlanError

    assert all(issubclass(e, ActionError) for e in (TrackingError, CommitteeError, PlanError))


def test_a_refused_action_is_shown_as_an_error_message(
    ministry_a, focal_point_a, focal_point_b, secretariat
):
    activity = make_activity(ministry_a)
    assign(activity.commitment, focal_point_a, secretariat)
    update = submitted(activity, focal_point_a, 50)
    client = Client()
    client.force_login(focal_point_b)
    with translation.override("en"):  # (the request activates English: restore after)
        response = client.post(f"/en/tracking/updates/{update.pk}/submit/")
    html = response.content.decode()
    assert response.status_code == 403
    assert html.count("This update can no longer be submitted.") == 1
    assert 'class="alert alert-danger" role="status">This update can no longer' in html
    update.refresh_from_db()
    assert update.status == UpdateStatus.SUBMITTED
