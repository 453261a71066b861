"""A person's own data: what the platform holds about them (shown on "My data" and
downloaded as JSON), and the erasure they may ask for.

Erasure is a pseudonymisation, not a deletion: the account stays, renamed
``former-user-<n>``, without a name, an e-mail address, a password, a role, a token, a
two-factor authenticator or a session; the names they gave in public (co-creation,
consultation) become the pseudonym. What they did (updates, decisions, comments, audit
rows) stays and points at the pseudonymised account, so the audit trail keeps its
integrity. It is refused while the person still holds work others count on.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.usersessions.models import UserSession
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.db.models import Prefetch, Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.accounts.models import ApiToken
from apps.accounts.roles import Role
from apps.accounts.sessions import end_sessions
from apps.cocreation.models import Comment as ProposalComment
from apps.cocreation.models import Follow, MeetingRegistration, Proposal
from apps.cocreation.personal_data import personal_data as cocreation_data
from apps.committees.models import ActionItem, Attendance, Member
from apps.core.errors import ActionError
from apps.core.models import AuditLog
from apps.core.visitors import normalise_email
from apps.people.invitations import forget_invitations_of, invitations_of
from apps.reports.models import Participant, PublicComment, ReviewComment
from apps.tracking.models import (
    ChangeRequest,
    Evidence,
    FocalPointAssignment,
    ProgressUpdate,
    UpdateStatus,
)
from apps.tracking.models import Follow as ProgressFollow

PSEUDONYM_PREFIX = "former-user-"
FORMAT_VERSION = 1


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def _consultation_participants(user: Any) -> Any:
    """The consultation's participants who are this person: the address they verified
    is the account's (a participant is not an account; the link is the address)."""
    if not user.email:
        return Participant.objects.none()
    return Participant.objects.filter(email=normalise_email(user.email), verified_at__isnull=False)


def _progress_follows(user: Any) -> Any:
    """The person's follows of a plan's progress: their account's, and those given as
    an address, by one of the account's addresses (a visitor's follow has no account)."""
    addresses = {normalise_email(user.email)} if user.email else set()
    addresses |= {
        normalise_email(a)
        for a in EmailAddress.objects.filter(user=user).values_list("email", flat=True)
    }
    return ProgressFollow.objects.filter(
        Q(account=user) | Q(account__isnull=True, email__in=addresses)
    )


