"""Invitations: the secretariat invites, resends, withdraws; the invited person accepts
through allauth's sign-up (or signs in with the account they have). Mail delivered to a
real local SMTP server; every refusal leaves the database as it was."""

from __future__ import annotations

import datetime
import hashlib
import re
import threading
import time

import pytest
from allauth.account.models import EmailAddress
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from apps.accounts.models import Institution, User
from apps.accounts.roles import Role
from apps.accounts.tests.personas import PASSWORD, make_user
from apps.committees.models import Member, Seat
from apps.committees.tests.factories import make_committee
from apps.core.models import AuditLog
from apps.people import invitations
from apps.people.invitations import InvitationDraft, InvitationError
from apps.people.models import Invitation, InvitationStatus
from apps.tracking.tests.test_mail import IMMEDIATE, body, smtp  # noqa: F401 - real SMTP

pytestmark = pytest.mark.django_db

ADDRESS = "salma.alaoui@example.org"


def draft(institution: Institution | None, **changes) -> InvitationDraft:
    fields = {
        "email": ADDRESS,
        "first_name": "Salma",
        "last_name": "Alaoui",
        "role": Role.FOCAL_POINT,
        "language": "fr",
        "institution": institution,
    }
    fields.update(changes)
    return InvitationDraft(**fields)


def invite(secretariat, institution, **changes) -> Invitation:
    return invitations.do_invite(draft(institution, **changes), acting_user=secretariat)


def link_of(invitation: Invitation) -> str:
    invitation.refresh_from_db()
    with_lang = f"/{invitation.language}/people/invitations/accept/"
    return with_lang + invitations.link_key(invitation) + "/"


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def written() -> tuple[int, int, int]:
    return Invitation.objects.count(), AuditLog.objects.count(), User.objects.count()


@pytest.fixture(autouse=True)
def _english():
    """The actions' refusals read in English here (the pages' tests name their language)."""
    translation.activate("en")


@pytest.fixture
def mail(settings, smtp, django_capture_on_commit_callbacks):  # noqa: F811
    """Tasks run at once, after commit, and their mail goes to the SMTP server."""
    settings.TASKS = IMMEDIATE
    return smtp


# Inviting -------------------------------------------------------------------------------


def test_it_mails_the_invitation_in_its_language_with_a_link_whose_key_is_not_stored(
    mail, django_capture_on_commit_callbacks, secretariat, ministry_a
):
    secretariat.first_name, secretariat.last_name = "Karim", "Bennani"
    secretariat.save()
    with django_capture_on_commit_callbacks(execute=True):
        invitation = invite(secretariat, ministry_a)
    (message,) = mail.to(ADDRESS)
    assert message["Subject"].strip() == "Sharaka : vous êtes invité·e à rejoindre la plateforme"
    text = body(message)
    assert "Bonjour Salma Alaoui," in text
    assert "Karim Bennani" in text and "Point focal" in text and "Ministère A" in text
    link = re.search(r"https://sharaka\.example\.org/fr/people/invitations/accept/(\S+)/", text)
    assert link is not None
    key = link.group(1)
    invitation.refresh_from_db()
    assert invitation.key_digest == hashlib.sha256(key.encode()).hexdigest()
    stored = " ".join(str(v) for v in Invitation.objects.values().get().values())
    assert key not in stored
    until = timezone.localtime(invitation.expires_at).strftime("%Y-%m-%d")
    assert until in text
    assert invitation.expires_at - invitation.created_at == datetime.timedelta(days=14)
    assert AuditLog.objects.filter(action="people.invite", target_id=invitation.pk).exists()


def test_the_mail_is_in_arabic_for_an_arabic_invitation(
    mail, django_capture_on_commit_callbacks, secretariat, ministry_a
):
    with django_capture_on_commit_callbacks(execute=True):
        invite(secretariat, ministry_a, language="ar")
    (message,) = mail.to(ADDRESS)
    assert "شراكة" in message["Subject"]
    assert "/ar/people/invitations/accept/" in body(message)
    assert "وزارة أ" in body(message)


