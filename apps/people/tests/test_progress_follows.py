"""The follows of a plan's progress (apps/tracking/follow.py) are personal data: listed
in "My data" and its download, removed by erasure (the account's and those given as
one of its addresses), and the privacy page says what is kept and how long."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import timezone

from apps.accounts.tests.personas import PASSWORD
from apps.people import privacy
from apps.tracking import follow
from apps.tracking.models import Follow
from apps.tracking.tests.factories import make_activity

pytestmark = pytest.mark.django_db


def test_my_data_lists_the_follows_and_erasure_removes_them(citizen, ministry_a):
    commitment = make_activity(ministry_a).commitment
    follow.do_follow(commitment, acting_user=citizen)
    Follow.objects.create(
        plan=commitment.plan,
        email="citizen@example.org",
        language="ar",
        key="k" * 22,
        created_at=timezone.now(),
        confirmed_at=timezone.now(),
    )
    other = Follow.objects.create(
        plan=commitment.plan,
        email="someone@example.org",
        language="ar",
        key="k" * 22,
        created_at=timezone.now(),
    )
    data = privacy.personal_data(citizen)["progress_follows"]
    assert [(f["commitment"], f["email"]) for f in data] == [
        (commitment.number, None),
        (None, "citizen@example.org"),
    ]
    client = Client()
    client.force_login(citizen)
    page = client.get("/fr/account/data/").content.decode()
    assert 'data-testid="progress-follows">2<' in page
    privacy.do_erase_person(acting_user=citizen, password=PASSWORD)
    assert list(Follow.objects.all()) == [other]


def test_the_privacy_page_says_what_a_follow_keeps_and_how_long():
    client = Client()
    for lang, words in (
        ("ar", ("كل من يتابع خطة أو التزامًا", "بعد 7 أيام")),
        ("fr", ("Toute personne qui suit un plan", "après 7 jours")),
        ("en", ("Anyone who follows a plan", "after 7 days")),
    ):
        page = client.get(f"/{lang}/privacy/").content.decode()
        assert all(w in page for w in words), lang
