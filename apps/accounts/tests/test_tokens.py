"""Personal API tokens: the profile page creates (shown once), lists and revokes them,
each with its audit row; only a digest is stored; the write API's authentication
refuses revoked or expired tokens and disabled accounts, and records the last use."""

from __future__ import annotations

import datetime
import re
import uuid

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.utils import timezone

from apps.accounts import tokens
from apps.accounts.models import ApiToken
from apps.core.models import AuditLog

pytestmark = pytest.mark.django_db

TOKEN_RE = re.compile(r"shk_[A-Za-z0-9_-]{43}")


@pytest.fixture(autouse=True)
def _fresh_rate_counters():
    cache.clear()
    yield
    cache.clear()


def _signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _api(token: str | None, **headers: str) -> Client:
    client = Client()
    if token is not None:
        headers["Authorization"] = f"Bearer {token}"
    client.defaults.update({f"HTTP_{k.upper().replace('-', '_')}": v for k, v in headers.items()})
    return client


QUEUE = "/api/v1/updates/submitted"


def _every_value_in_the_database() -> str:
    """Every text value of the tables a token could leak into, as one string."""
    texts = []
    with connection.cursor() as cursor:
        for table in ("accounts_apitoken", "core_auditlog", "django_session"):
            cursor.execute(f"SELECT * FROM {table}")  # noqa: S608 - fixed table names
            texts.extend(str(value) for row in cursor.fetchall() for value in row)
    return "\n".join(texts)


@pytest.mark.parametrize(
    ("lang", "shown_once", "revoked"),
    [
        ("ar", "انسخه الآن", "أُلغي الرمز"),
        ("fr", "Copiez-le maintenant", "Le jeton « script » a été révoqué."),
        ("en", "Copy it now", "The token “script” was revoked."),
    ],
)
def test_the_profile_page_creates_shows_once_lists_and_revokes(
    focal_point_a, lang, shown_once, revoked
):
    client = _signed_in(focal_point_a)
    page = client.get(f"/{lang}/accounts/profile/")
    assert page.status_code == 200
    assert f'action="/{lang}/accounts/profile/tokens/"' in page.content.decode()

    response = client.post(
        f"/{lang}/accounts/profile/tokens/", {"name": "script", "expires_in": "90"}
    )
    html = response.content.decode()
    assert response.status_code == 200 and shown_once in html
    [clear] = TOKEN_RE.findall(html)
    # It works on the API…
    assert _api(clear).get(QUEUE).status_code == 403  # a focal point: authenticated, refused
    # …is stored only as a digest, anywhere…
    row = ApiToken.objects.get()
    assert row.digest == tokens.digest(clear) and clear not in _every_value_in_the_database()
    assert row.prefix == clear[:12] and row.expires_at is not None
    # …and is never shown again: the list shows its name and prefix only.
    listed = client.get(f"/{lang}/accounts/profile/").content.decode()
    assert "script" in listed and f"{row.prefix}…" in listed
    assert clear not in listed and shown_once not in listed

    response = client.post(f"/{lang}/accounts/profile/tokens/{row.pk}/revoke/", follow=True)
    assert revoked in response.content.decode()
    row.refresh_from_db()
    assert row.revoked_at is not None
    assert _api(clear).get(QUEUE).status_code == 401
    assert list(
        AuditLog.objects.filter(target_type="accounts.apitoken", target_id=row.pk)
        .order_by("id")
        .values_list("action", "actor")
    ) == [
        ("accounts.create_token", focal_point_a.pk),
        ("accounts.revoke_token", focal_point_a.pk),
    ]


def test_the_same_form_sent_twice_creates_one_token_and_shows_it_once(secretariat):
    client = _signed_in(secretariat)
    body = {"name": "twice", "expires_in": "", "form_token": str(uuid.uuid4())}
    first = client.post("/en/accounts/profile/tokens/", body)
    assert len(TOKEN_RE.findall(first.content.decode())) == 1
    second = client.post("/en/accounts/profile/tokens/", body, follow=True)
    assert not TOKEN_RE.findall(second.content.decode())
    assert "cannot be shown again" in second.content.decode()
    assert ApiToken.objects.count() == 1 and ApiToken.objects.get().expires_at is None


def test_a_nameless_token_is_refused_with_the_reason(secretariat):
    response = _signed_in(secretariat).post("/fr/accounts/profile/tokens/", {"name": ""})
    assert response.status_code == 400 and not ApiToken.objects.exists()
    assert "Ce champ est obligatoire" in response.content.decode()


def test_nobody_revokes_another_persons_token(focal_point_a, focal_point_b):
    row, clear = tokens.create_token(focal_point_a, "mine")
    response = _signed_in(focal_point_b).post(f"/en/accounts/profile/tokens/{row.pk}/revoke/")
    assert response.status_code == 404
    row.refresh_from_db()
    assert row.revoked_at is None and _api(clear).get(QUEUE).status_code == 403
    assert not AuditLog.objects.filter(action="accounts.revoke_token").exists()