def test_the_expiry_follows_the_setting(settings, secretariat, ministry_a):
    settings.SHARAKA_INVITATION_DAYS = 3
    invitation = invite(secretariat, ministry_a)
    assert invitation.expires_at - invitation.created_at == datetime.timedelta(days=3)


def test_an_address_whose_account_holds_a_role_is_refused(secretariat, focal_point_b, ministry_a):
    before = written()
    with pytest.raises(InvitationError, match="people page"):
        invite(secretariat, ministry_a, email=focal_point_b.email.upper())
    assert written() == before


def test_a_citizen_s_address_may_be_invited(secretariat, citizen, ministry_a):
    assert invite(secretariat, ministry_a, email=citizen.email).is_pending


def test_a_second_pending_invitation_to_the_same_address_is_refused(secretariat, ministry_a):
    invite(secretariat, ministry_a)
    before = written()
    with pytest.raises(InvitationError, match="resend it instead"):
        invite(secretariat, ministry_a, email=ADDRESS.upper(), role=Role.TRANSLATOR)
    assert written() == before


def test_a_focal_point_without_institution_is_refused(secretariat):
    before = written()
    with pytest.raises(InvitationError, match="institution"):
        invite(secretariat, None)
    assert written() == before


def test_an_institution_that_does_not_exist_is_refused(secretariat):
    ghost = Institution(pk=987654, slug="ghost", kind="government", name="Ghost")
    with pytest.raises(InvitationError, match="does not exist"):
        invite(secretariat, ghost)
    assert not Invitation.objects.exists()


@pytest.mark.parametrize("missing", ["committee", "seat"])
def test_a_committee_member_without_committee_or_seat_is_refused(secretariat, missing):
    committee = make_committee()
    fields = {"committee": committee, "seat": Seat.CIVIL_SOCIETY, missing: None}
    fields["seat"] = fields["seat"] or ""
    with pytest.raises(InvitationError, match="committee and the seat"):
        invite(secretariat, None, role=Role.COMMITTEE_MEMBER, **fields)
    assert not Invitation.objects.exists()


@pytest.mark.parametrize(
    "persona",
    ["citizen", "focal_point_a", "committee_member", "committee_chair", "translator"],
)
def test_only_the_secretariat_invites_resends_and_withdraws(personas, persona, secretariat):
    ministry = Institution.objects.create(slug="m", kind="government", name="M")
    invitation = invite(secretariat, ministry)
    user = personas[persona]
    before = written()
    with pytest.raises(InvitationError):
        invitations.do_invite(draft(ministry, email="x@example.org"), acting_user=user)
    with pytest.raises(InvitationError):
        invitations.do_resend_invitation(invitation, acting_user=user)
    with pytest.raises(InvitationError):
        invitations.do_withdraw_invitation(invitation, acting_user=user)
    assert written() == before


# Resending and withdrawing --------------------------------------------------------------


def test_a_resend_makes_a_new_link_and_a_new_expiry_and_kills_the_old_link(
    mail, django_capture_on_commit_callbacks, secretariat, ministry_a
):
    with django_capture_on_commit_callbacks(execute=True):
        invitation = invite(secretariat, ministry_a)
    old = link_of(invitation)
    Invitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - datetime.timedelta(days=1)
    )
    with django_capture_on_commit_callbacks(execute=True):
        invitations.do_resend_invitation(invitation, acting_user=secretariat)
    invitation.refresh_from_db()
    assert invitation.times_sent == 2 and invitation.is_open
    new = link_of(invitation)
    assert new != old
    first, second = mail.to(ADDRESS)
    assert old in body(first) and new in body(second) and old not in body(second)
    client = Client()
    assert client.get(old).status_code == 404
    assert client.get(new).status_code == 200


def test_a_withdrawn_invitation_cannot_be_resent_and_its_link_is_gone(secretariat, ministry_a):
    invitation = invite(secretariat, ministry_a)
    link = link_of(invitation)
    invitations.do_withdraw_invitation(invitation, acting_user=secretariat)
    with pytest.raises(InvitationError, match="withdrawn"):
        invitations.do_resend_invitation(invitation, acting_user=secretariat)
    with pytest.raises(InvitationError, match="withdrawn"):
        invitations.do_withdraw_invitation(invitation, acting_user=secretariat)
    response = Client().get(link)
    assert response.status_code == 410
    assert "Cette invitation a été retirée par le secrétariat." in response.content.decode()
    # The address may be invited again.
    assert invite(secretariat, ministry_a).is_pending


