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
rules.add_perm("cocreation.manage_own_data", is_participant)
