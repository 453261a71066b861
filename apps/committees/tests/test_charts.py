"""The charts on the public pages and in the minutes: present with their table in the
three languages, at a fixed cost in queries however many updates there are."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from apps.plans.tests.factories import make_commitment, make_institution, make_plan, make_theme
from apps.tracking.models import ProgressUpdate

pytestmark = pytest.mark.django_db

TITLES = {
    "ar": ("الالتزامات حسب مستوى الإنجاز", "تطور إنجاز الخطة عبر الزمن"),
    "fr": ("Engagements par niveau de réalisation", "Avancement du plan dans le temps"),
    "en": ("Commitments by completion level", "Progress of the plan over time"),
}


def validated_updates(commitment, author, n):
    """``n`` validated updates of the commitment's first activity, one a day."""
    activity = commitment.activities.order_by("order").first()
    start = timezone.now() - datetime.timedelta(days=n + 1)
    ProgressUpdate.objects.bulk_create(
        ProgressUpdate(
            activity=activity,
            author=author,
            status="validated",
            progress=min(100, i),
            previous_progress=max(0, i - 1),
            reported_on=(start + datetime.timedelta(days=i)).date(),
            submitted_at=start + datetime.timedelta(days=i),
            validated_at=start + datetime.timedelta(days=i),
        )
        for i in range(n)
    )


@pytest.fixture
def plan():
    plan = make_plan(slug="charted")
    theme = make_theme(plan)
    institution = make_institution(slug="ministry-charted")
    make_commitment(plan, [(0, 1)], theme=theme, lead_institution=institution)
    make_commitment(plan, [(40, 1), (60, 1)], theme=theme, lead_institution=institution)
    make_commitment(plan, [(100, 1)], end_date=datetime.date(2022, 1, 1))
    return plan


@pytest.mark.parametrize("lang", ["ar", "fr", "en"])
def test_it_shows_the_plan_charts_with_their_tables(client, plan, secretariat, lang):
    validated_updates(
        plan.commitments.get(number=plan.commitments.order_by("number")[1].number), secretariat, 3
    )
    html = client.get(f"/{lang}/plans/charted/").content.decode()
    levels, over_time = TITLES[lang]
    for key in ("levels", "late", "over-time"):
        assert f'data-testid="chart-{key}"' in html
        assert f'data-testid="chart-table-{key}"' in html
    assert levels in html and over_time in html
    assert 'role="img"' in html
    assert f'data-direction="{"rtl" if lang == "ar" else "ltr"}"' in html
    assert "theme-" in html  # a chart per theme


def test_it_counts_late_commitments_by_the_overdue_flag(client, plan):
    make_commitment(plan, [(10, 1)], end_date=datetime.date(2022, 1, 1))
    html = client.get("/en/plans/charted/").content.decode()
    table = html.split('data-testid="chart-table-late"')[1].split("</table>")[0]
    assert '<th scope="row">Late</th><td><bdi>1</bdi></td>' in table
    assert '<th scope="row">Complete</th><td><bdi>1</bdi></td>' in table


@pytest.mark.parametrize("lang", ["ar", "fr", "en"])
def test_it_shows_the_commitment_and_institution_charts(client, plan, secretariat, lang):
    commitment = plan.commitments.order_by("number")[1]
    validated_updates(commitment, secretariat, 2)
    html = client.get(f"/{lang}/plans/charted/commitments/{commitment.number}/").content.decode()
    assert 'data-testid="chart-over-time"' in html and 'data-testid="chart-table-over-time"' in html
    html = client.get(f"/{lang}/institutions/ministry-charted/").content.decode()
    for key in ("institution-levels", "institution-late", "institution-over-time"):
        assert f'data-testid="chart-{key}"' in html


