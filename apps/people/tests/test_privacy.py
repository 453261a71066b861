"""A person's own data: the page, the JSON download, the erasure, the privacy page."""

from __future__ import annotations

import datetime
import json

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.usersessions.models import UserSession
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from apps.accounts import tokens
from apps.accounts.models import ApiToken
from apps.accounts.roles import Role
from apps.accounts.tests.personas import PASSWORD, make_user
from apps.cocreation import actions as cocreation
from apps.cocreation.models import Comment, Follow, Proposal
from apps.cocreation.tests.factories import make_process, submit
from apps.committees.models import ActionItem, Attendance, AttendanceStatus
from apps.committees.tests.factories import at, make_committee, make_meeting, make_member
from apps.core.models import AuditLog
from apps.people import privacy
from apps.people.privacy import ErasureRefused, do_erase_person
from apps.tracking import actions as tracking
from apps.tracking.models import ChangeRequest, ProgressUpdate
from apps.tracking.tests.factories import PDF, assign, make_activity, report, upload

pytestmark = pytest.mark.django_db
User = get_user_model()


def signed_in(user) -> Client:
    """A client signed in as ``user``, with the session record allauth keeps for a
    sign-in through its pages (the test client's sign-in does not go through them)."""
    client = Client()
    client.force_login(user)
    UserSession.objects.create(
        user=user, session_key=client.session.session_key, ip="192.0.2.7", user_agent="Firefox"
    )
    return client


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def history(ministry_a, focal_point_a, secretariat, committee_member):
    """Focal point A's past work: a commitment handed over to a successor, a validated
    update with a file, a draft, a proposal and a comment in the co-creation, a token,
    a verified address and a two-factor authenticator; committee member's past seat
    with an attendance and a change request."""
    focal_point_a.first_name, focal_point_a.last_name = "Salma", "Alaoui"
    focal_point_a.save(update_fields=["first_name", "last_name"])
    activity = make_activity(ministry_a, progress=20)
    assign(activity.commitment, focal_point_a, secretariat)
    update = tracking.do_record_progress(
        activity,
        report(
            60, narratives={"ar": "أنجز"}, files=[(upload("proof.pdf", PDF), "application/pdf")]
        ),
        acting_user=focal_point_a,
        submit=True,
    )
    tracking.do_validate_update(update, acting_user=secretariat)
    successor = make_user("successor", Role.FOCAL_POINT, institution=ministry_a)
    tracking.do_hand_over(activity.commitment, successor, acting_user=secretariat, notify=False)
    process = make_process(secretariat)
    proposal = submit(process, focal_point_a, author_name="Salma A.", title="نشر الميزانيات")
    other = submit(process, successor)
    cocreation.do_comment(other, "أوافق", acting_user=focal_point_a, author_name="Salma A.")
    cocreation.do_follow(other, acting_user=focal_point_a)
    tokens.create_token(focal_point_a, "my script")
    EmailAddress.objects.create(
        user=focal_point_a, email=focal_point_a.email, verified=True, primary=True
    )
    Authenticator.objects.create(user=focal_point_a, type=Authenticator.Type.TOTP, data={})
    committee = make_committee(activity.commitment.plan)
    seat = make_member(
        committee,
        user=committee_member,
        term_start=datetime.date(2021, 1, 1),
        term_end=datetime.date(2023, 12, 31),
    )
    meeting = make_meeting(committee, at(2023, 3, 28))
    Attendance.objects.create(meeting=meeting, member=seat, status=AttendanceStatus.PRESENT)
    tracking.do_propose_change(
        activity, acting_user=committee_member, progress=70, justification="ما تحقق"
    )
    return activity, proposal