def test_no_mail_goes_out_for_an_invitation_withdrawn_before_the_task_ran(
    smtp,  # noqa: F811
    secretariat,
    ministry_a,
):
    from apps.people.tasks import send_invitation_mail_task

    invitation = invite(secretariat, ministry_a)  # (the task is left queued)
    invitations.do_withdraw_invitation(invitation, acting_user=secretariat)
    assert send_invitation_mail_task.call(invitation.pk, 1) is False
    assert smtp.messages == []


# The link's page ------------------------------------------------------------------------


def test_an_unknown_or_garbled_key_is_a_404_page(secretariat, ministry_a):
    invite(secretariat, ministry_a)
    for key in ("x" * 43, "no-such-key", "%00" + "x" * 300):
        response = Client().get(f"/en/people/invitations/accept/{key}/")
        assert response.status_code == 404
        assert "This invitation link is not valid" in response.content.decode()


def test_an_expired_link_is_410_in_the_visitor_s_language(secretariat, ministry_a):
    invitation = invite(secretariat, ministry_a)
    link = link_of(invitation)
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now())
    response = Client().get(link.replace("/fr/", "/ar/"))
    assert response.status_code == 410
    assert "انتهت صلاحية هذه الدعوة" in response.content.decode()
    response = Client().post(link.replace("/fr/", "/en/"))
    assert response.status_code == 410
    assert "This invitation has expired" in response.content.decode()
    assert not User.objects.filter(email=ADDRESS).exists()


def test_a_get_of_the_link_accepts_nothing(secretariat, ministry_a, citizen):
    invitation = invite(secretariat, ministry_a, email=citizen.email)
    response = signed_in(citizen).get(link_of(invitation))
    assert response.status_code == 200
    assert 'data-testid="accept"' in response.content.decode()
    invitation.refresh_from_db()
    assert invitation.is_pending and not citizen.has_role(Role.FOCAL_POINT)


def test_a_newcomer_signs_up_with_allauth_and_becomes_focal_point(secretariat, ministry_a):
    invitation = invite(secretariat, ministry_a, language="fr")
    link = link_of(invitation)
    client = Client()
    page = client.get(link)
    assert page.status_code == 200 and 'data-testid="create-account"' in page.content.decode()
    response = client.post(link)
    assert response.status_code == 302
    assert response["Location"].startswith("/fr/accounts/signup/")
    form = client.get(response["Location"]).content.decode()
    assert f'value="{ADDRESS}"' in form
    response = client.post(
        "/fr/accounts/signup/",
        {
            "email": ADDRESS,
            "password1": "a long and unusual passphrase 42",
            "password2": "a long and unusual passphrase 42",
        },
    )
    assert response.status_code == 302 and "confirm-email" not in response["Location"]
    user = User.objects.get(email=ADDRESS)
    assert user.has_role(Role.FOCAL_POINT) and user.institution == ministry_a
    assert (user.first_name, user.last_name, user.preferred_language) == ("Salma", "Alaoui", "fr")
    assert EmailAddress.objects.get(user=user).verified
    assert int(client.session["_auth_user_id"]) == user.pk
    invitation.refresh_from_db()
    assert invitation.is_accepted and invitation.accepted_by == user
    row = AuditLog.objects.get(action="people.accept_invitation")
    assert row.actor == user and row.after["role"] == Role.FOCAL_POINT
    # The link is spent.
    again = Client().get(link)
    assert again.status_code == 410
    assert "Cette invitation a déjà été utilisée." in again.content.decode()


def test_an_invitation_withdrawn_during_the_sign_up_leaves_a_plain_account(secretariat, ministry_a):
    invitation = invite(secretariat, ministry_a)
    client = Client()
    client.post(link_of(invitation))
    invitations.do_withdraw_invitation(invitation, acting_user=secretariat)
    response = client.post(
        "/en/accounts/signup/",
        {
            "email": ADDRESS,
            "password1": "a long passphrase 42",
            "password2": "a long passphrase 42",
        },
        follow=True,
    )
    user = User.objects.get(email=ADDRESS)
    assert not user.role_labels()
    assert "withdrawn" in response.content.decode()


