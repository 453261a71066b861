"""A meeting's page and its minutes cost a fixed number of queries in every state of the
meeting, for the secretariat, a committee member and the public, whatever the size of
the meeting, of its committee's earlier action items and of the plan (issue 14: every
page within 15 queries; the secretariat's meeting page had reached 18)."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from apps.accounts import system_user
from apps.committees import actions
from apps.committees.models import Meeting, Snapshot
from apps.committees.tests.factories import at, make_committee, make_meeting, make_member
from apps.plans.tests.factories import make_commitment, make_institution, make_plan

pytestmark = pytest.mark.django_db

STATES = ("scheduled", "held", "drafted", "approved", "published")

# The most queries each page may cost, signed in (the person with their roles and
# permissions in one query included; the session is read from its cache). Before: the
# meeting page 15, 16, 18, 13, 13 for the secretariat (13, 14, 16, 13, 13 for a member),
# the minutes 12, 13, 16, 13, 13: every row of the meeting read whether the page shows
# it or not, the carried action items twice, the snapshot three times, the items' past
# statuses in two queries; then 11, 11, 12, 8, 8 and 11, 11, 14, 7, 7 with the session
# and the person's access read on their own.
SIGNED_IN = {
    "": {"scheduled": 9, "held": 9, "drafted": 10, "approved": 6, "published": 6},
    "minutes/": {"scheduled": 9, "held": 9, "drafted": 12, "approved": 5, "published": 5},
}
# The public's (a meeting announced; its minutes once published, else 404). Before: the
# page 7, and 10 once published; the minutes 10.
PUBLIC = {
    "": {"scheduled": 3, "held": 3, "drafted": 3, "approved": 3, "published": 5},
    "minutes/": {"published": 4},
}


def meeting_in(state: str, size: int) -> Meeting:
    """A meeting in ``state`` with ``size`` of everything: commitments in the plan,
    members, agenda items, agreed points with action items, and action items of an
    earlier meeting carried over, some moved on since (their past status is read back
    from the audit log)."""
    platform = system_user()
    plan = make_plan()
    for _ in range(size):
        make_commitment(plan, [(40, 1), (100, 1)])
    committee = make_committee(plan)
    institutions = [make_institution(), make_institution(kind="civil_society")]
    members = [make_member(committee, institutions[i % 2]) for i in range(size)]

    def agreed(meeting: Meeting, label: str) -> None:
        for i in range(size):
            actions.do_add_decision(
                meeting,
                acting_user=platform,
                text=f"{label} {i}",
                action_item={"title": f"إجراء {label} {i}", "owner_institution": institutions[0]},
            )
        for item in list(meeting.action_items.all())[: size // 2 + 1]:
            actions.do_set_action_item_status(item, "in_progress", acting_user=platform)

    agreed(make_meeting(committee, at(2023, 1, 10)), "سابق")
    held = state != "scheduled"
    starts_at = at(2023, 3, 28) if held else timezone.now() + datetime.timedelta(days=30)
    meeting = make_meeting(committee, starts_at)
    for i in range(size):
        actions.do_add_agenda_item(
            meeting, acting_user=platform, title=f"نقطة {i}", shows_progress=i == 0
        )
    actions.do_set_invitations(meeting, institutions, acting_user=platform)
    actions.do_announce_meeting(meeting, acting_user=platform)
    if held:
        actions.do_record_attendance(
            meeting, {m.pk: "present" for m in members}, acting_user=platform
        )
        agreed(meeting, "قرار")
    if state in ("drafted", "approved", "published"):
        actions.do_freeze_snapshot(meeting, acting_user=platform)
    if state in ("approved", "published"):
        actions.do_approve_minutes(meeting, acting_user=platform)
    if state == "published":
        actions.do_publish_minutes(meeting, acting_user=platform)
    return meeting


def measured(client, meeting: Meeting, page: str) -> tuple[int, str]:
    """The queries the page costs, and its HTML."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(f"/ar/meetings/{meeting.pk}/{page}")
    assert response.status_code == 200, (meeting.status, page)
    return len(captured), response.content.decode()


@pytest.mark.parametrize("state", STATES)
def test_the_meeting_pages_cost_a_fixed_number_of_queries_in_every_state(
    client, state, secretariat, committee_member
):
    small, large = meeting_in(state, 2), meeting_in(state, 12)
    if state in ("drafted", "approved", "published"):
        assert Snapshot.objects.get(meeting=large).rows.count() == 12
    for user in (secretariat, committee_member, None):
        client.logout()
        if user is not None:
            client.force_login(user)
        who = user.username if user else "anonymous"
        for page, most in (SIGNED_IN if user is not None else PUBLIC).items():
            if state not in most:
                continue
            (few, _), (many, html) = (measured(client, m, page) for m in (small, large))
            assert few == many, (who, page, few, many)
            assert many <= most[state], (who, page, many)
            # The pages show what was measured: the last item carried over (to the
            # public, in published minutes only: the earlier meeting's are a draft), the
            # last agreed point once the meeting is held.
            if user is not None or page == "minutes/":
                assert "إجراء سابق 11" in html, (who, page)
            if state != "scheduled" and (user is not None or state == "published"):
                assert "قرار 11" in html, (who, page)
