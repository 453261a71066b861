"""Every write of the secretariat's people pages: a person's roles and institution, their
committee seats, their account turned off and on, their sessions ended.

Each action locks the person, checks ``people.manage``, writes the audit row (before →
after) and refuses with a :class:`PeopleError` whose message names what stands in the
way. A change that would take a commitment away from its focal point hands it over, in
the same transaction, to the successor the secretariat chose among the commitment's
other eligible focal points (``apps.tracking.actions.eligible_focal_points``), or is
refused with nothing written, as a lead-institution change settles who answers for a
commitment (``apps.plans.hooks``). Deactivating an account ends its assignments: the
commitments left without a focal point show on the secretariat's dashboard.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import Group
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.models import SYSTEM_USERNAME, Institution, User
from apps.accounts.roles import Role
from apps.accounts.sessions import end_sessions
from apps.committees.models import Committee, Member
from apps.core.errors import ActionError, check_permission
from apps.core.models import AuditLog
from apps.plans.models import Commitment
from apps.tracking.actions import do_hand_over, eligible_focal_points
from apps.tracking.models import FocalPointAssignment

ROLES = frozenset(Role.values)


class PeopleError(ActionError):
    """A change to a person's account that cannot happen; the message is for the user."""


@dataclass(frozen=True)
class NewSeat:
    """The committee seat that comes with the committee-member role."""

    committee: Committee
    seat: str
    role: str = Member.Role.MEMBER


def person_name(user: Any) -> str:
    return str(user.get_full_name() or user.get_username())


def roles_of(user: User) -> set[str]:
    """The platform roles ``user`` holds (read afresh, not from the per-instance cache)."""
    return set(user.groups.filter(name__in=ROLES).values_list("name", flat=True))


def held_assignments(person: User, *, lock: bool = False) -> list[FocalPointAssignment]:
    """The commitments ``person`` currently answers for, with what eligibility needs
    (``lock``: the assignments locked until the transaction ends, for an action)."""
    qs = FocalPointAssignment.objects.current()
    if lock:
        qs = qs.select_for_update(of=("self",))
    return list(
        qs.filter(user=person)
        .select_related("commitment__plan", "commitment__lead_institution")
        .prefetch_related("commitment__supporting_institutions")
        .order_by("commitment__plan_id", "commitment__number", "pk")
    )


def successor_choices(commitment: Commitment, person: User) -> QuerySet[User]:
    """Who may take ``commitment`` over from ``person``: its other eligible focal points."""
    return (
        eligible_focal_points(commitment)
        .exclude(pk=person.pk)
        .select_related("institution")
        .order_by("institution", "last_name", "first_name", "username")
    )


def stays_eligible(
    commitment: Commitment, *, active: bool, roles: set[str], institution_id: int | None
) -> bool:
    """Whether a person with these roles and institution may still answer for
    ``commitment`` (the rule of ``eligible_focal_points``, on values not yet saved;
    the supporting institutions come prefetched)."""
    if not active or Role.FOCAL_POINT not in roles or institution_id is None:
        return False
    institutions = {commitment.lead_institution_id}
    institutions |= {i.pk for i in commitment.supporting_institutions.all()}
    return institution_id in institutions


def commitments_text(commitments: Iterable[Commitment]) -> str:
    return "; ".join(f"{c.number}. {c.title}" for c in commitments)


def _refusal() -> PeopleError:
    return PeopleError(_("Only the secretariat manages people's accounts."))


def _locked(person: User, acting_user: Any) -> User:
    check_permission(acting_user, "people.manage", person, _refusal())
    locked = User.objects.select_for_update().get(pk=person.pk)
    if locked.username == SYSTEM_USERNAME:
        raise PeopleError(_("The platform's own account is not a person's account."))
    return locked


