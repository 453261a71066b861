"""Every write of invitations: invite, resend, withdraw (the secretariat, ``people.manage``)
and accept (the invited person, holding the link's key).

The link's key is never stored: it is derived from a random nonce with the server's
secret key (:func:`key_of`), and only its SHA-256 digest is kept to find the invitation.
The mail is written by a background task after commit (``apps.people.tasks``), which
derives the key again from the nonce: the clear key is in the mail and nowhere else.

Accepting goes through django-allauth: the link's page stashes the address as verified
and sends a newcomer to allauth's sign-up; when the account is created
(``user_signed_up``), :func:`apply_pending_invitation` accepts the invitation for it. A
person who already has an account signs in and accepts on the link's page.
"""

from __future__ import annotations

import base64
import datetime
import hashlib
import secrets
from dataclasses import dataclass
from typing import Any

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.models import Group
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from apps.accounts.models import Institution, User
from apps.accounts.roles import Role
from apps.committees.models import Committee, Member, Seat
from apps.core.errors import ActionError, check_permission, report_error
from apps.core.languages import LANGUAGES
from apps.core.models import AuditLog
from apps.people.models import Invitation, InvitationStatus

# The session key holding the invitation a newcomer is signing up for (its id and the
# digest of its key: the clear key does not go in the session either).
SESSION_KEY = "people.invitation"
KEY_LENGTH = 43  # 32 bytes, URL-safe base64 without padding


class InvitationError(ActionError):
    """An invitation that cannot be sent, resent, withdrawn or accepted (translated)."""


def _refusal() -> InvitationError:
    return InvitationError(_("Only the secretariat invites people."))


# Keys -----------------------------------------------------------------------------------


def key_of(nonce: str) -> str:
    """The link's key for ``nonce``: an HMAC with the server's secret key, so that the
    nonce stored in the database is not enough to make a valid link."""
    mac = salted_hmac("apps.people.invitation", nonce, algorithm="sha256").digest()
    return base64.urlsafe_b64encode(mac).decode().rstrip("=")


def digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def _new_key() -> tuple[str, str]:
    """A fresh (nonce, digest of its key)."""
    nonce = secrets.token_urlsafe(32)
    return nonce, digest(key_of(nonce))


def find(key: str) -> Invitation | None:
    """The invitation whose link carries ``key`` (whatever its status), or None."""
    if len(key) != KEY_LENGTH or not key.replace("-", "").replace("_", "").isalnum():
        return None
    return Invitation.objects.for_list().filter(key_digest=digest(key)).first()


def link_key(invitation: Invitation) -> str:
    """The key of the invitation's current link (for the mail)."""
    return key_of(invitation.key_nonce)


def _expiry(now: datetime.datetime) -> datetime.datetime:
    return now + datetime.timedelta(days=settings.SHARAKA_INVITATION_DAYS)


# Accounts -------------------------------------------------------------------------------


def normalise(email: str) -> str:
    return email.strip().lower()


def accounts_with(email: str) -> Any:
    """The accounts using ``email``: as their address, or as one of allauth's addresses."""
    return User.objects.filter(
        Q(email__iexact=email)
        | Q(pk__in=EmailAddress.objects.filter(email__iexact=email).values("user"))
    )


def account_with(email: str) -> User | None:
    return accounts_with(email).order_by("pk").first()


def holds_a_role(user: User) -> bool:
    return bool(user.is_superuser or user.groups.filter(name__in=Role.values).exists())


def owns_address(user: Any, email: str) -> bool:
    """Whether ``email`` is ``user``'s: their account's address, or one allauth verified."""
    if (getattr(user, "email", "") or "").lower() == email.lower():
        return True
    return EmailAddress.objects.filter(user=user, email__iexact=email, verified=True).exists()


# Invite, resend, withdraw ---------------------------------------------------------------


@dataclass
class InvitationDraft:
    """What the secretariat fills in (checked by the form, and again here)."""

    email: str
    first_name: str
    last_name: str
    role: str
    language: str
    institution: Institution | None = None
    committee: Committee | None = None
    seat: str = ""
    member_role: str = ""


