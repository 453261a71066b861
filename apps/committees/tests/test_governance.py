"""Governance figures on a made-up series of meetings, in a fixed number of queries."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.accounts import system_user
from apps.committees import actions
from apps.committees.governance import governance_figures
from apps.committees.tests.factories import at, make_committee, make_meeting, make_member, publish
from apps.plans.tests.factories import make_institution

pytestmark = pytest.mark.django_db

P, R, A, E = "present", "remote", "absent", "excused"


def series(committee, gov, cso, gov2, meetings=4):
    """Four members over ``meetings`` meetings, with a known attendance pattern."""
    sara = make_member(committee, gov, name="سارة")
    amal = make_member(committee, gov2, name="أمل")
    youssef = make_member(committee, cso, name="يوسف")
    expert = make_member(committee, None, name="محاسن", affiliation_ar="خبيرة")
    pattern = [
        {sara: P, amal: A, youssef: R, expert: P},
        {sara: P, amal: E, youssef: A, expert: R},
        {sara: R, amal: A, youssef: A, expert: P},
        {sara: A, amal: P, youssef: P, expert: P},
    ]
    dates = [at(2022, 2, 1), at(2022, 11, 15), at(2023, 3, 28), at(2023, 3, 30)]
    result = []
    for i in range(meetings):
        meeting = make_meeting(committee, dates[i % 4] + datetime.timedelta(days=400 * (i // 4)))
        from apps.committees.models import Invitation

        for order, inst in enumerate([gov, gov2, cso], start=1):
            Invitation.objects.create(meeting=meeting, institution=inst, order=order)
        actions.do_record_attendance(
            meeting, {m.pk: s for m, s in pattern[i % 4].items()}, acting_user=system_user()
        )
        result.append(meeting)
    return (sara, amal, youssef, expert), result


@pytest.fixture
def institutions(db):
    return (
        make_institution(slug="g1", kind="government"),
        make_institution(slug="c1", kind="civil_society"),
        make_institution(slug="g2", kind="government"),
    )


def test_attendance_rates_per_member_and_institution(plan, institutions):
    gov, cso, gov2 = institutions
    committee = make_committee(plan)
    (sara, amal, youssef, expert), meetings = series(committee, gov, cso, gov2)
    figures = governance_figures(committee, today=datetime.date(2023, 12, 31))
    rates = {m.name: (m.attended, m.recorded, m.rate) for m in figures.members}
    assert rates["سارة"] == (3, 4, 75.0)
    assert rates["أمل"] == (1, 4, 25.0)  # excused counts as not attended
    assert rates["يوسف"] == (2, 4, 50.0)  # remote counts as attended
    assert rates["محاسن"] == (4, 4, 100.0)
    by_name = {i["name"]: (i["attended"], i["invited"], i["rate"]) for i in figures.institutions}
    assert by_name[gov.name] == (3, 4, 75.0)
    assert by_name[gov2.name] == (1, 4, 25.0)
    assert by_name[cso.name] == (2, 4, 50.0)


def test_presence_per_meeting_by_seat(plan, institutions):
    gov, cso, gov2 = institutions
    committee = make_committee(plan)
    series(committee, gov, cso, gov2)
    figures = governance_figures(committee, today=datetime.date(2023, 12, 31))
    presence = [
        (m.government, m.civil_society, m.independent, m.remote, m.present)
        for m in figures.meetings
    ]
    assert presence == [(1, 1, 1, 1, 3), (1, 0, 1, 1, 2), (1, 0, 1, 1, 2), (1, 1, 1, 0, 3)]


def test_meetings_per_six_months_and_days_to_publication(plan, institutions):
    gov, cso, gov2 = institutions
    committee = make_committee(plan)
    _, meetings = series(committee, gov, cso, gov2)
    publish(meetings[2], at(2023, 4, 11))
    publish(meetings[3], at(2023, 4, 21))
    figures = governance_figures(committee, today=datetime.date(2023, 12, 31))
    assert [(h.label, h.meetings, h.meets_standard) for h in figures.half_years] == [
        ("2022-H1", 1, True),
        ("2022-H2", 1, True),
        ("2023-H1", 2, True),
        ("2023-H2", 0, False),  # the plan runs to December 2023: no meeting, below OGP's rule
    ]
    assert [m.days_to_publication for m in figures.meetings] == [None, None, 14, 22]
    assert figures.mean_days_to_publication == 18


def test_the_figures_cost_a_fixed_number_of_queries(client, plan, institutions):
    gov, cso, gov2 = institutions
    small, large = make_committee(plan, slug="small"), make_committee(plan, slug="large")
    series(small, gov, cso, gov2, meetings=2)
    series(large, gov, cso, gov2, meetings=8)
    for m in large.meetings.all()[:3]:
        publish(m)
    counts = []
    for committee in (small, large):
        with CaptureQueriesContext(connection) as queries:
            governance_figures(committee)
        counts.append(len(queries))
        with CaptureQueriesContext(connection) as page:
            assert client.get(f"/ar/committees/{committee.slug}/").status_code == 200
        counts.append(len(page))
    assert counts[0] == counts[2] <= 4
    assert counts[1] == counts[3]


def test_the_committee_page_shows_the_figures(client, plan, institutions, secretariat):
    gov, cso, gov2 = institutions
    committee = make_committee(plan, slug="steering")
    _, meetings = series(committee, gov, cso, gov2)
    # The public counts only meetings whose minutes (and so attendance) are published.
    public = client.get("/ar/committees/steering/").content.decode()
    assert "<bdi>75%</bdi>" not in public and "data-meeting=" not in public
    publish(meetings[0])
    public = client.get("/ar/committees/steering/").content.decode()
    assert public.count("data-meeting=") == 1 and "<bdi>100%</bdi>" in public
    client.force_login(secretariat)
    html = client.get("/ar/committees/steering/").content.decode()
    assert "<bdi>75%</bdi>" in html and "<bdi>25%</bdi>" in html
    assert 'data-half="2022-H1"' in html and html.count("data-meeting=") == 4