def test_anonymous_visitors_are_sent_to_sign_in(client):
    for path in ("/ar/account/data/", "/ar/account/data/download/"):
        response = client.get(path)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    response = client.post("/ar/account/data/erase/", {"password": PASSWORD})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_download_holds_everything_about_the_person(history, focal_point_a):
    activity, _proposal = history
    client = signed_in(focal_point_a)
    response = client.get("/ar/account/data/download/")
    assert response["Content-Disposition"].startswith("attachment")
    data = json.loads(response.content)
    assert data["account"]["username"] == "focal_a"
    assert data["account"]["email"] == "focal_a@example.org"
    assert data["account"]["email_addresses"][0]["verified"] is True
    assert [a["type"] for a in data["account"]["two_factor"]] == ["totp"]
    assert data["roles"] == ["focal_point"]
    assert data["institution"]["slug"] == "ministry-a"
    (assignment,) = data["focal_point_assignments"]
    assert assignment["commitment"] == activity.commitment.number and assignment["until"]
    (update,) = data["progress_updates"]
    assert update["progress"] == 60 and update["status"] == "validated"
    assert update["narrative"] == "أنجز" and update["evidence"] == ["proof.pdf"]
    assert data["cocreation"]["proposals"][0]["title"] == "نشر الميزانيات"
    assert data["cocreation"]["comments"][0]["comment"] == "أوافق"
    (token,) = data["api_tokens"]
    assert token["name"] == "my script" and "digest" not in token
    assert ApiToken.objects.get().digest not in response.content.decode()
    assert [(s["ip"], s["user_agent"]) for s in data["sessions"]] == [("192.0.2.7", "Firefox")]
    assert {row["action"] for row in data["audit"]} >= {
        "tracking.submit_update",
        "cocreation.submit_proposal",
    }
    assert "password" not in response.content.decode()


def test_a_committee_member_finds_their_seat_attendance_and_requests(history, committee_member):
    data = json.loads(signed_in(committee_member).get("/ar/account/data/download/").content)
    (seat,) = data["committee_seats"]
    assert seat["term_end"] == "2023-12-31"
    assert seat["attendance"][0]["status"] == "present"
    (change,) = data["change_requests"]
    assert change["to"] == 70 and change["justification"] == "ما تحقق"


def test_the_page_lists_it_in_three_languages(history, focal_point_a):
    client = signed_in(focal_point_a)
    for lang, heading in (("ar", "بياناتي"), ("fr", "Mes données"), ("en", "My data")):
        page = client.get(f"/{lang}/account/data/").content.decode()
        assert heading in page and "/account/data/download/" in page
        assert 'data-testid="open-work"' not in page  # the commitment was handed over
        assert "proof.pdf" in page.split('data-testid="updates"')[1]
        assert "my script" in page.split('data-testid="tokens"')[1]


def test_the_data_cost_a_fixed_number_of_queries(history, focal_point_a, ministry_a, secretariat):
    def queries() -> int:
        user = User.objects.get(pk=focal_point_a.pk)
        with CaptureQueriesContext(connection) as ctx:
            privacy.personal_data(user)
        return len(ctx)

    before = queries()
    for n in range(4):  # more of everything
        activity = make_activity(ministry_a, progress=10)
        assign(activity.commitment, focal_point_a, secretariat)
        tracking.do_record_progress(
            activity,
            report(30 + n, files=[(upload(f"f{n}.pdf", PDF), "application/pdf")]),
            acting_user=focal_point_a,
        )
        tokens.create_token(focal_point_a, f"t{n}")
    assert queries() == before


# Erasure ----------------------------------------------------------------------------------


def refusal(user, password: str = PASSWORD) -> str:
    """The message an erasure is refused with, in English."""
    with translation.override("en"), pytest.raises(ErasureRefused) as refused:
        do_erase_person(acting_user=user, password=password)
    return str(refused.value)


def test_it_refuses_a_wrong_password_and_erases_nothing(citizen):
    assert "password is not correct" in refusal(citizen, "wrong")
    citizen.refresh_from_db()
    assert citizen.username == "citizen" and citizen.is_active


def test_it_refuses_the_secretariat(secretariat):
    assert "secretariat" in refusal(secretariat)


def test_it_refuses_a_current_focal_point(activity_of_a):
    _activity, focal_point = activity_of_a
    assert "currently the focal point" in refusal(focal_point)


@pytest.fixture
def activity_of_a(ministry_a, focal_point_a, secretariat):
    activity = make_activity(ministry_a, progress=20)
    assign(activity.commitment, focal_point_a, secretariat)
    return activity, focal_point_a


def test_it_refuses_while_an_update_awaits_validation(activity_of_a, secretariat, ministry_a):
    activity, focal_point = activity_of_a
    tracking.do_record_progress(activity, report(50), acting_user=focal_point, submit=True)
    successor = make_user("successor", Role.FOCAL_POINT, institution=ministry_a)
    tracking.do_hand_over(activity.commitment, successor, acting_user=secretariat, notify=False)
    assert privacy.open_work(focal_point)[0].kind == "updates"
    assert "awaiting validation" in refusal(focal_point)