def personal_data(user: Any) -> dict[str, Any]:
    """Everything the platform holds about ``user``, as they download it. A fixed number
    of queries whatever they did (one per kind of record, and prefetches)."""
    updates = (
        ProgressUpdate.objects.filter(author=user)
        .select_related("activity__commitment__plan")
        .prefetch_related(Prefetch("evidence", queryset=Evidence.objects.order_by("pk")))
        .order_by("created_at", "pk")
    )
    assignments = (
        FocalPointAssignment.objects.filter(user=user)
        .select_related("commitment__plan")
        .order_by("started_on", "pk")
    )
    changes = (
        ChangeRequest.objects.filter(proposed_by=user)
        .select_related("activity__commitment__plan")
        .order_by("created_at", "pk")
    )
    seats = (
        Member.objects.filter(user=user)
        .select_related("committee", "institution")
        .prefetch_related(
            Prefetch(
                "attendances",
                queryset=Attendance.objects.select_related("meeting").order_by(
                    "meeting__starts_at", "pk"
                ),
            )
        )
        .order_by("pk")
    )
    reviews = (
        ReviewComment.objects.filter(author=user)
        .select_related("cycle__plan", "commitment")
        .order_by("created_at", "pk")
    )
    consultation = (
        PublicComment.objects.filter(participant__in=_consultation_participants(user))
        .select_related("cycle__plan", "commitment", "participant")
        .order_by("created_at", "pk")
    )
    addresses = EmailAddress.objects.filter(user=user).order_by("pk")
    authenticators = Authenticator.objects.filter(user=user).order_by("pk")
    tokens = ApiToken.objects.filter(user=user).order_by("created_at", "pk")
    sessions = UserSession.objects.filter(user=user).order_by("created_at", "pk")
    audit = AuditLog.objects.filter(actor=user).order_by("at", "pk")
    progress_follows = (
        _progress_follows(user)
        .select_related("plan", "commitment__plan")
        .order_by("created_at", "pk")
    )
    institution = user.institution
    cocreation = cocreation_data(user)
    cocreation.pop("account", None)  # said once, below
    return {
        "format_version": FORMAT_VERSION,
        "account": {
            "username": user.get_username(),
            "email": user.email,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "preferred_language": user.preferred_language,
            "date_joined": _iso(user.date_joined),
            "last_login": _iso(user.last_login),
            "is_active": user.is_active,
            "email_addresses": [
                {"email": a.email, "verified": a.verified, "primary": a.primary} for a in addresses
            ],
            "two_factor": [
                {
                    "type": a.type,
                    "created_at": _iso(a.created_at),
                    "last_used_at": _iso(a.last_used_at),
                }
                for a in authenticators
            ],
        },
        "roles": sorted(user.groups.values_list("name", flat=True)),
        "institution": (
            {"slug": institution.slug, "name": institution.name, "kind": institution.kind}
            if institution is not None
            else None
        ),
        "focal_point_assignments": [
            {
                "plan": a.commitment.plan.slug,
                "commitment": a.commitment.number,
                "commitment_title": a.commitment.title,
                "since": _iso(a.started_on),
                "until": _iso(a.ended_on),
                "note": a.note,
            }
            for a in assignments
        ],
        "progress_updates": [
            {
                "plan": u.activity.commitment.plan.slug,
                "commitment": u.activity.commitment.number,
                "activity": u.activity.title,
                "progress": u.progress,
                "status": u.status,
                "source": u.source,
                "language": u.language,
                "narrative": getattr(u, f"narrative_{u.language}", None) or u.narrative,
                "reported_on": _iso(u.reported_on),
                "written_at": _iso(u.created_at),
                "submitted_at": _iso(u.submitted_at),
                "validated_at": _iso(u.validated_at),
                "evidence": [e.original_name or e.url for e in u.evidence.all()],
            }
            for u in updates
        ],
        "change_requests": [
            {
                "plan": c.activity.commitment.plan.slug,
                "commitment": c.activity.commitment.number,
                "activity": c.activity.title,
                "from": c.current_progress,
                "to": c.proposed_progress,
                "justification": c.justification,
                "status": c.status,
                "written_at": _iso(c.created_at),
            }
            for c in changes
        ],
        "committee_seats": [
            {
                "committee": m.committee.name,
                "name": m.name,
                "institution": m.institution.name if m.institution else m.affiliation,
                "seat": m.seat,
                "role": m.role,
                "term_start": _iso(m.term_start),
                "term_end": _iso(m.term_end),
                "attendance": [
                    {"meeting": _iso(a.meeting.starts_at), "status": a.status}
                    for a in m.attendances.all()
                ],
            }
            for m in seats
        ],
        "report_review_comments": [
            {
                "report": f"{r.cycle.plan.slug} {r.cycle.kind} {r.cycle.year}",
                "section": r.section,
                "commitment": r.commitment.number if r.commitment else None,
                "comment": r.body,
                "resolution": r.resolution,
                "written_at": _iso(r.created_at),
            }
            for r in reviews
        ],
        "consultation_comments": [
            {
                "report": f"{c.cycle.plan.slug} {c.cycle.kind} {c.cycle.year}",
                "public_name": c.participant.name,
                "organisation": c.participant.organisation,
                "section": c.section,
                "commitment": c.commitment.number if c.commitment else None,
                "comment": c.body,
                "status": c.status,
                "written_at": _iso(c.created_at),
            }
            for c in consultation
        ],
        "cocreation": cocreation,
        "progress_follows": [
            {
                "plan": (f.plan or f.commitment.plan).slug,
                "commitment": f.commitment.number if f.commitment else None,
                "email": f.email or None,
                "language": f.language,
                "followed_since": _iso(f.created_at),
                "confirmed_at": _iso(f.confirmed_at),
            }
            for f in progress_follows
        ],
        "api_tokens": [
            {
                "name": t.name,
                "prefix": t.prefix,
                "created_at": _iso(t.created_at),
                "last_used_at": _iso(t.last_used_at),
                "expires_at": _iso(t.expires_at),
                "revoked_at": _iso(t.revoked_at),
            }
            for t in tokens
        ],
        "invitations": [
            {
                "role": i.role,
                "institution": i.institution.name if i.institution else None,
                "committee": str(i.committee) if i.committee else None,
                "email": i.email,
                "name": f"{i.first_name} {i.last_name}".strip(),
                "language": i.language,
                "status": i.status,
                "sent_at": _iso(i.created_at),
                "accepted_at": _iso(i.accepted_at),
            }
            for i in invitations_of(user)
        ],
        "sessions": [
            {
                "ip": s.ip,
                "user_agent": s.user_agent,
                "created_at": _iso(s.created_at),
                "last_seen_at": _iso(s.last_seen_at),
            }
            for s in sessions
        ],
        "audit": [
            {
                "at": _iso(row.at),
                "action": row.action,
                "target": f"{row.target_type}#{row.target_id}",
            }
            for row in audit
        ],
    }