def _is_last_secretariat(person: User) -> bool:
    """Whether ``person`` is the only active account holding the secretariat role (the
    others are locked until the transaction ends: two members of the secretariat
    removing each other at once cannot both succeed)."""
    others = (
        User.objects.select_for_update(of=("self",))
        .filter(is_active=True, groups__name=Role.SECRETARIAT)
        .exclude(pk=person.pk)
        .values_list("pk", flat=True)
    )
    return not list(others)


def _forget_caches(*people: Any) -> None:
    for person in people:
        person.forget_access()
        person.__dict__.pop("_assigned_commitment_ids", None)


def _handovers(
    person: User,
    successors: Mapping[int, User],
    *,
    active: bool,
    roles: set[str],
    institution_id: int | None,
    required: bool,
) -> tuple[list[tuple[FocalPointAssignment, User]], list[FocalPointAssignment]]:
    """The person's assignments the new state no longer allows: (assignment, successor)
    pairs to hand over and, when a successor is not ``required``, the assignments to end.
    Refuses a successor who may not take the commitment and, if ``required``, a
    commitment left without one (naming the commitments)."""
    handed: list[tuple[FocalPointAssignment, User]] = []
    ended: list[FocalPointAssignment] = []
    nobody: list[Commitment] = []
    unchosen: list[Commitment] = []
    for assignment in held_assignments(person, lock=True):
        commitment = assignment.commitment
        if stays_eligible(commitment, active=active, roles=roles, institution_id=institution_id):
            continue
        successor = successors.get(commitment.pk)
        candidates = successor_choices(commitment, person)
        if successor is not None:
            if not candidates.filter(pk=successor.pk).exists():
                raise PeopleError(
                    _("%(name)s may not answer for commitment %(commitment)s.")
                    % {"name": person_name(successor), "commitment": commitments_text([commitment])}
                )
            handed.append((assignment, successor))
        elif not required:
            ended.append(assignment)
        elif candidates.exists():
            unchosen.append(commitment)
        else:
            nobody.append(commitment)
    if nobody:
        raise PeopleError(
            _(
                "This change would leave commitments without an eligible focal point, and "
                "nobody else may take them over: %(commitments)s. Give the focal-point role "
                "to someone of their institutions first, or change the commitments' "
                "institutions."
            )
            % {"commitments": commitments_text(nobody)}
        )
    if unchosen:
        raise PeopleError(
            _(
                "This change would leave commitments without an eligible focal point: "
                "%(commitments)s. Choose who takes each of them over."
            )
            % {"commitments": commitments_text(unchosen)}
        )
    return handed, ended


def _hand_over(
    pairs: Sequence[tuple[FocalPointAssignment, User]], *, acting_user: Any, on: datetime.date
) -> list[str]:
    done = []
    for assignment, successor in pairs:
        do_hand_over(
            assignment.commitment,
            successor,
            acting_user=acting_user,
            on=max(on, assignment.started_on),
            note=_("Taken over from %(name)s.") % {"name": person_name(assignment.user)},
        )
        done.append(
            _("Commitment %(commitment)s was handed over to %(name)s.")
            % {
                "commitment": commitments_text([assignment.commitment]),
                "name": person_name(successor),
            }
        )
    return done


def _end_assignments(
    assignments: Sequence[FocalPointAssignment], *, acting_user: Any, on: datetime.date, reason: str
) -> list[str]:
    """End ``assignments`` without a successor: their commitments wait for a hand-over
    (the secretariat's dashboard lists the commitments without a focal point)."""
    for assignment in assignments:
        assignment.ended_on = max(on, assignment.started_on)
        assignment.save(update_fields=["ended_on"])
        AuditLog.record(
            actor=acting_user,
            action="tracking.end_assignment",
            target=assignment.commitment,
            before={"focal_point": assignment.user_id, "since": assignment.started_on.isoformat()},
            after={"focal_point": None, "until": assignment.ended_on.isoformat(), "reason": reason},
        )
    if not assignments:
        return []
    return [
        _("Commitments waiting for a new focal point: %(commitments)s.")
        % {"commitments": commitments_text(a.commitment for a in assignments)}
    ]