def test_it_refuses_a_current_committee_seat(committee_member):
    make_member(make_committee(), user=committee_member)
    assert "committee seat" in refusal(committee_member)


def test_it_refuses_open_action_items_in_the_person_s_name(citizen):
    citizen.first_name, citizen.last_name = "Karim", "Idrissi"
    citizen.save(update_fields=["first_name", "last_name"])
    meeting = make_meeting(make_committee())
    item = ActionItem.objects.create(meeting=meeting, title="Publier", owner_name="karim idrissi")
    assert "action items" in refusal(citizen)
    item.status = ActionItem.Status.DONE
    item.save(update_fields=["status"])
    do_erase_person(acting_user=citizen, password=PASSWORD)


def test_the_page_names_the_open_work_in_the_user_s_language(activity_of_a):
    _activity, focal_point = activity_of_a
    client = signed_in(focal_point)
    page = client.get("/fr/account/data/").content.decode()
    assert 'data-testid="open-work"' in page
    response = client.post("/fr/account/data/erase/", {"password": PASSWORD}, follow=True)
    text = response.content.decode()
    assert "ne peut pas être effacé" in text and "point focal" in text
    assert User.objects.get(pk=focal_point.pk).username == "focal_a"


def test_erasure_removes_every_personal_field_and_keeps_the_actions(
    history, focal_point_a, secretariat
):
    activity, proposal = history
    user_pk = focal_point_a.pk
    client = signed_in(focal_point_a)
    assert UserSession.objects.filter(user_id=user_pk).exists()
    # (Signing in and out are audited too: the erasure signs the person out.)
    actions_of = AuditLog.objects.filter(actor_id=user_pk).exclude(
        action__startswith="accounts.sign_"
    )
    audit_rows = actions_of.count()
    assert audit_rows
    response = client.post("/en/account/data/erase/", {"password": PASSWORD})
    assert response.status_code == 302
    user = User.objects.get(pk=user_pk)
    pseudonym = f"former-user-{user_pk}"
    assert user.username == pseudonym
    assert (user.first_name, user.last_name, user.email) == ("", "", "")
    assert not user.has_usable_password() and not user.is_active and not user.is_staff
    assert not user.groups.exists()
    assert not ApiToken.objects.filter(user_id=user_pk).exists()
    assert not Authenticator.objects.filter(user_id=user_pk).exists()
    assert not EmailAddress.objects.filter(user_id=user_pk).exists()
    assert not UserSession.objects.filter(user_id=user_pk).exists()
    assert not Follow.objects.filter(account_id=user_pk).exists()
    # Signed out: the next page is a visitor's.
    assert client.get("/en/account/data/").status_code == 302
    # The public names they gave are the pseudonym; what they did stays.
    assert Proposal.objects.get(pk=proposal.pk).author_name == pseudonym
    assert Comment.objects.get(author_id=user_pk).author_name == pseudonym
    assert ProgressUpdate.objects.filter(author_id=user_pk, status="validated").exists()
    assert actions_of.count() == audit_rows
    row = AuditLog.objects.get(action="people.erase_person")
    assert row.actor_id is None and row.target_id == user_pk
    assert "Salma" not in json.dumps([row.before, row.after])
    assert "focal_a" not in json.dumps([row.before, row.after])
    # Nothing of the person is left on the platform's pages.
    page = Client().get(proposal.get_absolute_url()).content.decode()
    assert "Salma" not in page and pseudonym in page
    # Nobody signs in as them again.
    assert not Client().login(username="focal_a", password=PASSWORD)
    assert not Client().login(username=pseudonym, password=PASSWORD)


def test_a_citizen_s_consultation_name_becomes_the_pseudonym(citizen, secretariat):
    from apps.reports.models import Participant

    participant = Participant.objects.create(
        email="citizen@example.org",
        name="Amina B.",
        organisation="Association",
        verified_at=timezone.now(),
        created_at=timezone.now(),
    )
    stranger = Participant.objects.create(
        email="other@example.org", name="Other", created_at=timezone.now()
    )
    do_erase_person(acting_user=citizen, password=PASSWORD)
    participant.refresh_from_db()
    assert participant.name == f"former-user-{citizen.pk}" and participant.organisation == ""
    assert "citizen" not in participant.email
    stranger.refresh_from_db()
    assert stranger.name == "Other"


