"""Search as a citizen uses it: Arabic spelled any way, French and English, only what
the public may see, the index current at once, a fixed number of queries, hostile
queries answered calmly. The same tests run on SQLite (FTS5) and PostgreSQL."""

from __future__ import annotations

import re

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from apps.accounts import system_user
from apps.cocreation import actions as cocreation_actions
from apps.cocreation.tests.factories import make_process, submit
from apps.committees import actions as committee_actions
from apps.committees.tests.factories import make_committee, make_meeting
from apps.plans import actions as plan_actions
from apps.plans.models import Activity, Commitment
from apps.plans.tests.factories import make_institution, make_plan
from apps.search import index
from apps.search.models import Entry, Kind
from apps.search.results import MAX_QUERY_LENGTH, run

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan():
    return make_plan(slug="plan-2021", title_ar="خطة العمل الوطنية", title_fr="Plan d'action")


@pytest.fixture
def commitments(plan, secretariat):
    def create(number: int, **fields: str) -> Commitment:
        return plan_actions.do_create_commitment(
            plan, acting_user=secretariat, number=number, **fields
        )

    return {
        "fiscal": create(
            1,
            title_ar="تعزيز الشفافية المالية",
            title_fr="Renforcer la transparence budgétaire",
            title_en="Strengthening fiscal transparency",
            summary_ar="نشر الميزانية بصيغة مفتوحة",
        ),
        "disability": create(
            12,
            title_ar="تعزيز الولوج إلى المعلومات للأشخاص في وضعية إعاقة",
            title_fr="Accès à l'information des personnes en situation de handicap",
        ),
        "portal": create(5, title_ar="بوابة المشاركة", summary_ar="التعريف بالمعلومات العمومية"),
    }


def found(query: str, kind: str = "") -> list[tuple[str, str]]:
    """(kind, title) of the results, best first."""
    return [(r.kind, str(r.title)) for r in run(query, kind).results]


def titles(query: str) -> list[str]:
    return [title for _kind, title in found(query)]


def test_it_finds_ta_marbuta_typed_as_ha(commitments):
    assert titles("الشفافيه")[0] == "1. تعزيز الشفافية المالية"


def test_it_finds_a_word_behind_its_attached_prefix(commitments):
    assert "5. بوابة المشاركة" in titles("المعلومات")
    assert "5. بوابة المشاركة" in titles("معلومات")


def test_hamza_or_not_finds_the_same_commitment(commitments):
    with_hamza, without = titles("إعاقة"), titles("اعاقة")
    assert with_hamza == without
    assert "12. تعزيز الولوج إلى المعلومات للأشخاص في وضعية إعاقة" in with_hamza


def test_french_and_english_queries_find_the_translated_titles(commitments):
    with translation.override("fr"):
        assert titles("transparence budgetaire") == ["1. Renforcer la transparence budgétaire"]
        assert titles("HANDICAP") == [
            "12. Accès à l'information des personnes en situation de handicap"
        ]
    with translation.override("en"):
        assert titles("fiscal") == ["1. Strengthening fiscal transparency"]
        # No English title: the Arabic one, found by its French words.
        result = run("handicap").results[0]
        assert str(result.title).startswith("12. تعزيز") and result.title.language == "ar"


def test_an_edited_title_is_found_at_once(commitments, secretariat):
    plan_actions.do_edit_commitment(
        commitments["portal"], acting_user=secretariat, title_ar="بوابة الميزانية التشاركية"
    )
    assert titles("التشاركيه") == ["5. بوابة الميزانية التشاركية"]
    assert titles("بوابة المشاركة") == []


def _writes_entries(sql: str) -> bool:
    return sql.startswith(("INSERT", "DELETE")) and '"search_entry"' in sql


