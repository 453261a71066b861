"""The secretariat's people pages: roles, institutions, seats and accounts changed
through actions (every refusal included), the pages per role, and the list's queries."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from apps.accounts.models import User, system_user
from apps.accounts.roles import Role
from apps.accounts.tests.personas import PASSWORD, make_user
from apps.committees.models import Member, Seat
from apps.committees.tests.factories import make_committee, make_member
from apps.core.models import AuditLog
from apps.people import actions
from apps.people.actions import NewSeat, PeopleError
from apps.plans.tests.factories import make_commitment, make_institution, make_plan
from apps.tracking.models import FocalPointAssignment
from apps.tracking.tests.factories import assign, submitted

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(db):
    return make_plan(slug="plan")


@pytest.fixture
def commitment(plan, ministry_a, focal_point_a, secretariat):
    """Commitment led by ministry A, answered for by focal point A."""
    c = make_commitment(
        plan, [(20, 1)], lead_institution=ministry_a, number=7, title_en="Open data"
    )
    assign(c, focal_point_a, secretariat)
    return c


@pytest.fixture
def colleague(ministry_a):
    """Another focal point of ministry A: who may take focal point A's commitments."""
    return make_user("focal_a2", Role.FOCAL_POINT, institution=ministry_a)


def current_holder(commitment):
    a = FocalPointAssignment.objects.current().filter(commitment=commitment).first()
    return a.user if a else None


def snapshot():
    """What a refused action must leave as it was."""
    return (
        AuditLog.objects.count(),
        list(FocalPointAssignment.objects.order_by("pk").values_list("pk", "user", "ended_on")),
        list(User.objects.order_by("pk").values_list("pk", "institution", "is_active")),
        list(User.groups.through.objects.order_by("pk").values_list("user", "group")),
        list(Member.objects.order_by("pk").values_list("pk", "term_end")),
    )


# Roles and institution ------------------------------------------------------------------


def test_it_hands_the_commitment_over_when_the_institution_changes(
    commitment, focal_point_a, colleague, ministry_a, ministry_b, secretariat
):
    done = actions.do_change_account(
        focal_point_a,
        acting_user=secretariat,
        roles=[Role.FOCAL_POINT],
        institution=ministry_b,
        successors={commitment.pk: colleague},
    )
    focal_point_a.refresh_from_db()
    assert focal_point_a.institution == ministry_b
    assert current_holder(commitment) == colleague
    assert any("focal_a2" in line for line in done)
    row = AuditLog.objects.filter(action="people.change_account").get()
    assert row.before == {"roles": ["focal_point"], "institution": ministry_a.pk}
    assert row.after == {"roles": ["focal_point"], "institution": ministry_b.pk}
    assert row.actor == secretariat
    assert AuditLog.objects.filter(action="tracking.hand_over", target_id=commitment.pk).exists()


def test_it_refuses_a_change_without_a_successor_and_names_the_commitment(
    commitment, focal_point_a, colleague, ministry_b, secretariat
):
    before = snapshot()
    with pytest.raises(PeopleError) as refused:
        actions.do_change_account(
            focal_point_a, acting_user=secretariat, roles=[Role.FOCAL_POINT], institution=ministry_b
        )
    assert "7. " in str(refused.value)
    assert "التزام" in str(refused.value) or "Open data" in str(refused.value)
    assert snapshot() == before


def test_it_refuses_a_change_when_nobody_else_may_take_the_commitment(
    commitment, focal_point_a, secretariat
):
    before = snapshot()
    with pytest.raises(PeopleError) as refused:
        actions.do_change_account(
            focal_point_a, acting_user=secretariat, roles=[], institution=focal_point_a.institution
        )
    assert "7. " in str(refused.value)
    assert snapshot() == before
    assert current_holder(commitment) == focal_point_a


def test_it_refuses_a_successor_who_may_not_answer_for_the_commitment(
    commitment, focal_point_a, focal_point_b, colleague, ministry_b, secretariat
):
    before = snapshot()
    with pytest.raises(PeopleError):
        actions.do_change_account(
            focal_point_a,
            acting_user=secretariat,
            roles=[Role.FOCAL_POINT],
            institution=ministry_b,
            successors={commitment.pk: focal_point_b},
        )
    assert snapshot() == before


