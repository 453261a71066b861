"""Password guessing: after the limit of failed sign-ins on one account (from any
address) or from one address (on any account), signing in is locked for the cool-off,
the right password included, with a page in the person's language (django-axes,
``apps.accounts.lockout``). The same holds on the administration's way in and at the
two-factor code step; password reset mails are throttled per address and per target.

These tests run with the production numbers (the test settings raise the limit so that
the robustness walk's thousands of hostile sign-ins do not lock it out)."""

from __future__ import annotations

import datetime
import os
import re

import pytest
from axes.models import AccessAttempt
from django.conf import settings as django_settings
from django.core import mail
from django.test import Client

from apps.accounts.tests.personas import PASSWORD, make_user
from apps.core.models import AuditLog

pytestmark = pytest.mark.django_db
# The production number (the test settings raise axes' limit, not this one).
LIMIT = django_settings.SHARAKA_LOGIN_FAILURE_LIMIT

LOGIN = "/{lang}/accounts/login/"
LOCKED = {
    "ar": "محاولات فاشلة كثيرة لتسجيل الدخول",
    "fr": "Trop de tentatives de connexion échouées",
    "en": "Too many failed sign-in attempts",
}


@pytest.fixture(autouse=True)
def _production_numbers(settings):
    settings.AXES_FAILURE_LIMIT = LIMIT


def sign_in(login: str, password: str, address: str, lang: str = "en", **extra):
    client = Client(REMOTE_ADDR=address)
    response = client.post(LOGIN.format(lang=lang), {"login": login, "password": password, **extra})
    return client, response


def signed_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def test_the_defaults_are_five_failures_and_fifteen_minutes(settings):
    if "SHARAKA_LOGIN_FAILURE_LIMIT" not in os.environ:
        assert settings.SHARAKA_LOGIN_FAILURE_LIMIT == 5
    if "SHARAKA_LOGIN_COOLOFF_MINUTES" not in os.environ:
        assert settings.AXES_COOLOFF_TIME.total_seconds() == 15 * 60
        # allauth's own limit is a backstop at twice the lockout's numbers.
        assert settings.ACCOUNT_RATE_LIMITS["login_failed"] == "20/m/ip,10/15m/key"
    assert settings.AXES_LOCKOUT_PARAMETERS == ["username", "ip_address"]
    assert settings.AUTHENTICATION_BACKENDS[0] == "apps.accounts.lockout.LockoutBackend"
    assert settings.MIDDLEWARE[-1] == "axes.middleware.AxesMiddleware"


def test_thirty_wrong_passwords_on_one_account_from_many_addresses_lock_it(secretariat):
    limit = LIMIT
    statuses = [
        sign_in("secretariat", f"guess {i}", f"198.51.100.{i}")[1].status_code for i in range(30)
    ]
    # The failures before the limit get the form again; the one that reaches it and
    # every later one, the lockout page.
    assert statuses == [200] * (limit - 1) + [429] * (30 - limit + 1)
    for login in ("secretariat", "SECRETARIAT", "secretariat@example.org"):
        client, response = sign_in(login, PASSWORD, "203.0.113.7")
        assert response.status_code == 429, login
        assert LOCKED["en"] in response.content.decode()
        assert not signed_in(client)


def test_thirty_wrong_passwords_from_one_address_lock_it_for_every_account(
    secretariat, focal_point_a
):
    for i in range(30):
        sign_in(f"someone-{i}" if i % 2 else "focal_a", "guess", "198.51.100.1")
    client, response = sign_in("secretariat", PASSWORD, "198.51.100.1")
    assert response.status_code == 429 and not signed_in(client)
    # The same account from another address signs in (its own failures are under the
    # limit: nobody guessed at it).
    client, response = sign_in("secretariat", PASSWORD, "198.51.100.2")
    assert response.status_code == 302 and signed_in(client)


@pytest.mark.parametrize(
    ("lang", "direction"), [("ar", 'dir="rtl"'), ("fr", 'dir="ltr"'), ("en", 'dir="ltr"')]
)
def test_the_lockout_page_speaks_the_person_s_language(secretariat, lang, direction):
    for i in range(LIMIT):
        sign_in("secretariat", "guess", f"198.51.100.{i}", lang=lang)
    _client, response = sign_in("secretariat", PASSWORD, "198.51.100.99", lang=lang)
    html = response.content.decode()
    assert response.status_code == 429
    assert f'lang="{lang}"' in html and direction in html
    assert LOCKED[lang] in html
    assert f'href="/{lang}/accounts/password/reset/"' in html


