"""What the public sees of a commitment's focal point: the plan's choice, in every public
place (the commitment's page and its history, an update's page, the API; open data in
apps/exchange/tests/test_opendata.py).
The secretariat and the committee, signed in, always see the person."""

from __future__ import annotations

import pytest
from django.test import Client

from apps.plans.models import PublicContacts
from apps.tracking import actions
from apps.tracking.contacts import contact_of
from apps.tracking.tests.factories import submitted

pytestmark = pytest.mark.django_db

NAME = "سلمى العلوي"
PERSONAL = "focal_a@example.org"
OFFICE = "contact@ministry-a.example"


@pytest.fixture
def world(activity, focal_point_a, ministry_a, secretariat):
    focal_point_a.first_name, focal_point_a.last_name = "سلمى", "العلوي"
    focal_point_a.save(update_fields=["first_name", "last_name"])
    ministry_a.contact_email = OFFICE
    ministry_a.save(update_fields=["contact_email"])
    update = actions.do_validate_update(
        submitted(activity, focal_point_a, 60), acting_user=secretariat
    )
    return activity.commitment, update


def _choose(commitment, setting):
    plan = commitment.plan
    plan.public_contacts = setting
    plan.save(update_fields=["public_contacts"])


def _panel(client, commitment) -> str:
    page = client.get(commitment.get_absolute_url()).content.decode()
    return page.split('class="card mb-3" id="focal-point"')[1].split("</div></div>")[0]


def test_it_shows_the_institution_s_address_by_default_never_the_person(client, world):
    commitment, update = world
    assert commitment.plan.public_contacts == PublicContacts.INSTITUTION
    panel = _panel(client, commitment)
    assert "وزارة أ" in panel and OFFICE in panel
    assert NAME not in panel and PERSONAL not in panel and "focal_a" not in panel
    page = client.get(update.get_absolute_url()).content.decode()
    author = page.split('data-testid="author"')[1].split("</dd>")[0]
    assert "وزارة أ" in author and NAME not in author and "focal_a" not in author


def test_it_shows_the_name_with_the_institution_s_address_when_the_plan_says_so(client, world):
    commitment, update = world
    _choose(commitment, PublicContacts.NAME)
    panel = _panel(client, commitment)
    assert NAME in panel and OFFICE in panel and PERSONAL not in panel
    page = client.get(update.get_absolute_url()).content.decode()
    assert NAME in page.split('data-testid="author"')[1].split("</dd>")[0]


def test_it_shows_the_personal_address_only_when_the_plan_says_so(client, world):
    commitment, _update = world
    _choose(commitment, PublicContacts.NAME_AND_EMAIL)
    panel = _panel(client, commitment)
    assert NAME in panel and f"mailto:{PERSONAL}" in panel and OFFICE not in panel


def test_the_history_of_focal_points_follows_the_same_choice(
    client, world, secretariat, ministry_a
):
    from apps.accounts.roles import Role
    from apps.accounts.tests.personas import make_user

    commitment, _update = world
    successor = make_user("focal_a2", Role.FOCAL_POINT, institution=ministry_a)
    actions.do_hand_over(commitment, successor, acting_user=secretariat, notify=False)
    page = client.get(commitment.get_absolute_url()).content.decode()
    history = page.split("focal-point-history")[1].split("</ul>")[0]
    assert "وزارة أ" in history and NAME not in history and "focal_a" not in history


@pytest.mark.parametrize("persona", ["secretariat", "committee_member"])
def test_the_secretariat_and_the_committee_see_the_person(persona, personas, world):
    commitment, update = world
    client = Client()
    client.force_login(personas[persona])
    panel = _panel(client, commitment)
    assert NAME in panel and PERSONAL in panel


@pytest.mark.parametrize("persona", ["citizen", "focal_point_b", "translator"])
def test_other_accounts_see_what_the_public_sees(persona, personas, world):
    commitment, _update = world
    client = Client()
    client.force_login(personas[persona])
    panel = _panel(client, commitment)
    assert NAME not in panel and PERSONAL not in panel


def test_the_focal_point_sees_themselves(world, focal_point_a):
    commitment, _update = world
    contact = contact_of(focal_point_a, commitment.plan, viewer=focal_point_a)
    assert contact.name == NAME and contact.email == PERSONAL


@pytest.mark.parametrize(
    ("setting", "name", "email"),
    [
        (PublicContacts.INSTITUTION, None, OFFICE),
        (PublicContacts.NAME, NAME, OFFICE),
        (PublicContacts.NAME_AND_EMAIL, NAME, PERSONAL),
    ],
)
def test_the_api_gives_what_the_plan_lets_the_public_see(
    client, world, secretariat, setting, name, email
):
    commitment, _update = world
    _choose(commitment, setting)
    # The read API is public: a secretariat's session changes nothing there.
    client.force_login(secretariat)
    body = client.get(f"/api/v1/commitments/{commitment.pk}").json()
    assert body["contact"] == {"name": name, "email": email, "personal": email == PERSONAL}
    if setting == PublicContacts.INSTITUTION:
        assert PERSONAL not in str(body) and NAME not in str(body)


def test_the_validator_is_named_to_those_who_work_with_them_only(client, world, secretariat):
    commitment, update = world
    secretariat.first_name = "Nadia"
    secretariat.save(update_fields=["first_name"])
    assert "Nadia" not in client.get(update.get_absolute_url()).content.decode()
    client.force_login(secretariat)
    assert "Nadia" in client.get(update.get_absolute_url()).content.decode()


def test_the_secretariat_chooses_in_the_administration(client, world, secretariat, ministry_a):
    """The plan's setting and the institution's address are on their admin pages; a change
    goes through the actions (audited)."""
    from apps.core.actions import do_save_object
    from apps.core.models import AuditLog

    commitment, _update = world
    client.force_login(secretariat)
    page = client.get(f"/en/admin/plans/actionplan/{commitment.plan.pk}/change/").content.decode()
    assert 'name="public_contacts"' in page and "The institution&#x27;s contact address" in page
    page = client.get(f"/en/admin/accounts/institution/{ministry_a.pk}/change/").content.decode()
    assert 'name="contact_email"' in page
    # The institution's page gives its address too (the institution's, not a person's).
    page = Client().get(ministry_a.get_absolute_url()).content.decode()
    assert f'href="mailto:{OFFICE}"' in page
    do_save_object(
        commitment.plan, acting_user=secretariat, fields={"public_contacts": PublicContacts.NAME}
    )
    row = AuditLog.objects.filter(target_type="plans.actionplan").latest("at")
    assert row.after == {"public_contacts": "name"}
    assert NAME in _panel(Client(), commitment)
