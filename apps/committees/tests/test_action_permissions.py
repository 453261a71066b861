"""Committees' actions check the permission themselves, whoever calls them."""

from __future__ import annotations

import datetime

import pytest

from apps.committees import actions
from apps.committees.models import ActionItem
from apps.committees.tests.factories import at, make_meeting
from apps.core.errors import ActionError
from apps.core.models import AuditLog

pytestmark = pytest.mark.django_db


def _calls(meeting):
    return {
        "create": lambda u: actions.do_create_meeting(
            meeting.committee, acting_user=u, starts_at=at(2023, 9, 1)
        ),
        "update": lambda u: actions.do_update_meeting(meeting, acting_user=u, place_ar="فاس"),
        "announce": lambda u: actions.do_announce_meeting(meeting, acting_user=u),
        "agenda": lambda u: actions.do_add_agenda_item(meeting, acting_user=u, title="بند"),
        "decision": lambda u: actions.do_add_decision(meeting, acting_user=u, text="قرار"),
        "freeze": lambda u: actions.do_freeze_snapshot(meeting, acting_user=u),
        "approve": lambda u: actions.do_approve_minutes(meeting, acting_user=u),
    }


@pytest.mark.parametrize("persona", ["focal_point_a", "translator", "citizen"])
def test_people_without_a_role_in_committees_change_nothing(draft, request, persona):
    user = request.getfixturevalue(persona)
    before = AuditLog.objects.count()
    for name, call in _calls(draft).items():
        with pytest.raises(ActionError):
            call(user)
            pytest.fail(name)
    assert AuditLog.objects.count() == before


def test_an_action_needs_an_acting_user(draft):
    with pytest.raises(TypeError):
        actions.do_add_agenda_item(draft, acting_user=None, title="بند")


def test_the_secretariat_prepares_and_members_approve(draft, secretariat, committee_member):
    with pytest.raises(actions.CommitteeError):
        actions.do_add_agenda_item(draft, acting_user=committee_member, title="بند")
    actions.do_add_agenda_item(draft, acting_user=secretariat, title="بند")
    with pytest.raises(actions.CommitteeError):
        actions.do_approve_minutes(draft, acting_user=secretariat)
    actions.do_approve_minutes(draft, acting_user=committee_member)
    with pytest.raises(actions.CommitteeError):
        actions.do_publish_minutes(draft, acting_user=committee_member)
    actions.do_publish_minutes(draft, acting_user=secretariat)


def test_only_the_secretariat_follows_up_action_items(committee, secretariat, committee_member):
    meeting = make_meeting(committee)
    actions.do_add_decision(
        meeting,
        acting_user=secretariat,
        text="قرار",
        action_item={"title": "مهمة", "due_date": datetime.date(2023, 4, 30)},
    )
    item = ActionItem.objects.get()
    with pytest.raises(actions.CommitteeError):
        actions.do_set_action_item_status(item, "done", acting_user=committee_member)
    actions.do_set_action_item_status(item, "done", acting_user=secretariat)
    item.refresh_from_db()
    assert item.status == "done"


def test_attendance_is_audited_from_and_to(draft, secretariat):
    a, b = sorted(draft.attendances.values_list("member_id", flat=True))
    actions.do_record_attendance(draft, {a: "present", b: "excused"}, acting_user=secretariat)
    row = AuditLog.objects.filter(action="committees.record_attendance").latest("id")
    assert row.before == {str(b): "remote"} and row.after == {str(b): "excused"}
