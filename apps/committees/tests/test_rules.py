"""Each permission walked for every role, before and after each step of the minutes."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from apps.accounts import system_user
from apps.committees import actions

pytestmark = pytest.mark.django_db

ROLES = ["secretariat", "focal_point_a", "committee_member", "translator", "citizen", "anonymous"]


@pytest.fixture
def users(request):
    result = {name: request.getfixturevalue(name) for name in ROLES[:-1]}
    result["anonymous"] = AnonymousUser()
    return result


def allowed(users, perm, obj=None):
    return {name for name, user in users.items() if user.has_perm(perm, obj)}


STAFF = {"secretariat", "committee_member"}


def test_a_draft_meeting_is_for_the_secretariat_and_members_only(users, draft):
    assert allowed(users, "committees.view_meeting", draft) == STAFF
    assert allowed(users, "committees.view_minutes", draft) == STAFF


def test_an_announced_meeting_is_public_but_not_its_minutes(users, draft):
    actions.do_announce_meeting(draft, acting_user=system_user())
    assert allowed(users, "committees.view_meeting", draft) == set(ROLES)
    assert allowed(users, "committees.view_minutes", draft) == STAFF


def test_only_the_secretariat_prepares_a_meeting(users, draft):
    assert allowed(users, "committees.add_meeting") == {"secretariat"}
    assert allowed(users, "committees.change_meeting", draft) == {"secretariat"}
    assert allowed(users, "committees.freeze_snapshot", draft) == {"secretariat"}
    assert allowed(users, "committees.edit_snapshot_notes", draft) == set()
    actions.do_freeze_snapshot(draft, acting_user=system_user())
    assert allowed(users, "committees.freeze_snapshot", draft) == set()
    assert allowed(users, "committees.edit_snapshot_notes", draft) == {"secretariat"}
    assert allowed(users, "committees.change_action_item", draft) == {"secretariat"}


def test_members_approve_and_the_secretariat_publishes(users, draft):
    assert allowed(users, "committees.approve_minutes", draft) == {"committee_member"}
    assert allowed(users, "committees.publish_minutes", draft) == set()
    actions.do_approve_minutes(draft, acting_user=users["committee_member"])
    assert allowed(users, "committees.approve_minutes", draft) == set()
    assert allowed(users, "committees.publish_minutes", draft) == {"secretariat"}
    assert allowed(users, "committees.change_meeting", draft) == set()
    assert allowed(users, "committees.view_minutes", draft) == STAFF
    actions.do_publish_minutes(draft, acting_user=users["secretariat"])
    assert allowed(users, "committees.view_minutes", draft) == set(ROLES)
    assert allowed(users, "committees.publish_minutes", draft) == set()