def test_removing_the_focal_point_role_hands_the_commitment_over(
    commitment, focal_point_a, colleague, secretariat
):
    actions.do_change_account(
        focal_point_a,
        acting_user=secretariat,
        roles=[Role.TRANSLATOR],
        institution=focal_point_a.institution,
        successors={commitment.pk: colleague},
    )
    assert current_holder(commitment) == colleague
    assert actions.roles_of(focal_point_a) == {Role.TRANSLATOR}
    # Their permissions follow at once (no stale cache on the instance).
    assert not focal_point_a.has_role(Role.FOCAL_POINT)


def test_a_change_that_keeps_them_eligible_keeps_the_commitment(
    commitment, focal_point_a, ministry_b, secretariat
):
    commitment.supporting_institutions.add(ministry_b)
    actions.do_change_account(
        focal_point_a, acting_user=secretariat, roles=[Role.FOCAL_POINT], institution=ministry_b
    )
    assert current_holder(commitment) == focal_point_a


def test_a_focal_point_needs_an_institution(citizen, secretariat):
    with pytest.raises(PeopleError):
        actions.do_change_account(
            citizen, acting_user=secretariat, roles=[Role.FOCAL_POINT], institution=None
        )
    assert not citizen.groups.exists()


def test_only_the_secretariat_changes_an_account(focal_point_a, focal_point_b, committee_member):
    for actor in (focal_point_a, committee_member):
        with pytest.raises(PeopleError):
            actions.do_change_account(
                focal_point_b, acting_user=actor, roles=[Role.SECRETARIAT], institution=None
            )
        with pytest.raises(PeopleError):
            actions.do_deactivate(focal_point_b, acting_user=actor)
        with pytest.raises(PeopleError):
            actions.do_end_sessions(focal_point_b, acting_user=actor)
    assert actions.roles_of(focal_point_b) == {Role.FOCAL_POINT}


def test_the_platforms_own_account_is_not_managed_here(secretariat):
    with pytest.raises(PeopleError):
        actions.do_deactivate(system_user(), acting_user=secretariat)


# Committee seats ------------------------------------------------------------------------


def test_removing_the_committee_member_role_ends_the_current_seats(committee_member, secretariat):
    committee = make_committee()
    today = timezone.localdate()
    past = make_member(
        committee,
        user=committee_member,
        term_start=datetime.date(2020, 1, 1),
        term_end=datetime.date(2021, 1, 1),
    )
    seat = make_member(committee, user=committee_member, term_start=datetime.date(2022, 1, 1))
    done = actions.do_change_account(
        committee_member, acting_user=secretariat, roles=[], institution=None
    )
    seat.refresh_from_db()
    past.refresh_from_db()
    assert seat.term_end == today
    assert past.term_end == datetime.date(2021, 1, 1)
    tomorrow = today + datetime.timedelta(days=1)
    assert not Member.objects.current(tomorrow).filter(user=committee_member).exists()
    assert done and str(committee) in done[0]
    assert AuditLog.objects.filter(action="committees.change_member", target_id=seat.pk).exists()


def test_adding_the_committee_member_role_needs_a_seat(citizen, secretariat):
    before = snapshot()
    with pytest.raises(PeopleError):
        actions.do_change_account(
            citizen, acting_user=secretariat, roles=[Role.COMMITTEE_MEMBER], institution=None
        )
    assert snapshot() == before


def test_adding_the_committee_member_role_with_a_seat_seats_them(citizen, ministry_a, secretariat):
    committee = make_committee()
    actions.do_change_account(
        citizen,
        acting_user=secretariat,
        roles=[Role.COMMITTEE_MEMBER],
        institution=ministry_a,
        seat=NewSeat(committee=committee, seat=Seat.GOVERNMENT, role=Member.Role.CO_CHAIR),
    )
    member = Member.objects.current().get(user=citizen)
    assert (member.committee, member.seat, member.role, member.institution) == (
        committee,
        Seat.GOVERNMENT,
        Member.Role.CO_CHAIR,
        ministry_a,
    )
    assert member.term_start == timezone.localdate()
    assert actions.roles_of(citizen) == {Role.COMMITTEE_MEMBER}


