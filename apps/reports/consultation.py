"""The public consultation on a self-assessment report (issue 8, part 6): every write.

- Anyone comments while the consultation stage is open (:mod:`apps.reports.stages`), on
  the latest version, under a name and an e-mail address (an organisation is optional).
  The comment waits, unseen, until its author follows the link mailed to that address;
  a visitor whose session already verified that address is published at once.
- The secretariat hides a comment with a public reason, and publishes a reasoned
  response to every published one; responses stay editable until the stage closes. A
  published report takes none of these.
- The visitor's address is kept only as a keyed hash (``address_hash``): enough to see
  that many comments came from one place, not to say where from.

Each action owns its transaction, writes the audit row and mails only after commit.
"""

from __future__ import annotations

import datetime
import re
import secrets
import uuid
from functools import partial
from typing import Any

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from apps.core import visitors
from apps.core.errors import check_permission
from apps.core.languages import active_language
from apps.core.models import AuditLog
from apps.core.once import once
from apps.plans.models import Commitment
from apps.reports.actions import ReportError
from apps.reports.mail import VERIFY_DAYS
from apps.reports.models import (
    COMMENT_MAX_LENGTH,
    Participant,
    PublicComment,
    PublicCommentStatus,
    ReportCycle,
    Section,
    StageKey,
)
from apps.reports.stages import frozen_message, is_published, stage_is_open
from apps.reports.tasks import send_verification_mail_task

HIDDEN_REASON_MAX_LENGTH = 500
TOKEN = re.compile(r"[A-Za-z0-9_-]{20,64}")


# One participant per address, whatever its case or surrounding spaces.
normalise_email = visitors.normalise_email


def hash_address(address: str) -> str:
    """A keyed hash of the visitor's network address (the secret key is the key)."""
    return salted_hmac("reports.consultation.address", address, algorithm="sha256").hexdigest()


def _denied() -> ReportError:
    return ReportError(_("Only the secretariat moderates the public consultation."))


def _closed() -> ReportError:
    return ReportError(_("The public consultation on this report is not open."))


def _check_text(text: str, limit: int) -> str:
    text = text.strip()
    if not text:
        raise ReportError(_("Write the text first."))
    if len(text) > limit:
        raise ReportError(
            _("The text is too long (%(limit)d characters at most).") % {"limit": limit}
        )
    if "\x00" in text:
        raise ReportError(_("The text contains a forbidden character."))
    return text


def counts(cycle: ReportCycle) -> dict[str, int]:
    """Published, hidden, awaiting a response and unverified comments, in one query."""
    published = Q(status=PublicCommentStatus.PUBLISHED)
    return PublicComment.objects.filter(cycle=cycle).aggregate(
        published=Count("pk", filter=published),
        answered=Count("pk", filter=published & ~Q(response="")),
        awaiting=Count("pk", filter=published & Q(response="")),
        hidden=Count("pk", filter=Q(status=PublicCommentStatus.HIDDEN)),
        unverified=Count("pk", filter=Q(status=PublicCommentStatus.UNVERIFIED)),
    )


@transaction.atomic
def do_submit_public_comment(
    cycle: ReportCycle,
    *,
    name: str,
    email: str,
    organisation: str,
    section: str,
    commitment: Commitment | None,
    body: str,
    address: str,
    verified_participant: Participant | None = None,
    at: datetime.datetime | None = None,
    token: uuid.UUID | None = None,
) -> PublicComment:
    """A visitor's comment on the latest version. It waits for its author to follow the
    link mailed (after commit, in the active language) to ``email``; when the session
    already verified that address (``verified_participant``) it is published at once.

    An existing participant keeps the name and organisation they verified: only their
    verified session may change them (anyone may type someone else's address). The same
    form posted twice (``token``) stores one comment."""
    cycle = ReportCycle.objects.select_for_update().get(pk=cycle.pk)
    now = at or timezone.now()
    if is_published(cycle):
        raise ReportError(frozen_message())
    if not stage_is_open(cycle, StageKey.CONSULT, timezone.localdate(now)):
        raise _closed()
    version = cycle.versions.order_by("-number").first()
    if version is None:
        raise _closed()
    if section not in Section.values:
        raise ReportError(_("Choose the part of the report the comment is about."))
    if (section == Section.COMMITMENT) != (commitment is not None):
        raise ReportError(_("Choose the commitment the comment is about."))
    if commitment is not None and commitment.plan_id != cycle.plan_id:
        raise ReportError(_("This commitment is not part of this report's plan."))
    body = _check_text(body, COMMENT_MAX_LENGTH)
    name = name.strip()
    email = normalise_email(email)
    if not name or not email:
        raise ReportError(_("Give your name and your e-mail address."))

    def create() -> PublicComment:
        participant, created = Participant.objects.get_or_create(
            email=email,
            defaults={"name": name, "organisation": organisation.strip(), "created_at": now},
        )
        verified = (
            not created
            and verified_participant is not None
            and verified_participant.pk == participant.pk
            and participant.verified_at is not None
        )
        if verified and (participant.name, participant.organisation) != (name, organisation):
            participant.name, participant.organisation = name, organisation.strip()
            participant.save(update_fields=["name", "organisation"])
        comment = PublicComment.objects.create(
            cycle=cycle,
            version=version,
            section=section,
            commitment=commitment,
            body=body,
            created_at=now,
            participant=participant,
            status=PublicCommentStatus.PUBLISHED if verified else PublicCommentStatus.UNVERIFIED,
            verify_token="" if verified else secrets.token_urlsafe(32),
            address_hash=hash_address(address),
        )
        AuditLog.record(
            actor=None,  # a member of the public, not an account
            action="report.submit_public_comment",
            target=comment,
            after={"participant": participant.pk, "section": section, "status": comment.status},
        )
        if not verified:
            # Queued for the worker after commit: a mail server that is down never undoes the
            # comment nor fails the visitor's request.
            language = active_language()
            transaction.on_commit(
                partial(send_verification_mail_task.enqueue, comment.pk, language)
            )
        return comment

    comment, _created = once(token, "report.submit_public_comment", PublicComment, None, create)
    return comment


