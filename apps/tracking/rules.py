"""Who may do what in progress tracking (the table is in docs/permissions.md).

A focal point reports only on the commitments currently assigned to them, and a
commitment is only ever assigned to a focal point of its lead or a supporting
institution: nobody edits another institution's figures. The secretariat validates;
nobody validates or decides on their own work (four eyes).
"""

from __future__ import annotations

from typing import Any

import rules

from apps.accounts.access import known
from apps.accounts.rules import is_committee_member, is_focal_point, is_secretariat
from apps.tracking.meetings import is_committee_chair as _is_committee_chair


def _commitment_of(obj: Any) -> Any:
    """The commitment behind an activity, a commitment, an update or a change request."""
    from apps.plans.models import Activity, Commitment

    if isinstance(obj, Commitment):
        return obj
    if isinstance(obj, Activity):
        return obj.commitment
    activity = getattr(obj, "activity", None)
    return activity.commitment if activity is not None else None


def _answering(person: Any) -> Any:
    """The current assignments of ``person`` (a user, or ``OuterRef("pk")``)."""
    from apps.tracking.models import FocalPointAssignment

    return FocalPointAssignment.objects.current().filter(user=person)


def assigned_commitment_ids(user: Any) -> set[int]:
    """Primary keys of the commitments ``user`` currently answers for (kept on the
    user: loaded with them when signed in, else asked once)."""
    if not getattr(user, "is_authenticated", False):
        return set()
    return set(
        known(
            user,
            "_assigned_commitment_ids",
            lambda: set(_answering(user).values_list("commitment_id", flat=True)),
        )
    )


def register_facts() -> None:
    """Load what these rules read of a person with the person, in the same query
    (:mod:`apps.accounts.access`): the commitments they answer for now, and whether
    they chair the steering committee. Each keeps its own query above for a person
    loaded otherwise."""
    from django.db.models import OuterRef

    from apps.accounts.access import register_fact
    from apps.tracking.meetings import chair_seats

    def chairs() -> Any:
        seats = chair_seats()
        return None if seats is None else seats.filter(user=OuterRef("pk"))

    register_fact(
        "_assigned_commitment_ids",
        lambda: _answering(OuterRef("pk")),
        lambda ids: {int(i) for i in ids},
        column="commitment_id",
    )
    register_fact("_is_committee_chair", chairs, bool)


@rules.predicate
def is_assigned_focal_point(user: Any, obj: Any) -> bool:
    commitment = _commitment_of(obj)
    return commitment is not None and commitment.pk in assigned_commitment_ids(user)


@rules.predicate
def is_author(user: Any, obj: Any) -> bool:
    return obj is not None and getattr(obj, "author_id", None) == getattr(user, "pk", object())


@rules.predicate
def is_proposer(user: Any, obj: Any) -> bool:
    return obj is not None and getattr(obj, "proposed_by_id", None) == getattr(user, "pk", object())


@rules.predicate
def is_editable(user: Any, obj: Any) -> bool:
    return obj is not None and obj.is_editable


@rules.predicate
def is_validated(user: Any, obj: Any) -> bool:
    return obj is not None and obj.is_validated


@rules.predicate
def is_draft(user: Any, obj: Any) -> bool:
    return obj is not None and obj.is_draft


@rules.predicate
def is_decided(user: Any, obj: Any) -> bool:
    return obj is not None and not obj.is_pending


@rules.predicate
def is_committee_chair(user: Any) -> bool:
    # Cached on the user: pages ask once per change request to show only the buttons
    # the person may use.
    if not getattr(user, "is_authenticated", False):
        return False
    return bool(known(user, "_is_committee_chair", lambda: _is_committee_chair(user)))


# Reporting: only on assigned commitments, only one's own update while it is editable.
rules.add_perm("tracking.report_progress", is_focal_point & is_assigned_focal_point)
rules.add_perm(
    "tracking.change_update",
    is_focal_point & is_author & is_editable & is_assigned_focal_point,
)
rules.add_perm("tracking.view_my_commitments", is_focal_point)
# An update is public once validated; before, its author and the commitment's focal
# point see it; the secretariat sees it once submitted (not drafts).
rules.add_perm(
    "tracking.view_update",
    is_validated
    | is_author
    | (is_focal_point & is_assigned_focal_point & ~is_draft)
    | (is_secretariat & ~is_draft),
)
rules.add_perm("tracking.validate_update", is_secretariat & ~is_author)
rules.add_perm("tracking.view_validation_queue", is_secretariat)
rules.add_perm("tracking.view_dashboard", is_secretariat)
rules.add_perm("tracking.hand_over", is_secretariat)
# Progress read from an imported file (plan sheet, Canada's tracker): the secretariat's.
rules.add_perm("tracking.import_progress", is_secretariat)
# The person behind a focal point, whatever the plan lets the public see of them
# (``apps.tracking.contacts``): those who work with them.
rules.add_perm("tracking.view_focal_point_person", is_secretariat | is_committee_member)
# Change requests: proposed by the committee or the secretariat, decided by the
# secretariat or the committee chair, never by the person who proposed it.
rules.add_perm("tracking.propose_change", is_committee_member | is_secretariat)
rules.add_perm("tracking.view_change_requests", is_committee_member | is_secretariat)
# One request: public once decided (a commitment's page tells its story: the figures,
# the decision and its reason, never who proposed it); pending, the committee's.
rules.add_perm("tracking.view_change_request", is_decided | is_committee_member | is_secretariat)
rules.add_perm("tracking.decide_change", (is_secretariat | is_committee_chair) & ~is_proposer)
