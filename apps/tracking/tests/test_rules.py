"""Every permission of tracking, walked through every role (see docs/permissions.md)."""

from __future__ import annotations

import pytest

from apps.tracking import actions
from apps.tracking.tests.factories import report, submitted

pytestmark = pytest.mark.django_db

ROLES = [
    "secretariat",
    "focal_point_a",
    "focal_point_b",
    "committee_member",
    "translator",
    "citizen",
    "anonymous",
]


def allowed(personas, perm, obj=None):
    return {name for name in ROLES if personas[name].has_perm(perm, obj)}


def test_it_lets_only_the_assigned_focal_point_report(personas, activity, other_activity):
    assert allowed(personas, "tracking.report_progress", activity) == {"focal_point_a"}
    assert allowed(personas, "tracking.report_progress", other_activity) == {"focal_point_b"}
    assert allowed(personas, "tracking.report_progress", activity.commitment) == {"focal_point_a"}


def test_it_shows_my_commitments_to_focal_points_only(personas):
    assert allowed(personas, "tracking.view_my_commitments") == {"focal_point_a", "focal_point_b"}


def test_it_lets_only_the_author_change_a_draft(personas, activity, focal_point_a):
    draft = actions.do_record_progress(activity, report(), acting_user=focal_point_a)
    assert allowed(personas, "tracking.change_update", draft) == {"focal_point_a"}
    actions.do_submit_update(draft, acting_user=focal_point_a)
    draft.refresh_from_db()
    assert allowed(personas, "tracking.change_update", draft) == set()


def test_it_keeps_drafts_private_and_validated_updates_public(
    personas, activity, focal_point_a, secretariat
):
    draft = actions.do_record_progress(activity, report(), acting_user=focal_point_a)
    assert allowed(personas, "tracking.view_update", draft) == {"focal_point_a"}
    actions.do_submit_update(draft, acting_user=focal_point_a)
    draft.refresh_from_db()
    assert allowed(personas, "tracking.view_update", draft) == {"focal_point_a", "secretariat"}
    actions.do_validate_update(draft, acting_user=secretariat)
    draft.refresh_from_db()
    assert allowed(personas, "tracking.view_update", draft) == set(ROLES)


def test_it_lets_only_the_secretariat_validate(personas, activity, focal_point_a):
    update = submitted(activity, focal_point_a)
    assert allowed(personas, "tracking.validate_update", update) == {"secretariat"}


def test_nobody_validates_their_own_update(secretariat, ministry_a, focal_point_a):
    from apps.accounts.roles import Role
    from apps.accounts.tests.personas import make_user
    from apps.tracking.tests.factories import assign, make_activity

    both = make_user("both", Role.SECRETARIAT, Role.FOCAL_POINT, institution=ministry_a)
    activity = make_activity(ministry_a)
    assign(activity.commitment, both, secretariat)
    update = submitted(activity, both)
    assert not both.has_perm("tracking.validate_update", update)
    assert secretariat.has_perm("tracking.validate_update", update)


@pytest.mark.parametrize(
    "perm", ["tracking.view_validation_queue", "tracking.view_dashboard", "tracking.hand_over"]
)
def test_it_keeps_secretariat_pages_for_the_secretariat(personas, perm):
    assert allowed(personas, perm) == {"secretariat"}


@pytest.mark.parametrize(
    "perm",
    [
        "tracking.propose_change",
        "tracking.view_change_requests",
        "tracking.view_focal_point_person",
    ],
)
def test_it_lets_the_committee_and_the_secretariat_propose(personas, perm):
    assert allowed(personas, perm) == {"secretariat", "committee_member"}


def test_it_lets_the_secretariat_decide_but_not_on_its_own_request(
    personas, activity, committee_member, secretariat
):
    by_member = actions.do_propose_change(
        activity, acting_user=committee_member, progress=60, justification="x"
    )
    assert allowed(personas, "tracking.decide_change", by_member) == {"secretariat"}
    by_secretariat = actions.do_propose_change(
        activity, acting_user=secretariat, progress=60, justification="x"
    )
    assert allowed(personas, "tracking.decide_change", by_secretariat) == set()


def test_the_committee_chair_decides_when_the_committees_app_says_so(
    monkeypatch, activity, committee_member, committee_chair
):
    chair = committee_chair
    monkeypatch.setattr("apps.tracking.rules._is_committee_chair", lambda user: user == chair)
    request = actions.do_propose_change(
        activity, acting_user=committee_member, progress=60, justification="x"
    )
    assert chair.has_perm("tracking.decide_change", request)
    assert not committee_member.has_perm("tracking.decide_change", request)


def test_an_inactive_focal_point_reports_nothing(activity, focal_point_a):
    focal_point_a.is_active = False
    assert not focal_point_a.has_perm("tracking.report_progress", activity)


def test_after_a_hand_over_only_the_new_focal_point_reports(
    activity, focal_point_a, secretariat, ministry_a
):
    from apps.accounts.roles import Role
    from apps.accounts.tests.personas import make_user

    successor = make_user("focal_a2", Role.FOCAL_POINT, institution=ministry_a)
    actions.do_hand_over(activity.commitment, successor, acting_user=secretariat)
    assert successor.has_perm("tracking.report_progress", activity)
    assert not focal_point_a.has_perm("tracking.report_progress", activity)
