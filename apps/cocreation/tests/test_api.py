"""The co-creation's API: processes with phases, proposals, cards; 404s; fixed queries."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from apps.accounts.tests.personas import make_user
from apps.cocreation import actions
from apps.cocreation.models import CardMilestone, CommitmentCard
from apps.cocreation.tests.factories import make_theme, submit

pytestmark = pytest.mark.django_db


def test_it_lists_the_processes_with_their_phases(process):
    body = Client().get("/api/v1/cocreation?lang=fr").json()
    assert body["count"] == 1
    item = body["items"][0]
    assert item["slug"] == process.slug and item["title"] == "Co-création du 3e plan"
    assert item["phase_under_way"] == "ideas"
    assert [p["key"] for p in item["phases"]] == [
        "method",
        "ideas",
        "priorities",
        "cards",
        "adoption",
    ]
    ideas = item["phases"][1]
    assert ideas["opens"] == ["proposing", "commenting", "supporting"] and ideas["under_way"]


def test_it_lists_the_public_proposals(process, secretariat, citizen):
    theme = make_theme(process, secretariat)
    a = submit(process, citizen, theme=theme)
    b = submit(process, citizen, title="مخفي")
    c = submit(process, citizen, title="مكرر")
    actions.do_support(a, acting_user=make_user("voter"))
    actions.do_hide_proposal(b, reason="إشهار", acting_user=secretariat)
    actions.do_merge_proposal(c, a, response="مقترح مكرر", acting_user=secretariat)
    body = Client().get(f"/api/v1/cocreation/{process.slug}/proposals").json()
    assert body["count"] == 2
    by_number = {p["number"]: p for p in body["items"]}
    assert set(by_number) == {1, 3}  # the hidden one is left out
    assert by_number[1]["supports"] == 1 and by_number[1]["theme"] == "الشفافية"
    assert by_number[3]["status"] == "merged" and by_number[3]["merged_into"] == 1
    assert by_number[3]["response"] == "مقترح مكرر"
    only = Client().get(f"/api/v1/cocreation/{process.slug}/proposals?status=merged").json()
    assert [p["number"] for p in only["items"]] == [3]


def test_it_lists_the_cards(process, ministry_a, citizen):
    proposal = submit(process, citizen)
    card = CommitmentCard.objects.create(
        process=process,
        number=1,
        title="الميزانيات المفتوحة",
        lead_institution=ministry_a,
        created_at=proposal.created_at,
        updated_at=proposal.created_at,
    )
    card.proposals.add(proposal)
    CardMilestone.objects.create(card=card, title="نشر أول ميزانية")
    body = Client().get(f"/api/v1/cocreation/{process.slug}/cards?lang=en").json()
    assert body["items"][0]["proposals"] == [1]
    assert body["items"][0]["lead_institution"] == "Ministry A"
    assert body["items"][0]["milestones"][0]["title"] == "نشر أول ميزانية"


@pytest.mark.parametrize("path", ["proposals", "cards"])
def test_an_unknown_process_is_a_404(path):
    response = Client().get(f"/api/v1/cocreation/no-such-process/{path}")
    assert response.status_code == 404 and response.json() == {"detail": "Not found."}


def test_the_404_is_declared_in_the_schema():
    schema = Client().get("/api/v1/openapi.json").json()
    responses = schema["paths"]["/api/v1/cocreation/{slug}/proposals"]["get"]["responses"]
    assert "404" in responses


@pytest.mark.parametrize("path", ["", "/{slug}/proposals"])
def test_it_costs_the_same_queries_for_few_and_many(path, process, citizen):
    for _ in range(3):
        submit(process, citizen)
    target = "/api/v1/cocreation" + path.replace("{slug}", process.slug)
    with CaptureQueriesContext(connection) as few:
        Client().get(target)
    for _ in range(30):
        submit(process, citizen)
    with CaptureQueriesContext(connection) as many:
        Client().get(target)
    assert len(many) == len(few)
