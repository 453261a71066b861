"""Citizens' accounts (django-allauth) beside the staff's: register with an e-mail
address verified by a link, then sign in on the one sign-in page; sign-up is rate
limited per address; staff still sign in with their username."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.test import Client

from apps.accounts.models import User
from apps.accounts.tests.personas import PASSWORD

pytestmark = pytest.mark.django_db

SECRET = "a long and unusual passphrase 42"


def sign_up(client: Client, address: str, lang: str = "fr"):
    return client.post(
        f"/{lang}/accounts/signup/",
        {"email": address, "password1": SECRET, "password2": SECRET},
    )


@pytest.mark.parametrize("lang", ["ar", "fr", "en"])
def test_a_citizen_registers_and_confirms_by_a_link(lang):
    client = Client()
    page = client.get(f"/{lang}/accounts/signup/").content.decode()
    assert f'lang="{lang}"' in page and 'id="id_email"' in page
    mail.outbox.clear()
    response = sign_up(client, "amina@example.org", lang)
    assert response.status_code == 302 and "/accounts/confirm-email/" in response["Location"]
    user = User.objects.get(email="amina@example.org")
    assert user.preferred_language == lang
    (message,) = mail.outbox
    link = re.search(r"http://testserver(/\S+/confirm-email/\S+/)", message.body).group(1)
    # Not verified yet: signing in sends the link again and says so.
    refused = Client().post(
        f"/{lang}/accounts/login/", {"login": "amina@example.org", "password": SECRET}
    )
    assert refused.status_code == 302 and "/accounts/confirm-email/" in refused["Location"]
    assert not refused.wsgi_request.user.is_authenticated
    Client().get(link)
    assert user.emailaddress_set.get().verified
    signed = Client().post(
        f"/{lang}/accounts/login/", {"login": "amina@example.org", "password": SECRET}
    )
    assert signed.status_code == 302


def test_the_unverified_message_is_translated():
    sign_up(Client(), "karim@example.org")
    page = (
        Client()
        .post(
            "/ar/accounts/login/",
            {"login": "karim@example.org", "password": SECRET},
            follow=True,
        )
        .content.decode()
    )
    assert "التحقق من البريد الإلكتروني" in page


def test_staff_still_sign_in_with_their_username(secretariat):
    response = Client().post("/ar/accounts/login/", {"login": "secretariat", "password": PASSWORD})
    assert response.status_code == 302


def test_sign_up_is_rate_limited_per_address(settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "signup": "2/h/ip"}
    statuses = [sign_up(Client(), f"p{i}@example.org").status_code for i in range(3)]
    assert statuses == [302, 302, 429]
    assert User.objects.count() == 2
