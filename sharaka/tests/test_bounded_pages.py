"""Pages bounded by what a person reads (issue 14): a plan of 500 commitments, a
commitment with 1,800 validated updates, hundreds of change requests; every page stays
under 200 KB of HTML and costs the same number of queries as with a handful of rows.
Long lists come a page at a time, with accessible, translated page links that keep the
filters."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.accounts.roles import Role
from apps.accounts.tests.personas import make_user
from apps.committees.actions import do_freeze_snapshot
from apps.committees.tests.factories import make_committee, make_meeting
from apps.plans.models import Activity
from apps.plans.tests.factories import make_institution, make_plan
from apps.tracking.tests.scale import grow_change_requests, grow_history, grow_plan

LIMIT = 200 * 1024


def get(client, url):
    """The page's HTML and the number of queries it cost."""
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode(), len(ctx.captured_queries)


@pytest.fixture
def people(ministry_a, focal_point_a):
    institutions = [ministry_a] + [make_institution() for _ in range(4)]
    focal_points = [focal_point_a] + [
        make_user(f"fp{i}", Role.FOCAL_POINT, institution=inst)
        for i, inst in enumerate(institutions[1:])
    ]
    return {"institutions": institutions, "focal_points": focal_points}


def test_public_pages_stay_small_and_cost_the_same_at_500_commitments_and_1800_updates(
    client, people, secretariat, focal_point_a
):
    plan = make_plan(slug="big")
    first = grow_plan(plan, range(1, 11), secretariat=secretariat, **people)[0]
    grow_history(first, 20, author=focal_point_a, secretariat=secretariat)
    urls = [
        "/ar/plans/big/",
        "/ar/plans/big/commitments/1/",
        "/fr/plans/big/?sort=progress",
        f"/ar/institutions/{people['institutions'][0].slug}/",
    ]
    for url in urls:
        client.get(url)
    small = {url: get(client, url)[1] for url in urls}
    grow_plan(plan, range(11, 501), secretariat=secretariat, **people)
    grow_history(first, 1780, author=focal_point_a, secretariat=secretariat)
    for url in urls:
        html, queries = get(client, url)
        assert queries == small[url], url
        assert len(html.encode()) < LIMIT, (url, len(html.encode()))
    plan_page = get(client, "/ar/plans/big/")[0]
    assert plan_page.count("data-number=") == 50
    # The caption counts every commitment kept, not only the page's.
    table = plan_page.split('id="commitments"', 1)[1]
    assert "500" in table.split("</caption>", 1)[0]
    # The institution leads 100 of them: 50 on its page, the others a page further.
    led = get(client, urls[-1] + "?led=2")[0]
    assert led.count('class="progress progress-sharaka"') == 50
    assert 'aria-label="صفحات الالتزامات التي تقودها"' in led
    commitment = get(client, "/ar/plans/big/commitments/1/")[0]
    # The progress over time keeps one point per period, said under the chart.
    assert commitment.count('class="chart-point" data-kind="update"') <= 121
    assert "آخر رقم في كل فترة" in commitment


def test_the_plan_page_stays_small_with_a_long_history_in_every_theme(
    client, people, secretariat, focal_point_a
):
    """A plan of 28 commitments in 6 themes, each theme with 400 days of validated
    updates: one progress-over-time chart for the plan and one per theme, every one with
    its table of figures, and the page still under 200 KB, in every language."""
    plan = make_plan(slug="long")
    commitments = grow_plan(plan, range(1, 29), secretariat=secretariat, themes=6, **people)
    for commitment in commitments[:6]:  # one of each theme
        grow_history(commitment, 400, author=focal_point_a, secretariat=secretariat)
    for lang in ("ar", "fr", "en"):
        html, _queries = get(client, f"/{lang}/plans/long/")
        assert len(html.encode()) < LIMIT, (lang, len(html.encode()))
        themes = re.findall(r'data-testid="chart-table-(theme-\d+-over-time)"', html)
        assert len(themes) == 6, themes
        assert 'data-testid="chart-table-over-time"' in html
        # Each chart still draws the whole period and says how its points were chosen.
        assert html.count('class="chart-note') == 7
    assert html.count('role="img"') >= 8  # the levels, the plan's and the 6 themes' charts


