"""The meetings, prioritisation, cards and adoption pages and actions: refusals with a
clear message and nothing stored (a decision without a reasoned response, a card of
another institution, a score out of bounds, a full meeting), hostile text shown as
text, the pages in Arabic, French and English, and fixed query counts."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from apps.cocreation import actions, adoption, cards, meetings, prioritisation
from apps.cocreation.actions import CocreationError
from apps.cocreation.models import (
    CardStatus,
    CardVersion,
    CommitmentCard,
    MeetingRegistration,
    PhaseKey,
    Proposal,
    ProposalStatus,
    Score,
)
from apps.cocreation.tests.factories import make_process, make_region, submit
from apps.cocreation.tests.round import card_for, criteria, decide_accept, move_to, signed_in
from apps.core.models import AuditLog
from apps.plans.figures import stale_plans
from apps.plans.models import ActionPlan

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    """The refusals' messages are matched in English."""
    with translation.override("en"):
        yield


HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def _scoring(secretariat, citizen, count=3):
    process = make_process(secretariat)
    proposals = [submit(process, citizen, title=f"مقترح {i}") for i in range(count)]
    for proposal in proposals:
        actions.do_retain_proposal(proposal, acting_user=secretariat)
    process = move_to(process, secretariat, PhaseKey.PRIORITIES)
    return process, [Proposal.objects.get(pk=p.pk) for p in proposals]


def _drafting(secretariat, citizen, lead):
    process, (proposal, *_rest) = _scoring(secretariat, citizen, count=1)
    decide_accept(proposal, secretariat, lead)
    process = move_to(process, secretariat, PhaseKey.CARDS)
    return process, card_for(process, secretariat, Proposal.objects.get(pk=proposal.pk))


def _content(**texts: str) -> cards.CardContent:
    return cards.CardContent(
        texts={"title": "نشر المعطيات", "problem": "مشكل", "solution": "حل", **texts},
        milestones=[cards.MilestoneData(title="مرحلة أولى", due_date=datetime.date(2027, 6, 1))],
    )


# Decisions -----------------------------------------------------------------------------------


def test_it_refuses_a_decision_without_a_reasoned_response(secretariat, citizen, ministry_a):
    process, (proposal, *_rest) = _scoring(secretariat, citizen)
    for blank in ("", "   \n "):
        with pytest.raises(CocreationError, match="reasoned response"):
            prioritisation.do_decide_proposal(
                proposal,
                decision=ProposalStatus.REJECTED,
                response=blank,
                acting_user=secretariat,
            )
    response = signed_in(secretariat).post(
        f"/en/participate/{process.slug}/proposals/{proposal.number}/decide/",
        {"decision": "accepted", "response": "  ", "lead_institution": ministry_a.pk},
    )
    assert response.status_code == 400
    assert Proposal.objects.get(pk=proposal.pk).status == ProposalStatus.RETAINED
    assert not AuditLog.objects.filter(action="cocreation.decide_proposal").exists()


def test_an_accepted_proposal_needs_a_lead_institution(secretariat, citizen):
    _process, (proposal, *_rest) = _scoring(secretariat, citizen)
    with pytest.raises(CocreationError, match="lead institution"):
        prioritisation.do_decide_proposal(
            proposal, decision=ProposalStatus.ACCEPTED, response="جيد", acting_user=secretariat
        )


def test_it_refuses_a_decision_outside_the_scoring_phase(secretariat, citizen, ministry_a):
    process = make_process(secretariat)
    proposal = submit(process, citizen)
    with pytest.raises(CocreationError, match="Scoring is not open"):
        prioritisation.do_decide_proposal(
            proposal, decision=ProposalStatus.REJECTED, response="لا", acting_user=secretariat
        )
    assert Proposal.objects.get(pk=proposal.pk).response == ""


