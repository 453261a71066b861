"""The secretariat's page of sign-in lockouts: it lists the locked accounts and
addresses, unlocks one (audited), after which the person signs in; nobody else sees it
or unlocks. Production numbers (the test settings raise the limit)."""

from __future__ import annotations

import pytest
from axes.models import AccessAttempt
from django.conf import settings as django_settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from apps.accounts.tests.personas import PASSWORD
from apps.core.models import AuditLog

pytestmark = pytest.mark.django_db
# The production number (the test settings raise axes' limit, not this one).
LIMIT = django_settings.SHARAKA_LOGIN_FAILURE_LIMIT

PAGE = "/{lang}/people/lockouts/"


@pytest.fixture(autouse=True)
def _production_numbers(settings):
    settings.AXES_FAILURE_LIMIT = LIMIT


def attempt(login: str, password: str, address: str) -> int:
    client = Client(REMOTE_ADDR=address)
    return client.post("/en/accounts/login/", {"login": login, "password": password}).status_code


def lock_account(username: str, net: int = 100) -> None:
    """Lock ``username`` by guessing from several addresses (of ``198.51.<net>.0/24``:
    one network per account, else the addresses lock before the account)."""
    for i in range(LIMIT):
        attempt(username, "guess", f"198.51.{net}.{i}")
    assert attempt(username, PASSWORD, "203.0.113.1") == 429


def lock_address(address: str) -> None:
    for i in range(LIMIT):
        attempt(f"nobody-{i}", "guess", address)


def staff(user) -> Client:
    client = Client(REMOTE_ADDR="192.0.2.10")
    client.force_login(user)
    return client


def test_the_secretariat_sees_and_unlocks_an_account(secretariat, focal_point_a):
    lock_account("focal_a")
    client = staff(secretariat)
    html = client.get(PAGE.format(lang="fr")).content.decode()
    accounts = html.split('data-testid="locked-accounts"')[1].split("</table>")[0]
    assert f'href="/fr/people/{focal_point_a.pk}/"' in accounts
    assert "198.51.100.0" in accounts
    assert "Comptes bloqués" in html
    response = client.post(PAGE.format(lang="fr"), {"kind": "account", "key": "focal_a"})
    assert response.status_code == 302
    assert (
        "Débloqué : focal_a peut de nouveau se connecter."
        in client.get(response["Location"]).content.decode()
    )
    row = AuditLog.objects.get(action="people.unlock_account")
    assert row.actor == secretariat and row.target_id == focal_point_a.pk
    assert row.before == {"username": "focal_a", "failed_attempts": LIMIT}
    assert attempt("focal_a", PASSWORD, "203.0.113.1") == 302
    assert "No account is locked." in client.get(PAGE.format(lang="en")).content.decode()
    # The person's page tells the story; the people list leads to the page.
    assert "Sign-in unlocked" in client.get(f"/en/people/{focal_point_a.pk}/").content.decode()
    assert 'href="/en/people/lockouts/"' in client.get("/en/people/").content.decode()


def test_the_secretariat_unlocks_an_address(secretariat, focal_point_a):
    lock_address("198.51.100.77")
    assert attempt("focal_a", PASSWORD, "198.51.100.77") == 429
    client = staff(secretariat)
    html = client.get(PAGE.format(lang="en")).content.decode()
    addresses = html.split('data-testid="locked-addresses"')[1].split("</table>")[0]
    assert "198.51.100.77" in addresses and "nobody-0" in addresses
    accounts = html.split('data-testid="locked-accounts"')[1].split("</table>")[0]
    assert "nobody-0" not in accounts  # one failure each: no account is locked
    client.post(PAGE.format(lang="en"), {"kind": "address", "key": "198.51.100.77"})
    assert not AccessAttempt.objects.filter(ip_address="198.51.100.77").exists()
    row = AuditLog.objects.get(action="people.unlock_address")
    assert row.before["ip_address"] == "198.51.100.77"
    assert attempt("focal_a", PASSWORD, "198.51.100.77") == 302


def test_nobody_else_sees_or_unlocks(focal_point_a, committee_member):
    lock_account("focal_a")
    client = staff(committee_member)
    assert client.get(PAGE.format(lang="en")).status_code == 403
    assert (
        client.post(PAGE.format(lang="en"), {"kind": "account", "key": "focal_a"}).status_code
        == 403
    )
    assert attempt("focal_a", PASSWORD, "203.0.113.1") == 429
    assert not AuditLog.objects.filter(action__startswith="people.unlock").exists()
    anonymous = Client().get(PAGE.format(lang="en"))
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]


def test_unlocking_what_is_not_locked_says_so(secretariat):
    client = staff(secretariat)
    response = client.post(
        PAGE.format(lang="en"), {"kind": "account", "key": "nobody"}, follow=True
    )
    assert "This sign-in is no longer locked." in response.content.decode()
    response = client.post(PAGE.format(lang="en"), {"kind": "drop table", "key": "x"}, follow=True)
    assert "Nothing to unlock." in response.content.decode()


def test_the_page_costs_the_same_queries_for_one_lock_or_many(secretariat):
    client = staff(secretariat)
    lock_account("secretariat-x")
    client.get(PAGE.format(lang="en"))
    with CaptureQueriesContext(connection) as one:
        client.get(PAGE.format(lang="en"))
    for n in range(5):
        lock_address(f"198.51.100.{100 + n}")
        lock_account(f"someone-{n}", net=n)
    with CaptureQueriesContext(connection) as many:
        html = client.get(PAGE.format(lang="en")).content.decode()
    assert html.count('data-testid="unlock"') >= 11
    assert len(many) == len(one)