def test_a_batch_of_writes_is_indexed_once_at_its_end(commitments, secretariat):
    from apps.core.batch import batched

    with CaptureQueriesContext(connection) as one:
        plan_actions.do_edit_commitment(
            commitments["portal"], acting_user=secretariat, title_ar="أ"
        )
    entry_writes = len([q for q in one.captured_queries if _writes_entries(q["sql"])])
    assert entry_writes > 0
    with CaptureQueriesContext(connection) as many, batched():
        for n in range(5):
            plan_actions.do_edit_commitment(
                commitments["portal"], acting_user=secretariat, title_ar=f"بوابة الحكامة {n}"
            )
        assert titles("الحكامه") == []  # not yet: at the end of the batch
    assert titles("الحكامه") == ["5. بوابة الحكامة 4"]
    assert len([q for q in many.captured_queries if _writes_entries(q["sql"])]) <= entry_writes


def test_a_batch_that_fails_indexes_nothing(commitments, secretariat):
    from apps.core.batch import batched

    with pytest.raises(RuntimeError), batched():
        plan_actions.do_edit_commitment(
            commitments["portal"], acting_user=secretariat, title_ar="بوابة الحكامة"
        )
        raise RuntimeError("the import failed")
    assert titles("الحكامه") == []


def test_a_deleted_commitment_is_gone(commitments):
    commitments["portal"].delete()
    assert titles("بوابة") == []
    assert not Entry.objects.filter(kind=Kind.COMMITMENT, object_id=commitments["portal"].pk)


def test_activities_and_institutions_are_found(commitments, secretariat):
    plan_actions.do_add_activity(
        commitments["fiscal"], acting_user=secretariat, title_ar="إصدار ميزانية المواطن"
    )
    make_institution(
        slug="finance", name_ar="وزارة الاقتصاد والمالية", name_fr="Ministère des Finances"
    )
    assert found("ميزانيه", Kind.ACTIVITY) == [(Kind.ACTIVITY, "إصدار ميزانية المواطن")]
    with translation.override("fr"):
        assert found("finances") == [(Kind.INSTITUTION, "Ministère des Finances")]


def test_drafts_are_never_found_and_published_minutes_are(plan, secretariat):
    committee = make_committee(plan)
    meeting = make_meeting(committee, place_ar="قاعة الندوات")
    committee_actions.do_add_agenda_item(meeting, acting_user=secretariat, title="عرض حصيلة التتبع")
    # A draft meeting, not announced: nothing of it is public.
    assert found("الندوات") == [] and found("حصيله") == []
    committee_actions.do_approve_minutes(meeting, acting_user=system_user())
    assert found("حصيله") == []  # approved, not yet published
    committee_actions.do_publish_minutes(meeting, acting_user=system_user())
    assert {kind for kind, _title in found("الندوات")} == {Kind.MEETING}
    assert {kind for kind, _title in found("حصيله")} == {Kind.MEETING, Kind.MINUTES}


def test_hidden_proposals_are_never_found(secretariat, citizen):
    process = make_process(secretariat)
    proposal = submit(process, citizen, title="منصة لتتبع الصفقات العمومية")
    assert titles("الصفقات") == [f"#{proposal.number} منصة لتتبع الصفقات العمومية"]
    cocreation_actions.do_hide_proposal(proposal, reason="مكرر", acting_user=secretariat)
    assert titles("الصفقات") == []


def test_the_rebuilt_index_finds_the_same(commitments, plan):
    # Written in bulk (no signals), as an importer may: only a rebuild finds them.
    Activity.objects.bulk_create(
        [Activity(commitment=commitments["fiscal"], title_ar="تكوين الأطر في الرقابة")]
    )
    assert titles("الرقابه") == []
    before = titles("تعزيز")
    call_command("rebuild_search_index", verbosity=0)
    assert titles("الرقابه") == ["تكوين الأطر في الرقابة"]
    assert titles("تعزيز") == before


