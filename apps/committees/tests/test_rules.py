"""Each permission walked for every role, before and after each step of the minutes."""

from __future__ import annotations

import pytest

from apps.accounts import system_user
from apps.committees import actions

pytestmark = pytest.mark.django_db

ROLES = ["secretariat", "focal_point_a", "committee_member", "translator", "citizen", "anonymous"]


def allowed(personas, perm, obj=None):
    return {name for name in ROLES if personas[name].has_perm(perm, obj)}


STAFF = {"secretariat", "committee_member"}


def test_a_draft_meeting_is_for_the_secretariat_and_members_only(personas, draft):
    assert allowed(personas, "committees.view_meeting", draft) == STAFF
    assert allowed(personas, "committees.view_minutes", draft) == STAFF


def test_an_announced_meeting_is_public_but_not_its_minutes(personas, draft):
    actions.do_announce_meeting(draft, acting_user=system_user())
    assert allowed(personas, "committees.view_meeting", draft) == set(ROLES)
    assert allowed(personas, "committees.view_minutes", draft) == STAFF


def test_only_the_secretariat_prepares_a_meeting(personas, draft):
    assert allowed(personas, "committees.add_meeting") == {"secretariat"}
    assert allowed(personas, "committees.change_meeting", draft) == {"secretariat"}
    assert allowed(personas, "committees.freeze_snapshot", draft) == {"secretariat"}
    assert allowed(personas, "committees.edit_snapshot_notes", draft) == set()
    actions.do_freeze_snapshot(draft, acting_user=system_user())
    assert allowed(personas, "committees.freeze_snapshot", draft) == set()
    assert allowed(personas, "committees.edit_snapshot_notes", draft) == {"secretariat"}
    assert allowed(personas, "committees.change_action_item", draft) == {"secretariat"}


def test_members_approve_and_the_secretariat_publishes(personas, draft):
    assert allowed(personas, "committees.approve_minutes", draft) == {"committee_member"}
    assert allowed(personas, "committees.publish_minutes", draft) == set()
    actions.do_approve_minutes(draft, acting_user=personas["committee_member"])
    assert allowed(personas, "committees.approve_minutes", draft) == set()
    assert allowed(personas, "committees.publish_minutes", draft) == {"secretariat"}
    assert allowed(personas, "committees.change_meeting", draft) == set()
    assert allowed(personas, "committees.view_minutes", draft) == STAFF
    actions.do_publish_minutes(draft, acting_user=personas["secretariat"])
    assert allowed(personas, "committees.view_minutes", draft) == set(ROLES)
    assert allowed(personas, "committees.publish_minutes", draft) == set()


def test_a_meeting_read_with_its_snapshot_answers_without_a_query(
    secretariat, draft, django_assert_num_queries
):
    import rules

    from apps.committees.models import Meeting

    plain = Meeting.objects.get(pk=draft.pk)
    assert secretariat.has_role("secretariat")  # (the user's roles, read once)
    read = Meeting.objects.select_related("snapshot").get(pk=draft.pk)
    with django_assert_num_queries(0):
        assert rules.has_perm("committees.freeze_snapshot", secretariat, read)
        assert not rules.has_perm("committees.edit_snapshot_notes", secretariat, read)
    actions.do_freeze_snapshot(plain, acting_user=secretariat)
    # A meeting read before the freeze without its snapshot still asks the database.
    with django_assert_num_queries(2):
        assert not rules.has_perm("committees.freeze_snapshot", secretariat, plain)
        assert rules.has_perm("committees.edit_snapshot_notes", secretariat, plain)
    read = Meeting.objects.select_related("snapshot").get(pk=draft.pk)
    with django_assert_num_queries(0):
        assert not rules.has_perm("committees.freeze_snapshot", secretariat, read)
        assert rules.has_perm("committees.edit_snapshot_notes", secretariat, read)
