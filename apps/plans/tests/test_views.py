"""Public pages answer in the three languages, filter safely and cost fixed queries."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.core.languages import LANGUAGES
from apps.plans.tests.factories import make_commitment, make_institution, make_plan, make_theme

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan():
    plan = make_plan(slug="demo")
    theme = make_theme(plan, title_ar="الشفافية", title_fr="Transparence", title_en="Transparency")
    lead = make_institution(
        slug="justice",
        name_ar="وزارة العدل",
        name_fr="Ministère de la Justice",
        name_en="Ministry of Justice",
    )
    make_commitment(
        plan,
        [(100, 1), (20, 1)],
        number=1,
        theme=theme,
        lead_institution=lead,
        title_ar="نشر النصوص القانونية",
        title_fr="Publier les textes",
        title_en="Publish the texts",
    )
    make_commitment(plan, [(0, 1)], number=2)
    return plan


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize(
    "path",
    [
        "",
        "plans/",
        "plans/demo/",
        "plans/demo/commitments/1/",
        "institutions/",
        "institutions/justice/",
        "methodology/",
    ],
)
def test_it_serves_every_page_in_every_language(client, plan, lang, path):
    response = client.get(f"/{lang}/{path}")
    assert response.status_code == 200
    html = response.content.decode()
    assert f'lang="{lang}"' in html
    # The page's direction (Arabic content falling back into a French or English page
    # carries its own dir="rtl").
    assert (f'<html lang="{lang}" dir="rtl">' in html) == (lang == "ar")
    assert f'<html lang="{lang}" dir="{"rtl" if lang == "ar" else "ltr"}">' in html
    assert "https://" not in html.split("<body", 1)[0], "no remote asset in <head>"


def test_the_plan_page_shows_progress_per_commitment_in_each_language(client, plan):
    ar = client.get("/ar/plans/demo/").content.decode()
    assert "نشر النصوص القانونية" in ar and "<bdi>60%</bdi>" in ar and "<bdi>30%</bdi>" in ar
    fr = client.get("/fr/plans/demo/").content.decode()
    assert "Publier les textes" in fr and "Ministère de la Justice" in fr
    en = client.get("/en/plans/demo/").content.decode()
    assert "Publish the texts" in en


def test_untranslated_content_falls_back_to_arabic(client, plan):
    make_commitment(plan, [], number=3, title_ar="عنوان بالعربية فقط", title_fr="", title_en="")
    assert "عنوان بالعربية فقط" in client.get("/fr/plans/demo/").content.decode()


def test_the_home_page_shows_the_current_plan_and_its_themes(client, plan):
    html = client.get("/fr/").content.decode()
    assert "Plan" in html and "Transparence" in html and "<bdi>30%</bdi>" in html


@pytest.mark.parametrize(
    ("query", "numbers"),
    [
        ("level=substantial", {1}),
        ("level=not_started", {2}),
        ("institution=justice", {1}),
    ],
)
def test_the_plan_page_filters(client, plan, query, numbers):
    response = client.get(f"/en/plans/demo/?{query}")
    assert {c.number for c in response.context["commitments"]} == numbers


def test_the_plan_page_filters_by_theme(client, plan):
    theme = plan.themes.get()
    response = client.get(f"/en/plans/demo/?theme={theme.pk}")
    assert [c.number for c in response.context["commitments"]] == [1]


@pytest.mark.parametrize(
    "query", ["theme=abc", "theme=999999", "level=<script>", "institution=nope", "theme=1%00"]
)
def test_bad_filters_give_a_message_not_an_error(client, plan, query):
    response = client.get(f"/fr/plans/demo/?{query}")
    assert response.status_code == 200
    assert "invalid-feedback" in response.content.decode()
    assert "<script>" not in response.content.decode().split("<main", 1)[1]


def test_unknown_objects_are_404(client, plan):
    assert client.get("/ar/plans/nope/").status_code == 404
    assert client.get("/ar/plans/demo/commitments/99/").status_code == 404
    assert client.get("/ar/institutions/nope/").status_code == 404


def test_the_formula_is_explained(client, plan):
    html = client.get("/en/methodology/").content.decode()
    assert "weighted mean" in html and "Σ" in html


def count_queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize(
    "url",
    [
        "/ar/",
        "/ar/plans/",
        "/ar/plans/big/",
        "/ar/institutions/big-lead/",
        "/ar/plans/big/commitments/1/",
    ],
)
def test_pages_cost_the_same_queries_for_1_and_50_commitments(client, url):
    plan = make_plan(slug="big")
    theme = make_theme(plan)
    lead = make_institution(slug="big-lead")
    make_commitment(plan, [(10, 1), (50, 2)], number=1, theme=theme, lead_institution=lead)
    client.get(url)  # warm caches (content types, sessions)
    one = count_queries(client, url)
    for n in range(2, 51):
        make_commitment(
            plan,
            [(n, 1), (100, 1), (0, 0)],
            number=n,
            theme=make_theme(plan),
            lead_institution=make_institution(),
        )
    assert count_queries(client, url) == one


@pytest.mark.parametrize(
    ("lang", "formula", "substantial"),
    [
        ("ar", "نسبة إنجاز الالتزام = Σ", "من <bdi>50%</bdi> إلى أقل من <bdi>100%</bdi>"),
        ("fr", "avancement de l’engagement = Σ", "de <bdi>50%</bdi> à moins de <bdi>100%</bdi>"),
        ("en", "commitment progress = Σ", "from <bdi>50%</bdi> to less than <bdi>100%</bdi>"),
    ],
)
def test_the_methodology_speaks_the_page_language_and_gives_50_one_level(
    client, lang, formula, substantial
):
    html = client.get(f"/{lang}/methodology/").content.decode()
    assert formula in html
    levels = html.split('id="levels"')[1].split("</ul>")[0]
    assert substantial in levels
    # 50% opens "substantial" and closes "limited" as an excluded bound: one level only.
    assert levels.count("<bdi>50%</bdi>") == 2
    assert "SHARAKA_SUBSTANTIAL_FROM" in html.split('data-testid="thresholds-source"')[1]


def test_the_methodology_states_the_thresholds_the_rule_applies(client, settings):
    from apps.plans.choices import CompletionLevel
    from apps.plans.progress import completion_level

    settings.SHARAKA_COMPLETION_THRESHOLDS = {"limited": 10, "substantial": 40, "complete": 90}
    html = client.get("/en/methodology/").content.decode()
    assert "Limited: from <bdi>10%</bdi> to less than <bdi>40%</bdi>" in html
    assert "Complete: <bdi>90%</bdi> or more" in html
    assert completion_level(39.9) == CompletionLevel.LIMITED
    assert completion_level(40) == CompletionLevel.SUBSTANTIAL


@pytest.mark.parametrize(
    ("url", "computing"),
    [
        # The home page computes the current plan's themes and the date of its figures
        # (one plan, whatever the number of plans).
        ("/ar/", 2),
        ("/fr/plans/", 0),
        ("/ar/institutions/", 0),
        ("/api/v1/plans?limit=100", 0),
    ],
)
def test_lists_of_plans_cost_the_same_queries_for_1_and_50_plans_and_read_stored_figures(
    client, url, computing
):
    """Lists of plans read each plan's stored figures (apps/plans/figures.py): as many
    queries for 50 plans as for 1, and no query of the list reads the activities to
    compute every plan's progress again."""

    def add_plan() -> None:
        plan = make_plan()
        lead = make_institution()
        for number in (1, 2):
            make_commitment(plan, [(40, 1), (90, 3)], number=number, lead_institution=lead)

    add_plan()
    client.get(url)  # warm caches (content types, sessions)
    one = count_queries(client, url)
    for _ in range(49):
        add_plan()
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200 and len(ctx.captured_queries) == one
    reading_activities = [q for q in ctx.captured_queries if "plans_activity" in q["sql"]]
    assert len(reading_activities) == computing
    if url.startswith("/api/"):
        # (40×1 + 90×3) / 4 = 77.5 %: each plan's stored figure, as computed.
        rows = response.json()["items"]
        assert [(p["progress"], p["commitments_count"]) for p in rows] == [(77.5, 2)] * 50
