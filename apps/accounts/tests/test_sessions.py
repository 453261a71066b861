"""Ending a person's sessions: each sign-in is recorded; ending them signs the person
out everywhere, or everywhere but here."""

from __future__ import annotations

import pytest
from django.test import Client

from apps.accounts.sessions import end_sessions
from apps.accounts.tests.personas import PASSWORD

pytestmark = pytest.mark.django_db


def _signed_in(user) -> Client:
    client = Client()
    response = client.post("/en/accounts/login/", {"login": user.username, "password": PASSWORD})
    assert response.status_code == 302
    return client


def test_ending_sessions_signs_the_person_out_everywhere_but_kept_one(focal_point_a):
    here, elsewhere = _signed_in(focal_point_a), _signed_in(focal_point_a)
    kept = here.session.session_key

    assert end_sessions(focal_point_a, keep=kept) == 1

    assert here.get("/en/accounts/profile/").status_code == 200
    assert elsewhere.get("/en/accounts/profile/").status_code == 302
    assert end_sessions(focal_point_a) == 1
    assert here.get("/en/accounts/profile/").status_code == 302


def _browser(user, agent: str) -> Client:
    client = Client(HTTP_USER_AGENT=agent)
    assert (
        client.post("/en/accounts/login/", {"login": user.username, "password": PASSWORD})
    ).status_code == 302
    return client


def test_the_profile_lists_the_persons_sessions_and_ends_one(focal_point_a, focal_point_b):
    here = _browser(focal_point_a, "Firefox on the office computer")
    phone = _browser(focal_point_a, "Safari on a phone")
    _browser(focal_point_b, "Someone else's browser")
    page = here.get("/fr/accounts/profile/").content.decode()
    assert "Firefox on the office computer" in page and "Safari on a phone" in page
    assert "Someone else" not in page and "127.0.0.1" in page
    assert "Cette session" in page and "Vos sessions" in page
    from allauth.usersessions.models import UserSession

    other = UserSession.objects.get(user=focal_point_a, user_agent="Safari on a phone")
    response = here.post(f"/fr/accounts/profile/sessions/{other.pk}/end/", follow=True)
    assert "La session a été fermée." in response.content.decode()
    assert phone.get("/en/accounts/profile/").status_code == 302
    assert here.get("/en/accounts/profile/").status_code == 200
    # Someone else's session, or one's own current one, cannot be ended from here.
    theirs = UserSession.objects.get(user=focal_point_b)
    assert here.post(f"/en/accounts/profile/sessions/{theirs.pk}/end/").status_code == 404
    mine = UserSession.objects.get(session_key=here.session.session_key)
    assert here.post(f"/en/accounts/profile/sessions/{mine.pk}/end/").status_code == 404


def test_ending_all_other_sessions_from_the_profile(focal_point_a):
    here = _browser(focal_point_a, "A")
    others = [_browser(focal_point_a, "B"), _browser(focal_point_a, "C")]
    response = here.post("/ar/accounts/profile/sessions/end-others/", follow=True)
    assert "أُنهيت جلستان أخريان." in response.content.decode()
    assert [c.get("/ar/accounts/profile/").status_code for c in others] == [302, 302]
    assert here.get("/ar/accounts/profile/").status_code == 200


def test_a_session_ends_after_the_idle_time_and_activity_keeps_it(settings, focal_point_a):
    import time

    settings.SESSION_COOKIE_AGE = 3  # seconds, for the test (minutes in production)
    settings.SHARAKA_SESSION_REFRESH_SECONDS = 1
    client = _signed_in(focal_point_a)
    time.sleep(1.5)
    assert client.get("/en/accounts/profile/").status_code == 200  # activity: pushed back
    time.sleep(2)  # past the sign-in's expiry, not past the last request's
    assert client.get("/en/accounts/profile/").status_code == 200
    time.sleep(3.5)  # idle
    assert client.get("/en/accounts/profile/").status_code == 302


def test_a_signed_in_page_writes_nothing_between_refreshes(focal_point_a):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = _signed_in(focal_point_a)
    client.get("/en/accounts/profile/")
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/en/plans/").status_code == 200
    writes = [
        q["sql"] for q in queries.captured_queries if q["sql"].split()[0] in {"UPDATE", "INSERT"}
    ]
    assert writes == []


def test_the_profile_costs_the_same_queries_with_one_or_many_sessions(focal_point_a):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    here = _signed_in(focal_point_a)

    def count() -> int:
        here.get("/en/accounts/profile/")
        with CaptureQueriesContext(connection) as queries:
            assert here.get("/en/accounts/profile/").status_code == 200
        return len(queries)

    one = count()
    for agent in ("B", "C", "D", "E"):
        _browser(focal_point_a, agent)
    assert count() == one
