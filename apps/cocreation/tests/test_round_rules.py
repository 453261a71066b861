"""Who may do what in the meetings, prioritisation, cards and adoption, walked through
every role and the phases of the round (role × phase, as adhocracy4 does)."""

from __future__ import annotations

import pytest
from django.utils import timezone

from apps.accounts.models import Institution
from apps.accounts.tests.personas import make_user
from apps.cocreation.models import CardStatus, CommitmentCard, ParticipatoryMeeting, PhaseKey
from apps.cocreation.tests.factories import make_process, submit

pytestmark = pytest.mark.django_db

WALKED = (
    "anonymous",
    "citizen",
    "focal_point_a",
    "focal_point_b",
    "committee_member",
    "translator",
    "secretariat",
    "superuser",
)
STAFF = {"secretariat", "superuser"}  # the demo's admin counts as secretariat
LEAD_A = {"focal_point_a", "superuser"}  # the superuser persona answers for ministry A
SIGNED_IN = set(WALKED) - {"anonymous"}
PHASES = (PhaseKey.METHOD, PhaseKey.IDEAS, PhaseKey.PRIORITIES, PhaseKey.CARDS, PhaseKey.ADOPTION)

# permission → phase → who holds it (a phase not named: nobody; "*": every phase).
TABLE: dict[str, dict[str, set[str]]] = {
    "cocreation.manage_meetings": {"*": STAFF},
    "cocreation.register": {"*": SIGNED_IN},
    "cocreation.record_attendance": {"*": STAFF},
    "cocreation.capture_idea": {"*": STAFF},
    "cocreation.set_criteria": {"*": STAFF},
    "cocreation.view_ranking": {"*": STAFF | {"committee_member"}},
    "cocreation.score": {PhaseKey.PRIORITIES: {"committee_member"}},
    "cocreation.decide": {PhaseKey.PRIORITIES: STAFF},
    "cocreation.create_card": {PhaseKey.CARDS: STAFF},
    "cocreation.edit_card": {PhaseKey.CARDS: LEAD_A},
    "cocreation.submit_card": {PhaseKey.CARDS: LEAD_A},
    "cocreation.comment_card": {"*": STAFF | LEAD_A | {"committee_member"}},
    "cocreation.validate_card": {"*": STAFF},
    "cocreation.adopt": {PhaseKey.ADOPTION: STAFF},
}


def _card(process, institution) -> CommitmentCard:
    now = timezone.now()
    return CommitmentCard.objects.create(
        process=process,
        number=1,
        title="بطاقة",
        lead_institution=institution,
        created_at=now,
        updated_at=now,
    )


@pytest.mark.parametrize("phase", PHASES)
def test_it_gives_each_permission_to_its_roles_in_its_phases(phase, personas, ministry_a):
    users = {name: personas[name] for name in WALKED}
    process = make_process(users["secretariat"], open_phase=phase)
    card = _card(process, ministry_a)
    proposal = submit(process, users["citizen"]) if phase == PhaseKey.IDEAS else None
    meeting = ParticipatoryMeeting.objects.create(
        process=process,
        kind="workshop",
        scope="national",
        format="online",
        title_ar="ورشة",
        link="https://example.org",
        starts_at=timezone.now(),
        created_at=timezone.now(),
    )
    for perm, phases in TABLE.items():
        expected = phases.get("*", phases.get(phase, set()))
        target = {
            "cocreation.edit_card": card,
            "cocreation.submit_card": card,
            "cocreation.comment_card": card,
            "cocreation.validate_card": card,
            "cocreation.register": meeting,
            "cocreation.record_attendance": meeting,
            "cocreation.capture_idea": meeting,
            "cocreation.score": proposal or process,
            "cocreation.decide": proposal or process,
        }.get(perm, process)
        holders = {name for name, user in users.items() if user.has_perm(perm, target)}
        assert holders == expected, f"{perm} in {phase}"


def test_a_card_is_edited_by_its_lead_and_its_civil_society_partners_only(
    secretariat, focal_point_a, focal_point_b, ministry_a, ministry_b, committee_member
):
    process = make_process(secretariat, open_phase=PhaseKey.CARDS)
    card = _card(process, ministry_a)
    association = Institution.objects.create(
        slug="association", kind=Institution.Kind.CIVIL_SOCIETY, name_ar="جمعية"
    )
    other_association = Institution.objects.create(
        slug="other", kind=Institution.Kind.CIVIL_SOCIETY, name_ar="جمعية أخرى"
    )
    partner = make_user("partner", institution=association)
    stranger = make_user("stranger", institution=other_association)
    card.supporting_institutions.set([association, ministry_b])
    assert focal_point_a.has_perm("cocreation.edit_card", card)
    assert partner.has_perm("cocreation.edit_card", card)
    # A government supporting institution helps implement; it does not draft the card.
    assert not focal_point_b.has_perm("cocreation.edit_card", card)
    assert not stranger.has_perm("cocreation.edit_card", card)
    assert not secretariat.has_perm("cocreation.edit_card", card)
    assert not committee_member.has_perm("cocreation.edit_card", card)
    # Submitting is the lead institution's.
    assert focal_point_a.has_perm("cocreation.submit_card", card)
    assert not partner.has_perm("cocreation.submit_card", card)
    # Submitted or validated, the card is the committee's: nobody edits it.
    card.status = CardStatus.SUBMITTED
    assert not focal_point_a.has_perm("cocreation.edit_card", card)
    assert not partner.has_perm("cocreation.edit_card", card)


def test_an_inactive_focal_point_edits_nothing(secretariat, focal_point_a, ministry_a):
    process = make_process(secretariat, open_phase=PhaseKey.CARDS)
    card = _card(process, ministry_a)
    focal_point_a.is_active = False
    focal_point_a.save(update_fields=["is_active"])
    assert not focal_point_a.has_perm("cocreation.edit_card", card)