# Erasure ----------------------------------------------------------------------------------


class ErasureRefused(ActionError):
    """The person still holds work others count on, or did not confirm."""


@dataclass(frozen=True)
class OpenWork:
    """One kind of work that keeps an account from being erased, and how much."""

    kind: str
    count: int
    label: str


def _action_items_of(user: Any) -> Any:
    """Open action items owned by the person: the minutes name an owner in words (and an
    institution), so the account's full name is what links them."""
    name = user.get_full_name().strip()
    if not name:
        return ActionItem.objects.none()
    return ActionItem.objects.open().filter(owner_name__iexact=name)


def open_work(user: Any) -> list[OpenWork]:
    """What keeps ``user`` from being erased (empty: nothing). Five small queries."""
    found: list[tuple[str, int, Any]] = [
        (
            "secretariat",
            int(user.is_superuser or user.has_role(Role.SECRETARIAT)),
            gettext_lazy("the secretariat role (the administrators close such accounts)"),
        ),
        (
            "assignments",
            FocalPointAssignment.objects.current().filter(user=user).count(),
            gettext_lazy("commitments you are currently the focal point of"),
        ),
        (
            "updates",
            ProgressUpdate.objects.filter(author=user, status=UpdateStatus.SUBMITTED).count(),
            gettext_lazy("progress updates awaiting validation"),
        ),
        (
            "seats",
            Member.objects.current().filter(user=user).count(),
            gettext_lazy("a current committee seat"),
        ),
        (
            "action_items",
            _action_items_of(user).count(),
            gettext_lazy("open action items in your name"),
        ),
    ]
    return [OpenWork(kind, count, str(label)) for kind, count, label in found if count]


def _refusal(work: Iterable[OpenWork]) -> str:
    listed = "; ".join(f"{w.label} ({w.count})" for w in work)
    return _(
        "Your account cannot be erased while you still hold work others count on: "
        "%(work)s. Ask the secretariat to hand it over or close it first."
    ) % {"work": listed}


def pseudonym_for(user: Any) -> str:
    """``former-user-<id>``: unique, and says nothing of the person."""
    return f"{PSEUDONYM_PREFIX}{user.pk}"


