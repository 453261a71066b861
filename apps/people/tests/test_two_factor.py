"""Two-factor sign-in (allauth.mfa): enrolment with an authenticator app, sign-in with a
code or a recovery code, wrong codes throttled like passwords, and the rule that makes
it required by role (administrators, secretariat, committee chairs), with the demo's
accounts exempt and a setting to turn it off."""

from __future__ import annotations

import datetime
import re

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import (
    format_hotp_value,
    hotp_value,
    yield_hotp_counters_from_time,
)
from django.conf import settings as django_settings
from django.test import Client
from django.utils import timezone

from apps.accounts.demo import mark_demo_account
from apps.accounts.tests.personas import PASSWORD
from apps.committees.models import Member
from apps.committees.tests.factories import make_committee, make_member
from apps.people.two_factor import must_use_two_factor

pytestmark = pytest.mark.django_db
# The production number (the test settings raise axes' limit, not this one).
LIMIT = django_settings.SHARAKA_LOGIN_FAILURE_LIMIT

REQUIRED = "/accounts/two-factor/required/"


@pytest.fixture(autouse=True)
def _required(settings):
    settings.SHARAKA_REQUIRE_TWO_FACTOR = True


def code_for(secret: str) -> str:
    """The code an authenticator app shows now for ``secret`` (RFC 6238)."""
    counter = list(yield_hotp_counters_from_time())[0]
    return format_hotp_value(hotp_value(secret, counter))


def signed_in(user, lang: str = "ar") -> Client:
    client = Client()
    response = client.post(
        f"/{lang}/accounts/login/", {"login": user.username, "password": PASSWORD}
    )
    assert response.status_code == 302, response.content.decode()[:300]
    return client


def enrol(client: Client, lang: str = "ar") -> tuple[str, list[str]]:
    """Enrol an authenticator through the pages; return its secret and recovery codes."""
    page = client.get(f"/{lang}/accounts/2fa/totp/activate/")
    # allauth asks for the password again before a second factor is added.
    assert "/accounts/reauthenticate/" in page["Location"]
    response = client.post(page["Location"], {"password": PASSWORD})
    assert response["Location"] == f"/{lang}/accounts/2fa/totp/activate/"
    page = client.get(f"/{lang}/accounts/2fa/totp/activate/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'src="data:image/svg+xml;base64,' in html  # the QR code
    secret = re.search(r'id="authenticator_secret"[^>]*value="([A-Z2-7]+)"', html)
    secret = secret or re.search(r'value="([A-Z2-7]{16,})"[^>]*id="authenticator_secret"', html)
    assert secret, html[html.index("<main") :][:2000]
    response = client.post(
        f"/{lang}/accounts/2fa/totp/activate/", {"code": code_for(secret.group(1))}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    codes = client.get(f"/{lang}/accounts/2fa/recovery-codes/")
    assert codes.status_code == 200
    unused = re.findall(
        r"\b[0-9a-f]{8}\b",
        codes.content.decode().split('id="recovery_codes"')[1].split("</textarea>")[0],
    )
    assert len(unused) == 10
    return secret.group(1), unused


def test_the_secretariat_is_sent_to_enrol_until_they_have(secretariat):
    client = signed_in(secretariat)
    response = client.get("/ar/accounts/profile/")
    assert response.status_code == 302 and response["Location"] == f"/ar{REQUIRED}"
    assert client.get("/ar/plans/")["Location"] == f"/ar{REQUIRED}"
    enrol(client)
    assert client.get("/ar/accounts/profile/").status_code == 200
    assert client.get(f"/ar{REQUIRED}")["Location"] == "/ar/accounts/profile/"


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("ar", "التحقق بخطوتين إلزامي"),
        ("fr", "La connexion en deux étapes est obligatoire"),
        ("en", "Two-factor sign-in is required"),
    ],
)
def test_the_page_explains_why_in_three_languages(secretariat, lang, text):
    client = signed_in(secretariat)
    html = client.get(f"/{lang}{REQUIRED}").content.decode()
    assert text in html and f'lang="{lang}"' in html
    assert f'href="/{lang}/accounts/2fa/totp/activate/"' in html
    # The enrolment, sign-out and the language switch stay open.
    assert client.get(f"/{lang}/accounts/2fa/totp/activate/").status_code == 302
    assert client.get(f"/{lang}/accounts/reauthenticate/").status_code == 200
    assert client.post("/i18n/setlang/", {"language": "fr", "next": "/fr/"}).status_code == 302
    assert client.post(f"/{lang}/accounts/logout/").status_code == 302


def test_a_code_is_asked_at_sign_in_and_opens_the_account(secretariat):
    secret, _codes = enrol(signed_in(secretariat))
    client = Client()
    response = client.post(
        "/ar/accounts/login/",
        {"login": "secretariat", "password": PASSWORD, "next": "/ar/accounts/profile/"},
    )
    assert response["Location"] == "/ar/accounts/2fa/authenticate/"
    assert client.get("/ar/accounts/profile/").status_code == 302  # not signed in yet
    page = client.get("/fr/accounts/2fa/authenticate/").content.decode()
    assert "codes de récupération" in page and 'autocomplete="one-time-code"' in page
    response = client.post("/ar/accounts/2fa/authenticate/", {"code": code_for(secret)})
    assert response["Location"] == "/ar/accounts/profile/"
    assert client.get("/ar/accounts/profile/").status_code == 200