def test_a_citizen_signs_in_then_accepts_and_keeps_their_language(secretariat, ministry_a):
    citizen = make_user("amina", language="en")
    invitation = invite(secretariat, ministry_a, email="AMINA@example.org", language="ar")
    link = link_of(invitation)
    client = Client()
    page = client.get(link)
    assert 'data-testid="sign-in-first"' in page.content.decode()
    assert client.post(link).status_code == 400  # no account is created for that address
    assert User.objects.filter(email__iexact="amina@example.org").count() == 1
    client.post("/ar/accounts/login/", {"login": "amina", "password": PASSWORD})
    response = client.post(link)
    assert response.status_code == 302
    citizen = User.objects.get(pk=citizen.pk)
    assert citizen.has_role(Role.FOCAL_POINT) and citizen.institution == ministry_a
    assert citizen.preferred_language == "en"  # their own choice stays
    assert (citizen.first_name, citizen.last_name) == ("Salma", "Alaoui")  # they had none


def test_a_signed_in_person_with_another_address_is_refused(secretariat, ministry_a, citizen):
    invitation = invite(secretariat, ministry_a)
    link = link_of(invitation)
    client = signed_in(citizen)
    for response in (client.get(link), client.post(link)):
        assert response.status_code == 403
        assert "Cette invitation a été envoyée à salma.alaoui@example.org" in (
            response.content.decode()
        )
    invitation.refresh_from_db()
    assert invitation.is_pending and not citizen.role_labels()
    with translation.override("en"), pytest.raises(InvitationError, match="not to the address"):
        invitations.do_accept_invitation(invitation, acting_user=citizen)


def test_a_committee_member_gets_a_seat_from_today(secretariat, ministry_a):
    committee = make_committee()
    invitation = invite(
        secretariat,
        ministry_a,
        role=Role.COMMITTEE_MEMBER,
        committee=committee,
        seat=Seat.GOVERNMENT,
        member_role=Member.Role.CO_CHAIR,
    )
    person = make_user("salma")
    person.email = ADDRESS
    person.save()
    invitations.do_accept_invitation(invitation, acting_user=person)
    member = Member.objects.get(user=person)
    assert member.committee == committee and member.seat == Seat.GOVERNMENT
    assert member.role == Member.Role.CO_CHAIR and member.institution == ministry_a
    assert member.term_start == timezone.localdate() and member.term_end is None
    assert member.name == "Salma Alaoui"
    assert Member.objects.filter(committee=committee).current().filter(user=person).exists()
    assert User.objects.get(pk=person.pk).has_role(Role.COMMITTEE_MEMBER)


def test_an_invitation_is_accepted_once(secretariat, ministry_a):
    invitation = invite(secretariat, ministry_a)
    person = make_user("salma")
    person.email = ADDRESS
    person.save()
    invitations.do_accept_invitation(invitation, acting_user=person)
    before = written()
    with pytest.raises(InvitationError, match="already used"):
        invitations.do_accept_invitation(invitation, acting_user=person)
    assert written() == before and Member.objects.count() == 0


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    "postgresql" not in settings.DATABASES["default"]["ENGINE"],
    reason="row locks (SELECT … FOR UPDATE) need PostgreSQL; SQLite locks the whole file",
)
def test_two_acceptances_at_once_accept_once(monkeypatch, secretariat):
    committee = make_committee()
    ministry = Institution.objects.create(slug="m", kind="government", name="M")
    invitation = invite(
        secretariat, ministry, role=Role.COMMITTEE_MEMBER, committee=committee, seat=Seat.GOVERNMENT
    )
    person = make_user("salma")
    person.email = ADDRESS
    person.save()
    original = invitations._apply

    def slow(*args, **kwargs):
        time.sleep(0.3)  # hold the lock so that the two requests overlap
        return original(*args, **kwargs)

    monkeypatch.setattr(invitations, "_apply", slow)
    barrier = threading.Barrier(2)
    results: list[object] = [None, None]

    def run(i):
        try:
            barrier.wait()
            user = User.objects.get(pk=person.pk)
            results[i] = invitations.do_accept_invitation(invitation.pk, acting_user=user)
        except Exception as error:  # noqa: BLE001 - reported to the test
            results[i] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert sorted(type(r).__name__ for r in results) == ["Invitation", "InvitationError"], results
    assert Member.objects.filter(user=person).count() == 1
    assert AuditLog.objects.filter(action="people.accept_invitation").count() == 1


