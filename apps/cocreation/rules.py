"""Who may do what in the co-creation of the next plan (the table is in
docs/permissions.md).

Everything is public to read: the process, its phases and themes, every proposal with
its comments, supports and the reasoned response (a hidden proposal keeps its page,
showing the public reason it was hidden). Anyone with an active account takes part:
proposes, comments, supports and follows, each only while the phase under way opens it
(role × phase, as in adhocracy4). The secretariat runs the process (phases, themes) and
moderates (hides, retains, merges duplicates).
"""

from __future__ import annotations

from typing import Any

import rules

from apps.accounts.rules import is_secretariat
from apps.cocreation.models import Opening, Process, Proposal, ProposalStatus

# A proposal open to supports and comments: not hidden, not merged away, not rejected.
OPEN_STATUSES = (ProposalStatus.SUBMITTED, ProposalStatus.RETAINED, ProposalStatus.ACCEPTED)


@rules.predicate
def is_participant(user: Any) -> bool:
    """Anyone signed in with an active account (citizens, organisations, staff)."""
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


def _process_of(obj: Any) -> Process | None:
    if isinstance(obj, Process):
        return obj
    if isinstance(obj, Proposal):
        return obj.process
    return None


def _phase_opens(opening: Opening) -> Any:
    @rules.predicate(name=f"phase_opens_{opening.value}")
    def predicate(user: Any, obj: Any) -> bool:
        process = _process_of(obj)
        return process is not None and process.opens(opening)

    return predicate


proposing_open = _phase_opens(Opening.PROPOSING)
commenting_open = _phase_opens(Opening.COMMENTING)
supporting_open = _phase_opens(Opening.SUPPORTING)


@rules.predicate
def is_open_proposal(user: Any, obj: Any) -> bool:
    """A proposal still open to the public's supports and comments."""
    return isinstance(obj, Proposal) and obj.status in OPEN_STATUSES


rules.add_perm("cocreation.view_process", rules.always_allow)
rules.add_perm("cocreation.manage_process", is_secretariat)
rules.add_perm("cocreation.propose", is_participant & proposing_open)
rules.add_perm("cocreation.comment", is_participant & commenting_open & is_open_proposal)
rules.add_perm("cocreation.support", is_participant & supporting_open & is_open_proposal)
rules.add_perm("cocreation.follow", is_participant)
rules.add_perm("cocreation.moderate", is_secretariat)


# Meetings, prioritisation, commitment cards and adoption (issue 9, parts 2, 5, 6, 7) ------
#
# The secretariat runs the participatory meetings (it records attendance and captures the
# ideas raised there); anyone signed in registers. Committee members score the proposals
# retained for review while a phase opens scoring; the secretariat sets the criteria and
# records the committee's decisions. A commitment card is drafted by the focal points of
# its lead institution with the civil-society organisations named among its supporting
# institutions, while a phase opens drafting; the committee validates it (the secretariat
# records it). The secretariat adopts the process, in the adoption phase.

from apps.accounts.models import Institution  # noqa: E402
from apps.accounts.roles import Role  # noqa: E402
from apps.accounts.rules import is_committee_member  # noqa: E402
from apps.cocreation.models import (  # noqa: E402
    CardStatus,
    CommitmentCard,
    Criterion,
    ParticipatoryMeeting,
    PhaseKey,
)


def _round_process(obj: Any) -> Process | None:
    if isinstance(obj, CommitmentCard | ParticipatoryMeeting | Criterion):
        return obj.process
    return _process_of(obj)


@rules.predicate
def scoring_is_open(user: Any, obj: Any) -> bool:
    process = _round_process(obj)
    return process is not None and process.opens(Opening.SCORING)


@rules.predicate
def drafting_is_open(user: Any, obj: Any) -> bool:
    process = _round_process(obj)
    return process is not None and process.opens(Opening.DRAFTING)


@rules.predicate
def adoption_under_way(user: Any, obj: Any) -> bool:
    """The adoption phase is under way and the process has not been adopted yet."""
    process = _round_process(obj)
    if process is None or process.plan_id is not None:
        return False
    phase = process.open_phase()
    return phase is not None and phase.key == PhaseKey.ADOPTION


@rules.predicate
def leads_card(user: Any, obj: Any) -> bool:
    """A focal point of the card's lead institution."""
    return (
        isinstance(obj, CommitmentCard)
        and is_participant(user)
        and user.institution_id is not None
        and user.institution_id == obj.lead_institution_id
        and user.has_role(Role.FOCAL_POINT)
    )


@rules.predicate
def partners_card(user: Any, obj: Any) -> bool:
    """A member of a civil-society organisation named among the card's supporting
    institutions (the card's civil-society partners)."""
    if not (isinstance(obj, CommitmentCard) and is_participant(user)):
        return False
    if user.institution_id is None:
        return False
    return obj.supporting_institutions.filter(
        pk=user.institution_id, kind=Institution.Kind.CIVIL_SOCIETY
    ).exists()


@rules.predicate
def card_in_draft(user: Any, obj: Any) -> bool:
    """A card its drafters may still change: a draft, or returned for changes, of a
    process not adopted yet."""
    return (
        isinstance(obj, CommitmentCard)
        and obj.status in (CardStatus.DRAFT, CardStatus.RETURNED)
        and obj.process.plan_id is None
    )


@rules.predicate
def card_not_adopted(user: Any, obj: Any) -> bool:
    return isinstance(obj, CommitmentCard) and obj.process.plan_id is None


drafts_card = leads_card | partners_card

rules.add_perm("cocreation.manage_meetings", is_secretariat)
rules.add_perm("cocreation.register", is_participant)
rules.add_perm("cocreation.record_attendance", is_secretariat)
rules.add_perm("cocreation.capture_idea", is_secretariat)
rules.add_perm("cocreation.view_registrations", is_secretariat)
rules.add_perm("cocreation.set_criteria", is_secretariat)
rules.add_perm("cocreation.score", is_committee_member & scoring_is_open)
rules.add_perm("cocreation.view_ranking", is_committee_member | is_secretariat)
rules.add_perm("cocreation.decide", is_secretariat & scoring_is_open)
rules.add_perm("cocreation.create_card", is_secretariat & drafting_is_open)
rules.add_perm("cocreation.edit_card", drafts_card & drafting_is_open & card_in_draft)
rules.add_perm("cocreation.submit_card", leads_card & drafting_is_open & card_in_draft)
rules.add_perm(
    "cocreation.comment_card",
    (drafts_card | is_committee_member | is_secretariat) & card_not_adopted,
)
rules.add_perm("cocreation.validate_card", is_secretariat & card_not_adopted)
rules.add_perm("cocreation.adopt", is_secretariat & adoption_under_way)