def test_a_recovery_code_opens_the_account_once(secretariat):
    _secret, codes = enrol(signed_in(secretariat))
    first = Client()
    first.post("/ar/accounts/login/", {"login": "secretariat", "password": PASSWORD})
    assert first.post("/ar/accounts/2fa/authenticate/", {"code": codes[0]}).status_code == 302
    assert first.get("/ar/accounts/profile/").status_code == 200
    again = Client()
    again.post("/ar/accounts/login/", {"login": "secretariat", "password": PASSWORD})
    refused = again.post("/en/accounts/2fa/authenticate/", {"code": codes[0]})
    assert refused.status_code == 200 and "Incorrect code." in refused.content.decode()
    assert again.get("/ar/accounts/profile/").status_code == 302


def test_wrong_codes_lock_the_account_like_wrong_passwords(settings, secretariat):
    """A wrong code counts as a failed sign-in (apps/accounts/lockout.py), with the
    production numbers: at the limit, the lockout page; then even the right code, and
    the password from anywhere, are refused."""

    settings.AXES_FAILURE_LIMIT = settings.SHARAKA_LOGIN_FAILURE_LIMIT
    secret, _codes = enrol(signed_in(secretariat))
    client = Client()
    client.post("/ar/accounts/login/", {"login": "secretariat", "password": PASSWORD})
    for _ in range(LIMIT - 1):
        wrong = client.post("/ar/accounts/2fa/authenticate/", {"code": "000000"})
        assert wrong.status_code == 200 and "الرمز غير صحيح." in wrong.content.decode()
    locked = client.post("/ar/accounts/2fa/authenticate/", {"code": "000000"})
    assert locked.status_code == 429
    assert "محاولات فاشلة كثيرة لتسجيل الدخول" in locked.content.decode()
    refused = client.post("/ar/accounts/2fa/authenticate/", {"code": code_for(secret)})
    assert refused.status_code == 429
    assert client.get("/ar/accounts/profile/").status_code == 302
    elsewhere = Client(REMOTE_ADDR="203.0.113.5")
    response = elsewhere.post("/ar/accounts/login/", {"login": "secretariat", "password": PASSWORD})
    assert response.status_code == 429


def test_recovery_codes_are_viewed_downloaded_and_regenerated(secretariat):
    client = signed_in(secretariat)
    _secret, codes = enrol(client)
    download = client.get("/ar/accounts/2fa/recovery-codes/download/")
    assert download.status_code == 200 and codes[0] in download.content.decode()
    assert client.post("/ar/accounts/2fa/recovery-codes/generate/").status_code == 302
    fresh = RecoveryCodes(
        Authenticator.objects.get(user=secretariat, type=Authenticator.Type.RECOVERY_CODES)
    ).get_unused_codes()
    assert len(fresh) == 10 and codes[0] not in fresh


def test_deactivating_the_authenticator_brings_the_requirement_back(secretariat):
    client = signed_in(secretariat)
    enrol(client)
    assert client.post("/ar/accounts/2fa/totp/deactivate/").status_code == 302
    assert not Authenticator.objects.filter(user=secretariat).exists()
    assert client.get("/ar/accounts/profile/")["Location"] == f"/ar{REQUIRED}"


def test_who_must_use_it(
    settings, secretariat, superuser, focal_point_a, committee_member, committee_chair, citizen
):
    committee = make_committee()
    make_member(committee, user=committee_chair, role=Member.Role.CHAIR)
    make_member(
        committee,
        user=committee_member,
        role=Member.Role.CHAIR,
        term_end=timezone.localdate() - datetime.timedelta(days=1),  # a past chair
    )
    required = {
        u.username
        for u in (secretariat, superuser, focal_point_a, committee_member, committee_chair, citizen)
        if must_use_two_factor(u)
    }
    assert required == {"secretariat", "admin", committee_chair.username}
    mark_demo_account(secretariat)
    assert not must_use_two_factor(secretariat)
    settings.SHARAKA_REQUIRE_TWO_FACTOR = False
    assert not must_use_two_factor(superuser)


def test_a_focal_point_is_not_asked_but_may_opt_in(focal_point_a):
    client = signed_in(focal_point_a)
    profile = client.get("/ar/accounts/profile/")
    assert profile.status_code == 200
    assert 'data-testid="two-factor-enrol"' in profile.content.decode()
    secret, _codes = enrol(client)
    assert 'data-testid="two-factor-manage"' in client.get("/ar/accounts/profile/").content.decode()
    again = Client()
    response = again.post("/ar/accounts/login/", {"login": "focal_a", "password": PASSWORD})
    assert response["Location"] == "/ar/accounts/2fa/authenticate/"


def test_the_demo_accounts_and_the_setting_are_exempt(settings, secretariat, superuser):
    mark_demo_account(secretariat)
    assert signed_in(secretariat).get("/ar/accounts/profile/").status_code == 200
    assert signed_in(superuser).get("/ar/accounts/profile/").status_code == 302
    settings.SHARAKA_REQUIRE_TWO_FACTOR = False
    assert signed_in(superuser).get("/ar/accounts/profile/").status_code == 200


def test_the_demo_loader_marks_its_accounts_and_only_them(secretariat):
    from django.core.management import call_command

    from apps.accounts.models import User

    call_command("load_demo", verbosity=0)
    demo = User.objects.get(username="demo-secretariat")
    admin = User.objects.get(username="admin")
    assert not must_use_two_factor(demo) and not must_use_two_factor(admin)
    assert must_use_two_factor(User.objects.get(pk=secretariat.pk))