def test_the_plan_pages_keep_the_filters_and_the_order_across_pages(client, people, secretariat):
    plan = make_plan(slug="big")
    grow_plan(plan, range(1, 121), secretariat=secretariat, **people)
    first = get(client, "/fr/plans/big/?sort=-progress")[0]
    second = get(client, "/fr/plans/big/?sort=-progress&page=2")[0]
    nav = second.split('data-testid="pagination"', 1)[1].split("</nav>", 1)[0]
    # Page links keep the sorting, the current page is marked, the labels are French.
    assert 'href="?sort=-progress&amp;page=3"' in nav and 'rel="next"' in nav
    assert 'aria-current="page"><span class="page-link"><bdi>2</bdi>' in nav
    assert (
        "Précédent" in nav and "Suivant" in nav and "Page <bdi>2</bdi> sur <bdi>3</bdi>" in second
    )
    assert 'href="?sort=-progress"' in nav  # page 1 is the address without ?page=

    def progress(html):
        return [
            int(v) for v in re.findall(r'aria-valuenow="(\d+)"', html.split('id="commitments"')[1])
        ]

    # Most advanced first, continuing from one page to the next; no row twice.
    values = progress(first) + progress(second)
    assert values == sorted(values, reverse=True) and len(values) == 100
    numbers = re.findall(r'<tr data-number="(\d+)"', first + second)
    assert len(set(numbers)) == 100
    # Plan order comes theme by theme, each theme headed once on a page.
    plain = get(client, "/ar/plans/big/")[0]
    headings = re.findall(r'data-testid="theme-heading">([^<]+)<', plain)
    assert len(headings) == len(set(headings)) > 1
    # A page past the end shows the last one; a page that is no number the first.
    assert "Page <bdi>3</bdi> sur <bdi>3</bdi>" in get(client, "/fr/plans/big/?page=99")[0]
    assert "Page <bdi>1</bdi> sur <bdi>3</bdi>" in get(client, "/fr/plans/big/?page=x")[0]


def test_secretariat_pages_stay_small_and_cost_the_same_at_500_commitments(
    client, people, secretariat
):
    plan = make_plan(slug="big")
    grow_plan(plan, range(1, 6), secretariat=secretariat, **people)
    grow_change_requests(list(Activity.objects.filter(commitment__plan=plan)), 3, by=secretariat)
    client.force_login(secretariat)
    urls = [
        "/ar/plans/big/",
        "/ar/tracking/dashboard/?plan=big",
        "/ar/tracking/queue/",
        "/ar/tracking/change-requests/",
    ]
    for url in urls:
        client.get(url)
    small = {url: get(client, url)[1] for url in urls}
    grow_plan(plan, range(6, 501), secretariat=secretariat, **people)
    grow_change_requests(list(Activity.objects.filter(commitment__plan=plan)), 300, by=secretariat)
    for url in urls:
        html, queries = get(client, url)
        assert queries == small[url], url
        assert len(html.encode()) < LIMIT, (url, len(html.encode()))
        assert 'aria-current="page"' in html, url
    # A meeting's page with a snapshot of the 500 commitments: a page of its rows.
    committee = make_committee(plan)
    meeting = make_meeting(committee)
    do_freeze_snapshot(meeting, acting_user=secretariat)
    html = get(client, f"/ar/meetings/{meeting.pk}/?rows=10")[0]
    assert len(html.encode()) < LIMIT and html.count("<tr data-number=") == 50
    assert 'aria-label="صفحات لقطة التقدم"' in html and "<bdi>10</bdi> من <bdi>10</bdi>" in html
    board = get(client, "/ar/tracking/dashboard/?plan=big&stale=2")[0]
    nav = board.split('data-testid="pagination-stale"', 1)[1].split("</nav>", 1)[0]
    assert 'href="?plan=big&amp;stale=3"' in nav and "التالي" in nav
    # The counts stay the whole plan's.
    assert 'data-testid="stale-count"><bdi>500</bdi>' in board
    requests = get(client, "/ar/tracking/change-requests/?since=2020-01-01&pending=2")[0]
    nav = requests.split('data-testid="pagination-pending"', 1)[1].split("</nav>", 1)[0]
    assert "since=2020-01-01" in nav
    assert '<nav class="pagination-nav" aria-label="صفحات طلبات التعديل قيد الانتظار"' in requests


def test_my_commitments_come_a_page_at_a_time(client, people, secretariat, focal_point_a):
    plan = make_plan(slug="mine")
    mine = {"institutions": people["institutions"][:1], "focal_points": [focal_point_a]}
    grow_plan(plan, range(1, 3), secretariat=secretariat, **mine)
    client.force_login(focal_point_a)
    client.get("/ar/tracking/my/")
    few = get(client, "/ar/tracking/my/")[1]
    grow_plan(plan, range(3, 61), secretariat=secretariat, **mine)
    html, queries = get(client, "/ar/tracking/my/")
    assert queries == few and len(html.encode()) < LIMIT
    assert html.count("data-commitment=") == 20
    last = get(client, "/ar/tracking/my/?page=3")[0]
    assert 'data-commitment="60"' in last and "الصفحة <bdi>3</bdi> من <bdi>3</bdi>" in last