# The secretariat itself -----------------------------------------------------------------


def test_the_last_secretariat_keeps_the_role(secretariat, superuser):
    other = make_user("sec2", Role.SECRETARIAT)
    # The superuser (a secretariat by its flags) removes the role of one of two: fine.
    actions.do_change_account(other, acting_user=superuser, roles=[], institution=None)
    before = snapshot()
    with pytest.raises(PeopleError) as refused:
        actions.do_change_account(secretariat, acting_user=superuser, roles=[], institution=None)
    assert "secretariat" in str(refused.value).lower() or "الكتابة" in str(refused.value)
    with pytest.raises(PeopleError):
        actions.do_deactivate(secretariat, acting_user=superuser)
    assert snapshot() == before


def test_nobody_removes_their_own_secretariat_role(secretariat):
    make_user("sec2", Role.SECRETARIAT)
    with pytest.raises(PeopleError):
        actions.do_change_account(secretariat, acting_user=secretariat, roles=[], institution=None)
    assert actions.roles_of(secretariat) == {Role.SECRETARIAT}


def test_nobody_deactivates_themselves(secretariat):
    make_user("sec2", Role.SECRETARIAT)
    before = snapshot()
    with pytest.raises(PeopleError):
        actions.do_deactivate(secretariat, acting_user=secretariat)
    assert snapshot() == before


# Deactivation ---------------------------------------------------------------------------


def _signed_in(user):
    """A browser signed in as ``user``, with the session record allauth's sign-in
    writes (``allauth.usersessions``: what ending a person's sessions goes by)."""
    from allauth.usersessions.models import UserSession

    client = Client()
    client.force_login(user)
    UserSession.objects.create(user=user, session_key=client.session.session_key, ip="127.0.0.1")
    assert client.get("/ar/").status_code == 200
    return client


