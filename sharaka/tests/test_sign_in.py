"""The one sign-in (django-allauth): a username or an e-mail address, the person's
language after signing in, failed attempts throttled, sign-out, password reset by mail
in the person's language (to a real local SMTP server) and password change."""

from __future__ import annotations

import re

import pytest
from django.conf import settings as django_settings
from django.test import Client

from apps.accounts.tests.personas import PASSWORD
from apps.tracking.tests.test_mail import body, smtp  # noqa: F401 - the real SMTP fixture

pytestmark = pytest.mark.django_db
# The production number (the test settings raise axes' limit, not this one).
LIMIT = django_settings.SHARAKA_LOGIN_FAILURE_LIMIT

NEW = "une phrase de passe assez longue 42"


def sign_in(client: Client, login: str, password: str = PASSWORD, lang: str = "ar", **extra):
    return client.post(f"/{lang}/accounts/login/", {"login": login, "password": password, **extra})


@pytest.mark.parametrize("lang", ["ar", "fr", "en"])
def test_the_sign_in_page_is_ours_in_three_languages(client, lang):
    page = client.get(f"/{lang}/accounts/login/").content.decode()
    assert f'lang="{lang}"' in page and 'id="id_login"' in page and 'id="id_password"' in page
    assert ('dir="rtl"' in page) == (lang == "ar")
    assert "bootstrap" in page and 'class="form-control' in page
    assert {
        "ar": "اسم المستخدم أو عنوان البريد الإلكتروني",
        "fr": "Nom d’utilisateur ou adresse e-mail",
        "en": "Username or e-mail address",
    }[lang] in page.replace("&#x27;", "’")


def test_staff_sign_in_with_their_username_or_their_address(focal_point_a):
    assert sign_in(Client(), "focal_a").status_code == 302
    assert sign_in(Client(), "focal_a@example.org").status_code == 302


def test_signing_in_leads_to_the_page_asked_in_the_preferred_language(focal_point_b):
    response = sign_in(Client(), "focal_b", next="/ar/tracking/my/")
    assert response["Location"] == "/fr/tracking/my/"


def test_a_wrong_password_is_refused_then_locked_out(settings, focal_point_a):
    """With the production numbers (apps/accounts/tests/test_lockout.py has the rest)."""

    settings.AXES_FAILURE_LIMIT = settings.SHARAKA_LOGIN_FAILURE_LIMIT
    client = Client()
    for _ in range(LIMIT - 1):
        response = sign_in(client, "focal_a", "wrong", lang="fr")
        assert response.status_code == 200
        assert not response.wsgi_request.user.is_authenticated
    assert "Nom d’utilisateur ou mot de passe incorrect." in response.content.decode()
    assert sign_in(client, "focal_a", "wrong", lang="fr").status_code == 429
    locked = sign_in(client, "focal_a", PASSWORD, lang="fr")
    assert locked.status_code == 429 and not locked.wsgi_request.user.is_authenticated
    assert "Trop de tentatives de connexion échouées" in locked.content.decode()


def test_sign_out_is_a_post(focal_point_a):
    client = Client()
    sign_in(client, "focal_a")
    assert client.get("/ar/accounts/profile/").status_code == 200
    assert client.post("/ar/accounts/logout/").status_code == 302
    assert client.get("/ar/accounts/profile/").status_code == 302


def test_password_reset_by_mail_in_the_persons_language(smtp, focal_point_b):  # noqa: F811
    client = Client()
    response = client.post("/ar/accounts/password/reset/", {"email": "focal_b@example.org"})
    assert response.status_code == 302
    (message,) = smtp.to("focal_b@example.org")
    assert "mot de passe" in message["Subject"]
    text = body(message)
    assert "réinitialisation" in text
    link = re.search(r"https?://[^/\s]+(/\S+/password/reset/key/\S+/)", text).group(1)
    assert link.startswith("/fr/accounts/")
    form = client.get(link, follow=True)
    assert form.status_code == 200
    response = client.post(form.redirect_chain[-1][0], {"password1": NEW, "password2": NEW})
    assert response.status_code == 302
    assert sign_in(Client(), "focal_b", NEW).status_code == 302
    assert sign_in(Client(), "focal_b", PASSWORD).status_code == 200


def test_a_reset_link_works_once(smtp, focal_point_a):  # noqa: F811
    client = Client()
    client.post("/en/accounts/password/reset/", {"email": "focal_a@example.org"})
    (message,) = smtp.to("focal_a@example.org")
    link = re.search(r"https?://[^/\s]+(/\S+/password/reset/key/\S+/)", body(message)).group(1)
    assert link.startswith("/ar/accounts/")
    form = client.get(link, follow=True)
    client.post(form.redirect_chain[-1][0], {"password1": NEW, "password2": NEW})
    again = Client().get(link, follow=True).content.decode()
    assert "رابط إعادة تعيين كلمة المرور غير صالح" in again


def test_the_password_is_changed_from_the_profile(focal_point_a):
    client = Client()
    sign_in(client, "focal_a")
    profile = client.get("/ar/accounts/profile/").content.decode()
    assert "/ar/accounts/password/change/" in profile
    response = client.post(
        "/ar/accounts/password/change/",
        {"oldpassword": PASSWORD, "password1": NEW, "password2": NEW},
    )
    assert response.status_code == 302
    assert client.get("/ar/accounts/profile/").status_code == 200  # still signed in
    assert sign_in(Client(), "focal_a", NEW).status_code == 302


def test_the_old_sign_in_names_still_lead_to_allauth():
    from django.urls import reverse

    assert reverse("login") == reverse("account_login") == "/ar/accounts/login/"
    assert reverse("logout") == reverse("account_logout")


def test_an_overlong_login_is_refused_not_looked_up(focal_point_a):
    response = sign_in(Client(), "x" * (1024 * 1024), lang="en")
    assert response.status_code == 200
    assert "at most 254 characters" in response.content.decode()


def test_the_administration_has_no_sign_in_of_its_own(superuser, focal_point_a):
    """Django's admin login would take a password alone: it leads to allauth's."""
    client = Client()
    response = client.get("/ar/admin/login/?next=/ar/admin/plans/")
    assert response["Location"] == "/ar/accounts/login/?next=/ar/admin/plans/"
    posted = client.post("/ar/admin/login/", {"username": "admin", "password": PASSWORD})
    assert posted.status_code == 302 and "/accounts/login/" in posted["Location"]
    assert client.get("/ar/admin/").status_code == 302  # not signed in
    evil = client.get("/ar/admin/login/?next=https://evil.example/")
    assert "evil.example" not in evil["Location"]
    sign_in(client, "admin")
    assert client.get("/ar/admin/login/")["Location"] == "/ar/admin/"
    assert client.get("/ar/admin/").status_code == 200
    focal = Client()
    sign_in(focal, "focal_a")
    assert focal.get("/ar/admin/login/").status_code == 403
