"""Atom feeds of validated progress updates, per plan and per commitment, in each
language: only validated updates, the latest 50, correct dates, absolute links, the
Arabic original marked where a translation is missing, a fixed number of queries."""

from __future__ import annotations

import datetime

import pytest
from defusedxml import ElementTree as ET
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from apps.tracking import actions
from apps.tracking.feeds import LATEST
from apps.tracking.models import ProgressUpdate, UpdateStatus
from apps.tracking.tests.factories import report, submitted

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
SITE = "https://sharaka.example.org"


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_URL = SITE


def feed_of(path):
    response = Client().get(path)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    return ET.fromstring(response.content)


def paths(activity, lang):
    c = activity.commitment
    return (
        f"/{lang}/plans/{c.plan.slug}/feed/",
        f"/{lang}/plans/{c.plan.slug}/commitments/{c.number}/feed/",
    )


def validated(activity, author, secretariat, progress):
    update = submitted(activity, author, progress)
    return actions.do_validate_update(update, acting_user=secretariat)


def test_only_validated_updates_with_their_dates_and_absolute_links(
    activity, focal_point_a, secretariat, other_activity, focal_point_b
):
    first = validated(activity, focal_point_a, secretariat, 40)
    second = validated(activity, focal_point_a, secretariat, 60)
    actions.do_record_progress(activity, report(70), acting_user=focal_point_a)  # a draft
    returned = submitted(activity, focal_point_a, 80)
    actions.do_return_update(returned, acting_user=secretariat, reason="x")
    submitted(activity, focal_point_a, 90)  # awaiting validation
    for path in paths(activity, "fr"):
        feed = feed_of(path)
        assert feed.tag == f"{ATOM}feed" and feed.get(XML_LANG) == "fr"
        entries = feed.findall(f"{ATOM}entry")
        titles = [e.findtext(f"{ATOM}title") for e in entries]
        assert titles == ["Activité 1 — 60%", "Activité 1 — 40%"]  # latest first
        assert entries[0].findtext(f"{ATOM}updated") == second.validated_at.isoformat()
        assert entries[1].findtext(f"{ATOM}updated") == first.validated_at.isoformat()
        assert feed.findtext(f"{ATOM}updated") == second.validated_at.isoformat()
        summary = entries[0].findtext(f"{ATOM}summary")
        assert "De 40 % à 60 %" in summary and "Engagement" in summary
        hrefs = [link.get("href") for link in feed.iter(f"{ATOM}link")]
        assert hrefs and all(h.startswith(f"{SITE}/fr/") for h in hrefs)
        assert f"{SITE}/fr/tracking/updates/{second.pk}/" in hrefs
        # The entry's page is public, as the update is.
        assert Client().get(f"/fr/tracking/updates/{second.pk}/").status_code == 200
        ids = [e.findtext(f"{ATOM}id") for e in entries]
        assert ids[0] == f"{SITE}/tracking/updates/{second.pk}/"  # one id in every language
    # The other plan's validated update is in neither feed.
    other = validated(other_activity, focal_point_b, secretariat, 15)
    for path in paths(activity, "fr"):
        ids = [e.findtext(f"{ATOM}id") for e in feed_of(path).iter(f"{ATOM}entry")]
        assert len(ids) == 2 and f"{SITE}/tracking/updates/{other.pk}/" not in ids


def test_arabic_in_the_arabic_feed_and_the_fallback_marked(activity, focal_point_a, secretariat):
    validated(activity, focal_point_a, secretariat, 60)
    entry = feed_of(paths(activity, "ar")[1]).find(f"{ATOM}entry")
    title = entry.find(f"{ATOM}title")
    assert title.text == "نشاط 1 — 60%" and title.get(XML_LANG) is None
    # The factory's activities have no English title: the Arabic one, marked.
    entry = feed_of(paths(activity, "en")[1]).find(f"{ATOM}entry")
    title = entry.find(f"{ATOM}title")
    assert title.text == "نشاط 1 — 60%" and title.get(XML_LANG) == "ar"
    assert '<span lang="ar" dir="rtl">' in entry.findtext(f"{ATOM}summary")


def test_a_missing_plan_or_commitment_is_404(activity):
    client = Client()
    assert client.get("/fr/plans/no-such-plan/feed/").status_code == 404
    slug = activity.commitment.plan.slug
    assert client.get(f"/fr/plans/{slug}/commitments/999999/feed/").status_code == 404


def test_the_latest_50_for_a_fixed_number_of_queries(activity, focal_point_a, secretariat):
    def queries(path):
        with CaptureQueriesContext(connection) as ctx:
            assert Client().get(path).status_code == 200
        return len(ctx.captured_queries)

    validated(activity, focal_point_a, secretariat, 30)
    before = [queries(p) for p in paths(activity, "ar")]
    now = timezone.now()
    ProgressUpdate.objects.bulk_create(
        ProgressUpdate(
            activity=activity,
            author=focal_point_a,
            progress=n % 100,
            reported_on=timezone.localdate(),
            language="ar",
            status=UpdateStatus.VALIDATED,
            validated_at=now + datetime.timedelta(minutes=n),
        )
        for n in range(LATEST + 10)
    )
    assert [queries(p) for p in paths(activity, "ar")] == before == [2, 2]
    entries = feed_of(paths(activity, "ar")[0]).findall(f"{ATOM}entry")
    assert len(entries) == LATEST
    assert entries[0].findtext(f"{ATOM}title").endswith(f"{(LATEST + 9) % 100}%")
