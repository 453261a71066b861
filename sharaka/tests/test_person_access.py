"""A signed-in person comes with what every page asks of them, in one query: their
roles and permissions, and the facts other apps register (the commitments a focal
point answers for, whether they chair the steering committee, whether they must and
do use a second factor). The facts agree with each rule's own query, and the session
itself is read from the sessions' cache, not the database."""

from __future__ import annotations

import datetime

import pytest
from allauth.mfa.models import Authenticator
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from apps.accounts.access import load_person
from apps.accounts.models import User
from apps.accounts.roles import Role
from apps.accounts.tests.personas import PASSWORD, make_user
from apps.committees.models import Committee, Member
from apps.committees.tests.factories import make_committee, make_member
from apps.people import two_factor
from apps.tracking import rules as tracking_rules
from apps.tracking.tests.factories import assign, make_activity

pytestmark = pytest.mark.django_db

FACTS = (
    "_assigned_commitment_ids",
    "_is_committee_chair",
    "_chairs_a_committee",
    "_has_authenticator",
)


def _as_each_rule_computes(user: User) -> dict[str, object]:
    """The facts asked one by one, of a person loaded without them."""
    fresh = User.objects.get(pk=user.pk)
    return {
        "_assigned_commitment_ids": tracking_rules.assigned_commitment_ids(fresh),
        "_is_committee_chair": tracking_rules.is_committee_chair(fresh),
        "_chairs_a_committee": two_factor._chair_seats().filter(user_id=fresh.pk).exists(),
        "_has_authenticator": two_factor.has_authenticator(fresh),
    }


def test_the_facts_loaded_with_a_person_agree_with_each_rules_own_query(
    ministry_a, focal_point_a, focal_point_b, committee_chair, committee_member, secretariat
):
    first, second, ended = (make_activity(ministry_a).commitment for _ in range(3))
    for commitment in (first, second, ended):
        assign(commitment, focal_point_a, secretariat)
    successor = make_user("focal_a2", Role.FOCAL_POINT, institution=ministry_a)
    assign(ended, successor, secretariat)  # focal point A's assignment ended here
    steering = make_committee(kind=Committee.Kind.STEERING)
    make_member(steering, user=committee_chair, role=Member.Role.CO_CHAIR)
    make_member(
        steering,
        user=committee_member,
        role=Member.Role.CHAIR,
        term_end=timezone.localdate() - datetime.timedelta(days=1),  # a past chair
    )
    Authenticator.objects.create(user=secretariat, type=Authenticator.Type.TOTP, data={})

    for person in (
        focal_point_a,
        successor,
        focal_point_b,
        committee_chair,
        committee_member,
        secretariat,
    ):
        loaded = load_person(person.pk)
        assert {name: getattr(loaded, name) for name in FACTS} == _as_each_rule_computes(person)
    assert load_person(focal_point_a.pk)._assigned_commitment_ids == {first.pk, second.pk}
    assert load_person(successor.pk)._assigned_commitment_ids == {ended.pk}
    assert load_person(committee_chair.pk)._is_committee_chair is True
    assert load_person(committee_member.pk)._is_committee_chair is False
    assert load_person(secretariat.pk)._has_authenticator is True
    assert load_person(10**9) is None


def test_roles_and_permissions_loaded_with_a_person_answer_without_a_query(
    focal_point_a, secretariat, superuser
):
    from django.contrib.auth.models import Permission

    focal_point_a.user_permissions.add(Permission.objects.get(codename="view_auditlog"))
    for person in (focal_point_a, secretariat, superuser):
        expected_roles = set(User.objects.get(pk=person.pk).groups.values_list("name", flat=True))
        loaded = load_person(person.pk)
        with CaptureQueriesContext(connection) as ctx:
            roles = {r for r in expected_roles if loaded.has_role(r)}
            may_audit = loaded.has_perm("core.view_auditlog")
            assert loaded._role_names == expected_roles
        assert roles == expected_roles
        assert may_audit == (person in (focal_point_a, superuser))
        if not person.is_superuser:
            assert ctx.captured_queries == []


def _client_signed_in(user: User) -> Client:
    client = Client()
    response = client.post("/en/accounts/login/", {"login": user.username, "password": PASSWORD})
    assert response.status_code == 302
    return client


def test_a_signed_in_page_loads_the_session_from_its_cache_and_the_person_in_one_query(
    settings, ministry_a, focal_point_a, secretariat
):
    settings.SHARAKA_REQUIRE_TWO_FACTOR = True  # the middleware asks both 2FA facts
    commitment = make_activity(ministry_a).commitment
    assign(commitment, focal_point_a, secretariat)
    client = _client_signed_in(focal_point_a)
    url = f"/en/plans/{commitment.plan.slug}/commitments/{commitment.number}/"
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    activity = commitment.activities.get()
    # Read from the facts: focal point A answers for the commitment, so may report.
    assert reverse("tracking:report_progress", args=[activity.pk]) in response.content.decode()
    sql = [q["sql"] for q in ctx.captured_queries]
    assert not [s for s in sql if "django_session" in s]
    person = [s for s in sql if 'FROM "accounts_user"' in s and '"access_roles"' in s]
    assert len(person) == 1
    # Nothing the person's row carries is asked again on its own.
    for table in ('"auth_group"', '"tracking_focalpointassignment"', '"committees_member"'):
        assert [s for s in sql if table in s and s not in person and "INNER JOIN" not in s] == []
    assert not [s for s in sql if '"mfa_authenticator"' in s and s not in person]


def test_an_inactive_person_is_signed_out_on_their_next_request(focal_point_a):
    client = _client_signed_in(focal_point_a)
    assert client.get("/en/accounts/profile/").status_code == 200
    User.objects.filter(pk=focal_point_a.pk).update(is_active=False)
    assert client.get("/en/accounts/profile/").status_code == 302