# The secretariat's pages ----------------------------------------------------------------

PAGE_STATUS = {
    "citizen": 403,
    "focal_point_a": 403,
    "focal_point_b": 403,
    "committee_member": 403,
    "committee_chair": 403,
    "translator": 403,
    "secretariat": 200,
    "superuser": 200,
}


@pytest.mark.parametrize("persona", ["anonymous", *PAGE_STATUS])
def test_people_manage_is_the_secretariat_s(personas, persona):
    assert personas[persona].has_perm("people.manage") is (PAGE_STATUS.get(persona) == 200)


@pytest.mark.parametrize("persona", ["anonymous", *PAGE_STATUS])
def test_each_role_on_the_invitation_pages(personas, persona, secretariat):
    ministry = Institution.objects.create(slug="m", kind="government", name="M")
    invitation = invite(secretariat, ministry)
    client = Client()
    if persona != "anonymous":
        client.force_login(personas[persona])
    before = written()
    pages = [
        ("get", "/fr/people/invitations/", {}),
        ("post", "/fr/people/invitations/", {"email": "x@example.org"}),
        ("post", f"/fr/people/invitations/{invitation.pk}/resend/", {}),
        ("post", f"/fr/people/invitations/{invitation.pk}/withdraw/", {}),
    ]
    for method, path, data in pages:
        response = getattr(client, method)(path, data)
        if persona == "anonymous":
            assert response.status_code == 302 and "/accounts/login/" in response["Location"]
        elif PAGE_STATUS[persona] == 403:
            assert response.status_code == 403, (method, path)
            assert "Seul le secrétariat invite" in response.content.decode()
        else:
            assert response.status_code in (200, 302, 400), (method, path)
    if PAGE_STATUS.get(persona) != 200:
        assert written() == before


