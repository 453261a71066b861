"""The meetings API: contract, visibility, languages and query counts."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.accounts import system_user
from apps.committees import actions
from apps.committees.tests.factories import at, make_meeting, publish

pytestmark = pytest.mark.django_db


def test_it_lists_meetings(client, demo_meeting):
    body = client.get("/api/v1/meetings").json()
    assert body["count"] == 1
    item = body["items"][0]
    assert set(item) >= {"id", "date", "committee", "place", "mode", "status"}
    assert item == item | {
        "id": demo_meeting.pk,
        "date": "2023-03-28",
        "committee": "لجنة الإشراف",
        "place": "وزارة الانتقال الرقمي وإصلاح الإدارة",
        "mode": "hybrid",
        "status": "published",
    }
    assert (
        client.get("/api/v1/meetings?lang=en").json()["items"][0]["committee"]
        == "Steering Committee"
    )


def test_it_details_a_meeting(client, demo_meeting):
    body = client.get(f"/api/v1/meetings/{demo_meeting.pk}").json()
    assert [a["order"] for a in body["agenda"]] == [1, 2, 3, 4]
    assert body["agenda"][1]["discussion"][1]["kind"] == "table"
    assert len(body["attendance"]) == 21
    first = body["attendance"][0]
    assert first == {
        "name": "سارة العمراني",
        "title": "ms",
        "institution": "وزارة الانتقال الرقمي وإصلاح الإدارة",
        "seat": "government",
        "attendance": "present",
    }
    assert sum(a["attendance"] == "remote" for a in body["attendance"]) == 7
    assert body["attendance"][2]["institution"] == "خبيرة في مجال الحكومة المنفتحة"
    assert body["attendance"][2]["seat"] == "independent"
    assert body["absent_institutions"] == [
        "المديرية العامة للجتماعات الترابية",
        "وزارة التربية الوطنية والتعليم الأولي والرياضة",
        "وزارة الصحة والحماية الاجتماعية",
        "جمعية نساء بلادي للتنمية والسياحة",
    ]
    assert len(body["decisions"]) == 1 and body["decisions"][0].startswith(
        "تنظيم ورشة عمل لمدة يومين"
    )
    (item,) = body["action_items"]
    assert item["due_date"] == "2023-04-30" and item["status"] == "open"
    assert body["minutes_pdf"] == f"/ar/meetings/{demo_meeting.pk}/minutes.pdf"
    fr = client.get(f"/api/v1/meetings/{demo_meeting.pk}?lang=fr").json()
    assert fr["committee"] == "Comité de pilotage"
    assert (
        fr["absent_institutions"][3]
        == "Association Nissae Bladi pour le Développement et le Tourisme"
    )


def test_drafts_are_not_found_and_announced_meetings_hide_their_minutes(client, draft):
    assert client.get(f"/api/v1/meetings/{draft.pk}").status_code == 404
    assert client.get(f"/api/v1/meetings/{draft.pk}/snapshot").status_code == 404
    assert client.get("/api/v1/meetings").json()["count"] == 0
    actions.do_announce_meeting(draft, acting_user=system_user())
    actions.do_freeze_snapshot(draft, acting_user=system_user())
    body = client.get(f"/api/v1/meetings/{draft.pk}").json()
    assert body["status"] == "draft" and body["agenda"] and body["attendance"] == []
    assert body["minutes_pdf"] is None
    assert client.get(f"/api/v1/meetings/{draft.pk}/snapshot").status_code == 404
    publish(draft)
    assert client.get(f"/api/v1/meetings/{draft.pk}/snapshot").status_code == 200


def test_signed_in_members_see_drafts(client, draft, committee_member):
    client.force_login(committee_member)
    assert client.get(f"/api/v1/meetings/{draft.pk}").json()["attendance"]


def test_unknown_ids_and_languages_are_client_errors(client, demo_meeting):
    assert client.get("/api/v1/meetings/999999").status_code == 404
    assert client.get("/api/v1/meetings/abc").status_code == 422
    assert client.get("/api/v1/meetings?lang=xx").status_code == 422
    assert client.get(f"/api/v1/meetings/{demo_meeting.pk}/snapshot?lang=xx").status_code == 422


def test_the_snapshot_reports_deltas(client, committee, secretariat):
    first = make_meeting(committee, at(2023, 3, 28))
    actions.do_freeze_snapshot(first, acting_user=secretariat)
    second = make_meeting(committee, at(2023, 9, 28))
    actions.do_freeze_snapshot(second, acting_user=secretariat)
    for meeting in (first, second):
        actions.do_announce_meeting(meeting, acting_user=system_user())
        publish(meeting)
    rows = client.get(f"/api/v1/meetings/{second.pk}/snapshot").json()["rows"]
    assert rows[0]["previous_progress"] == 60 and rows[0]["delta"] == 0
    assert "no_progress" in rows[0]["flags"]


def test_the_endpoints_cost_a_fixed_number_of_queries(client, demo_meeting, committee):
    counts = []
    for _ in range(2):
        with CaptureQueriesContext(connection) as list_queries:
            client.get("/api/v1/meetings")
        with CaptureQueriesContext(connection) as detail_queries:
            client.get(f"/api/v1/meetings/{demo_meeting.pk}")
        with CaptureQueriesContext(connection) as snapshot_queries:
            client.get(f"/api/v1/meetings/{demo_meeting.pk}/snapshot")
        counts.append((len(list_queries), len(detail_queries), len(snapshot_queries)))
        for i in range(3):
            meeting = make_meeting(committee, at(2024, 1, i + 1))
            actions.do_announce_meeting(meeting, acting_user=system_user())
    assert counts[0] == counts[1]
    assert counts[0][2] <= 6


def test_the_admin_pages_open(admin_client, demo_meeting):
    for url in [
        "/ar/admin/committees/meeting/",
        f"/ar/admin/committees/meeting/{demo_meeting.pk}/change/",
        "/ar/admin/committees/committee/",
        "/ar/admin/committees/snapshot/",
    ]:
        assert admin_client.get(url).status_code == 200, url