def test_a_merge_decision_moves_supports_and_refuses_a_merge_into_itself(
    secretariat, citizen, committee_member
):
    process = make_process(secretariat)
    first, second = submit(process, citizen), submit(process, citizen, title="نسخة")
    actions.do_support(second, acting_user=committee_member)
    process = move_to(process, secretariat, PhaseKey.PRIORITIES)
    with pytest.raises(CocreationError, match="itself"):
        prioritisation.do_decide_proposal(
            first,
            decision=ProposalStatus.MERGED,
            response="مكرر",
            merged_into=first,
            acting_user=secretariat,
        )
    prioritisation.do_decide_proposal(
        second,
        decision=ProposalStatus.MERGED,
        response="مكرر",
        merged_into=first,
        acting_user=secretariat,
    )
    second = Proposal.objects.get(pk=second.pk)
    assert second.status == ProposalStatus.MERGED and second.response == "مكرر"
    assert Proposal.objects.get(pk=first.pk).supports_count == 1


def test_the_response_is_published_as_text(secretariat, citizen):
    process, (proposal, *_rest) = _scoring(secretariat, citizen)
    prioritisation.do_decide_proposal(
        proposal, decision=ProposalStatus.REJECTED, response=HOSTILE, acting_user=secretariat
    )
    page = signed_in(None).get(f"/fr/participate/{process.slug}/proposals/{proposal.number}/")
    html = page.content.decode()
    assert "&lt;script&gt;" in html and "<script>alert" not in html


# Scores and the ranking -------------------------------------------------------------------------


def test_scores_are_bounded_and_one_per_member_and_criterion(
    secretariat, citizen, committee_member
):
    process, (proposal, *_rest) = _scoring(secretariat, citizen)
    impact, *_others = criteria(process, secretariat)
    for value in (-1, 6, 99):
        with pytest.raises(CocreationError, match="from 0 to 5"):
            prioritisation.do_score_proposal(
                proposal, {impact.pk: value}, acting_user=committee_member
            )
    prioritisation.do_score_proposal(proposal, {impact.pk: 2}, acting_user=committee_member)
    prioritisation.do_score_proposal(proposal, {impact.pk: 4}, acting_user=committee_member)
    assert list(Score.objects.values_list("value", flat=True)) == [4]
    response = signed_in(committee_member).post(
        f"/en/participate/{process.slug}/proposals/{proposal.number}/score/",
        {f"criterion_{impact.pk}": "7"},
    )
    assert response.status_code == 400
    assert list(Score.objects.values_list("value", flat=True)) == [4]


def test_scoring_closes_with_its_phase(secretariat, citizen, committee_member):
    process, (proposal, *_rest) = _scoring(secretariat, citizen)
    impact, *_others = criteria(process, secretariat)
    move_to(process, secretariat, PhaseKey.CARDS)
    with pytest.raises(CocreationError, match="Scoring is not open"):
        prioritisation.do_score_proposal(proposal, {impact.pk: 3}, acting_user=committee_member)
    response = signed_in(committee_member).get(
        f"/en/participate/{process.slug}/proposals/{proposal.number}/score/"
    )
    assert response.status_code == 403


def test_the_ranking_weights_criteria_and_shows_the_spread(
    secretariat, citizen, committee_member, committee_chair
):
    process, (low, high, unscored) = _scoring(secretariat, citizen)
    impact, feasibility, values = criteria(process, secretariat)  # weights 3, 2, 1
    scores = {
        committee_member: {low.pk: (1, 1, 1), high.pk: (5, 5, 5)},
        committee_chair: {low.pk: (3, 1, 1), high.pk: (5, 5, 5)},
    }
    for member, by_proposal in scores.items():
        for proposal in (low, high):
            a, b, c = by_proposal[proposal.pk]
            prioritisation.do_score_proposal(
                proposal, {impact.pk: a, feasibility.pk: b, values.pk: c}, acting_user=member
            )
    rows = prioritisation.ranking_page(process)
    assert [r.proposal.pk for r in rows] == [high.pk, low.pk, unscored.pk]
    assert rows[0].score == pytest.approx(5) and rows[0].spread == pytest.approx(0)
    # Member scores of ``low``: 1 and (3×3 + 1×2 + 1×1) / 6 = 2; mean 1.5, spread 0.5.
    assert rows[1].score == pytest.approx(1.5) and rows[1].spread == pytest.approx(0.5)
    assert (rows[1].low, rows[1].high, rows[1].scorers) == (1, 2, 2)
    assert rows[2].score is None and rows[2].scorers == 0


