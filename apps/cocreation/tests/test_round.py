"""The whole round through the pages: a hundred proposals retained, scored by two
committee members, decided with a reasoned response each, the accepted ones drafted as
commitment cards by their lead institutions, validated, and adopted as the new plan;
then the traceability both ways (commitment → card → proposals, proposal → where it
went, or why not)."""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache

from apps.accounts.models import Institution
from apps.accounts.tests.personas import make_user
from apps.cocreation import actions
from apps.cocreation.models import (
    CardStatus,
    CardVersion,
    CommitmentCard,
    Criterion,
    PhaseKey,
    Process,
    Proposal,
    ProposalStatus,
    Score,
)
from apps.cocreation.tests.factories import make_theme, submit
from apps.cocreation.tests.round import move_to, signed_in
from apps.plans.models import ActionPlan, Activity, Commitment

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

ROUND = 100
ACCEPTED = 10  # proposals 1–10; 11–20 merged into them; the rest rejected


def card_post(title: str, partner: Institution | None = None, **extra: str) -> dict[str, str]:
    data = {
        "title": title,
        "summary": "نشر البيانات",
        "problem": "المعلومة غير متاحة",
        "causes": "غياب إطار",
        "solution": "بوابة مفتوحة",
        "expected_results": "بيانات منشورة",
        "transparency": "تنشر المعطيات",
        "values": "access_to_information",
        "start_date": "2027-01-01",
        "end_date": "2028-12-31",
        "milestones-TOTAL_FORMS": "2",
        "milestones-INITIAL_FORMS": "0",
        "milestones-MIN_NUM_FORMS": "0",
        "milestones-MAX_NUM_FORMS": "1000",
        "milestones-0-title": "إعداد الإطار",
        "milestones-0-expected_output": "نص منشور",
        "milestones-0-due_date": "2027-06-30",
        "milestones-0-stakeholders": "جمعيات",
        "milestones-1-title": "إطلاق البوابة",
        "milestones-1-due_date": "2028-06-30",
    }
    if partner is not None:
        data["supporting_institutions"] = str(partner.pk)
    data.update(extra)
    return data


