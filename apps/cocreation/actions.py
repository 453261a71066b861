"""Every write of the co-creation: the process and its phases, themes, proposals and
their attachments, comments, supports, follows, moderation and merges, and a person's
own data. Each action owns its transaction, checks the phase and the permission, writes
the audit row and queues mail only after commit (``transaction.on_commit``).

Phase gating comes first: a proposal outside the phase that opens proposing, a support
or a comment after the window, is refused with a message that says so, and nothing is
stored. ``Proposal.supports_count`` and ``comments_count`` are kept here, in the same
transaction as the rows they count.
"""

from __future__ import annotations

import calendar
import datetime
import uuid
from collections.abc import Callable, Iterable, Sequence
from contextvars import ContextVar
from dataclasses import dataclass, field
from functools import partial, wraps
from typing import Any, ParamSpec, TypeVar

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.cocreation.models import (
    DEFAULT_PHASES,
    OPENING_FIELDS,
    Comment,
    Follow,
    Opening,
    Phase,
    Process,
    Proposal,
    ProposalAttachment,
    ProposalStatus,
    Region,
    Support,
    Theme,
)
from apps.core.errors import ActionError, check_permission
from apps.core.files import check_upload_quota
from apps.core.models import AuditLog
from apps.core.once import once
from apps.plans.models import ActionPlan

MAX_ATTACHMENTS = 5


class CocreationError(ActionError):
    """A co-creation change that cannot happen (phase closed, merge into itself…)."""


def _refused() -> CocreationError:
    return CocreationError(_("You may not do this."))


def _not_open(opening: Opening) -> CocreationError:
    messages = {
        Opening.PROPOSING: _("Proposals are not open: no phase under way takes proposals."),
        Opening.COMMENTING: _("Comments are not open: no phase under way takes comments."),
        Opening.SUPPORTING: _("Supports are not open: no phase under way takes supports."),
        Opening.SCORING: _("Scoring is not open: no phase under way opens scoring."),
        Opening.DRAFTING: _("Commitment cards are not open for drafting in this phase."),
    }
    return CocreationError(messages[opening])


def _check_phase(process: Process, opening: Opening) -> None:
    """Refuse unless the phase under way opens ``opening`` (read fresh, not cached)."""
    phases = list(Phase.objects.filter(process=process))
    current = [p for p in sorted(phases, key=lambda p: p.order) if p.is_open]
    if not current or not current[-1].opens(opening):
        raise _not_open(opening)


P = ParamSpec("P")
R = TypeVar("R")
_written_files: ContextVar[list[Any] | None] = ContextVar("_cocreation_files", default=None)


def _discards_files_on_failure(action: Callable[P, R]) -> Callable[P, R]:
    """Delete the files an action stored if it fails: a rollback keeps no row, and no
    file should stay behind either (as tracking does for evidence)."""

    @wraps(action)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        token = _written_files.set([])
        try:
            return action(*args, **kwargs)
        except BaseException:
            for stored in _written_files.get() or []:
                stored.storage.delete(stored.name)
            raise
        finally:
            _written_files.reset(token)

    return wrapper


# The process and its phases ------------------------------------------------------------


def _last_day(year: int, month: int) -> datetime.date:
    return datetime.date(year, month, calendar.monthrange(year, month)[1])


@transaction.atomic
def do_create_process(
    *,
    slug: str,
    year: int,
    titles: dict[str, str],
    acting_user: Any,
    member: str = "",
    previous_plan: ActionPlan | None = None,
) -> Process:
    """Create a co-creation process with the five phases of the default template laid
    out in ``year`` (method and themes in April … adoption in December)."""
    check_permission(acting_user, "cocreation.manage_process", None, _refused())
    if not titles.get("ar"):
        raise CocreationError(_("The process needs an Arabic title."))
    if Process.objects.filter(slug=slug).exists():
        raise CocreationError(_("A process with this short name already exists."))
    process = Process.objects.create(
        slug=slug,
        year=year,
        member=member,
        previous_plan=previous_plan,
        created_at=timezone.now(),
        **{f"title_{lang}": titles.get(lang, "") for lang in ("ar", "fr", "en")},
    )
    for order, (key, first, last, opens) in enumerate(DEFAULT_PHASES, start=1):
        Phase.objects.create(
            process=process,
            order=order,
            key=key,
            planned_start=datetime.date(year, first, 1),
            planned_end=_last_day(year, last),
            **{OPENING_FIELDS[Opening(o)]: True for o in opens},
        )
    AuditLog.record(
        actor=acting_user,
        action="cocreation.create_process",
        target=process,
        after={"slug": slug, "year": year, "title_ar": process.title_ar},
    )
    return process