def _check_draft(draft: InvitationDraft) -> dict[str, Any]:
    """The invitation's fields, or an :class:`InvitationError` saying what is wrong."""
    email = normalise(draft.email)
    if not email or "@" not in email:
        raise InvitationError(_("Enter the person's e-mail address."))
    if not draft.first_name.strip() or not draft.last_name.strip():
        raise InvitationError(_("Enter the person's first and last name."))
    if draft.role not in Role.values:
        raise InvitationError(_("Choose a role."))
    if draft.language not in LANGUAGES:
        raise InvitationError(_("Choose the language of the mail and of the account."))
    institution = None
    if draft.institution is not None:
        institution = Institution.objects.filter(pk=draft.institution.pk).first()
        if institution is None:
            raise InvitationError(_("This institution does not exist."))
    if draft.role == Role.FOCAL_POINT and institution is None:
        raise InvitationError(_("A focal point answers for an institution: choose it."))
    committee, seat, member_role = None, "", ""
    if draft.role == Role.COMMITTEE_MEMBER:
        if draft.committee is not None:
            committee = Committee.objects.filter(pk=draft.committee.pk).first()
        if committee is None or draft.seat not in Seat.values:
            raise InvitationError(
                _("A committee member sits on a committee: choose the committee and the seat.")
            )
        seat = draft.seat
        member_role = draft.member_role or Member.Role.MEMBER
        if member_role not in Member.Role.values:
            raise InvitationError(_("Choose the role on the committee."))
    return {
        "email": email,
        "first_name": draft.first_name.strip(),
        "last_name": draft.last_name.strip(),
        "role": draft.role,
        "language": draft.language,
        "institution": institution,
        "committee": committee,
        "seat": seat,
        "member_role": member_role,
    }


def _audit_state(invitation: Invitation) -> dict[str, Any]:
    return {
        "email": invitation.email,
        "name": invitation.full_name,
        "role": invitation.role,
        "institution": invitation.institution_id,
        "committee": invitation.committee_id,
        "seat": invitation.seat,
        "language": invitation.language,
        "expires_at": invitation.expires_at.isoformat(),
    }


def _send_after_commit(invitation: Invitation) -> None:
    from apps.people.tasks import send_invitation_mail_task

    pk, sent = invitation.pk, invitation.times_sent
    transaction.on_commit(lambda: send_invitation_mail_task.enqueue(pk, sent))


@transaction.atomic
def do_invite(draft: InvitationDraft, *, acting_user: Any) -> Invitation:
    """Invite a person: the row, its audit row, and the mail (in the invitation's
    language, after commit). Refused, with nothing written, for an address whose account
    already holds a role (their role is changed on the people page) or that already has
    a pending invitation (resend it instead)."""
    check_permission(acting_user, "people.manage", None, _refusal())
    fields = _check_draft(draft)
    email = fields["email"]
    account = account_with(email)
    if account is not None and holds_a_role(account):
        raise InvitationError(
            _(
                "%(email)s already has an account with a role on the platform: change their "
                "role on the people page instead."
            )
            % {"email": email}
        )
    if Invitation.objects.pending().filter(email__iexact=email).exists():
        raise InvitationError(
            _("%(email)s already has a pending invitation: resend it instead.") % {"email": email}
        )
    now = timezone.now()
    nonce, key_digest = _new_key()
    try:
        with transaction.atomic():  # two invitations at once: the second hits the index
            invitation = Invitation.objects.create(
                **fields,
                key_nonce=nonce,
                key_digest=key_digest,
                invited_by=acting_user if getattr(acting_user, "is_authenticated", False) else None,
                created_at=now,
                expires_at=_expiry(now),
                last_sent_at=now,
                times_sent=1,
            )
    except IntegrityError:
        raise InvitationError(
            _("%(email)s already has a pending invitation: resend it instead.") % {"email": email}
        ) from None
    AuditLog.record(
        actor=acting_user, action="people.invite", target=invitation, after=_audit_state(invitation)
    )
    _send_after_commit(invitation)
    return invitation


def _locked(invitation: Invitation | int) -> Invitation:
    pk = invitation if isinstance(invitation, int) else invitation.pk
    locked = Invitation.objects.select_for_update().filter(pk=pk).first()
    if locked is None:
        raise InvitationError(_("No such invitation."))
    return locked


def _refuse_closed(invitation: Invitation) -> None:
    if invitation.is_accepted:
        raise InvitationError(_("This invitation was already accepted."))
    if invitation.is_withdrawn:
        raise InvitationError(_("This invitation was withdrawn."))