def test_the_ranking_costs_the_same_queries_for_10_and_1000_proposals(
    secretariat, citizen, committee_member
):
    process, _proposals = _scoring(secretariat, citizen, count=1)
    impact, feasibility, _values = criteria(process, secretariat)
    client = signed_in(committee_member)
    url = f"/ar/participate/{process.slug}/ranking/"

    def grow_to(total: int) -> None:
        start = Proposal.objects.filter(process=process).count()
        now = timezone.now()
        created = Proposal.objects.bulk_create(
            Proposal(
                process=process,
                number=start + i + 1,
                author_name="x",
                title=f"p{i}",
                problem="p",
                solution="s",
                status=ProposalStatus.RETAINED,
                created_at=now,
            )
            for i in range(total - start)
        )
        Score.objects.bulk_create(
            Score(proposal=p, criterion=c, member=committee_member, value=i % 6, scored_at=now)
            for i, p in enumerate(created)
            for c in (impact, feasibility)
        )

    counts = []
    for total in (10, 1000):
        grow_to(total)
        client.get(url)  # the session and the rules warm up alike
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url, {"page": "20"}).status_code == 200
    assert len(queries) == counts[1]


def test_the_ranking_is_for_the_committee_and_the_secretariat(
    secretariat, citizen, committee_member, focal_point_a
):
    process, _proposals = _scoring(secretariat, citizen)
    url = f"/en/participate/{process.slug}/ranking/"
    assert signed_in(committee_member).get(url).status_code == 200
    assert signed_in(secretariat).get(url).status_code == 200
    assert signed_in(focal_point_a).get(url).status_code == 403
    assert signed_in(citizen).get(url).status_code == 403


# Commitment cards ---------------------------------------------------------------------------


def test_a_card_of_another_institution_cannot_be_edited(
    secretariat, citizen, focal_point_a, focal_point_b, ministry_a
):
    process, card = _drafting(secretariat, citizen, ministry_a)
    with pytest.raises(CocreationError):
        cards.do_edit_card(card, _content(title="دخيل"), acting_user=focal_point_b)
    response = signed_in(focal_point_b).get(f"/fr/participate/{process.slug}/cards/1/edit/")
    assert response.status_code == 403
    card = CommitmentCard.objects.get(pk=card.pk)
    assert card.title != "دخيل"
    assert CardVersion.objects.filter(card=card).count() == 1


def test_each_save_is_a_version_with_a_readable_diff(
    secretariat, citizen, focal_point_a, ministry_a
):
    process, card = _drafting(secretariat, citizen, ministry_a)
    _card, second = cards.do_edit_card(
        card, _content(problem="المعطيات غير منشورة"), acting_user=focal_point_a
    )
    _card, unchanged = cards.do_edit_card(
        card, _content(problem="المعطيات غير منشورة"), acting_user=focal_point_a
    )
    _card, third = cards.do_edit_card(
        card, _content(problem="المعطيات العمومية غير منشورة"), acting_user=focal_point_a
    )
    assert second and third and unchanged is None
    assert (second.number, third.number) == (2, 3)
    changes = cards.card_diff(second.content, third.content)
    assert [c.field for c in changes] == ["problem"]
    assert ("added", "العمومية ") in changes[0].segments
    page = signed_in(None).get(f"/en/participate/{process.slug}/cards/1/versions/3/")
    assert page.status_code == 200
    assert '<ins class="bg-success-subtle">العمومية </ins>' in page.content.decode()


