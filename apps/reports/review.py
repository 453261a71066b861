"""The committees' review of a report (issue 8, part 5): every write of it.

Members of both committees comment on the latest version, per section or per
commitment, while the review stage is open; the secretariat resolves each comment,
accepted with a change or answered, with a response, never a comment it wrote itself.
The stage cannot close while a comment is open (``stages.closing_blockers``); a
published cycle takes no more comments and no resolution.
"""

from __future__ import annotations

import datetime
import uuid
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from apps.core.errors import check_permission
from apps.core.models import AuditLog
from apps.core.once import once
from apps.plans.models import Commitment
from apps.reports.actions import ReportError
from apps.reports.models import (
    COMMENT_MAX_LENGTH,
    ReportCycle,
    ReportVersion,
    Resolution,
    ReviewComment,
    Section,
    StageKey,
)
from apps.reports.stages import frozen_message, is_published, stage_is_open

RESOLUTIONS = (Resolution.ACCEPTED, Resolution.ANSWERED)


def latest_version(cycle: ReportCycle) -> ReportVersion | None:
    return cycle.versions.order_by("-number").first()


def version_numbers(version: ReportVersion) -> set[int]:
    """Numbers of the commitments the version reports on (its content, as generated)."""
    return {int(c["number"]) for c in version.content.get("commitments", [])}


def clean_text(text: Any, *, required: str | Promise) -> str:
    """Stripped text, refused when empty (``required`` says why), too long or holding a
    character no text may hold."""
    value = str(text or "").strip()
    if not value:
        raise ReportError(required)
    if len(value) > COMMENT_MAX_LENGTH:
        raise ReportError(
            _("A text holds at most %(count)d characters.") % {"count": COMMENT_MAX_LENGTH}
        )
    if "\x00" in value:
        raise ReportError(_("The text contains a forbidden character."))
    return value


@transaction.atomic
def do_comment_review(
    cycle: ReportCycle,
    *,
    section: str,
    commitment: Commitment | None,
    body: str,
    acting_user: Any,
    token: uuid.UUID | None = None,
    at: datetime.datetime | None = None,
) -> ReviewComment:
    """A committee member's comment on the latest version, on one section (or one
    commitment of that version). The same form posted twice (``token``) gives the comment
    the first post created."""
    cycle = ReportCycle.objects.select_for_update().get(pk=cycle.pk)
    day = timezone.localdate(at) if at else None
    if not stage_is_open(cycle, StageKey.REVIEW, day):
        raise ReportError(_("The committees comment only while the review stage is open."))
    check_permission(
        acting_user,
        "reports.comment_review",
        cycle,
        ReportError(_("Only members of the committees comment on the report under review.")),
    )
    if is_published(cycle):
        raise ReportError(frozen_message())
    if section not in Section.values:
        raise ReportError(_("Choose a section of the report."))
    version = latest_version(cycle)
    if version is None:
        raise ReportError(_("The report has no version to review yet."))
    if section == Section.COMMITMENT:
        if (
            commitment is None
            or commitment.plan_id != cycle.plan_id
            or commitment.number not in version_numbers(version)
        ):
            raise ReportError(_("Choose a commitment of the version under review."))
    else:
        commitment = None
    text = clean_text(body, required=_("Write a comment."))

    def create() -> ReviewComment:
        comment = ReviewComment.objects.create(
            cycle=cycle,
            version=version,
            section=section,
            commitment=commitment,
            body=text,
            author=acting_user,
            created_at=at or timezone.now(),
        )
        AuditLog.record(
            actor=acting_user,
            action="report.comment_review",
            target=comment,
            after={
                "version": version.number,
                "section": section,
                "commitment": commitment.number if commitment else None,
                "body": text,
            },
        )
        return comment

    comment, _created = once(token, "report.comment_review", ReviewComment, acting_user, create)
    return comment


@transaction.atomic
def do_resolve_review(
    comment: ReviewComment,
    *,
    resolution: str,
    response: str,
    acting_user: Any,
    at: datetime.datetime | None = None,
) -> ReviewComment:
    """The secretariat resolves a comment: accepted with a change, or answered; a response
    says what was changed or why not. Never by its author, never twice, never once the
    report is published."""
    comment = ReviewComment.objects.select_for_update().select_related("cycle").get(pk=comment.pk)
    if comment.author_id == getattr(acting_user, "pk", None):
        raise ReportError(_("Someone else resolves your own comment."))
    check_permission(
        acting_user,
        "reports.resolve_review",
        comment,
        ReportError(_("Only the secretariat resolves the committees' comments.")),
    )
    if is_published(comment.cycle):
        raise ReportError(frozen_message())
    if not comment.is_open:
        raise ReportError(_("This comment is already resolved."))
    if resolution not in RESOLUTIONS:
        raise ReportError(_("Choose: accepted with a change, or answered."))
    text = clean_text(response, required=_("Write the response to the comment."))
    comment.resolution = resolution
    comment.response = text
    comment.resolved_by = acting_user
    comment.resolved_at = at or timezone.now()
    comment.save(update_fields=["resolution", "response", "resolved_by", "resolved_at"])
    AuditLog.record(
        actor=acting_user,
        action="report.resolve_review",
        target=comment,
        before={"resolution": Resolution.OPEN},
        after={"resolution": resolution, "response": text},
    )
    return comment