def comment_for_token(token: str) -> PublicComment | None:
    if not TOKEN.fullmatch(token):  # what secrets.token_urlsafe makes, and nothing else
        return None
    return (
        PublicComment.objects.select_related("participant", "cycle__plan")
        .filter(verify_token=token)
        .first()
    )


@transaction.atomic
def do_verify_comment(token: str, *, at: datetime.datetime | None = None) -> PublicComment:
    """Publish the comment the mailed link names, and mark its author's address verified.
    Following the link again changes nothing; a link older than :data:`VERIFY_DAYS`
    days, or followed after the consultation closed, publishes nothing."""
    found = comment_for_token(token)
    if found is None:
        raise ReportError(_("This verification link is not valid."))
    comment = (
        PublicComment.objects.select_for_update().select_related("participant").get(pk=found.pk)
    )
    if comment.status != PublicCommentStatus.UNVERIFIED:
        return comment
    now = at or timezone.now()
    if now - comment.created_at > datetime.timedelta(days=VERIFY_DAYS):
        raise ReportError(
            _(
                "This verification link has expired (it works for %(days)d days): "
                "send your comment again."
            )
            % {"days": VERIFY_DAYS}
        )
    if is_published(comment.cycle) or not stage_is_open(
        comment.cycle, StageKey.CONSULT, timezone.localdate(now)
    ):
        raise ReportError(
            _("The public consultation has closed: the comment can no longer be published.")
        )
    comment.status = PublicCommentStatus.PUBLISHED
    comment.save(update_fields=["status"])
    participant = comment.participant
    if participant.verified_at is None:
        participant.verified_at = now
        participant.save(update_fields=["verified_at"])
    AuditLog.record(
        actor=None,  # the link's holder, not an account
        action="report.verify_public_comment",
        target=comment,
        after={"status": comment.status},
    )
    return comment


def _locked_comment(comment: PublicComment) -> PublicComment:
    return PublicComment.objects.select_for_update().select_related("cycle").get(pk=comment.pk)


@transaction.atomic
def do_hide_comment(comment: PublicComment, *, reason: str, acting_user: Any) -> PublicComment:
    """Hide a published comment; the page shows the public ``reason`` in its place."""
    comment = _locked_comment(comment)
    check_permission(acting_user, "reports.moderate_consultation", comment.cycle, _denied())
    if is_published(comment.cycle):
        raise ReportError(frozen_message())
    if comment.status == PublicCommentStatus.UNVERIFIED:
        raise ReportError(_("This comment is not published: there is nothing to hide."))
    reason = _check_text(reason, HIDDEN_REASON_MAX_LENGTH)
    before = {"status": comment.status, "hidden_reason": comment.hidden_reason}
    comment.status = PublicCommentStatus.HIDDEN
    comment.hidden_reason = reason
    comment.moderated_by = acting_user
    comment.save(update_fields=["status", "hidden_reason", "moderated_by"])
    AuditLog.record(
        actor=acting_user,
        action="report.hide_public_comment",
        target=comment,
        before=before,
        after={"status": comment.status, "hidden_reason": reason},
    )
    return comment


@transaction.atomic
def do_respond(
    comment: PublicComment,
    *,
    response: str,
    acting_user: Any,
    at: datetime.datetime | None = None,
) -> PublicComment:
    """Publish (or edit) the secretariat's reasoned response to a published comment,
    while the consultation is open."""
    comment = _locked_comment(comment)
    check_permission(acting_user, "reports.moderate_consultation", comment.cycle, _denied())
    if is_published(comment.cycle):
        raise ReportError(frozen_message())
    when = at or timezone.now()
    if not stage_is_open(comment.cycle, StageKey.CONSULT, timezone.localdate(when)):
        raise ReportError(
            _("The public consultation has closed: its responses stay as they were published.")
        )
    if comment.status != PublicCommentStatus.PUBLISHED:
        raise ReportError(_("Only a published comment receives a response."))
    response = _check_text(response, COMMENT_MAX_LENGTH)
    before = {"response": comment.response}
    comment.response = response
    comment.responded_by = acting_user
    comment.responded_at = when
    comment.save(update_fields=["response", "responded_by", "responded_at"])
    AuditLog.record(
        actor=acting_user,
        action="report.respond_public_comment",
        target=comment,
        before=before,
        after={"response": response},
    )
    return comment