def _queries_of_search_page(client, query: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/ar/search/", {"q": query})
    assert response.status_code == 200
    return len(queries)


def test_the_page_costs_the_same_queries_for_10_and_200_matches(client, plan):
    def add(count: int, start: int) -> None:
        Commitment.objects.bulk_create(
            Commitment(plan=plan, number=start + i, title_ar=f"التزام الشفافية رقم {i}")
            for i in range(count)
        )
        index.rebuild()

    add(10, 1)
    few = _queries_of_search_page(client, "الشفافيه")
    add(190, 100)
    many = _queries_of_search_page(client, "الشفافيه")
    assert run("الشفافيه").total == 200
    assert few == many


def test_pages_follow_one_another(client, plan):
    Commitment.objects.bulk_create(
        Commitment(plan=plan, number=i + 1, title_ar=f"الحكامة {i}") for i in range(45)
    )
    index.rebuild()
    seen = set()
    for number in (1, 2, 3):
        html = client.get("/fr/search/", {"q": "الحكامة", "page": number}).content.decode()
        seen |= set(re.findall(r'href="(/fr/plans/plan-2021/commitments/\d+/)"', html))
    assert len(seen) == 45
    assert client.get("/fr/search/", {"q": "الحكامة", "page": "x"}).status_code == 200
    assert client.get("/fr/search/", {"q": "الحكامة", "page": "9" * 40}).status_code == 200


@pytest.mark.parametrize("lang", ["ar", "fr", "en"])
def test_the_page_in_each_language(client, commitments, lang):
    response = client.get(f"/{lang}/search/", {"q": "الشفافية"})
    html = response.content.decode()
    assert response.status_code == 200
    assert f'<html lang="{lang}" dir="{"rtl" if lang == "ar" else "ltr"}">' in html
    assert f'href="/{lang}/plans/plan-2021/commitments/1/"' in html
    assert "<mark>" in html and 'data-testid="search-summary"' in html
    no_result = client.get(f"/{lang}/search/", {"q": "zzzzqqq"}).content.decode()
    assert 'data-testid="no-results"' in no_result and "zzzzqqq" in no_result


def test_a_hostile_query_is_escaped(client, commitments):
    html = client.get("/ar/search/", {"q": '<script>alert("x")</script>'}).content.decode()
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html


@pytest.mark.parametrize(
    "query",
    [
        "ب" * 10_000,
        "a\x00b",
        "\u202eevil\u202c",
        "َُِ",  # vowel marks alone
        "𝕿𝖗𝖆𝖓𝖘𝖕𝖆𝖗𝖊𝖓𝖈𝖞",
        '"*" OR NEAR( ) : ^ - AND',  # FTS5 and tsquery syntax
        "x " * 500,
    ],
)
def test_odd_queries_never_fail(client, commitments, query):
    assert client.get("/ar/search/?q=%ff%fe%ed%a0%80").status_code == 200  # not UTF-8
    response = client.get("/ar/search/", {"q": query})
    assert response.status_code == 200
    if len(query) > MAX_QUERY_LENGTH:
        assert 'data-testid="search-truncated"' in response.content.decode()


def test_the_api_answers_the_same_search(client, commitments):
    body = client.get("/api/v1/search", {"q": "الشفافيه", "lang": "fr"}).json()
    assert body["count"] == 1 and body["counts"] == {"commitment": 1}
    item = body["items"][0]
    assert item["title"] == "1. Renforcer la transparence budgétaire"
    assert item["url"] == "/fr/plans/plan-2021/commitments/1/"
    assert item["snippet"] == "1. تعزيز الشفافية المالية"
    long = client.get("/api/v1/search", {"q": "ب" * 10_000}).json()
    assert long["truncated"] and len(long["query"]) == MAX_QUERY_LENGTH
    assert client.get("/api/v1/search", {"q": "x", "kind": "secret"}).status_code == 422


@pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_trgm is PostgreSQL's")
def test_a_near_miss_is_found_by_trigrams_on_postgresql(client, commitments):
    search = run("الشفافيت")
    assert search.near_miss and str(search.results[0].title) == "1. تعزيز الشفافية المالية"
    html = client.get("/ar/search/", {"q": "الشفافيت"}).content.decode()
    assert 'data-testid="near-miss"' in html
    assert not run("الشفافيه").near_miss


def test_a_word_in_the_title_ranks_before_the_same_word_in_the_text(plan, secretariat):
    for number, fields in [
        (1, {"title_ar": "تحديث الإدارة", "summary_ar": "يشمل الميزانية التشاركية للجماعات"}),
        (2, {"title_ar": "الميزانية التشاركية"}),
    ]:
        plan_actions.do_create_commitment(plan, acting_user=secretariat, number=number, **fields)
    assert titles("الميزانية التشاركية") == ["2. الميزانية التشاركية", "1. تحديث الإدارة"]