def test_the_secretariat_invites_resends_and_withdraws_from_the_page(
    mail, django_capture_on_commit_callbacks, secretariat, ministry_a
):
    client = signed_in(secretariat)
    page = client.get("/fr/people/invitations/")
    assert page.status_code == 200
    assert 'href="/fr/people/invitations/"' in page.content.decode()  # in the menu
    form = {
        "email": ADDRESS,
        "first_name": "Salma",
        "last_name": "Alaoui",
        "role": Role.FOCAL_POINT,
        "institution": ministry_a.pk,
        "member_role": Member.Role.MEMBER,
        "language": "en",
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/fr/people/invitations/", form, follow=True)
    assert "Une invitation a été envoyée à salma.alaoui@example.org." in response.content.decode()
    invitation = Invitation.objects.get()
    assert invitation.role == Role.FOCAL_POINT and invitation.invited_by == secretariat
    (message,) = mail.to(ADDRESS)
    assert message["Subject"].strip() == "Sharaka: you are invited to join the platform"
    # The same address again: refused with the reason, nothing written.
    before = written()
    response = client.post("/fr/people/invitations/", form)
    assert response.status_code == 400
    assert "a déjà une invitation en attente : renvoyez-la plutôt." in response.content.decode()
    assert written() == before
    # A focal point without institution: the form says so.
    response = client.post(
        "/fr/people/invitations/", {**form, "email": "b@example.org", "institution": ""}
    )
    assert response.status_code == 400 and written() == before
    assert "Un point focal répond pour une institution" in response.content.decode()
    # An institution that does not exist: the form refuses it.
    response = client.post(
        "/fr/people/invitations/", {**form, "email": "b@example.org", "institution": 987654}
    )
    assert response.status_code == 400 and written() == before
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/fr/people/invitations/{invitation.pk}/resend/")
    assert len(mail.to(ADDRESS)) == 2
    response = client.post(f"/fr/people/invitations/{invitation.pk}/withdraw/", follow=True)
    assert "a été retirée" in response.content.decode()
    recent = response.content.decode().split('data-testid="recent-invitations"')[1]
    assert ADDRESS in recent
    assert Invitation.objects.get().is_withdrawn
    assert Invitation.objects.get().status == InvitationStatus.WITHDRAWN


def _list_queries(client: Client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/ar/people/invitations/").status_code == 200
    return len(queries)


def test_the_list_costs_the_same_queries_for_3_and_30_invitations(secretariat):
    client = signed_in(secretariat)
    committee = make_committee()
    institutions = [
        Institution.objects.create(slug=f"m{i}", kind="government", name=f"M{i}") for i in range(30)
    ]

    def add(n: int, start: int) -> None:
        for i in range(start, start + n):
            invitation = invite(
                secretariat,
                institutions[i],
                email=f"p{i}@example.org",
                role=Role.COMMITTEE_MEMBER if i % 3 else Role.FOCAL_POINT,
                committee=committee,
                seat=Seat.GOVERNMENT,
            )
            if i % 5 == 0:
                invitations.do_withdraw_invitation(invitation, acting_user=secretariat)

    add(3, 0)
    few = _list_queries(client)
    add(27, 3)
    many = _list_queries(client)
    print(f"invitation list: {few} queries with 3 invitations, {many} with 30")
    assert many == few


def test_an_erasure_forgets_the_invitations_of_the_person(secretariat, ministry_a):
    accepted = invite(secretariat, ministry_a)
    pending = invite(secretariat, ministry_a, email="Salma@Home.example.org")
    other = invite(secretariat, ministry_a, email="someone@example.org")
    person = make_user("salma")
    person.email = ADDRESS
    person.save()
    EmailAddress.objects.create(user=person, email="salma@home.example.org", verified=True)
    invitations.do_accept_invitation(accepted, acting_user=person)
    assert set(invitations.invitations_of(person)) == {accepted, pending}
    assert invitations.forget_invitations_of(person, "former-user-7") == 2
    for row in (accepted, pending):
        row.refresh_from_db()
        assert (row.email, row.first_name, row.last_name) == (
            "former-user-7@erased.invalid",
            "former-user-7",
            "",
        )
    assert accepted.is_accepted and pending.is_withdrawn
    other.refresh_from_db()
    assert other.email == "someone@example.org" and other.is_pending


def test_a_person_s_data_lists_their_invitation_and_erasing_forgets_it(secretariat, ministry_a):
    from apps.people.privacy import do_erase_person, personal_data

    invitation = invite(secretariat, ministry_a, role=Role.TRANSLATOR)
    person = make_user("salma")
    person.email = ADDRESS
    person.save()
    invitations.do_accept_invitation(invitation, acting_user=person)

    listed = personal_data(person)["invitations"]
    assert [(row["email"], row["role"], row["status"]) for row in listed] == [
        (ADDRESS, Role.TRANSLATOR, InvitationStatus.ACCEPTED)
    ]

    person.refresh_from_db()
    erased = do_erase_person(acting_user=person, password=PASSWORD)

    invitation.refresh_from_db()
    assert ADDRESS not in (invitation.email, invitation.first_name, invitation.last_name)
    assert invitation.email == f"{erased.username}@erased.invalid"
    assert invitation.accepted_by_id == erased.pk
    assert AuditLog.objects.filter(action="people.erase_person").get().after["invitations"] == 1


# The worker closes its database connections between tasks: real transactions here.
@pytest.mark.django_db(transaction=True)
def test_a_refused_invitation_mail_is_sent_again_by_the_worker(settings, secretariat, ministry_a):
    from django_tasks_db.models import DBTaskResult

    from apps.tracking.tests.test_mail import RefusingInbox, mail_server, run_worker

    with mail_server(settings, RefusingInbox(refusals=1), retries=[0, 0]) as inbox:
        invitation = invite(secretariat, ministry_a)
        assert invitation.is_pending  # the invitation stands, whatever the mail server says
        run_worker()
        assert inbox.refused == 1
        assert len(inbox.to(ADDRESS)) == 1
        assert list(DBTaskResult.objects.values_list("status", flat=True)) == ["SUCCESSFUL"] * 2