def test_the_lock_ends_after_the_cool_off(secretariat):
    for i in range(LIMIT):
        sign_in("secretariat", "guess", f"198.51.100.{i}")
    assert sign_in("secretariat", PASSWORD, "203.0.113.7")[1].status_code == 429
    # Refused attempts while locked do not push the end of the lock further.
    assert AccessAttempt.objects.filter(username="secretariat").count() == (LIMIT)
    earlier = django_settings.AXES_COOLOFF_TIME + datetime.timedelta(seconds=1)
    for attempt in AccessAttempt.objects.all():
        attempt.attempt_time -= earlier
        attempt.save(update_fields=["attempt_time"])
    client, response = sign_in("secretariat", PASSWORD, "203.0.113.7")
    assert response.status_code == 302 and signed_in(client)


def test_the_administration_s_way_in_is_the_same(secretariat):
    admin = Client(REMOTE_ADDR="198.51.100.1")
    # The administration has no sign-in of its own: a password posted there opens
    # nothing, however many times.
    for _ in range(30):
        response = admin.post("/en/admin/login/", {"username": "secretariat", "password": PASSWORD})
        assert response.status_code == 302 and "/en/accounts/login/" in response["Location"]
    assert not signed_in(admin)
    # Its redirect leads to the one sign-in, which locks out as everywhere.
    for i in range(LIMIT):
        sign_in("secretariat", "guess", f"198.51.100.{i}", next="/en/admin/")
    client, response = sign_in("secretariat", PASSWORD, "203.0.113.7", next="/en/admin/")
    assert response.status_code == 429
    assert client.get("/en/admin/").status_code == 302


def test_a_password_reset_by_mail_ends_the_account_s_lock(secretariat):
    for i in range(LIMIT):
        sign_in("secretariat", "guess", f"198.51.100.{i}")
    client = Client(REMOTE_ADDR="203.0.113.7")
    client.post("/en/accounts/password/reset/", {"email": "secretariat@example.org"})
    path = re.search(r"/[a-z]{2}/accounts/password/reset/key/\S+", mail.outbox[-1].body)
    assert path, mail.outbox[-1].body
    form = client.get(path.group(0))
    new = "a brand new passphrase 42"
    response = client.post(form["Location"], {"password1": new, "password2": new})
    assert response.status_code == 302
    assert not AccessAttempt.objects.filter(username="secretariat").exists()
    assert AuditLog.objects.filter(
        action="accounts.unlock_by_password_reset", target_id=secretariat.pk
    ).exists()
    # The new password is taken (the sign-in goes on to its next step, not the lock).
    _client, response = sign_in("secretariat", new, "203.0.113.7")
    assert response.status_code == 302


@pytest.mark.parametrize("lang", ["ar", "fr", "en"])
def test_password_reset_mails_are_throttled_per_target_and_per_address(lang):
    make_user("target")
    text = {
        "ar": "طلبات كثيرة لإعادة تعيين كلمة المرور",
        "fr": "Trop de demandes de réinitialisation",
        "en": "Too many password reset requests",
    }[lang]
    url = f"/{lang}/accounts/password/reset/"
    # Per target: a few mails an hour, whatever the address asking.
    answers = [
        Client(REMOTE_ADDR=f"198.51.100.{i}").post(url, {"email": "target@example.org"})
        for i in range(5)
    ]
    assert [r.status_code for r in answers] == [302, 302, 302, 429, 429]
    assert len(mail.outbox) == 3
    assert text in answers[-1].content.decode()
    assert f'lang="{lang}"' in answers[-1].content.decode()
    # Per address: more, for an office behind one address, but not without end.
    client = Client(REMOTE_ADDR="203.0.113.9")
    answers = [client.post(url, {"email": f"nobody{i}@example.org"}) for i in range(21)]
    assert [r.status_code for r in answers].count(429) == 1
    assert answers[-1].status_code == 429 and text in answers[-1].content.decode()