def test_it_runs_a_round_of_a_hundred_proposals_to_an_adopted_plan(
    secretariat,
    committee_member,
    committee_chair,
    focal_point_a,
    focal_point_b,
    citizen,
    ministry_a,
    ministry_b,
):
    process = Process.objects.get(pk=_process_with_ideas(secretariat, citizen).pk)
    proposals = list(Proposal.objects.filter(process=process).order_by("number"))
    assert len(proposals) == ROUND
    for proposal in proposals:
        actions.do_retain_proposal(proposal, acting_user=secretariat)

    process = move_to(process, secretariat, PhaseKey.PRIORITIES)
    office = signed_in(secretariat)
    for name, fr, weight in (("الأثر", "Impact", "3"), ("قابلية التنفيذ", "Faisabilité", "1")):
        response = office.post(
            f"/ar/participate/{process.slug}/criteria/",
            {"name_ar": name, "name_fr": fr, "weight": weight},
        )
        assert response.status_code == 302
    impact, feasibility = Criterion.objects.filter(process=process).order_by("order")

    # Two members score every proposal; the first ten get the best scores.
    for member, shift in ((committee_member, 0), (committee_chair, 1)):
        client = signed_in(member)
        for proposal in proposals:
            high = proposal.number <= ACCEPTED
            response = client.post(
                f"/ar/participate/{process.slug}/proposals/{proposal.number}/score/",
                {
                    f"criterion_{impact.pk}": str(5 - shift if high else 1 + shift),
                    f"criterion_{feasibility.pk}": str(4 if high else 2),
                },
            )
            assert response.status_code == 302, response.content[:500]
    assert Score.objects.filter(proposal__process=process).count() == ROUND * 2 * 2

    ranking = signed_in(committee_member).get(f"/ar/participate/{process.slug}/ranking/")
    assert ranking.status_code == 200
    html = ranking.content.decode()
    ranked = [int(n) for n in re.findall(r'data-testid="rank-(\d+)"', html)]
    assert sorted(ranked[:ACCEPTED]) == list(range(1, ACCEPTED + 1))
    # Member 1 gave 5 and 4, member 2 gave 4 and 4 (impact ×3): (4.75 + 4) / 2.
    # (Arabic pages write decimals with a comma, as Django's Arabic formats do.)
    assert "<bdi>4,38</bdi>" in html and "±0,38" in html

    # Decisions, each with its reasoned response.
    for proposal in proposals:
        number = proposal.number
        if number <= ACCEPTED:
            lead = ministry_a if number <= 8 else ministry_b
            data = {
                "decision": "accepted",
                "response": f"مقترح ذو أثر كبير رقم {number}",
                "lead_institution": str(lead.pk),
            }
        elif number <= 2 * ACCEPTED:
            data = {
                "decision": "merged",
                "response": "مقترح مماثل",
                "merged_into": str(number - ACCEPTED),
            }
        else:
            data = {"decision": "rejected", "response": f"خارج نطاق الخطة {number}"}
        response = office.post(f"/ar/participate/{process.slug}/proposals/{number}/decide/", data)
        assert response.status_code == 302, response.content[:800]
    statuses = dict(Proposal.objects.filter(process=process).values_list("number", "status"))
    assert sum(1 for s in statuses.values() if s == ProposalStatus.ACCEPTED) == ACCEPTED
    assert sum(1 for s in statuses.values() if s == ProposalStatus.MERGED) == ACCEPTED
    assert sum(1 for s in statuses.values() if s == ProposalStatus.REJECTED) == ROUND - 20
    assert not Proposal.objects.filter(process=process, response="").exists()

    # Cards: #1 and #2 as one cluster, then one per accepted proposal.
    process = move_to(process, secretariat, PhaseKey.CARDS)
    response = office.post(
        f"/ar/participate/{process.slug}/cards/new/",
        {"proposals": [_pk(process, 1), _pk(process, 2)]},
    )
    assert response.status_code == 302
    for number in range(3, ACCEPTED + 1):
        response = office.post(
            f"/ar/participate/{process.slug}/cards/new/", {"proposals": [_pk(process, number)]}
        )
        assert response.status_code == 302
    cards = list(CommitmentCard.objects.filter(process=process).order_by("number"))
    assert len(cards) == ACCEPTED - 1
    assert [p.number for p in cards[0].proposals.order_by("number")] == [1, 2]

    association = Institution.objects.create(
        slug="association",
        kind=Institution.Kind.CIVIL_SOCIETY,
        name_ar="جمعية",
        name_fr="Association",
    )
    partner = make_user("partner", institution=association)
    for card in cards:
        drafter = focal_point_a if card.lead_institution_id == ministry_a.pk else focal_point_b
        other = focal_point_b if drafter is focal_point_a else focal_point_a
        url = f"/ar/participate/{process.slug}/cards/{card.number}"
        # Another institution's focal point: refused, nothing stored.
        refused = signed_in(other).post(f"{url}/edit/", card_post("عنوان دخيل"))
        assert refused.status_code == 403
        response = signed_in(drafter).post(
            f"{url}/edit/", card_post(f"التزام رقم {card.number}", partner=association)
        )
        assert response.status_code == 302, response.content[:800]
        # The civil-society partner improves the text: a second version.
        response = signed_in(partner).post(
            f"{url}/edit/",
            card_post(
                f"التزام رقم {card.number}",
                partner=association,
                problem="المعلومة غير متاحة للعموم",
            ),
        )
        assert response.status_code == 302, response.content[:800]
        assert signed_in(drafter).post(f"{url}/submit/").status_code == 302
        assert office.post(f"{url}/validate/").status_code == 302
    assert not CommitmentCard.objects.filter(title="عنوان دخيل").exists()
    assert CardVersion.objects.filter(card__process=process).count() == 3 * len(cards)
    assert set(CommitmentCard.objects.values_list("status", flat=True)) == {CardStatus.VALIDATED}

    diff = signed_in(citizen).get(f"/fr/participate/{process.slug}/cards/1/versions/3/")
    assert diff.status_code == 200
    assert "<ins" in diff.content.decode() and "للعموم" in diff.content.decode()

    process = move_to(process, secretariat, PhaseKey.ADOPTION)
    response = office.post(
        f"/ar/participate/{process.slug}/adopt/",
        {
            "title_ar": "خطة العمل الوطنية الثالثة",
            "title_fr": "Troisième plan d'action national",
            "slug": "third-plan-2027",
            "ordinal": "3",
            "period_start": "2027-01-01",
            "period_end": "2028-12-31",
        },
    )
    assert response.status_code == 302, response.content[:800]
    plan = ActionPlan.objects.get(slug="third-plan-2027")
    assert response["Location"].endswith(plan.get_absolute_url())
    assert plan.status == "implementation"  # adopted: no longer in co-creation
    commitments = list(Commitment.objects.filter(plan=plan).order_by("number"))
    assert len(commitments) == len(cards)
    assert Activity.objects.filter(commitment__plan=plan).count() == 2 * len(cards)

    # Commitment → card → proposals.
    visitor = signed_in(None)
    for commitment, card in zip(commitments, cards, strict=True):
        page = visitor.get(f"/ar/plans/{plan.slug}/commitments/{commitment.number}/")
        assert page.status_code == 200
        text = page.content.decode()
        assert f"/participate/{process.slug}/cards/{card.number}/" in text
        for proposal in card.proposals.all():
            assert f"/participate/{process.slug}/proposals/{proposal.number}/" in text
        assert commitment.lead_institution_id == card.lead_institution_id
        assert commitment.supporting_institutions.filter(pk=association.pk).exists()
    # Proposal → where it went, or why not.
    for number in (1, 2, 5, 12, 50):
        page = visitor.get(f"/fr/participate/{process.slug}/proposals/{number}/")
        text = page.content.decode()
        if number <= ACCEPTED:
            commitment = CommitmentCard.objects.get(
                proposals__number=number, process=process
            ).commitment
            assert commitment.get_absolute_url() in text
            assert f"مقترح ذو أثر كبير رقم {number}" in text
        elif number <= 2 * ACCEPTED:
            assert f"/participate/{process.slug}/proposals/{number - ACCEPTED}/" in text
            assert "مقترح مماثل" in text
        else:
            assert f"خارج نطاق الخطة {number}" in text
    assert Process.objects.get(pk=process.pk).plan == plan


def _pk(process: Process, number: int) -> str:
    return str(Proposal.objects.get(process=process, number=number).pk)


def _process_with_ideas(secretariat, citizen) -> Process:
    from apps.cocreation.tests.factories import make_process

    process = make_process(secretariat)
    theme = make_theme(process, secretariat)
    cache.clear()
    for number in range(1, ROUND + 1):
        submit(process, citizen, title=f"مقترح {number}", theme=theme)
    return process
