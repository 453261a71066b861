"""Dates from another era are refused wherever they enter tracking (apps.core.bounds):
the report form and page, the hand-over form and action, the progress actions, the
write API. The refusal names the allowed range in the user's language; nothing is
written. (A hand-over dated 9999-12-31 used to be saved, and then refused every later
hand-over as "dated before the current assignment".)"""

from __future__ import annotations

import datetime
import json

import pytest
from django.test import Client
from django.utils import timezone, translation
from django.utils.datastructures import MultiValueDict

from apps.accounts import tokens
from apps.accounts.roles import Role
from apps.accounts.tests.personas import make_user
from apps.core import bounds
from apps.core.dates import date_text
from apps.core.models import AuditLog
from apps.tracking import actions
from apps.tracking.actions import TrackingError
from apps.tracking.forms import ProgressUpdateForm
from apps.tracking.models import FocalPointAssignment, ProgressUpdate
from apps.tracking.tests.factories import report

pytestmark = pytest.mark.django_db

ABSURD = [datetime.date(9999, 12, 31), datetime.date(1, 1, 1)]
# The start of the rule's message in each language.
SAYS = {
    "ar": "أدخل تاريخًا بين",
    "fr": "Indiquez une date comprise entre le",
    "en": "Give a date between",
}


def _expected(lang: str, plan: object = None) -> str:
    first, last = bounds.fact_range(plan)  # type: ignore[arg-type]
    with translation.override(lang):
        return bounds._message(first, last)


def _written() -> tuple[int, int, int]:
    return (
        ProgressUpdate.objects.count(),
        FocalPointAssignment.objects.count(),
        AuditLog.objects.count(),
    )


@pytest.mark.parametrize("lang", ["ar", "fr", "en"])
@pytest.mark.parametrize("day", ABSURD, ids=str)
def test_the_report_form_refuses_a_date_from_another_era(lang, day, activity):
    plan = activity.commitment.plan
    data = MultiValueDict(
        {"progress": ["50"], "reported_on": [day.isoformat()], "narrative_ar": ["تقدم"]}
    )
    with translation.override(lang):
        form = ProgressUpdateForm(data, MultiValueDict(), language="ar", plan=plan)
        assert not form.is_valid()
        assert form.errors["reported_on"] == [_expected(lang, plan)]
    assert SAYS[lang] in _expected(lang, plan)


@pytest.mark.parametrize("lang", ["ar", "fr", "en"])
@pytest.mark.parametrize("day", ABSURD, ids=str)
def test_the_hand_over_page_refuses_a_date_from_another_era(
    client, lang, day, activity, secretariat, ministry_a
):
    successor = make_user("focal_a2", Role.FOCAL_POINT, institution=ministry_a)
    client.force_login(secretariat)
    before = _written()
    url = f"/{lang}/tracking/commitments/{activity.commitment.pk}/hand-over/"
    response = client.post(url, {"focal_point": successor.pk, "started_on": day.isoformat()})
    assert response.status_code == 400
    assert _expected(lang, activity.commitment.plan) in response.content.decode()
    assert _written() == before


@pytest.mark.parametrize("day", ABSURD, ids=str)
def test_a_hand_over_from_another_era_is_refused_and_the_next_one_still_works(
    day, activity, secretariat, ministry_a
):
    successor = make_user("focal_a2", Role.FOCAL_POINT, institution=ministry_a)
    before = _written()
    with translation.override("fr"), pytest.raises(TrackingError) as error:
        actions.do_hand_over(activity.commitment, successor, acting_user=secretariat, on=day)
    assert str(error.value) == _expected("fr", activity.commitment.plan)
    assert _written() == before
    # Nothing blocks the hand-over that makes sense.
    actions.do_hand_over(activity.commitment, successor, acting_user=secretariat)
    assert FocalPointAssignment.objects.current().get(commitment=activity.commitment).user == (
        successor
    )


@pytest.mark.parametrize("day", ABSURD, ids=str)
def test_the_progress_actions_refuse_a_date_from_another_era(
    day, activity, focal_point_a, secretariat
):
    plan = activity.commitment.plan
    before = _written()
    with translation.override("ar"):
        with pytest.raises(TrackingError) as error:
            actions.do_record_progress(activity, report(reported_on=day), acting_user=focal_point_a)
        assert str(error.value) == _expected("ar", plan)
        with pytest.raises(TrackingError):
            actions.do_import_progress(
                activity, progress=70, reported_on=day, acting_user=secretariat
            )
    assert _written() == before
    update = actions.do_record_progress(activity, report(), acting_user=focal_point_a)
    assert update is not None
    with pytest.raises(TrackingError):
        actions.do_edit_update(update, report(reported_on=day), acting_user=focal_point_a)
    update.refresh_from_db()
    assert update.reported_on == timezone.localdate()


@pytest.mark.parametrize("lang", ["ar", "fr", "en"])
@pytest.mark.parametrize("day", ABSURD, ids=str)
def test_the_write_api_answers_422_with_the_range(lang, day, activity, focal_point_a):
    _row, clear = tokens.create_token(focal_point_a, "test")
    before = _written()
    response = Client(raise_request_exception=False).post(
        f"/api/v1/activities/{activity.pk}/updates",
        json.dumps({"progress": 60, "narrative": "x", "reported_on": day.isoformat()}),
        content_type="application/json",
        headers={"Accept-Language": lang, "Authorization": f"Bearer {clear}"},
    )
    assert response.status_code == 422, response.content
    body = json.dumps(response.json(), ensure_ascii=False)
    assert _expected(lang) in body
    assert _written() == before


def test_the_range_is_shown_isolated_in_arabic():
    with translation.override("ar"):
        message = bounds.fact_error(datetime.date(1, 1, 1))
    assert message is not None and date_text(bounds.FLOOR) in message
