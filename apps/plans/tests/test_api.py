"""The public JSON API: contract, languages, errors and query counts."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.plans.tests.factories import make_commitment, make_institution, make_plan

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan():
    plan = make_plan(slug="demo")
    lead = make_institution(
        slug="budget", name_ar="وزارة الميزانية", name_fr="Budget", name_en="Budget"
    )
    make_commitment(
        plan,
        [(100, 3), (0, 1)],
        number=1,
        lead_institution=lead,
        title_ar="تعزيز الشفافية المالية",
        title_fr="Transparence budgétaire",
        title_en="Fiscal transparency",
    )
    return plan


def test_it_lists_plans(client, plan):
    body = client.get("/api/v1/plans").json()
    assert body["count"] == 1
    item = body["items"][0]
    assert item["slug"] == "demo"
    assert item["period_start"] == "2021-01-01"
    assert item["period_end"] == plan.period_end.isoformat()
    assert item["status"] == "implementation"
    assert item["progress"] == 75.0 and item["commitments_count"] == 1
    assert set(item) >= {
        "slug",
        "title",
        "period_start",
        "period_end",
        "status",
        "progress",
        "commitments_count",
    }


@pytest.mark.parametrize(
    ("lang", "title"),
    [
        ("ar", "تعزيز الشفافية المالية"),
        ("fr", "Transparence budgétaire"),
        ("en", "Fiscal transparency"),
        (None, "تعزيز الشفافية المالية"),
    ],
)
def test_it_lists_commitments_in_the_requested_language(client, plan, lang, title):
    url = "/api/v1/plans/demo/commitments" + (f"?lang={lang}" if lang else "")
    item = client.get(url).json()["items"][0]
    assert item["title"] == title
    assert item["number"] == 1 and item["progress"] == 75.0
    assert item["completion_level"] == "substantial"
    assert item["lead_institution"]["slug"] == "budget"
    assert [(a["progress"], a["weight"]) for a in item["activities"]] == [(100, 3.0), (0, 1.0)]
    assert {"title", "progress", "weight"} <= set(item["activities"][0])


def test_it_lists_institutions(client, plan):
    body = client.get("/api/v1/institutions?lang=fr").json()
    assert body["items"][0]["name"] == "Budget"


def test_an_unknown_plan_is_a_json_404(client):
    response = client.get("/api/v1/plans/nope/commitments")
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}


@pytest.mark.parametrize(
    "query", ["lang=xx", "limit=-1", "limit=abc", "offset=-5", "limit=100000", "lang=<script>"]
)
def test_bad_parameters_are_a_json_422(client, plan, query):
    response = client.get(f"/api/v1/plans/demo/commitments?{query}")
    assert response.status_code == 422
    assert "detail" in response.json()


@pytest.mark.parametrize("url", ["/api/v1/plans", "/api/v1/institutions", "/api/v1/meetings"])
def test_it_rejects_an_offset_too_large_for_the_database(client, plan, url):
    # Was a 500: OverflowError (SQLite) / NumericValueOutOfRange (PostgreSQL).
    response = client.get(f"{url}?offset={10**30}")
    assert response.status_code == 422
    assert "detail" in response.json()
    assert client.get(f"{url}?offset={10**12}").status_code == 200


def test_the_openapi_schema_is_served(client):
    schema = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/plans/{slug}/commitments" in schema["paths"]


def queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize(
    "url", ["/api/v1/plans", "/api/v1/plans/big/commitments", "/api/v1/institutions"]
)
def test_api_lists_cost_the_same_queries_for_1_and_50_commitments(client, url):
    plan = make_plan(slug="big")
    make_commitment(plan, [(1, 1)], number=1, lead_institution=make_institution())
    one = queries(client, url)
    for n in range(2, 51):
        make_commitment(plan, [(n, 1), (5, 2)], number=n, lead_institution=make_institution())
    make_plan()
    assert queries(client, url) == one


def test_the_api_docs_load_nothing_from_the_internet(client):
    html = client.get("/api/v1/docs").content.decode()
    assert "swagger-ui-bundle.js" in html
    assert "cdn." not in html and "https://" not in html


def test_arabic_text_is_plain_utf8_in_json(client, plan):
    raw = client.get("/api/v1/plans/demo/commitments").content.decode("utf-8")
    assert "تعزيز الشفافية المالية" in raw


def test_a_plan_whose_period_has_ended_is_completed(client, plan):
    """The API agrees with the pages ("ended on …"): the stored status says
    implementation, the period is over, the plan is completed."""
    import datetime

    plan.period_end = datetime.date(2023, 12, 31)
    plan.save(update_fields=["period_end"])
    item = client.get("/api/v1/plans").json()["items"][0]
    assert item["status"] == "completed"
    html = client.get(f"/en/plans/{plan.slug}/").content.decode()
    assert 'data-ended="true"' in html


def test_it_answers_one_plan_with_its_themes_and_commitments(client, plan):
    from apps.plans.tests.factories import make_theme

    theme = make_theme(plan, title_fr="Transparence")
    make_commitment(plan, [(0, 1), (0, 1), (0, 1)], number=2, theme=theme)
    body = client.get("/api/v1/plans/demo?lang=fr").json()
    assert body["slug"] == "demo" and body["status"] == "implementation"
    assert body["progress"] == 37.5 and body["commitments_count"] == 2
    assert body["activities_count"] == 5
    assert body["completion_levels"] == {
        "not_started": 1,
        "limited": 0,
        "substantial": 1,
        "complete": 0,
    }
    assert body["themes"] == [
        {
            "id": theme.pk,
            "order": theme.order,
            "title": "Transparence",
            "progress": 0.0,
            "commitments_count": 1,
        }
    ]
    first, second = body["commitments"]
    assert (first["number"], first["title"], first["lead_institution"]) == (
        1,
        "Transparence budgétaire",
        "budget",
    )
    assert first["completion_level"] == "substantial" and first["activities_count"] == 2
    assert (second["theme_id"], second["lead_institution"]) == (theme.pk, None)
    assert body["url"].endswith("/fr/plans/demo/")


def test_an_unknown_plan_alone_is_a_json_404(client, db):
    response = client.get("/api/v1/plans/nope")
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}


def test_a_plans_commitments_filter_by_theme_institution_and_level(client, plan):
    from apps.plans.tests.factories import make_theme

    theme = make_theme(plan)
    partner = make_institution(slug="partner")
    done = make_commitment(plan, [(100, 1)], number=2, theme=theme)
    done.supporting_institutions.add(partner)
    make_commitment(plan, [(0, 1)], number=3, lead_institution=partner)

    def numbers(query):
        body = client.get(f"/api/v1/plans/demo/commitments?{query}").json()
        return [item["number"] for item in body["items"]]

    assert numbers("") == [1, 2, 3]
    assert numbers(f"theme={theme.pk}") == [2]
    assert numbers("institution=partner") == [2, 3]
    assert numbers("lead_institution=partner") == [3]
    assert numbers("institution=budget") == [1]
    assert numbers("completion_level=complete") == [2]
    assert numbers("completion_level=substantial&institution=partner") == []
    assert client.get("/api/v1/plans/demo/commitments?completion_level=done").status_code == 422


def test_activities_carry_their_dates(client, plan):
    import datetime

    activity = plan.commitments.get().activities.order_by("order").first()
    activity.start_date, activity.end_date = datetime.date(2022, 1, 1), datetime.date(2022, 6, 30)
    activity.save(update_fields=["start_date", "end_date"])
    item = client.get("/api/v1/plans/demo/commitments").json()["items"][0]
    assert (item["activities"][0]["start_date"], item["activities"][0]["end_date"]) == (
        "2022-01-01",
        "2022-06-30",
    )
    assert item["activities"][1]["start_date"] is None


def test_one_plan_costs_the_same_queries_for_1_and_50_commitments(client):
    from apps.plans.tests.factories import make_theme

    plan = make_plan(slug="big")
    make_commitment(plan, [(1, 1)], number=1, lead_institution=make_institution())
    one = queries(client, "/api/v1/plans/big")
    for n in range(2, 51):
        make_commitment(
            plan,
            [(n, 1), (5, 2)],
            number=n,
            lead_institution=make_institution(),
            theme=make_theme(plan),
        )
    assert queries(client, "/api/v1/plans/big") == one


def test_content_in_one_language_is_answered_in_every_language(client):
    """A plan imported from Canada's tracker is in English and French only: the Arabic
    answer gives the first language it is written in (French), never an empty title."""
    make_plan(
        slug="canada",
        member_ar="",
        member_fr="Canada",
        member_en="Canada",
        title_ar="",
        title_fr="Plan d'action national",
        title_en="National Action Plan",
    )
    for lang, title in (("ar", "Plan d'action national"), ("en", "National Action Plan")):
        body = client.get(f"/api/v1/plans/canada?lang={lang}").json()
        assert (body["title"], body["member"]) == (title, "Canada")