def test_the_profile_pages_refuse_get_and_anonymous(focal_point_a):
    row, _clear = tokens.create_token(focal_point_a, "mine")
    assert _signed_in(focal_point_a).get("/en/accounts/profile/tokens/").status_code == 405
    anonymous = Client()
    response = anonymous.post(f"/en/accounts/profile/tokens/{row.pk}/revoke/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    response = anonymous.post("/en/accounts/profile/tokens/", {"name": "x"})
    assert response.status_code == 302 and not ApiToken.objects.exclude(pk=row.pk).exists()


def test_a_citizens_account_holds_no_token(citizen):
    """The write API has nothing for a citizen; the read API needs no token."""
    client = _signed_in(citizen)
    assert "api-tokens" not in client.get("/en/accounts/profile/").content.decode()
    response = client.post("/en/accounts/profile/tokens/", {"name": "mine"})
    assert response.status_code == 403
    assert "for the accounts of the people who run the plan" in response.content.decode()
    assert not ApiToken.objects.exists()
    assert not AuditLog.objects.exclude(action="accounts.sign_in").exists()


def test_a_person_holds_at_most_ten_active_tokens(secretariat):
    for n in range(tokens.MAX_ACTIVE_TOKENS):
        tokens.create_token(secretariat, f"t{n}")
    response = _signed_in(secretariat).post("/en/accounts/profile/tokens/", {"name": "one more"})
    assert response.status_code == 403 and "revoke one first" in response.content.decode()
    assert ApiToken.objects.count() == tokens.MAX_ACTIVE_TOKENS


@pytest.mark.parametrize(
    ("header", "reason"),
    [
        (None, "Authentication required"),
        ("Basic dXNlcjpwYXNz", "Authorization: Bearer"),
        ("Bearer ", "Authorization: Bearer"),
        ("Bearer shk_" + "x" * 43, "not valid"),
        ("Bearer " + "x" * 5000, "not valid"),
        ("Bearer shk_\x00" + "x" * 42, "not valid"),
    ],
)
def test_a_missing_or_unknown_token_is_a_401_that_says_why(secretariat, header, reason):
    client = Client()
    headers = {"Authorization": header} if header is not None else {}
    response = client.get(QUEUE, headers=headers, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 401
    assert reason in response.json()["detail"]
    assert response["WWW-Authenticate"] == 'Bearer realm="sharaka"'


def test_a_session_cookie_alone_does_not_open_the_write_api(secretariat):
    """Only a token authenticates: a signed-in browser on another site's page cannot
    write (the API needs no CSRF check because cookies are not credentials here)."""
    client = _signed_in(secretariat)
    assert client.get("/en/accounts/profile/").status_code == 200
    response = client.get(QUEUE, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 401
    assert response.json() == {"detail": "Authentication required: send your API token."}


@pytest.mark.parametrize(
    ("lang", "detail"),
    [
        ("ar", "أُلغي رمز الواجهة البرمجية هذا."),
        ("fr", "Ce jeton d’API a été révoqué."),
        ("en", "This API token was revoked."),
    ],
)
def test_a_revoked_token_is_refused_in_the_requests_language(secretariat, lang, detail):
    row, clear = tokens.create_token(secretariat, "old")
    tokens.revoke_token(row, acting_user=secretariat)
    assert _api(clear, **{"Accept-Language": lang}).get(QUEUE).json() == {"detail": detail}
    # ?lang= wins over the header.
    response = _api(clear, **{"Accept-Language": "ar"}).get(f"{QUEUE}?lang={lang}")
    assert response.status_code == 401 and response.json() == {"detail": detail}


def test_an_expired_token_and_a_disabled_account_are_refused(secretariat, focal_point_a):
    row, clear = tokens.create_token(secretariat, "short", expires_in_days=30)
    assert _api(clear).get(QUEUE).status_code == 200
    ApiToken.objects.filter(pk=row.pk).update(expires_at=timezone.now())
    response = _api(clear, **{"Accept-Language": "en"}).get(QUEUE)
    assert (
        response.status_code == 401 and response.json()["detail"] == "This API token has expired."
    )

    _row, clear_b = tokens.create_token(focal_point_a, "mine")
    focal_point_a.is_active = False
    focal_point_a.save(update_fields=["is_active"])
    response = _api(clear_b, **{"Accept-Language": "en"}).get(QUEUE)
    assert response.status_code == 401 and response.json()["detail"] == "This account is disabled."


def test_the_last_use_is_recorded_at_most_once_a_minute(secretariat):
    row, clear = tokens.create_token(secretariat, "busy")
    client = _api(clear)
    assert client.get(QUEUE).status_code == 200
    row.refresh_from_db()
    first_use = row.last_used_at
    assert first_use is not None
    assert client.get(QUEUE).status_code == 200
    row.refresh_from_db()
    assert row.last_used_at == first_use  # no write for a use a second later
    ApiToken.objects.filter(pk=row.pk).update(
        last_used_at=first_use - datetime.timedelta(minutes=2)
    )
    client.get(QUEUE)
    row.refresh_from_db()
    assert row.last_used_at > first_use - datetime.timedelta(minutes=1)


def test_requests_past_the_rate_get_a_429(secretariat, settings):
    settings.SHARAKA_API_WRITE_RATE = "3/m"
    _row, clear = tokens.create_token(secretariat, "eager")
    client = _api(clear, **{"Accept-Language": "fr"})
    assert [client.get(QUEUE).status_code for _ in range(3)] == [200, 200, 200]
    response = client.get(QUEUE)
    assert response.status_code == 429
    assert response.json() == {"detail": "Trop de requêtes : attendez une minute et réessayez."}
    # Counted per account: another person is not slowed down.
    _row, other = tokens.create_token(_other_secretariat(), "calm")
    assert _api(other).get(QUEUE).status_code == 200


def _other_secretariat():
    from apps.accounts.roles import Role
    from apps.accounts.tests.personas import make_user

    return make_user("secretariat-2", Role.SECRETARIAT)