def test_a_card_goes_to_validation_with_its_milestones_only(
    secretariat, citizen, focal_point_a, ministry_a
):
    _process, card = _drafting(secretariat, citizen, ministry_a)
    cards.do_edit_card(
        card,
        cards.CardContent(texts={"title": "ت", "problem": "م", "solution": "ح"}),
        acting_user=focal_point_a,
    )
    with pytest.raises(CocreationError, match="milestone"):
        cards.do_submit_card(card, acting_user=focal_point_a)
    cards.do_edit_card(card, _content(), acting_user=focal_point_a)
    cards.do_submit_card(card, acting_user=focal_point_a)
    with pytest.raises(CocreationError):
        cards.do_edit_card(card, _content(title="بعد الإرسال"), acting_user=focal_point_a)
    cards.do_return_card(card, reason="حددوا التواريخ", acting_user=secretariat)
    card = CommitmentCard.objects.get(pk=card.pk)
    assert card.status == CardStatus.RETURNED
    assert card.comments.get().body == "حددوا التواريخ"
    cards.do_edit_card(card, _content(title="معدلة"), acting_user=focal_point_a)
    cards.do_submit_card(card, acting_user=focal_point_a)
    cards.do_validate_card(card, acting_user=secretariat)
    assert CommitmentCard.objects.get(pk=card.pk).status == CardStatus.VALIDATED
    html = signed_in(None).get(f"/en/participate/{card.process.slug}/cards/1/").content.decode()
    assert 'text-bg-success" data-testid="card-status">Validated by the committee' in html


def test_a_card_shows_hostile_text_as_text(secretariat, citizen, focal_point_a, ministry_a):
    process, card = _drafting(secretariat, citizen, ministry_a)
    cards.do_edit_card(card, _content(title=HOSTILE, problem=HOSTILE), acting_user=focal_point_a)
    cards.do_comment_card(card, HOSTILE, acting_user=focal_point_a)
    for path in ("", "versions/2/"):
        html = signed_in(None).get(f"/ar/participate/{process.slug}/cards/1/{path}").content
        assert b"<script>alert" not in html and b"&lt;script&gt;" in html


def test_only_accepted_proposals_become_cards(secretariat, citizen, ministry_a):
    process, (accepted_one, rejected_one, _other) = _scoring(secretariat, citizen)
    decide_accept(accepted_one, secretariat, ministry_a)
    prioritisation.do_decide_proposal(
        rejected_one, decision=ProposalStatus.REJECTED, response="لا", acting_user=secretariat
    )
    process = move_to(process, secretariat, PhaseKey.CARDS)
    with pytest.raises(CocreationError, match="accepted"):
        card_for(process, secretariat, Proposal.objects.get(pk=rejected_one.pk))
    card_for(process, secretariat, Proposal.objects.get(pk=accepted_one.pk))
    with pytest.raises(CocreationError, match="already"):
        card_for(process, secretariat, Proposal.objects.get(pk=accepted_one.pk))


# Adoption -----------------------------------------------------------------------------------


PLAN = adoption.PlanData(
    slug="third",
    ordinal=3,
    titles={"ar": "الخطة الثالثة", "fr": "Troisième plan"},
    period_start=datetime.date(2027, 1, 1),
    period_end=datetime.date(2028, 12, 31),
    member="المغرب",
)


def test_adoption_waits_for_its_phase_and_every_card_validated(
    secretariat, citizen, focal_point_a, ministry_a
):
    process, card = _drafting(secretariat, citizen, ministry_a)
    with pytest.raises(CocreationError):
        adoption.do_adopt_process(process, PLAN, acting_user=secretariat)
    process = move_to(process, secretariat, PhaseKey.ADOPTION)
    with pytest.raises(CocreationError, match="validated"):
        adoption.do_adopt_process(process, PLAN, acting_user=secretariat)
    assert not ActionPlan.objects.filter(slug="third").exists()
    # Cards are drafted in their phase; here the draft is finished as the committee
    # asked, then validated.
    process = move_to(process, secretariat, PhaseKey.CARDS)
    cards.do_edit_card(card, _content(), acting_user=focal_point_a)
    cards.do_submit_card(card, acting_user=focal_point_a)
    cards.do_validate_card(card, acting_user=secretariat)
    process = move_to(process, secretariat, PhaseKey.ADOPTION)
    plan = adoption.do_adopt_process(process, PLAN, acting_user=secretariat)
    commitment = plan.commitments.get()
    assert commitment.title_ar == "نشر المعطيات" and commitment.lead_institution == ministry_a
    assert [a.title_ar for a in commitment.activities.all()] == ["مرحلة أولى"]
    assert CommitmentCard.objects.get(pk=card.pk).commitment == commitment
    # The new plan's stored figures (apps/plans/figures.py): one commitment, at 0 %.
    plan.refresh_from_db()
    assert (plan.commitments_count, plan.progress) == (1, 0) and stale_plans() == []
    with pytest.raises(CocreationError):
        adoption.do_adopt_process(process, PLAN, acting_user=secretariat)
    assert ActionPlan.objects.filter(slug="third").count() == 1