def count(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_over_time_charts_cost_the_same_queries_for_10_and_100_updates(client, plan, secretariat):
    commitment = plan.commitments.order_by("number")[1]
    urls = [
        "/ar/plans/charted/",
        f"/ar/plans/charted/commitments/{commitment.number}/",
        "/ar/institutions/ministry-charted/",
    ]
    validated_updates(commitment, secretariat, 10)
    for url in urls:
        client.get(url)
    ten = [count(client, url) for url in urls]
    ProgressUpdate.objects.all().delete()
    validated_updates(commitment, secretariat, 100)
    hundred = [count(client, url) for url in urls]
    assert hundred == ten
    html = client.get(f"/en/plans/charted/commitments/{commitment.number}/").content.decode()
    assert html.count('data-kind="update"') >= 100


@pytest.mark.parametrize(
    ("lang", "titles"),
    [
        (
            "fr",
            ["Engagements par niveau de réalisation", "Engagements en retard et dans les délais"],
        ),
        ("ar", ["الالتزامات حسب مستوى الإنجاز", "الالتزامات المتأخرة والالتزامات في موعدها"]),
    ],
)
def test_the_minutes_pdf_carries_the_charts(draft, secretariat, lang, titles):
    import io
    import re

    from pypdf import PdfReader

    from apps.committees import actions
    from apps.committees.minutes import build_minutes, minutes_charts, render_pdf
    from apps.committees.models import Meeting, Snapshot

    actions.do_freeze_snapshot(draft, acting_user=secretariat)
    meeting = Meeting.objects.for_page().get(pk=draft.pk)
    snapshot = Snapshot.objects.with_rows().get(meeting=meeting)
    minutes = build_minutes(meeting, snapshot, lang)
    pdf = render_pdf(minutes)
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    # The caption above each chart is HTML text; the bars' labels are drawn in the SVG.
    flat = re.sub(r"\s+", " ", text)
    for title in titles:
        assert title in flat
    # The figures behind the charts, from this module's plan: commitments at 0 %, 50 %
    # and 100 % (the last one past its end date, but complete: not late).
    levels, late, over_time = minutes_charts(minutes)
    assert [row[1] for row in levels.rows] == ["1", "0", "1", "1"]
    assert [row[1] for row in late.rows] == ["0", "2", "1"]
    assert [row[2] for row in over_time.rows] == ["50%"]


def test_a_filtered_list_still_charts_the_whole_plan(client, plan):
    def levels_table(url):
        html = client.get(url).content.decode()
        return html.split('data-testid="chart-table-levels"')[1].split("</table>")[0]

    assert levels_table("/en/plans/charted/?level=complete") == levels_table("/en/plans/charted/")


def test_the_replay_gives_each_day_s_figure_by_the_progress_rule(secretariat):
    """Two activities weighted 1 and 3; the second one's figure before its first
    validated update is the value that update replaced, not its live figure; two
    updates on one day give one point, the day's last figure; a group's figure is the
    plain mean of its commitments'."""
    from apps.tracking.charts import SeriesPoint, progress_series

    plan = make_plan(slug="replayed")
    a = make_commitment(plan, [(60, 1), (40, 3)])
    b = make_commitment(plan, [(100, 1)])
    first, second = a.activities.order_by("order")
    here = timezone.get_current_timezone()
    day1 = datetime.datetime(2025, 3, 4, 10, tzinfo=here)

    def update(activity, at, previous, progress):
        return ProgressUpdate(
            activity=activity,
            author=secretariat,
            status="validated",
            progress=progress,
            previous_progress=previous,
            reported_on=at.date(),
            submitted_at=at,
            validated_at=at,
        )

    ProgressUpdate.objects.bulk_create(
        [
            update(first, day1, 0, 20),
            update(second, day1 + datetime.timedelta(hours=5), 10, 40),
            update(first, day1 + datetime.timedelta(days=2), 20, 60),
        ]
    )
    day0, day3 = datetime.date(2025, 3, 3), datetime.date(2025, 3, 6)
    series = progress_series({a.pk: ["a", "plan"], b.pk: ["plan"]})
    # a: (1×0 + 3×10)/4 before, (20 + 3×40)/4 after the first day, (60 + 3×40)/4 after.
    assert series["a"] == [
        SeriesPoint(day0, 7.5),
        SeriesPoint(day1.date(), 35.0),
        SeriesPoint(day3, 45.0),
    ]
    assert series["plan"] == [
        SeriesPoint(day0, 53.75),
        SeriesPoint(day1.date(), 67.5),
        SeriesPoint(day3, 72.5),
    ]
    # The page's own activities give the same series (one query fewer).
    activities = list(a.activities.all())
    assert progress_series({a.pk: ["a"]}, activities=activities) == {"a": series["a"]}
