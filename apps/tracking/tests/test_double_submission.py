"""The same form posted twice (a double click, a reload, two requests at once) creates
one record, not two."""

from __future__ import annotations

import re
import time
import uuid

import pytest
from django.conf import settings
from django.test import Client

from apps.core.errors import ActionError
from apps.core.models import AuditLog
from apps.tracking import actions
from apps.tracking.models import ChangeRequest, ProgressUpdate
from apps.tracking.tests.factories import report


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def _token(html: str) -> str:
    match = re.search(r'name="form_token" value="([0-9a-f-]+)"', html)
    assert match, "the form carries no one-time token"
    return match.group(1)


@pytest.mark.django_db
def test_the_report_form_posted_twice_creates_one_update(activity, focal_point_a):
    client = _client(focal_point_a)
    url = f"/ar/tracking/activities/{activity.pk}/report/"
    data = {
        "form_token": _token(client.get(url).content.decode()),
        "progress": "55",
        "reported_on": "2023-01-15",
        "narrative_ar": "تقدم",
        "submit": "1",
    }
    first, second = client.post(url, data), client.post(url, data)
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    assert ProgressUpdate.objects.count() == 1
    assert AuditLog.objects.filter(action="tracking.submit_update").count() == 1
    # The form shown again is a new form: a second report is a second update.
    data["form_token"] = _token(client.get(url).content.decode())
    client.post(url, data)
    assert ProgressUpdate.objects.count() == 2


@pytest.mark.django_db
def test_a_change_request_proposed_twice_is_recorded_once(activity, committee_member):
    client = _client(committee_member)
    url = f"/ar/tracking/activities/{activity.pk}/propose/"
    data = {
        "form_token": _token(client.get(url).content.decode()),
        "proposed_progress": "60",
        "justification": "حسب محضر الاجتماع",
    }
    assert client.post(url, data).status_code == 302
    assert client.post(url, data).status_code == 302
    assert ChangeRequest.objects.count() == 1


@pytest.mark.django_db
def test_a_token_is_only_good_for_its_own_author(activity, focal_point_a, secretariat):
    token = uuid.uuid4()
    actions.do_propose_change(
        activity, acting_user=secretariat, progress=50, justification="x", token=token
    )
    with pytest.raises(ActionError):
        actions.do_record_progress(activity, report(), acting_user=focal_point_a, token=token)
    assert ProgressUpdate.objects.count() == 0


@pytest.mark.django_db
def test_a_malformed_token_is_a_form_error(activity, focal_point_a):
    response = _client(focal_point_a).post(
        f"/ar/tracking/activities/{activity.pk}/report/",
        {"form_token": "not-a-token", "progress": "55", "reported_on": "2023-01-15"},
    )
    assert response.status_code == 400 and ProgressUpdate.objects.count() == 0


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    "postgresql" not in settings.DATABASES["default"]["ENGINE"],
    reason="two connections at once need PostgreSQL; SQLite locks the whole file",
)
def test_two_posts_of_one_form_at_once_create_one_update(monkeypatch, activity, focal_point_a):
    from apps.tracking.tests.test_concurrency import run_together

    original = actions._create_update

    def slow(*args, **kwargs):
        time.sleep(0.3)  # hold the first transaction open while the second arrives
        return original(*args, **kwargs)

    monkeypatch.setattr(actions, "_create_update", slow)
    token = uuid.uuid4()
    results = run_together(
        *[
            lambda: actions.do_record_progress(
                activity, report(), acting_user=focal_point_a, submit=True, token=token
            )
        ]
        * 2
    )
    assert all(isinstance(r, ProgressUpdate) for r in results), results
    assert results[0].pk == results[1].pk
    assert ProgressUpdate.objects.count() == 1