def test_a_card_in_french_goes_to_the_french_columns(
    secretariat, citizen, focal_point_a, ministry_a
):
    process, (proposal, *_rest) = _scoring(secretariat, citizen, count=1)
    decide_accept(proposal, secretariat, ministry_a)
    process = move_to(process, secretariat, PhaseKey.CARDS)
    card = card_for(process, secretariat, Proposal.objects.get(pk=proposal.pk))
    CommitmentCard.objects.filter(pk=card.pk).update(language="fr")
    cards.do_edit_card(card, _content(title="Budget ouvert"), acting_user=focal_point_a)
    cards.do_submit_card(card, acting_user=focal_point_a)
    cards.do_validate_card(card, acting_user=secretariat)
    process = move_to(process, secretariat, PhaseKey.ADOPTION)
    commitment = adoption.do_adopt_process(process, PLAN, acting_user=secretariat).commitments.get()
    assert commitment.title_fr == "Budget ouvert" and not commitment.title_ar
    page = signed_in(None).get(commitment.get_absolute_url())
    assert page.status_code == 200 and "Budget ouvert" in page.content.decode()


# Meetings ------------------------------------------------------------------------------------


def _meeting(process, secretariat, capacity=2, **extra):
    data = meetings.MeetingData(
        kind="workshop",
        scope="regional",
        format="in_person",
        titles={"ar": "ورشة جهوية", "fr": "Atelier régional"},
        starts_at=timezone.now() + datetime.timedelta(days=7),
        place="الرباط",
        capacity=capacity,
        region=make_region(),
        **extra,
    )
    return meetings.do_save_meeting(process, data, acting_user=secretariat)


def test_a_meeting_takes_no_one_beyond_its_capacity(
    secretariat, citizen, focal_point_a, focal_point_b
):
    process = make_process(secretariat)
    meeting = _meeting(process, secretariat)
    person = meetings.Registrant(name="سلمى", organisation_kind="civil_society", gender="female")
    meetings.do_register(meeting, person, acting_user=citizen)
    with pytest.raises(CocreationError, match="already registered"):
        meetings.do_register(meeting, person, acting_user=citizen)
    meetings.do_register(meeting, person, acting_user=focal_point_a)
    with pytest.raises(CocreationError, match="full"):
        meetings.do_register(meeting, person, acting_user=focal_point_b)
    response = signed_in(focal_point_b).post(
        f"/fr/participate/{process.slug}/meetings/{meeting.pk}/register/",
        {"name": "x", "organisation_kind": "citizen"},
    )
    assert response.status_code == 302
    assert MeetingRegistration.objects.filter(meeting=meeting).count() == 2
    page = signed_in(focal_point_b).get(f"/fr/participate/{process.slug}/meetings/{meeting.pk}/")
    assert 'data-testid="full"' in page.content.decode()


