"""Tracking's part of the API: the OpenAPI document of the flags endpoint."""

from __future__ import annotations

import pytest
from django.utils import translation

pytestmark = pytest.mark.django_db


def _flags_description(client) -> str:
    schema = client.get("/api/v1/openapi.json").json()
    [path] = [path for url, path in schema["paths"].items() if url.endswith("/flags")]
    return str(path["get"]["description"])


def test_the_openapi_document_explains_the_flags_as_they_stand(client, monkeypatch):
    """The flags' help texts are read when the document is asked for (in English), not
    frozen when the module was imported."""
    from apps.tracking import flags

    assert "- `overdue`: The end date has passed" in _flags_description(client)
    monkeypatch.setitem(flags._HELP, flags.Flag.OVERDUE, "Past its end date, not complete.")
    with translation.override("fr"):
        description = _flags_description(client)
    assert "- `overdue`: Past its end date, not complete." in description
    assert "- `no_progress`: The figure has not changed since" in description


# --- /commitments, /commitments/{id}, /commitments/{id}/updates ---------------------------

import datetime  # noqa: E402

from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from apps.plans.tests.factories import (  # noqa: E402
    make_commitment,
    make_institution,
    make_plan,
    make_theme,
)
from apps.tracking import actions  # noqa: E402
from apps.tracking.api import StalenessFlag  # noqa: E402
from apps.tracking.flags import STALENESS_FLAGS  # noqa: E402
from apps.tracking.models import ProgressUpdate  # noqa: E402
from apps.tracking.tests.factories import assign, submitted  # noqa: E402

DAY = datetime.timedelta(days=1)


def validate(activity, author, secretariat, progress, when):
    update = submitted(activity, author, progress)
    actions.do_validate_update(update, acting_user=secretariat)
    ProgressUpdate.objects.filter(pk=update.pk).update(validated_at=when)
    return update


def test_the_flag_filter_offers_the_flags_the_rule_computes():
    assert set(StalenessFlag.__args__) == {flag.value for flag in STALENESS_FLAGS}


def test_a_commitment_in_full(client, activity, focal_point_a, secretariat, ministry_b):
    """Activities with dates and weight, the focal point's institution (not the
    person), validated updates only, latest first."""
    commitment = activity.commitment
    commitment.supporting_institutions.add(ministry_b)
    activity.start_date, activity.end_date = datetime.date(2021, 3, 1), datetime.date(2099, 6, 30)
    activity.save(update_fields=["start_date", "end_date"])
    now = timezone.now()
    first = validate(activity, focal_point_a, secretariat, 30, now - 3 * DAY)
    second = validate(activity, focal_point_a, secretariat, 45, now - DAY)
    submitted(activity, focal_point_a, 90)  # not validated: not public
    body = client.get(f"/api/v1/commitments/{commitment.pk}?lang=fr").json()
    assert body["id"] == commitment.pk and body["plan"]["slug"] == commitment.plan.slug
    assert body["progress"] == 45.0 and body["completion_level"] == "limited"
    assert body["lead_institution"]["slug"] == "ministry-a"
    assert [i["slug"] for i in body["supporting_institutions"]] == ["ministry-b"]
    assert body["focal_point_institution"] == {
        "slug": "ministry-a",
        "name": "Ministère A",
        "acronym": "",
        "kind": "government",
    }
    assert "focal_a" not in str(body)
    [item] = body["activities"]
    assert item["start_date"] == "2021-03-01" and item["end_date"] == "2099-06-30"
    assert item["weight"] == 1.0 and item["progress"] == 45
    assert body["updates_count"] == 2
    assert [u["id"] for u in body["updates"]] == [second.pk, first.pk]
    assert body["updates"][0]["previous_progress"] == 30
    assert body["updates"][0]["source"] == "report"
    assert body["url"].endswith(
        f"/fr/plans/{commitment.plan.slug}/commitments/{commitment.number}/"
    )


def test_the_history_is_paginated_latest_first(client, activity, focal_point_a, secretariat):
    now = timezone.now()
    updates = [
        validate(activity, focal_point_a, secretariat, 20 + n, now - (10 - n) * DAY)
        for n in range(5)
    ]
    url = f"/api/v1/commitments/{activity.commitment.pk}/updates?limit=2&offset=1"
    body = client.get(url).json()
    assert body["count"] == 5
    assert [u["id"] for u in body["items"]] == [updates[3].pk, updates[2].pk]


