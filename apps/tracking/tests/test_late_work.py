"""Late work singled out: the plan page filters and sorts its commitments by flag and
level, says which are late in words and explains every flag on the page; the
methodology explains them; an institution's page lists what it owes and since when."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from apps.core.languages import LANGUAGES
from apps.plans.models import ActionPlan, Activity
from apps.plans.tests.factories import make_commitment, make_plan
from apps.tracking import actions
from apps.tracking.flags import Flag
from apps.tracking.models import ProgressUpdate
from apps.tracking.tests.factories import assign, report

pytestmark = pytest.mark.django_db


def _validate(activity, progress, *, author, by, at=None):
    update = actions.do_record_progress(activity, report(progress), acting_user=author, submit=True)
    actions.do_validate_update(update, acting_user=by)
    if at is not None:
        ProgressUpdate.objects.filter(pk=update.pk).update(validated_at=at)
    return update


@pytest.fixture
def plan(ministry_a, ministry_b, focal_point_a, focal_point_b, secretariat):
    """Four commitments: 1 overdue, not updated since 1 March 2022 and without progress;
    2 up to date (60%, validated today); 3 never updated (0%, no end date); 4 complete."""
    plan = make_plan(slug="late")
    one = make_commitment(plan, [(10, 1)], number=1, lead_institution=ministry_a)
    Activity.objects.filter(commitment=one).update(end_date=datetime.date(2022, 6, 30))
    two = make_commitment(plan, [(20, 1)], number=2, lead_institution=ministry_b)
    three = make_commitment(plan, [(0, 1)], number=3, lead_institution=ministry_a)
    make_commitment(plan, [(100, 1)], number=4, lead_institution=ministry_b)
    assign(one, focal_point_a, secretariat)
    assign(three, focal_point_a, secretariat)
    assign(two, focal_point_b, secretariat)
    old = datetime.datetime(2022, 3, 1, 10, tzinfo=datetime.UTC)
    # 10% → 10%: reported and validated long ago, no change since.
    _validate(one.activities.get(), 10, author=focal_point_a, by=secretariat, at=old)
    _validate(two.activities.get(), 60, author=focal_point_b, by=secretariat)
    return plan


def numbers(response):
    return [c.number for c in response.context["commitments"]]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", [1, 2, 3, 4]),
        ("flag=overdue", [1]),
        ("flag=not_updated", [1, 3]),
        ("flag=no_progress", [1, 3]),
        ("sort=progress", [3, 1, 2, 4]),
        ("sort=-progress", [4, 2, 1, 3]),
        ("sort=late", [1, 3, 2, 4]),
        ("flag=not_updated&sort=progress", [3, 1]),
        ("level=complete", [4]),
        ("level=complete&flag=overdue", []),
    ],
)
def test_it_filters_and_sorts_by_flag_and_level(client, plan, query, expected):
    response = client.get(f"/en/plans/late/?{query}")
    assert response.status_code == 200
    assert numbers(response) == expected


@pytest.mark.parametrize(
    "query",
    [
        "flag=<script>alert(1)</script>",
        "flag=overdue' OR 1=1 --",
        "flag=pending_change_request",  # the public does not see change requests
        "sort=DROP TABLE plans",
        "sort=%00",
        "flag=" + "x" * 5000,
        "flag[]=overdue",
        "sort=progress&flag=nope",
    ],
)
def test_hostile_or_unknown_values_are_left_out_with_a_message(client, plan, query):
    response = client.get(f"/fr/plans/late/?{query}")
    assert response.status_code == 200
    html = response.content.decode()
    main = html.split("<main", 1)[1]
    assert "<script>alert" not in main
    if "flag[]" in query:  # an unknown parameter is simply ignored
        assert numbers(response) == [1, 2, 3, 4]
        return
    assert 'data-testid="filters-ignored"' in html and "invalid-feedback" in html
    # The filters understood still apply.
    expected = [3, 1, 2, 4] if query.startswith("sort=progress") else [1, 2, 3, 4]
    if query.startswith("sort=DROP") or query.startswith("sort=%00"):
        expected = [1, 2, 3, 4]
    assert numbers(response) == expected


def test_the_committee_filters_by_pending_change_request_the_public_does_not(
    client, plan, committee_member
):
    activity = plan.commitments.get(number=2).activities.get()
    actions.do_propose_change(
        activity, acting_user=committee_member, progress=80, justification="تقدم ملحوظ"
    )
    public = client.get("/en/plans/late/").content.decode()
    assert 'data-flag="pending_change_request"' not in public
    client.force_login(committee_member)
    response = client.get("/en/plans/late/?flag=pending_change_request")
    assert numbers(response) == [2]
    assert 'data-flag="pending_change_request"' in response.content.decode()


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_flags_are_explained_on_the_page_and_late_ones_say_so(client, plan, lang):
    html = client.get(f"/{lang}/plans/late/").content.decode()
    legend = html.split('id="flags-legend"', 1)[1].split("</section>", 1)[0]
    legend = legend.replace("&#x27;", "'")
    with translation.override(lang):
        for flag in (Flag.NOT_UPDATED, Flag.NO_PROGRESS, Flag.OVERDUE):
            assert str(flag.label) in legend and str(flag.help) in legend
        late = translation.pgettext("commitments", "Late")
    with translation.override("en"):
        english = str(Flag.OVERDUE.help)
    assert (english in legend) == (lang == "en")
    # Counts link to the filter, and the late ones are counted above the table.
    assert "?flag=overdue" in legend and "<bdi>1</bdi>" in legend
    assert 'data-testid="late-summary"' in legend
    # The late row says it in words (not by colour alone); the others do not.
    rows = html.split('id="commitments"', 1)[1].split("</table>", 1)[0].split("<tr ")
    row = {r.split('data-number="', 1)[1].split('"', 1)[0]: r for r in rows if "data-number" in r}
    assert 'class="is-late"' in row["1"] and f"</span> {late}</span>" in row["1"]
    assert "late-marker" not in row["2"] and "late-marker" not in row["3"]


def test_an_ended_plan_offers_no_flag_to_filter(client, plan):
    ActionPlan.objects.filter(pk=plan.pk).update(period_end=datetime.date(2023, 12, 31))
    response = client.get("/en/plans/late/?flag=overdue")
    assert response.status_code == 200
    assert numbers(response) == [1, 2, 3, 4]
    html = response.content.decode()
    assert 'id="flags-legend"' not in html and 'name="flag"' not in html


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_methodology_explains_every_flag(client, lang):
    html = client.get(f"/{lang}/methodology/").content.decode()
    section = html.split('id="flags-methodology"', 1)[1].split("</section>", 1)[0]
    with translation.override(lang):
        for flag in Flag:
            assert f'data-flag="{flag.value}">{flag.label}</dt><dd>{flag.help}</dd>' in (
                section.replace("&#x27;", "'").replace("&quot;", '"')
            )
    assert 'data-testid="late-rule"' in section


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_institution_page_lists_what_it_owes_and_since_when(client, plan, lang):
    html = client.get(f"/{lang}/institutions/ministry-a/").content.decode()
    owed = html.split('data-testid="owed"', 1)[1].split("</ol>", 1)[0]
    # Oldest first: 3 (never updated: since the plan started), then 1 (last validated
    # update on 1 March 2022, end date 30 June 2022).
    assert owed.count('class="owed-item') == 2
    first, second = owed.split('class="owed-item')[1:]
    assert 'data-since="2021-01-01"' in first and "/commitments/3/" in first
    assert 'data-since="2022-03-01"' in second and "/commitments/1/" in second
    assert "<bdi>2022-06-30</bdi>" in second and "<bdi>2022-03-01</bdi>" in second
    assert 'data-flag="overdue"' in second and 'data-flag="overdue"' not in first
    with translation.override(lang):
        assert translation.gettext("What it owes") in html
        label = translation.gettext("Last validated update: %(date)s") % {
            "date": "<bdi>2022-03-01</bdi>"
        }
    assert label in second
    # Ministry B is up to date.
    other = client.get(f"/{lang}/institutions/ministry-b/").content.decode()
    assert 'data-testid="owes-nothing"' in other and 'data-testid="owed"' not in other


def count_queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize(
    ("who", "url"),
    [
        (None, "/ar/institutions/ministry-a/"),
        (None, "/ar/plans/late/?flag=overdue&sort=late"),
        ("committee_member", "/ar/plans/late/?flag=pending_change_request&sort=progress"),
    ],
)
def test_late_work_pages_cost_the_same_queries_whatever_the_size(
    client, plan, ministry_a, request, who, url
):
    if who:
        client.force_login(request.getfixturevalue(who))
    client.get(url)  # warm caches
    before = count_queries(client, url)
    for n in range(5, 35):
        commitment = make_commitment(
            plan, [(n, 1), (0, 1), (100, 1)], number=n, lead_institution=ministry_a
        )
        Activity.objects.filter(commitment=commitment).update(end_date=datetime.date(2022, 1, 1))
    after = count_queries(client, url)
    assert after == before
    assert count_queries(client, url.replace("/ar/", "/fr/")) == before