@transaction.atomic
def do_resend_invitation(invitation: Invitation | int, *, acting_user: Any) -> Invitation:
    """Send the invitation again, with a new link and a new expiry: the previous link no
    longer works. An expired invitation can be resent; an accepted or withdrawn one not."""
    check_permission(acting_user, "people.manage", None, _refusal())
    locked = _locked(invitation)
    _refuse_closed(locked)
    before = {"expires_at": locked.expires_at.isoformat(), "times_sent": locked.times_sent}
    now = timezone.now()
    locked.key_nonce, locked.key_digest = _new_key()
    locked.expires_at = _expiry(now)
    locked.last_sent_at = now
    locked.times_sent += 1
    locked.save(
        update_fields=["key_nonce", "key_digest", "expires_at", "last_sent_at", "times_sent"]
    )
    AuditLog.record(
        actor=acting_user,
        action="people.resend_invitation",
        target=locked,
        before=before,
        after={"expires_at": locked.expires_at.isoformat(), "times_sent": locked.times_sent},
    )
    _send_after_commit(locked)
    return locked


@transaction.atomic
def do_withdraw_invitation(invitation: Invitation | int, *, acting_user: Any) -> Invitation:
    """Withdraw a pending invitation: its link stops working for good."""
    check_permission(acting_user, "people.manage", None, _refusal())
    locked = _locked(invitation)
    _refuse_closed(locked)
    locked.status = InvitationStatus.WITHDRAWN
    locked.withdrawn_at = timezone.now()
    locked.save(update_fields=["status", "withdrawn_at"])
    AuditLog.record(
        actor=acting_user,
        action="people.withdraw_invitation",
        target=locked,
        before={"status": InvitationStatus.PENDING},
        after={"status": locked.status},
    )
    return locked


# Accept ---------------------------------------------------------------------------------


def refusal_of(invitation: Invitation) -> InvitationError | None:
    """Why the invitation's link no longer works, or None while it does."""
    if invitation.is_accepted:
        return InvitationError(_("This invitation was already used."))
    if invitation.is_withdrawn:
        return InvitationError(_("This invitation was withdrawn by the secretariat."))
    if invitation.is_expired:
        return InvitationError(_("This invitation has expired: ask the secretariat to resend it."))
    return None


def _apply(invitation: Invitation, user: User, *, new_account: bool) -> dict[str, Any]:
    """Give ``user`` what the invitation says; return what changed (for the audit)."""
    changed: dict[str, Any] = {"role": invitation.role}
    user.groups.add(Group.objects.get_or_create(name=invitation.role)[0])
    user.forget_access()
    fields = []
    if invitation.institution_id and user.institution_id != invitation.institution_id:
        user.institution_id = invitation.institution_id
        fields.append("institution")
        changed["institution"] = invitation.institution_id
    # A new account takes the invitation's name and language; an existing one keeps what
    # its owner chose, and gets the name only where it had none.
    if new_account or not (user.first_name or user.last_name):
        user.first_name, user.last_name = invitation.first_name, invitation.last_name
        fields += ["first_name", "last_name"]
        changed["name"] = invitation.full_name
    if new_account and user.preferred_language != invitation.language:
        user.preferred_language = invitation.language
        fields.append("preferred_language")
        changed["preferred_language"] = invitation.language
    if fields:
        user.save(update_fields=fields)
    if invitation.role == Role.COMMITTEE_MEMBER and invitation.committee_id:
        member = Member.objects.create(
            committee_id=invitation.committee_id,
            user=user,
            name=invitation.full_name,
            institution_id=invitation.institution_id,
            seat=invitation.seat,
            role=invitation.member_role or Member.Role.MEMBER,
            term_start=timezone.localdate(),
            order=Member.objects.filter(committee_id=invitation.committee_id).count() + 1,
        )
        AuditLog.record(
            actor=user,
            action="committees.add_member",
            target=member,
            after={
                "committee": member.committee_id,
                "user": user.pk,
                "seat": member.seat,
                "role": member.role,
                "term_start": member.term_start.isoformat() if member.term_start else None,
            },
        )
        changed["member"] = member.pk
    return changed