def test_flags_as_of_a_date_follow_the_rule(client, activity, focal_point_a, secretariat):
    """Validated 5 days ago: no flag today; as of 6 days ago the same commitment had
    not been updated (the figures are the live ones: it has progressed since the
    reference), as the plan's flags say."""
    validate(activity, focal_point_a, secretariat, 40, timezone.now() - 5 * DAY)
    url = f"/api/v1/commitments/{activity.commitment.pk}"
    today = client.get(url).json()
    assert today["flags"] == [] and today["as_of"] == timezone.localdate().isoformat()
    before = (timezone.localdate() - 6 * DAY).isoformat()
    then = client.get(f"{url}?as_of={before}&lang=en").json()
    assert then["flags"] == ["not_updated"]
    assert then["labels"] == ["Not updated"]
    assert then["as_of"] == before
    assert then["activities"][0]["flags"] == ["not_updated"]
    listed = client.get(f"/api/v1/plans/{activity.commitment.plan.slug}/flags?as_of={before}")
    assert listed.json()["items"][0]["flags"] == then["flags"]


@pytest.mark.parametrize("as_of", ["0", "1e9", "2024-1-1", "2024-02-30", "yesterday"])
def test_a_date_is_yyyy_mm_dd(client, activity, as_of):
    response = client.get(f"/api/v1/commitments/{activity.commitment.pk}?as_of={as_of}")
    assert response.status_code == 422


def test_a_very_old_date_is_answered(client, activity):
    response = client.get(f"/api/v1/commitments/{activity.commitment.pk}?as_of=0001-01-01")
    assert response.status_code == 200


@pytest.mark.parametrize("path", ["", "/updates"])
def test_an_unknown_commitment_is_a_json_404(client, db, path):
    response = client.get(f"/api/v1/commitments/987654{path}")
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}


def test_the_commitments_list_filters(client, ministry_a, ministry_b, focal_point_b, secretariat):
    plan, other = make_plan(slug="p1"), make_plan(slug="p2")
    theme = make_theme(plan)
    led = make_commitment(plan, [(100, 1)], number=1, lead_institution=ministry_a, theme=theme)
    supported = make_commitment(plan, [(10, 1)], number=2, lead_institution=ministry_b)
    supported.supporting_institutions.add(ministry_a)
    fresh = make_commitment(plan, [(30, 1)], number=3, lead_institution=ministry_b)
    assign(fresh, focal_point_b, secretariat)
    validate(fresh.activities.get(), focal_point_b, secretariat, 35, timezone.now() - DAY)
    elsewhere = make_commitment(other, [(0, 1)], number=1, lead_institution=ministry_a)

    def ids(query=""):
        body = client.get(f"/api/v1/commitments?{query}").json()
        assert body["count"] == len(body["items"])
        return {item["id"] for item in body["items"]}

    assert ids() == {led.pk, supported.pk, fresh.pk, elsewhere.pk}
    assert ids("plan=p1") == {led.pk, supported.pk, fresh.pk}
    assert ids("plan=nope") == set()
    assert ids(f"theme={theme.pk}") == {led.pk}
    assert ids("institution=ministry-a") == {led.pk, supported.pk, elsewhere.pk}
    assert ids("lead_institution=ministry-a&plan=p1") == {led.pk}
    assert ids("completion_level=complete") == {led.pk}
    assert ids("completion_level=not_started") == {elsewhere.pk}
    assert ids("plan=p1&flag=not_updated") == {supported.pk}
    assert ids("plan=p1&flag=no_progress") == {supported.pk}


def test_the_commitments_list_carries_activities_dates_and_flags(client, activity):
    item = client.get("/api/v1/commitments").json()["items"][0]
    assert item["flags"] == ["not_updated", "no_progress"]
    assert {"start_date", "end_date", "weight", "progress"} <= set(item["activities"][0])
    assert item["plan"] == activity.commitment.plan.slug


def _queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def _grow(plan, commitment, focal_point, secretariat, n):
    """``n`` more commitments in the plan and ``n`` more activities and validated
    updates on ``commitment``."""
    activity = commitment.activities.first()
    for i in range(n):
        make_commitment(plan, [(i, 1), (5, 2)], lead_institution=make_institution())
        commitment.supporting_institutions.add(make_institution())
        validate(activity, focal_point, secretariat, 21 + i, timezone.now() - (i + 1) * DAY)


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/commitments",
        "/api/v1/commitments?plan={plan}&flag=no_progress&as_of=2022-01-01",
        "/api/v1/commitments/{id}",
        "/api/v1/commitments/{id}?as_of=2022-01-01",
        "/api/v1/commitments/{id}/updates",
        "/api/v1/plans/{plan}/flags",
    ],
)
def test_the_new_endpoints_cost_the_same_queries_for_1_and_30_rows(
    client, url, activity, focal_point_a, secretariat
):
    commitment = activity.commitment
    url = url.format(plan=commitment.plan.slug, id=commitment.pk)
    _grow(commitment.plan, commitment, focal_point_a, secretariat, 1)
    few = _queries(client, url)
    _grow(commitment.plan, commitment, focal_point_a, secretariat, 29)
    assert _queries(client, url) == few