def _phase_state(phase: Phase) -> dict[str, Any]:
    return {
        "planned_start": phase.planned_start.isoformat(),
        "planned_end": phase.planned_end.isoformat(),
        "started_on": phase.started_on.isoformat() if phase.started_on else None,
        "completed_on": phase.completed_on.isoformat() if phase.completed_on else None,
        **{name: getattr(phase, name) for name in OPENING_FIELDS.values()},
    }


def _diff(before: dict[str, Any], after: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    changed = [k for k in after if before.get(k) != after[k]]
    return {k: before.get(k) for k in changed}, {k: after[k] for k in changed}


@transaction.atomic
def do_plan_phase(
    phase: Phase,
    *,
    planned_start: datetime.date,
    planned_end: datetime.date,
    openings: Iterable[str],
    acting_user: Any,
) -> Phase:
    """Move a phase's planned window and choose what it opens."""
    check_permission(acting_user, "cocreation.manage_process", phase.process, _refused())
    if planned_end < planned_start:
        raise CocreationError(_("The end of the window must not be before its start."))
    phase = Phase.objects.select_for_update().get(pk=phase.pk)
    before = _phase_state(phase)
    phase.planned_start, phase.planned_end = planned_start, planned_end
    chosen = {Opening(o) for o in openings}
    for opening, name in OPENING_FIELDS.items():
        setattr(phase, name, opening in chosen)
    phase.save()
    old, new = _diff(before, _phase_state(phase))
    if new:
        AuditLog.record(
            actor=acting_user, action="cocreation.plan_phase", target=phase, before=old, after=new
        )
    return phase


@transaction.atomic
def do_start_phase(phase: Phase, *, acting_user: Any, on: datetime.date | None = None) -> Phase:
    """Open a phase: what it opens is open from now on. Only one phase is under way at a
    time: the one before must be completed first."""
    check_permission(acting_user, "cocreation.manage_process", phase.process, _refused())
    phase = Phase.objects.select_for_update().get(pk=phase.pk)
    if phase.started_on is not None and phase.completed_on is None:
        raise CocreationError(_("This phase is already under way."))
    other = (
        Phase.objects.filter(process_id=phase.process_id, started_on__isnull=False)
        .filter(completed_on__isnull=True)
        .exclude(pk=phase.pk)
        .first()
    )
    if other is not None:
        raise CocreationError(
            _("Another phase is under way (%(phase)s): complete it first.")
            % {"phase": other.get_key_display()}
        )
    before = _phase_state(phase)
    phase.started_on = on or timezone.localdate()
    phase.completed_on = None
    phase.save(update_fields=["started_on", "completed_on"])
    old, new = _diff(before, _phase_state(phase))
    AuditLog.record(
        actor=acting_user, action="cocreation.start_phase", target=phase, before=old, after=new
    )
    return phase


@transaction.atomic
def do_complete_phase(phase: Phase, *, acting_user: Any, on: datetime.date | None = None) -> Phase:
    """Close the phase under way: what it opened is closed from now on."""
    check_permission(acting_user, "cocreation.manage_process", phase.process, _refused())
    phase = Phase.objects.select_for_update().get(pk=phase.pk)
    if phase.started_on is None or phase.completed_on is not None:
        raise CocreationError(_("Only a phase under way can be completed."))
    day = on or timezone.localdate()
    if day < phase.started_on:
        raise CocreationError(_("A phase cannot end before it started."))
    phase.completed_on = day
    phase.save(update_fields=["completed_on"])
    AuditLog.record(
        actor=acting_user,
        action="cocreation.complete_phase",
        target=phase,
        after={"completed_on": day.isoformat()},
    )
    return phase


@transaction.atomic
def do_save_theme(
    process: Process,
    *,
    titles: dict[str, str],
    acting_user: Any,
    descriptions: dict[str, str] | None = None,
    theme: Theme | None = None,
    order: int | None = None,
) -> Theme:
    """Propose a theme (axis) of the process, or change one."""
    check_permission(acting_user, "cocreation.manage_process", process, _refused())
    if not titles.get("ar"):
        raise CocreationError(_("A theme needs an Arabic title."))
    descriptions = descriptions or {}
    if theme is None:
        theme = Theme(process=process)
        if order is None:
            order = Theme.objects.filter(process=process).count() + 1
        before: dict[str, Any] = {}
    else:
        theme = Theme.objects.select_for_update().get(pk=theme.pk, process=process)
        before = {f"title_{lang}": getattr(theme, f"title_{lang}") for lang in ("ar", "fr", "en")}
    for lang in ("ar", "fr", "en"):
        setattr(theme, f"title_{lang}", titles.get(lang, ""))
        setattr(theme, f"description_{lang}", descriptions.get(lang, ""))
    if order is not None:
        theme.order = order
    theme.save()
    after = {f"title_{lang}": getattr(theme, f"title_{lang}") for lang in ("ar", "fr", "en")}
    AuditLog.record(
        actor=acting_user, action="cocreation.save_theme", target=theme, before=before, after=after
    )
    return theme


@transaction.atomic
def do_agree_theme(theme: Theme, *, acting_user: Any, on: datetime.date | None = None) -> Theme:
    """Mark a proposed theme as agreed (the first phase's outcome)."""
    check_permission(acting_user, "cocreation.manage_process", theme.process, _refused())
    theme = Theme.objects.select_for_update().get(pk=theme.pk)
    theme.agreed_on = on or timezone.localdate()
    theme.save(update_fields=["agreed_on"])
    AuditLog.record(
        actor=acting_user,
        action="cocreation.agree_theme",
        target=theme,
        after={"agreed_on": theme.agreed_on.isoformat()},
    )
    return theme


# Proposals ------------------------------------------------------------------------------


@dataclass
class ProposalDraft:
    """What an author submits (parsed and checked by the form)."""

    author_name: str
    language: str
    title: str
    problem: str
    solution: str
    expected_impact: str = ""
    theme: Theme | None = None
    region: Region | None = None
    values: Sequence[str] = ()  # names of the OGP value flags
    files: Sequence[tuple[UploadedFile, str]] = field(default_factory=list)


OGP_VALUES = (
    "access_to_information",
    "civic_participation",
    "public_accountability",
    "technology_innovation",
)


def _next_number(process: Process) -> int:
    last = (
        Proposal.objects.filter(process=process).order_by("-number").values_list("number").first()
    )
    return (last[0] if last else 0) + 1


def _proposal_state(proposal: Proposal) -> dict[str, Any]:
    return {
        "status": proposal.status,
        "title": proposal.title,
        "author_name": proposal.author_name,
        "language": proposal.language,
        "theme": proposal.theme_id,
        "region": proposal.region_id,
    }


@_discards_files_on_failure
@transaction.atomic
def do_submit_proposal(
    process: Process,
    draft: ProposalDraft,
    *,
    acting_user: Any,
    token: uuid.UUID | None = None,
) -> Proposal:
    """Submit a proposal while the phase under way opens proposing. The same form
    (``token``) posted twice creates one proposal."""
    _check_phase(process, Opening.PROPOSING)
    check_permission(acting_user, "cocreation.propose", process, _refused())
    if draft.theme is not None and draft.theme.process_id != process.pk:
        raise CocreationError(_("This theme belongs to another process."))
    if not draft.author_name.strip() or not draft.title.strip():
        raise CocreationError(_("A proposal needs a title and a public name."))
    if len(draft.files) > MAX_ATTACHMENTS:
        raise CocreationError(
            _("At most %(count)s attachments per proposal.") % {"count": MAX_ATTACHMENTS}
        )
    # Proposals are numbered per process: the lock on the process row serialises two
    # submissions at once, so that they never take the same number.
    Process.objects.select_for_update().get(pk=process.pk)
    proposal, _created = once(
        token,
        "cocreation.submit_proposal",
        Proposal,
        acting_user,
        partial(_create_proposal, process, draft, acting_user=acting_user),
    )
    return proposal


def _create_proposal(process: Process, draft: ProposalDraft, *, acting_user: Any) -> Proposal:
    proposal = Proposal.objects.create(
        process=process,
        number=_next_number(process),
        author=acting_user,
        author_name=draft.author_name.strip(),
        language=draft.language,
        title=draft.title.strip(),
        problem=draft.problem,
        solution=draft.solution,
        expected_impact=draft.expected_impact,
        theme=draft.theme,
        region=draft.region,
        created_at=timezone.now(),
        **{name: name in draft.values for name in OGP_VALUES},
    )
    added = _attach(proposal, draft.files)
    # The author follows their own proposal: they hear of comments and the decision.
    Follow.objects.create(proposal=proposal, account=acting_user, created_at=proposal.created_at)
    AuditLog.record(
        actor=acting_user,
        action="cocreation.submit_proposal",
        target=proposal,
        after={**_proposal_state(proposal), **({"attachments": added} if added else {})},
    )
    return proposal


def _attach(proposal: Proposal, files: Sequence[tuple[UploadedFile, str]]) -> list[str]:
    written = _written_files.get()
    added = []
    check_upload_quota(proposal.author, [upload.size or 0 for upload, _type in files])
    for upload, content_type in files:
        attachment = ProposalAttachment.objects.create(
            proposal=proposal,
            file=upload,
            original_name=(upload.name or "")[:200],
            content_type=content_type,
            size=upload.size or 0,
            uploaded_at=timezone.now(),
        )
        if written is not None:
            written.append(attachment.file)
        added.append(attachment.original_name)
    return added


# Comments, supports, follows --------------------------------------------------------------


@transaction.atomic
def do_comment(
    proposal: Proposal,
    body: str,
    *,
    acting_user: Any,
    author_name: str = "",
    parent: Comment | None = None,
    token: uuid.UUID | None = None,
) -> Comment:
    """Comment on a proposal, or reply to a comment (one level: a reply to a reply hangs
    on the same parent). Followers hear of it by mail, after commit."""
    _check_phase(proposal.process, Opening.COMMENTING)
    proposal = Proposal.objects.select_for_update().select_related("process").get(pk=proposal.pk)
    check_permission(acting_user, "cocreation.comment", proposal, _refused())
    if not body.strip():
        raise CocreationError(_("The comment is empty."))
    if parent is not None:
        if parent.proposal_id != proposal.pk:
            raise CocreationError(_("This reply belongs to another proposal."))
        if parent.parent_id is not None:
            parent = parent.parent
    name = author_name.strip() or acting_user.get_full_name() or acting_user.get_username()
    comment, created = once(
        token,
        "cocreation.comment",
        Comment,
        acting_user,
        lambda: Comment.objects.create(
            proposal=proposal,
            parent=parent,
            author=acting_user,
            author_name=name[:120],
            body=body,
            created_at=timezone.now(),
        ),
    )
    if created:
        Proposal.objects.filter(pk=proposal.pk).update(comments_count=F("comments_count") + 1)
        AuditLog.record(
            actor=acting_user,
            action="cocreation.comment",
            target=comment,
            after={"proposal": proposal.pk, "parent": comment.parent_id},
        )
        _notify_followers(proposal.pk, "comment", comment.pk, exclude=acting_user.pk)
    return comment


@transaction.atomic
def do_support(proposal: Proposal, *, acting_user: Any) -> tuple[Support, bool]:
    """Support a proposal; return the support and whether it is new. A second support
    from the same account has no effect."""
    _check_phase(proposal.process, Opening.SUPPORTING)
    check_permission(acting_user, "cocreation.support", proposal, _refused())
    existing = Support.objects.filter(proposal=proposal, account=acting_user).first()
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            support = Support.objects.create(
                proposal=proposal, account=acting_user, created_at=timezone.now()
            )
    except IntegrityError:  # the same account, at the same moment, in another request
        return Support.objects.get(proposal=proposal, account=acting_user), False
    Proposal.objects.filter(pk=proposal.pk).update(supports_count=F("supports_count") + 1)
    AuditLog.record(
        actor=acting_user, action="cocreation.support", target=proposal, after={"support": 1}
    )
    return support, True


@transaction.atomic
def do_withdraw_support(proposal: Proposal, *, acting_user: Any) -> bool:
    """Withdraw one's support while supports are open; return whether there was one."""
    _check_phase(proposal.process, Opening.SUPPORTING)
    if not getattr(acting_user, "is_authenticated", False):
        raise _refused()
    deleted, _rows = Support.objects.filter(proposal=proposal, account=acting_user).delete()
    if not deleted:
        return False
    Proposal.objects.filter(pk=proposal.pk, supports_count__gt=0).update(
        supports_count=F("supports_count") - 1
    )
    AuditLog.record(
        actor=acting_user,
        action="cocreation.withdraw_support",
        target=proposal,
        before={"support": 1},
        after={"support": 0},
    )
    return True


@transaction.atomic
def do_follow(proposal: Proposal, *, acting_user: Any) -> bool:
    """Follow a proposal (mail on a new comment or a decision); whether it is new."""
    check_permission(acting_user, "cocreation.follow", proposal, _refused())
    _follow, created = Follow.objects.get_or_create(
        proposal=proposal, account=acting_user, defaults={"created_at": timezone.now()}
    )
    return created


@transaction.atomic
def do_unfollow(proposal: Proposal, *, acting_user: Any) -> bool:
    """Stop following a proposal; whether one was followed."""
    check_permission(acting_user, "cocreation.follow", proposal, _refused())
    deleted, _rows = Follow.objects.filter(proposal=proposal, account=acting_user).delete()
    return bool(deleted)


# Moderation --------------------------------------------------------------------------------


@transaction.atomic
def do_hide_proposal(proposal: Proposal, *, reason: str, acting_user: Any) -> Proposal:
    """Hide a proposal from the lists, with a public reason shown on its page."""
    check_permission(acting_user, "cocreation.moderate", proposal, _refused())
    if not reason.strip():
        raise CocreationError(_("Hiding a proposal needs a public reason."))
    proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
    if proposal.status == ProposalStatus.MERGED:
        raise CocreationError(_("A merged proposal cannot be hidden."))
    before = {"status": proposal.status, "moderation_reason": proposal.moderation_reason}
    proposal.status = ProposalStatus.HIDDEN
    proposal.moderation_reason = reason.strip()
    proposal.save(update_fields=["status", "moderation_reason"])
    AuditLog.record(
        actor=acting_user,
        action="cocreation.hide_proposal",
        target=proposal,
        before=before,
        after={"status": proposal.status, "moderation_reason": proposal.moderation_reason},
    )
    return proposal


@transaction.atomic
def do_restore_proposal(proposal: Proposal, *, acting_user: Any) -> Proposal:
    """Show a hidden proposal again (as submitted)."""
    check_permission(acting_user, "cocreation.moderate", proposal, _refused())
    proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
    if proposal.status != ProposalStatus.HIDDEN:
        raise CocreationError(_("Only a hidden proposal can be shown again."))
    proposal.status = ProposalStatus.SUBMITTED
    proposal.save(update_fields=["status"])
    AuditLog.record(
        actor=acting_user,
        action="cocreation.restore_proposal",
        target=proposal,
        before={"status": ProposalStatus.HIDDEN},
        after={"status": proposal.status},
    )
    return proposal


@transaction.atomic
def do_retain_proposal(proposal: Proposal, *, acting_user: Any) -> Proposal:
    """Retain a submitted proposal for the committee's review (scoring)."""
    check_permission(acting_user, "cocreation.moderate", proposal, _refused())
    proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
    if proposal.status != ProposalStatus.SUBMITTED:
        raise CocreationError(_("Only a submitted proposal can be retained for review."))
    proposal.status = ProposalStatus.RETAINED
    proposal.save(update_fields=["status"])
    AuditLog.record(
        actor=acting_user,
        action="cocreation.retain_proposal",
        target=proposal,
        before={"status": ProposalStatus.SUBMITTED},
        after={"status": proposal.status},
    )
    return proposal


@transaction.atomic
def do_hide_comment(comment: Comment, *, reason: str, acting_user: Any) -> Comment:
    """Hide a comment, with a public reason shown in its place."""
    check_permission(acting_user, "cocreation.moderate", comment.proposal, _refused())
    if not reason.strip():
        raise CocreationError(_("Hiding a comment needs a public reason."))
    comment = Comment.objects.select_for_update().get(pk=comment.pk)
    if not comment.is_hidden:
        comment.is_hidden = True
        comment.hidden_reason = reason.strip()[:300]
        comment.save(update_fields=["is_hidden", "hidden_reason"])
        AuditLog.record(
            actor=acting_user,
            action="cocreation.hide_comment",
            target=comment,
            after={"hidden_reason": comment.hidden_reason},
        )
    return comment


MERGEABLE = (ProposalStatus.SUBMITTED, ProposalStatus.RETAINED, ProposalStatus.HIDDEN)
MERGE_TARGETS = (ProposalStatus.SUBMITTED, ProposalStatus.RETAINED, ProposalStatus.ACCEPTED)


@transaction.atomic
def do_merge_proposal(
    source: Proposal, target: Proposal, *, response: str, acting_user: Any
) -> Proposal:
    """Mark ``source`` as a duplicate of ``target`` and merge it there: its supports,
    comments and followers move to ``target``, an account that supported (or followed)
    both counting once. The reasoned response says why; it is published on the source's
    page, which then points to the target. Returns the target."""
    check_permission(acting_user, "cocreation.moderate", source, _refused())
    if source.pk == target.pk:
        raise CocreationError(_("A proposal cannot be merged into itself."))
    if not response.strip():
        raise CocreationError(_("A merge needs a reasoned response."))
    # Lock both rows in a fixed order, so that two merges at once cannot deadlock.
    locked = {
        p.pk: p
        for p in Proposal.objects.select_for_update()
        .filter(pk__in=[source.pk, target.pk])
        .order_by("pk")
    }
    if len(locked) != 2:
        raise CocreationError(_("This proposal no longer exists."))
    source, target = locked[source.pk], locked[target.pk]
    if source.process_id != target.process_id:
        raise CocreationError(_("Only proposals of the same process can be merged."))
    if source.status not in MERGEABLE:
        raise CocreationError(_("This proposal was already decided or merged."))
    if target.status not in MERGE_TARGETS:
        raise CocreationError(_("A proposal can only be merged into an open or accepted one."))
    # Supports: those of accounts that already support the target are dropped.
    Support.objects.filter(proposal=source, account__cocreation_supports__proposal=target).delete()
    Support.objects.filter(proposal=source).update(proposal=target)
    Follow.objects.filter(proposal=source, account__cocreation_follows__proposal=target).delete()
    Follow.objects.filter(proposal=source).update(proposal=target)
    moved_comments = Comment.objects.filter(proposal=source).update(proposal=target)
    # Recounted rather than added up: the supports of accounts that supported both
    # were dropped above, so the target counts each account once.
    target.supports_count = Support.objects.filter(proposal=target).count()
    target.comments_count = Comment.objects.filter(proposal=target).count()
    target.save(update_fields=["supports_count", "comments_count"])
    before = {"status": source.status}
    source.status = ProposalStatus.MERGED
    source.merged_into = target
    source.response = response.strip()
    source.supports_count = 0
    source.comments_count = 0
    source.decided_at = timezone.now()
    source.decided_by = acting_user if getattr(acting_user, "is_authenticated", False) else None
    source.save(
        update_fields=[
            "status",
            "merged_into",
            "response",
            "supports_count",
            "comments_count",
            "decided_at",
            "decided_by",
        ]
    )
    AuditLog.record(
        actor=acting_user,
        action="cocreation.merge_proposal",
        target=source,
        before=before,
        after={
            "status": source.status,
            "merged_into": target.pk,
            "comments_moved": moved_comments,
            "target_supports": target.supports_count,
        },
    )
    # The followers now follow the target: they hear of the decision there.
    _notify_followers(target.pk, "merge", source.pk, exclude=getattr(acting_user, "pk", None))
    return target


def _notify_followers(proposal_id: int, kind: str, object_id: int, exclude: Any) -> None:
    from apps.cocreation.tasks import notify_followers_task

    transaction.on_commit(
        lambda: notify_followers_task.enqueue(proposal_id, kind, object_id, exclude)
    )