def _end_seats(person: User, *, acting_user: Any, on: datetime.date, reason: str) -> list[str]:
    """End the person's current committee seats on ``on``: their term ends that day
    (the last day they sit)."""
    seats = list(
        Member.objects.current(on)
        .select_for_update(of=("self",))
        .filter(user=person)
        .exclude(term_end=on)  # already ending that day
        .select_related("committee")
    )
    for seat in seats:
        before = seat.term_end
        seat.term_end = on
        seat.save(update_fields=["term_end"])
        AuditLog.record(
            actor=acting_user,
            action="committees.change_member",
            target=seat,
            before={"term_end": before.isoformat() if before else None},
            after={"term_end": on.isoformat(), "reason": reason},
        )
    if not seats:
        return []
    return [
        _("Seats ended: %(committees)s.")
        % {"committees": "; ".join(str(seat.committee) for seat in seats)}
    ]


def _add_seat(person: User, seat: NewSeat, *, acting_user: Any, on: datetime.date) -> str:
    member = Member.objects.create(
        committee=seat.committee,
        user=person,
        name=person_name(person),
        institution=person.institution,
        seat=seat.seat,
        role=seat.role,
        term_start=on,
    )
    AuditLog.record(
        actor=acting_user,
        action="committees.add_member",
        target=member,
        after={
            "committee": seat.committee.pk,
            "user": person.pk,
            "institution": person.institution_id,
            "seat": seat.seat,
            "role": seat.role,
            "term_start": on.isoformat(),
        },
    )
    return _("%(name)s now sits on %(committee)s.") % {
        "name": person_name(person),
        "committee": seat.committee,
    }


@transaction.atomic
def do_change_account(
    person: User,
    *,
    acting_user: Any,
    roles: Iterable[str],
    institution: Institution | None,
    successors: Mapping[int, User] | None = None,
    seat: NewSeat | None = None,
    on: datetime.date | None = None,
) -> list[str]:
    """Give ``person`` exactly these platform ``roles`` and this ``institution``.

    The commitments they may then no longer answer for go to ``successors`` (commitment
    id → focal point) or the change is refused. Losing the committee-member role ends
    their current seats; gaining it needs a ``seat`` (or a current one). Nobody removes
    their own secretariat role, nor the last active secretariat's. Returns what was done
    besides, in words."""
    locked = _locked(person, acting_user)
    on = on or timezone.localdate()
    wanted = set(roles)
    if not wanted <= ROLES:
        raise PeopleError(_("Unknown role."))
    before_roles = roles_of(locked)
    if Role.SECRETARIAT in before_roles - wanted:
        if locked.pk == getattr(acting_user, "pk", None):
            raise PeopleError(
                _("You cannot remove your own secretariat role: ask another member of it.")
            )
        if locked.is_active and _is_last_secretariat(locked):
            raise PeopleError(
                _("%(name)s is the last active member of the secretariat: the role stays.")
                % {"name": person_name(locked)}
            )
    if Role.FOCAL_POINT in wanted and institution is None:
        raise PeopleError(_("A focal point belongs to an institution: choose it."))
    joins = Role.COMMITTEE_MEMBER in wanted - before_roles
    if seat is not None and Role.COMMITTEE_MEMBER not in wanted:
        raise PeopleError(_("A committee seat goes with the committee-member role."))
    if joins and seat is None and not Member.objects.current(on).filter(user=locked).exists():
        raise PeopleError(_("To make them a committee member, choose the committee and the seat."))
    handed, _ended = _handovers(
        locked,
        successors or {},
        active=locked.is_active,
        roles=wanted,
        institution_id=institution.pk if institution else None,
        required=True,
    )
    done = _hand_over(handed, acting_user=acting_user, on=on)
    before = {"roles": sorted(before_roles), "institution": locked.institution_id}
    after = {"roles": sorted(wanted), "institution": institution.pk if institution else None}
    if wanted != before_roles:
        groups = [Group.objects.get_or_create(name=role)[0] for role in sorted(wanted)]
        kept = locked.groups.exclude(name__in=ROLES)
        locked.groups.set([*kept, *groups])
    if locked.institution_id != after["institution"]:
        locked.institution = institution
        locked.save(update_fields=["institution"])
    if Role.COMMITTEE_MEMBER in before_roles - wanted:
        done += _end_seats(locked, acting_user=acting_user, on=on, reason="role_removed")
    if seat is not None:
        done.append(_add_seat(locked, seat, acting_user=acting_user, on=on))
    if before != after:
        AuditLog.record(
            actor=acting_user,
            action="people.change_account",
            target=locked,
            before=before,
            after=after,
        )
    _forget_caches(person, locked)
    person.institution = locked.institution
    return done