def test_ideas_captured_at_a_meeting_credit_their_people(secretariat, citizen, focal_point_a):
    process = make_process(secretariat)
    meeting = _meeting(process, secretariat, capacity=None)
    salma = meetings.do_register(
        meeting,
        meetings.Registrant(name="سلمى", organisation_kind="civil_society"),
        acting_user=citizen,
    )
    walk_in = meetings.do_register(
        meeting,
        meetings.Registrant(name="Karim", organisation_kind="academia", gender="male"),
        acting_user=secretariat,
        for_someone_else=True,
    )
    meetings.do_record_attendance(meeting, present=[salma.pk], acting_user=secretariat)
    response = signed_in(secretariat).post(
        f"/ar/participate/{process.slug}/meetings/{meeting.pk}/capture/",
        {
            "language": "ar",
            "title": "سجل مفتوح للجمعيات",
            "problem": "م",
            "solution": "ح",
            "credited": [salma.pk, walk_in.pk],
        },
    )
    assert response.status_code == 302
    idea = Proposal.objects.get(meeting=meeting)
    assert set(idea.credited.all()) == {salma, walk_in}
    assert "سلمى" in idea.author_name and idea.author is None
    assert "، " in idea.author_name  # an Arabic idea lists its people with the Arabic comma
    page = signed_in(None).get(f"/fr/participate/{process.slug}/meetings/{meeting.pk}/")
    assert "سجل مفتوح للجمعيات" in page.content.decode() and "Karim" in page.content.decode()
    with translation.override("en"):  # the page above was French
        figures = meetings.participation_figures(process)
    assert (figures.meetings, figures.registered, figures.attended) == (1, 2, 1)
    by_kind = {row.label: (row.registered, row.attended) for row in figures.by_kind}
    assert by_kind == {"Civil society organisation": (1, 1), "Academia and research": (1, 0)}
    assert {row.label: row.registered for row in figures.by_gender} == {"Man": 1, "Not given": 1}
    # The same figures on the public statistics page, in the reader's language.
    stats = signed_in(None).get(f"/fr/participate/{process.slug}/statistics/").content.decode()
    participation = stats.split('data-testid="participation"')[1]
    assert "<bdi>1</bdi> rencontres, <bdi>2</bdi> inscriptions, <bdi>1</bdi> présents." in (
        participation
    )
    assert "Université et recherche" in participation
    assert participation.count("<table") == 3


def test_only_the_secretariat_records_attendance_and_captures_ideas(
    secretariat, citizen, committee_member
):
    process = make_process(secretariat)
    meeting = _meeting(process, secretariat)
    mine = meetings.do_register(meeting, meetings.Registrant(name="x"), acting_user=citizen)
    for user in (citizen, committee_member):
        client = signed_in(user)
        base = f"/en/participate/{process.slug}/meetings/{meeting.pk}"
        assert client.post(f"{base}/attendance/", {"present": mine.pk}).status_code == 403
        assert client.get(f"{base}/capture/").status_code == 403
    assert MeetingRegistration.objects.get(pk=mine.pk).attended is None


def test_an_online_meeting_needs_a_link(secretariat):
    process = make_process(secretariat)
    with pytest.raises(CocreationError, match="link"):
        meetings.do_save_meeting(
            process,
            meetings.MeetingData(
                kind="consultation",
                scope="thematic",
                format="online",
                titles={"ar": "استشارة"},
                starts_at=timezone.now(),
            ),
            acting_user=secretariat,
        )


# Every page in three languages ---------------------------------------------------------------


@pytest.mark.parametrize("language", ["ar", "fr", "en"])
def test_the_pages_answer_in_three_languages(
    language, secretariat, citizen, focal_point_a, committee_member, ministry_a
):
    process, card = _drafting(secretariat, citizen, ministry_a)
    meeting = _meeting(process, secretariat)
    criteria(process, secretariat)
    base = f"/{language}/participate/{process.slug}"
    pages = {
        None: ["meetings/", f"meetings/{meeting.pk}/", "cards/", "cards/1/", "cards/1/versions/1/"],
        secretariat: [
            "meetings/new/",
            f"meetings/{meeting.pk}/edit/",
            f"meetings/{meeting.pk}/capture/",
            "criteria/",
            "ranking/",
            "cards/new/",
            "adopt/",
        ],
        focal_point_a: ["cards/1/edit/"],
        committee_member: ["ranking/"],
    }
    direction = 'dir="rtl"' if language == "ar" else 'dir="ltr"'
    for user, paths in pages.items():
        client = signed_in(user)
        for path in paths:
            response = client.get(f"{base}/{path}")
            assert response.status_code == 200, f"{path}: {response.status_code}"
            html = response.content.decode()
            assert f'<html lang="{language}" {direction}>' in html, path