def test_deactivation_ends_sessions_assignments_and_seats(
    commitment, focal_point_a, secretariat, plan
):
    from allauth.usersessions.models import UserSession

    seat = make_member(make_committee(), user=focal_point_a, term_start=datetime.date(2022, 1, 1))
    client = _signed_in(focal_point_a)
    assert UserSession.objects.filter(user=focal_point_a).count() == 1
    done = actions.do_deactivate(focal_point_a, acting_user=secretariat)
    focal_point_a.refresh_from_db()
    seat.refresh_from_db()
    assert not focal_point_a.is_active
    assert not UserSession.objects.filter(user=focal_point_a).exists()
    assert current_holder(commitment) is None
    assert seat.term_end == timezone.localdate()
    assert any("7. " in line for line in done)
    # Signed out: the page of their commitments sends them to the sign-in page.
    response = client.get("/ar/tracking/my/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert not Client().login(username=focal_point_a.username, password=PASSWORD)
    row = AuditLog.objects.get(action="people.deactivate_account")
    assert row.before == {"is_active": True}
    assert row.after["is_active"] is False and row.after["sessions_ended"] == 1
    assert row.after["assignments_ended"] == [commitment.pk]
    # The commitment waits for a hand-over on the secretariat's dashboard.
    dashboard = _signed_in(secretariat).get("/ar/tracking/dashboard/?plan=plan")
    waiting = dashboard.content.decode().split('data-testid="without-focal-point"')[1]
    assert f'data-number="{commitment.number}"' in waiting.split("</ul>")[0]


def test_deactivation_hands_over_to_the_successor_chosen(
    commitment, focal_point_a, colleague, secretariat
):
    actions.do_deactivate(
        focal_point_a, acting_user=secretariat, successors={commitment.pk: colleague}
    )
    assert current_holder(commitment) == colleague


def test_a_deactivated_account_is_reactivated_without_its_commitments(
    commitment, focal_point_a, secretariat
):
    actions.do_deactivate(focal_point_a, acting_user=secretariat)
    with pytest.raises(PeopleError):
        actions.do_deactivate(focal_point_a, acting_user=secretariat)
    actions.do_reactivate(focal_point_a, acting_user=secretariat)
    focal_point_a.refresh_from_db()
    assert focal_point_a.is_active
    assert current_holder(commitment) is None
    assert Client().login(username=focal_point_a.username, password=PASSWORD)
    with pytest.raises(PeopleError):
        actions.do_reactivate(focal_point_a, acting_user=secretariat)
    assert AuditLog.objects.filter(action="people.reactivate_account").count() == 1


def test_the_secretariat_ends_every_session_of_an_account(focal_point_a, secretariat):
    first, second = _signed_in(focal_point_a), _signed_in(focal_point_a)
    assert actions.do_end_sessions(focal_point_a, acting_user=secretariat) == 2
    for client in (first, second):
        response = client.get("/ar/tracking/my/")
        assert response.status_code == 302
    row = AuditLog.objects.get(action="people.end_sessions")
    assert row.after == {"sessions_ended": 2}


# Pages ----------------------------------------------------------------------------------

PAGES = [
    "/{lang}/people/",
    "/{lang}/people/{pk}/",
    "/{lang}/people/{pk}/edit/",
    "/{lang}/people/{pk}/deactivate/",
]


@pytest.mark.parametrize("persona", ["focal_point_a", "committee_member", "translator", "citizen"])
def test_the_people_pages_are_refused_to_everyone_but_the_secretariat(persona, personas):
    target = personas["focal_point_b"]
    client = Client()
    client.force_login(personas[persona])
    before = snapshot()
    for page in PAGES:
        assert client.get(page.format(lang="ar", pk=target.pk)).status_code == 403
    for action in ("reactivate", "sessions/end", "deactivate", "edit"):
        response = client.post(f"/ar/people/{target.pk}/{action}/", {"confirm": "on"})
        assert response.status_code == 403
    assert snapshot() == before


def test_the_people_pages_send_the_public_to_sign_in(focal_point_b):
    for page in PAGES:
        response = Client().get(page.format(lang="fr", pk=focal_point_b.pk))
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("lang", ["ar", "fr", "en"])
def test_the_secretariat_opens_every_people_page(lang, commitment, focal_point_a, secretariat):
    client = _signed_in(secretariat)
    for page in PAGES:
        response = client.get(page.format(lang=lang, pk=focal_point_a.pk))
        assert response.status_code == 200, page
    person = client.get(f"/{lang}/people/{focal_point_a.pk}/").content.decode()
    assert f'data-commitment="{commitment.pk}"' in person
    assert 'data-testid="deactivate"' in person
    # Their own page has no deactivation button.
    own = client.get(f"/{lang}/people/{secretariat.pk}/").content.decode()
    assert 'data-testid="deactivate"' not in own


def test_unknown_people_are_404(secretariat):
    client = _signed_in(secretariat)
    for pk in (987654321, system_user().pk):
        for page in PAGES[1:]:
            assert client.get(page.format(lang="ar", pk=pk)).status_code == 404
        assert client.post(f"/ar/people/{pk}/reactivate/").status_code == 404


def test_the_menu_links_the_people_page_for_the_secretariat_only(secretariat, focal_point_a):
    assert 'href="/ar/people/"' in _signed_in(secretariat).get("/ar/").content.decode()
    assert 'href="/ar/people/"' not in _signed_in(focal_point_a).get("/ar/").content.decode()


def test_the_list_shows_roles_institution_and_pending_work(
    commitment, focal_point_a, focal_point_b, secretariat
):
    submitted(commitment.activities.get(), focal_point_a)
    client = _signed_in(secretariat)
    html = client.get("/en/people/").content.decode()
    row = html.split(f'data-person="{focal_point_a.pk}"')[1].split("</tr>")[0]
    assert "Focal point" in row
    assert f">{commitment.number}</bdi>" in row
    assert "<bdi>1</bdi>" in row  # one update awaiting validation
    assert "Ministry A" in html and "Ministry B" in html
    # Filters: by institution, by role, deactivated accounts.
    html = client.get(f"/en/people/?institution={focal_point_b.institution_id}").content.decode()
    assert f'data-person="{focal_point_b.pk}"' in html
    assert f'data-person="{focal_point_a.pk}"' not in html
    html = client.get("/en/people/?role=secretariat").content.decode()
    assert f'data-person="{secretariat.pk}"' in html
    assert f'data-person="{focal_point_b.pk}"' not in html
    actions.do_deactivate(focal_point_b, acting_user=secretariat)
    assert f'data-person="{focal_point_b.pk}"' not in client.get("/en/people/").content.decode()
    html = client.get("/en/people/?status=inactive").content.decode()
    assert f'data-person="{focal_point_b.pk}"' in html
    assert f'data-person="{focal_point_a.pk}"' not in html
    # A filter that makes no sense is shown as an error, not a failure.
    assert client.get("/en/people/?institution=abc&role=x").status_code == 200


def test_the_edit_page_refuses_with_a_message_and_writes_nothing(
    commitment, focal_point_a, colleague, ministry_b, secretariat
):
    client = _signed_in(secretariat)
    before = snapshot()
    response = client.post(
        f"/fr/people/{focal_point_a.pk}/edit/",
        {"roles": ["focal_point"], "institution": ministry_b.pk},
    )
    assert response.status_code == 400
    assert "Choisissez" in response.content.decode() or "7. " in response.content.decode()
    assert snapshot() == before
    response = client.post(
        f"/fr/people/{focal_point_a.pk}/edit/",
        {
            "roles": ["focal_point"],
            "institution": ministry_b.pk,
            f"successor_{commitment.pk}": colleague.pk,
        },
    )
    assert response.status_code == 302
    assert current_holder(commitment) == colleague


def test_the_deactivation_page_wants_the_box_ticked(focal_point_a, secretariat):
    client = _signed_in(secretariat)
    response = client.post(f"/en/people/{focal_point_a.pk}/deactivate/", {})
    assert response.status_code == 400
    assert "Tick the box" in response.content.decode()
    focal_point_a.refresh_from_db()
    assert focal_point_a.is_active
    response = client.post(f"/en/people/{focal_point_a.pk}/deactivate/", {"confirm": "on"})
    assert response.status_code == 302
    focal_point_a.refresh_from_db()
    assert not focal_point_a.is_active
    response = client.post(f"/en/people/{secretariat.pk}/deactivate/", {"confirm": "on"})
    assert "You cannot deactivate your own account." in response.content.decode()


# Queries --------------------------------------------------------------------------------


def _accounts(count, institutions):
    groups = [Group.objects.get_or_create(name=role)[0] for role in Role.values]
    users = User.objects.bulk_create(
        User(
            username=f"person{i}",
            email=f"person{i}@example.org",
            first_name=f"P{i}",
            institution=institutions[i % len(institutions)],
            last_login=timezone.now(),
        )
        for i in range(count)
    )
    User.groups.through.objects.bulk_create(
        User.groups.through(user_id=u.pk, group_id=groups[i % len(groups)].pk)
        for i, u in enumerate(users)
    )


def _queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("url", ["/ar/people/", "/ar/people/?role=focal_point&status=all"])
def test_the_list_costs_the_same_queries_for_10_and_1000_accounts(
    url, commitment, focal_point_a, secretariat
):
    submitted(commitment.activities.get(), focal_point_a)
    make_member(make_committee(), user=focal_point_a, term_start=datetime.date(2022, 1, 1))
    institutions = [make_institution() for _ in range(5)]
    client = _signed_in(secretariat)
    _accounts(10, institutions)
    few = _queries(client, url)
    User.objects.filter(username__startswith="person").delete()
    _accounts(1000, institutions)
    many = _queries(client, url)
    print(f"{url}: {few} queries for 10 accounts, {many} for 1,000")
    assert few == many
    assert few <= 14
    # A page at a time, the filters kept from one page to the next.
    html = client.get(url).content.decode()
    assert html.count("data-person=") == 50
    query = url.split("?")[1].replace("&", "&amp;") + "&amp;" if "?" in url else ""
    assert f'href="?{query}page=2"' in html


# The rule ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "persona",
    [
        "anonymous",
        "citizen",
        "focal_point_a",
        "committee_member",
        "committee_chair",
        "translator",
        "secretariat",
        "superuser",
    ],
)
def test_only_the_secretariat_manages_people(persona, personas):
    # An active superuser counts as secretariat (and obeys its rules).
    expected = persona in ("secretariat", "superuser")
    assert personas[persona].has_perm("people.manage") is expected