@transaction.atomic
def do_deactivate(
    person: User,
    *,
    acting_user: Any,
    successors: Mapping[int, User] | None = None,
    on: datetime.date | None = None,
) -> list[str]:
    """Turn ``person``'s account off: they can no longer sign in, their sessions end,
    their committee seats end, and each commitment they answered for goes to the
    successor chosen for it or waits for a hand-over. Their updates and history stay.
    Nobody deactivates themselves, nor the last active secretariat account."""
    locked = _locked(person, acting_user)
    on = on or timezone.localdate()
    if not locked.is_active:
        raise PeopleError(_("This account is already deactivated."))
    if locked.pk == getattr(acting_user, "pk", None):
        raise PeopleError(_("You cannot deactivate your own account."))
    if Role.SECRETARIAT in roles_of(locked) and _is_last_secretariat(locked):
        raise PeopleError(
            _("%(name)s is the last active member of the secretariat: the account stays active.")
            % {"name": person_name(locked)}
        )
    handed, ended = _handovers(
        locked,
        successors or {},
        active=False,
        roles=set(),
        institution_id=None,
        required=False,
    )
    done = _hand_over(handed, acting_user=acting_user, on=on)
    done += _end_assignments(ended, acting_user=acting_user, on=on, reason="account_deactivated")
    done += _end_seats(locked, acting_user=acting_user, on=on, reason="account_deactivated")
    locked.is_active = False
    locked.save(update_fields=["is_active"])
    sessions = end_sessions(locked)
    AuditLog.record(
        actor=acting_user,
        action="people.deactivate_account",
        target=locked,
        before={"is_active": True},
        after={
            "is_active": False,
            "sessions_ended": sessions,
            "handed_over": {str(a.commitment_id): s.pk for a, s in handed},
            "assignments_ended": [a.commitment_id for a in ended],
        },
    )
    _forget_caches(person, locked)
    person.is_active = False
    return done


@transaction.atomic
def do_reactivate(person: User, *, acting_user: Any) -> None:
    """Let ``person`` sign in again. Their roles are as they were; the commitments and
    seats they lost stay with whoever has them now (hand them over again if needed)."""
    locked = _locked(person, acting_user)
    if locked.is_active:
        raise PeopleError(_("This account is already active."))
    locked.is_active = True
    locked.save(update_fields=["is_active"])
    AuditLog.record(
        actor=acting_user,
        action="people.reactivate_account",
        target=locked,
        before={"is_active": False},
        after={"is_active": True},
    )
    person.is_active = True


@transaction.atomic
def do_end_sessions(person: User, *, acting_user: Any) -> int:
    """Sign ``person`` out everywhere (every browser they signed in with); return how
    many sessions ended."""
    locked = _locked(person, acting_user)
    ended = end_sessions(locked)
    AuditLog.record(
        actor=acting_user,
        action="people.end_sessions",
        target=locked,
        after={"sessions_ended": ended},
    )
    return ended
