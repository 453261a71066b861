"""What happens to an account leaves an audit row: the profile, sign-ins, passwords,
e-mail addresses, second factors and sessions (never a password or a session's key).
Here, in the last app: the tests borrow people's two-factor enrolment and tracking's
SMTP server."""

from __future__ import annotations

import re
from typing import Any

import pytest
from allauth.account.models import EmailAddress
from allauth.usersessions.models import UserSession
from django.test import Client

from apps.accounts.tests.personas import PASSWORD
from apps.core.models import AuditLog
from apps.people.tests.test_two_factor import enrol
from apps.tracking.tests.test_mail import body, smtp  # noqa: F401  (the SMTP fixture)

pytestmark = pytest.mark.django_db


def rows(action: str, user) -> list[AuditLog]:
    return list(AuditLog.objects.filter(action=action, target_id=user.pk).order_by("pk"))


def signed_in(user, lang: str = "en") -> Client:
    client = Client()
    response = client.post(
        f"/{lang}/accounts/login/", {"login": user.username, "password": PASSWORD}
    )
    assert response.status_code == 302
    return client


def test_it_audits_profile_changes_field_by_field(client, focal_point_a):
    client.force_login(focal_point_a)
    response = client.post(
        "/en/accounts/profile/",
        {"first_name": "Salma", "last_name": focal_point_a.last_name, "preferred_language": "fr"},
    )
    assert response.status_code == 302
    (row,) = rows("accounts.change_profile", focal_point_a)
    assert row.actor == focal_point_a
    assert row.before == {"first_name": focal_point_a.first_name, "preferred_language": "ar"}
    assert row.after == {"first_name": "Salma", "preferred_language": "fr"}


def test_the_profile_no_longer_edits_the_address_but_links_to_the_e_mail_page(
    client, focal_point_a
):
    client.force_login(focal_point_a)
    html = client.get("/en/accounts/profile/").content.decode()
    assert 'name="email"' not in html and 'href="/en/accounts/email/"' in html
    client.post(
        "/en/accounts/profile/",
        {
            "first_name": "x",
            "last_name": "y",
            "email": "evil@example.org",
            "preferred_language": "en",
        },
    )
    focal_point_a.refresh_from_db()
    assert focal_point_a.email == "focal_a@example.org"


def test_it_audits_sign_ins_failed_sign_ins_and_sign_outs(focal_point_a):
    client = Client()
    client.post("/en/accounts/login/", {"login": "focal_a", "password": "wrong"})
    client.post("/en/accounts/login/", {"login": "nobody-here", "password": "wrong"})
    (failed,) = AuditLog.objects.filter(action="accounts.sign_in_failed")
    assert failed.target_id == focal_point_a.pk and failed.actor is None
    assert "wrong" not in str(failed.after)
    client = signed_in(focal_point_a)
    assert rows("accounts.sign_in", focal_point_a)[0].actor == focal_point_a
    client.post("/en/accounts/logout/")
    assert rows("accounts.sign_out", focal_point_a)


def test_it_audits_a_password_change_without_the_password(focal_point_a):
    client = signed_in(focal_point_a)
    response = client.post(
        "/en/accounts/password/change/",
        {"oldpassword": PASSWORD, "password1": "A-new-secret-42", "password2": "A-new-secret-42"},
    )
    assert response.status_code == 302
    (row,) = rows("accounts.change_password", focal_point_a)
    assert row.actor == focal_point_a and row.before == {} and row.after == {}


def test_it_audits_a_password_reset(focal_point_a, smtp):  # noqa: F811
    Client().post("/en/accounts/password/reset/", {"email": focal_point_a.email})
    (mail,) = smtp.to(focal_point_a.email)
    link = re.search(r"https?://\S+/accounts/password/reset/key/\S+/", body(mail))
    assert link
    client = Client()
    page = client.get(link.group(0).split("example.org", 1)[-1].split("testserver", 1)[-1])
    form_url = page["Location"] if page.status_code == 302 else page.request["PATH_INFO"]
    response = client.post(
        form_url, {"password1": "A-new-secret-42", "password2": "A-new-secret-42"}
    )
    assert response.status_code == 302
    assert rows("accounts.reset_password", focal_point_a)


def test_it_audits_two_factor_enrolment_and_its_removal(
    focal_point_a, django_capture_on_commit_callbacks
):
    client = signed_in(focal_point_a, "ar")
    with django_capture_on_commit_callbacks(execute=True):  # allauth signals after commit
        enrol(client)
        assert client.post("/ar/accounts/2fa/totp/deactivate/").status_code == 302
    added = rows("accounts.add_authenticator", focal_point_a)
    assert {row.after["type"] for row in added} >= {"totp"}
    assert rows("accounts.remove_authenticator", focal_point_a)
    assert "secret" not in str([r.after for r in added])


def test_it_audits_the_sessions_one_ends(focal_point_a):
    from django.contrib.sessions.backends.db import SessionStore

    store = SessionStore()
    store.create()
    key = store.session_key
    other = UserSession.objects.create(
        user=focal_point_a, session_key=key, ip="192.0.2.9", user_agent="Firefox"
    )
    from apps.accounts.sessions import end_sessions

    assert end_sessions(focal_point_a, acting_user=focal_point_a) == 1
    assert not UserSession.objects.filter(pk=other.pk).exists()
    (row,) = rows("accounts.end_session", focal_point_a)
    assert row.before["ip"] == "192.0.2.9" and key not in str(row.before)


def _add_email(client: Client, address: str) -> Any:
    """A new address on allauth's e-mail page: the password is asked again, then the
    address is added (allauth resumes the form after the password)."""
    response = client.post("/en/accounts/email/", {"action_add": "", "email": address})
    if response.status_code == 200:
        return response  # refused before the password is asked
    assert "/accounts/reauthenticate/" in response["Location"]
    return client.post(response["Location"], {"password": PASSWORD})


def test_a_new_address_is_asked_with_the_password_and_confirmed_by_a_link(
    focal_point_a,
    smtp,  # noqa: F811
):
    client = Client()
    client.force_login(focal_point_a)  # no recent password: the page asks for it
    response = _add_email(client, "salma.new@example.org")
    assert response.status_code == 302
    assert EmailAddress.objects.get(email="salma.new@example.org").verified is False
    focal_point_a.refresh_from_db()
    assert focal_point_a.email == "focal_a@example.org"  # not before the link
    (mail,) = smtp.to("salma.new@example.org")
    assert "البريد" in mail["Subject"] + body(mail)  # in the person's language (ar)
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+/", body(mail))
    assert link
    path = "/" + link.group(0).split("/", 3)[3]
    client.get(path)
    client.post(path)
    focal_point_a.refresh_from_db()
    assert focal_point_a.email == "salma.new@example.org"
    assert EmailAddress.objects.get(user=focal_point_a, primary=True).email == (
        "salma.new@example.org"
    )
    assert rows("accounts.add_email", focal_point_a)
    assert rows("accounts.confirm_email", focal_point_a)
    (changed,) = rows("accounts.change_email", focal_point_a)
    assert changed.after == {"email": "salma.new@example.org"}


def test_an_address_of_another_account_is_refused_in_any_case(
    focal_point_a,
    focal_point_b,
    smtp,  # noqa: F811
):
    client = Client()
    client.force_login(focal_point_a)
    response = _add_email(client, focal_point_b.email.upper())
    assert response.status_code == 200
    assert "already used by another account" in response.content.decode()
    assert not smtp.messages
    assert not EmailAddress.objects.filter(email__iexact=focal_point_b.email, user=focal_point_a)