def test_an_erasure_is_all_or_nothing(history, focal_point_a):
    """A failure after the first writes (here the consultation's unique address, already
    taken) leaves everything as it was."""
    from django.db import IntegrityError

    from apps.reports.models import Participant

    now = timezone.now()
    Participant.objects.create(
        email=focal_point_a.email, name="Salma", verified_at=now, created_at=now
    )
    Participant.objects.create(
        email=f"former-user-{focal_point_a.pk}@erased.invalid", name="x", created_at=now
    )
    with pytest.raises(IntegrityError):
        do_erase_person(acting_user=focal_point_a, password=PASSWORD)
    user = User.objects.get(pk=focal_point_a.pk)
    assert user.username == "focal_a" and user.email and user.is_active
    assert ApiToken.objects.filter(user=user).exists()
    assert Proposal.objects.filter(author=user, author_name="Salma A.").exists()
    assert Participant.objects.filter(name="Salma").exists()
    assert not AuditLog.objects.filter(action="people.erase_person").exists()


def test_change_requests_stay_after_erasure(history, committee_member):
    committee_member.groups.clear()
    do_erase_person(acting_user=committee_member, password=PASSWORD)
    assert ChangeRequest.objects.filter(proposed_by_id=committee_member.pk).exists()


# The privacy page -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lang", "heading", "erase"),
    [
        ("ar", "الخصوصية", "محو حسابك"),
        ("fr", "Confidentialité", "effacer votre compte"),
        ("en", "Privacy", "erase your account"),
    ],
)
def test_the_privacy_page_in_three_languages(client, lang, heading, erase):
    page = client.get(f"/{lang}/privacy/").content.decode()
    assert heading in page and erase in page
    for role in {
        "ar": ("الكتابة", "المخاطب الرسمي", "عضو اللجنة", "المترجم", "المواطن"),
        "fr": ("Secrétariat", "Point focal", "Membre d’un comité", "Traducteur", "Citoyen"),
        "en": ("Secretariat", "Focal point", "Committee member", "Translator", "Citizen"),
    }[lang]:
        assert f"<dt>{role}</dt>" in page


def test_the_privacy_page_names_the_contact_when_set(client, settings):
    settings.SHARAKA_PRIVACY_CONTACT = "dpo@example.gov"
    assert "mailto:dpo@example.gov" in client.get("/en/privacy/").content.decode()


def test_the_footer_the_sign_up_page_and_the_profile_link_to_it(client, citizen):
    footer = client.get("/ar/").content.decode().split("<footer")[1]
    assert 'href="/ar/privacy/"' in footer
    signup = client.get("/fr/accounts/signup/").content.decode()
    notice = signup.split('data-testid="signup-privacy"')[1].split("</p>")[0]
    assert 'href="/fr/privacy/"' in notice and "effacer vos données" in notice
    profile = signed_in(citizen).get("/en/accounts/profile/").content.decode()
    main = profile.split("<main")[1].split("</main>")[0]
    assert 'href="/en/privacy/"' in main and 'href="/en/account/data/"' in main


def test_erasure_scrubs_the_account_s_own_audit_rows_and_sign_in_attempts(citizen):
    from axes.models import AccessAttempt

    from apps.accounts.actions import do_update_profile

    citizen.first_name, citizen.email = "Salma", "salma@example.org"
    citizen.save()
    Client().post("/en/accounts/login/", {"login": citizen.username, "password": PASSWORD})
    Client().post("/en/accounts/login/", {"login": citizen.username, "password": "wrong guess"})
    do_update_profile(citizen, acting_user=citizen, fields={"last_name": "Alaoui"})
    trail = AuditLog.objects.filter(target_type="accounts.user", target_id=citizen.pk)
    assert trail.filter(action="accounts.sign_in").exists()
    assert AccessAttempt.objects.filter(username=citizen.username).exists()
    actions_before = sorted(trail.values_list("action", flat=True))

    citizen.refresh_from_db()
    erased = do_erase_person(acting_user=citizen, password=PASSWORD)

    kept = AuditLog.objects.filter(target_type="accounts.user", target_id=erased.pk)
    assert sorted(kept.exclude(action="people.erase_person").values_list("action", flat=True)) == (
        actions_before
    )
    written = " ".join(str((row.before, row.after)) for row in kept)
    for personal in ("Salma", "Alaoui", "salma@example.org", "127.0.0.1"):
        assert personal not in written
    assert not AccessAttempt.objects.filter(username=citizen.username).exists()