def _scrub_account_trail(user: Any, pseudonym: str) -> int:
    """The audit rows about the account itself (sign-ins, profile and address changes)
    keep their action and date, but the person's names, addresses and IP addresses in
    them become the pseudonym (or nothing); axes' records of their sign-in attempts go.
    Call it before the account's own fields are cleared. Returns the rows rewritten."""
    from axes.models import AccessAttempt, AccessFailureLog

    known = {user.username, user.email, user.first_name, user.last_name, user.get_full_name()}
    known |= set(EmailAddress.objects.filter(user=user).values_list("email", flat=True))
    known = {value.strip().lower() for value in known if value and value.strip()}

    def scrub(value: Any, key: str = "") -> Any:
        if isinstance(value, dict):
            return {k: scrub(v, k) for k, v in value.items()}
        if isinstance(value, list):
            return [scrub(v, key) for v in value]
        if key == "ip":
            return ""
        if isinstance(value, str) and value.strip().lower() in known:
            return pseudonym
        return value

    rewritten = 0
    rows = AuditLog.objects.filter(target_type=user._meta.label_lower, target_id=user.pk)
    for row in rows.only("pk", "before", "after"):
        before, after = scrub(row.before), scrub(row.after)
        if (before, after) != (row.before, row.after):
            AuditLog.objects.filter(pk=row.pk).update(before=before, after=after)
            rewritten += 1
    for model in (AccessAttempt, AccessFailureLog):
        model.objects.filter(username__in=known).delete()
    return rewritten


@transaction.atomic
def do_erase_person(*, acting_user: Any, password: str) -> Any:
    """Erase the signed-in person's personal data, keeping what they did.

    Checks the password, refuses while there is open work (:func:`open_work`), then, in
    one transaction: pseudonym as username; names, e-mail (and allauth's addresses)
    cleared; password unusable; inactive; groups, API tokens and two-factor
    authenticators removed; follows removed (of proposals, and of a plan's progress, by
    account or by one of its addresses); public names they gave (co-creation
    proposals and comments, meeting registrations, consultation comments) replaced by
    the pseudonym; their sessions ended. Every audit row stays and points at the
    pseudonymised account; the erasure is audited with counts only."""
    User = get_user_model()
    if not getattr(acting_user, "is_authenticated", False):
        raise ErasureRefused(_("Sign in to erase your account."))
    user = User.objects.select_for_update().get(pk=acting_user.pk)
    if not user.is_active:
        raise ErasureRefused(_("This account is closed."))
    if not password or not user.check_password(password):
        raise ErasureRefused(_("The password is not correct: nothing was erased."))
    work = open_work(user)
    if work:
        raise ErasureRefused(_refusal(work))
    pseudonym = pseudonym_for(user)
    participants = list(_consultation_participants(user).values_list("pk", flat=True))
    counts = {
        "proposals": Proposal.objects.filter(author=user).update(author_name=pseudonym),
        "comments": ProposalComment.objects.filter(author=user).update(author_name=pseudonym),
        "registrations": MeetingRegistration.objects.filter(account=user).update(
            name=pseudonym, organisation=""
        ),
        "consultation_participants": Participant.objects.filter(pk__in=participants).update(
            name=pseudonym, organisation="", email=f"{pseudonym}@erased.invalid"
        ),
        # Before the addresses are cleared: the invitations and the account's own audit
        # rows are found by address too.
        "invitations": forget_invitations_of(user, pseudonym),
        "account_trail": _scrub_account_trail(user, pseudonym),
        "follows": Follow.objects.filter(account=user).delete()[0],
        "progress_follows": _progress_follows(user).delete()[0],
        "api_tokens": ApiToken.objects.filter(user=user).delete()[0],
        "authenticators": Authenticator.objects.filter(user=user).delete()[0],
        "email_addresses": EmailAddress.objects.filter(user=user).delete()[0],
    }
    groups = list(user.groups.values_list("name", flat=True))
    user.groups.set(Group.objects.none())
    user.username = pseudonym
    user.first_name = user.last_name = user.email = ""
    user.set_unusable_password()
    user.is_active = user.is_staff = False
    user.save()
    # The sessions live outside this transaction's rows (the session store); ending them
    # last means a refusal above leaves the person signed in, as they were.
    counts["sessions"] = end_sessions(user)
    AuditLog.record(
        actor=None,
        action="people.erase_person",
        target=user,
        before={"roles": groups},
        after={**counts, "username": pseudonym},
    )
    return user