@transaction.atomic
def do_accept_invitation(
    invitation: Invitation | int, *, acting_user: Any, new_account: bool = False
) -> Invitation:
    """``acting_user`` accepts the invitation: the role (its group), the institution, a
    committee member's seat from today; a new account (``new_account``: just created
    through the invitation) also takes the invitation's name and language. Once only:
    the row is locked, so two requests at once accept it once, the second is refused."""
    if not getattr(acting_user, "is_authenticated", False) or not acting_user.is_active:
        raise InvitationError(_("Sign in to accept the invitation."))
    locked = _locked(invitation)
    refusal = refusal_of(locked)
    if refusal is not None:
        raise refusal
    if not owns_address(acting_user, locked.email):
        raise InvitationError(
            _(
                "This invitation was sent to %(email)s, not to the address of the account you "
                "are signed in with. Sign out, then open the link again."
            )
            % {"email": locked.email}
        )
    if (
        locked.institution_id
        and acting_user.institution_id not in (None, locked.institution_id)
        and holds_a_role(acting_user)
    ):
        raise InvitationError(
            _(
                "Your account already answers for another institution: ask the secretariat "
                "to change it on the people page."
            )
        )
    changed = _apply(locked, acting_user, new_account=new_account)
    locked.status = InvitationStatus.ACCEPTED
    locked.accepted_by = acting_user
    locked.accepted_at = timezone.now()
    locked.save(update_fields=["status", "accepted_by", "accepted_at"])
    AuditLog.record(
        actor=acting_user,
        action="people.accept_invitation",
        target=locked,
        before={"status": InvitationStatus.PENDING},
        after={"status": locked.status, "account": acting_user.pk, **changed},
    )
    return locked


# The sign-up of a newcomer --------------------------------------------------------------


def remember_for_signup(request: HttpRequest, invitation: Invitation) -> None:
    """Before allauth's sign-up: the address counts as verified (the person holds the
    link mailed to it), and the invitation waits in the session for the new account."""
    from allauth.account.adapter import get_adapter

    get_adapter(request).stash_verified_email(request, invitation.email)
    request.session[SESSION_KEY] = {"id": invitation.pk, "digest": invitation.key_digest}


def apply_pending_invitation(request: HttpRequest | None, user: Any) -> Invitation | None:
    """After allauth created ``user``'s account: accept the invitation remembered in the
    session, if any. A refusal (withdrawn meanwhile, expired…) leaves a plain account and
    a message; the account exists either way."""
    if request is None or not hasattr(request, "session"):
        return None
    held = request.session.pop(SESSION_KEY, None)
    if not isinstance(held, dict) or not isinstance(held.get("id"), int):
        return None
    invitation = Invitation.objects.filter(
        pk=int(held["id"]), key_digest=str(held.get("digest", ""))
    ).first()
    if invitation is None:
        messages.warning(
            request,
            _("The invitation was resent or withdrawn meanwhile: your account has no role yet."),
        )
        return None
    try:
        return do_accept_invitation(invitation, acting_user=user, new_account=True)
    except InvitationError as error:
        report_error(request, error)
        return None


def on_signed_up(
    sender: Any, request: HttpRequest | None = None, user: Any = None, **kw: Any
) -> None:
    """allauth's ``user_signed_up`` signal (connected in ``PeopleConfig.ready``)."""
    if user is not None:
        apply_pending_invitation(request, user)


# Personal data ----------------------------------------------------------------------------


def invitations_of(user: Any) -> Any:
    """The invitations that name ``user``: accepted with their account, or sent to one of
    its addresses (for the person's data page and download)."""
    addresses = {normalise(user.email)} if getattr(user, "email", "") else set()
    addresses |= {
        normalise(e) for e in EmailAddress.objects.filter(user=user).values_list("email", flat=True)
    }
    return Invitation.objects.filter(Q(accepted_by=user) | Q(email__in=addresses)).select_related(
        "institution", "committee"
    )


def forget_invitations_of(user: Any, pseudonym: str) -> int:
    """For an erasure (call it before the account's addresses are cleared): the
    invitations naming ``user`` keep their role, dates and audit rows, but their address
    and name become the pseudonym; a pending one is withdrawn (its link dies). Returns how
    many invitations were changed."""
    rows = list(invitations_of(user).select_for_update().values_list("pk", flat=True))
    Invitation.objects.filter(pk__in=rows, status=InvitationStatus.PENDING).update(
        status=InvitationStatus.WITHDRAWN, withdrawn_at=timezone.now()
    )
    return Invitation.objects.filter(pk__in=rows).update(
        email=f"{pseudonym}@erased.invalid", first_name=pseudonym, last_name=""
    )
