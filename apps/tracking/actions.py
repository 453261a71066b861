"""Every write of progress tracking. Each action owns its transaction, writes the audit
row (who, when, before → after) and sends mail only after commit."""

from __future__ import annotations

import datetime
import errno
import uuid
from collections.abc import Callable, Sequence
from contextvars import ContextVar
from dataclasses import dataclass, field
from functools import partial, wraps
from typing import Any, ParamSpec, TypeVar

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Count, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.core import bounds
from apps.core.errors import ActionError, check_permission
from apps.core.files import check_upload_quota
from apps.core.languages import LANGUAGES
from apps.core.models import AuditLog
from apps.core.once import once
from apps.plans import figures
from apps.plans.models import Activity, Commitment
from apps.tracking.models import (
    ChangeRequest,
    ChangeRequestStatus,
    Evidence,
    FocalPointAssignment,
    ProgressUpdate,
    UpdateSource,
    UpdateStatus,
    ended_plan_message,
    last_reporting_day,
)


class TrackingError(ActionError):
    """A state change that cannot happen (already validated, not assigned…). The message
    is translated and meant for the user."""


@dataclass
class Report:
    """What a focal point reports on an activity (parsed and checked by the form)."""

    progress: int
    reported_on: datetime.date
    language: str
    narratives: dict[str, str] = field(default_factory=dict)
    files: Sequence[tuple[UploadedFile, str]] = ()  # (file, checked content type)
    links: Sequence[str] = ()


def _update_state(update: ProgressUpdate) -> dict[str, Any]:
    return {"status": update.status, "progress": update.progress}


def _update_content(update: ProgressUpdate) -> dict[str, Any]:
    """Everything a focal point may change on an update (for the audit row)."""
    return {
        **_update_state(update),
        "reported_on": update.reported_on.isoformat() if update.reported_on else None,
        "language": update.language,
        **{f"narrative_{lang}": getattr(update, f"narrative_{lang}") for lang in LANGUAGES},
    }


def _diff(before: dict[str, Any], after: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """The fields that changed, as they were and as they are."""
    changed = [k for k in after if before.get(k) != after[k]]
    return {k: before.get(k) for k in changed}, {k: after[k] for k in changed}


def _evidence_label(evidence: Evidence) -> str:
    return evidence.original_name or evidence.url or f"#{evidence.pk}"


P = ParamSpec("P")
R = TypeVar("R")

# Files written to storage by the running action: a database rollback does not remove
# them, so an action that fails deletes them itself (see ``_discards_files_on_failure``).
_written_files: ContextVar[list[Any] | None] = ContextVar("_written_files", default=None)


_STORAGE_FULL = (errno.ENOSPC, errno.EDQUOT, errno.EFBIG)


def _discards_files_on_failure(action: Callable[P, R]) -> Callable[P, R]:
    """Delete the evidence files an action stored if it fails, so that nothing of a
    rejected report stays behind (the rows are rolled back by the transaction)."""

    @wraps(action)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        token = _written_files.set([])
        try:
            return action(*args, **kwargs)
        except BaseException as failure:
            for stored in _written_files.get() or []:
                stored.storage.delete(stored.name)
            if isinstance(failure, OSError) and failure.errno in _STORAGE_FULL:
                # A full disk (or quota) while storing a file: the rows are rolled back
                # and the files written so far deleted; the person is told plainly.
                raise TrackingError(
                    _(
                        "The server has no room left to store the files. Nothing was "
                        "saved; try again later, and tell the secretariat."
                    )
                ) from failure
            raise
        finally:
            _written_files.reset(token)

    return wrapper


def _add_evidence(update: ProgressUpdate, report: Report) -> list[str]:
    """Attach the report's files and links; return what was added (for the audit)."""
    written = _written_files.get()
    added = []
    if report.files:
        kept = update.evidence.exclude(file="").aggregate(count=Count("pk"), size=Sum("size"))
        check_upload_quota(
            update.author,
            [upload.size or 0 for upload, _type in report.files],
            kept_count=kept["count"],
            kept_bytes=kept["size"] or 0,
        )
    for upload, content_type in report.files:
        evidence = Evidence.objects.create(
            update=update,
            file=upload,
            original_name=(upload.name or "")[:255],
            content_type=content_type,
            size=upload.size,
        )
        if written is not None:
            written.append(evidence.file)
        added.append(_evidence_label(evidence))
    for url in report.links:
        Evidence.objects.create(update=update, url=url)
        added.append(url)
    return added


def _check_reporter(activity: Activity, acting_user: Any) -> None:
    if not acting_user.has_perm("tracking.report_progress", activity):
        raise TrackingError(_("You may only report on the commitments assigned to you."))


def _check_reporting_date(activity: Activity, report: Report) -> None:
    plan = activity.commitment.plan
    bounds.check_fact(report.reported_on, plan, TrackingError)
    if report.reported_on > last_reporting_day(plan):
        raise TrackingError(ended_plan_message(plan))


@_discards_files_on_failure
@transaction.atomic
def do_record_progress(
    activity: Activity,
    report: Report,
    *,
    acting_user: Any,
    submit: bool = False,
    token: uuid.UUID | None = None,
) -> ProgressUpdate:
    """Create a progress update on ``activity`` as a draft, or submitted at once. The
    same form (``token``) posted twice creates one update."""
    _check_reporter(activity, acting_user)
    _check_reporting_date(activity, report)
    update, _created = once(
        token,
        "tracking.record_progress",
        ProgressUpdate,
        acting_user,
        partial(_create_update, activity, report, acting_user=acting_user, submit=submit),
    )
    return update


def _create_update(
    activity: Activity, report: Report, *, acting_user: Any, submit: bool
) -> ProgressUpdate:
    now = timezone.now()
    update = ProgressUpdate.objects.create(
        activity=activity,
        author=acting_user,
        progress=report.progress,
        reported_on=report.reported_on,
        language=report.language,
        status=UpdateStatus.SUBMITTED if submit else UpdateStatus.DRAFT,
        submitted_at=now if submit else None,
        **{f"narrative_{lang}": report.narratives.get(lang, "") for lang in LANGUAGES},
    )
    added = _add_evidence(update, report)
    AuditLog.record(
        actor=acting_user,
        action="tracking.submit_update" if submit else "tracking.create_update",
        target=update,
        before={},
        after={**_update_content(update), **({"evidence_added": added} if added else {})},
    )
    return update


@_discards_files_on_failure
@transaction.atomic
def do_edit_update(
    update: ProgressUpdate,
    report: Report,
    *,
    acting_user: Any,
    submit: bool = False,
    remove_evidence: Sequence[int] = (),
) -> ProgressUpdate:
    """Change a draft or returned update (and optionally submit it again)."""
    update = ProgressUpdate.objects.select_for_update().get(pk=update.pk)
    if not acting_user.has_perm("tracking.change_update", update):
        raise TrackingError(_("This update can no longer be changed."))
    _check_reporting_date(update.activity, report)
    before = _update_content(update)
    update.progress = report.progress
    update.reported_on = report.reported_on
    update.language = report.language
    for lang in LANGUAGES:
        setattr(update, f"narrative_{lang}", report.narratives.get(lang, ""))
    fields = ["progress", "reported_on", "language", "updated_at"]
    fields += [f"narrative_{lang}" for lang in LANGUAGES]
    if submit:
        update.status = UpdateStatus.SUBMITTED
        update.submitted_at = timezone.now()
        fields += ["status", "submitted_at"]
    update.save(update_fields=fields)
    removed = []
    if remove_evidence:
        for evidence in update.evidence.filter(pk__in=remove_evidence):
            if evidence.file.name:
                # Off the disk only once the rows are gone for good: a rollback after
                # this point must not leave rows whose file was deleted.
                transaction.on_commit(partial(evidence.file.storage.delete, evidence.file.name))
            removed.append(_evidence_label(evidence))
            evidence.delete()
    added = _add_evidence(update, report)
    changed_before, changed_after = _diff(before, _update_content(update))
    if removed:
        changed_before["evidence_removed"] = removed
    if added:
        changed_after["evidence_added"] = added
    AuditLog.record(
        actor=acting_user,
        action="tracking.resubmit_update" if submit else "tracking.edit_update",
        target=update,
        before={"status": before["status"], **changed_before},
        after={"status": update.status, **changed_after},
    )
    return update


@transaction.atomic
def do_submit_update(update: ProgressUpdate, *, acting_user: Any) -> ProgressUpdate:
    """Send a draft (or a returned update) to the secretariat for validation."""
    update = ProgressUpdate.objects.select_for_update().get(pk=update.pk)
    if not acting_user.has_perm("tracking.change_update", update):
        raise TrackingError(_("This update can no longer be submitted."))
    before = _update_state(update)
    resubmitted = update.status == UpdateStatus.RETURNED
    update.status = UpdateStatus.SUBMITTED
    update.submitted_at = timezone.now()
    update.save(update_fields=["status", "submitted_at", "updated_at"])
    AuditLog.record(
        actor=acting_user,
        action="tracking.resubmit_update" if resubmitted else "tracking.submit_update",
        target=update,
        before=before,
        after=_update_state(update),
    )
    return update


def _publish(update: ProgressUpdate, *, acting_user: Any) -> None:
    """Make ``update``'s figure the activity's live figure (inside a transaction)."""
    activity = Activity.objects.select_for_update().get(pk=update.activity_id)
    previous = activity.progress
    update.previous_progress = previous
    update.status = UpdateStatus.VALIDATED
    update.validated_at = timezone.now()
    update.decided_by = acting_user
    update.save(
        update_fields=["previous_progress", "status", "validated_at", "decided_by", "updated_at"]
    )
    activity.progress = update.progress
    activity.save(update_fields=["progress"])
    figures.refresh_for_commitment(activity.commitment_id)
    AuditLog.record(
        actor=acting_user,
        action="plans.change_activity_progress",
        target=activity,
        before={"progress": previous},
        after={"progress": activity.progress, "update": update.pk},
    )


@transaction.atomic
def do_import_progress(
    activity: Activity,
    *,
    progress: int,
    reported_on: datetime.date,
    acting_user: Any,
    narrative: str = "",
    language: str = "ar",
) -> ProgressUpdate | None:
    """A figure read from an imported file (the plan sheet, Canada's tracker) becomes a
    validated update with source "import" and the activity's live figure, with its audit
    rows, as a validated report does. The same figure as the live one writes nothing and
    answers ``None``: importing a file twice changes nothing."""
    check_permission(
        acting_user,
        "tracking.import_progress",
        activity,
        TrackingError(_("Only the secretariat imports progress.")),
    )
    if not 0 <= progress <= 100:
        raise TrackingError(_("Progress is a percentage from 0 to 100."))
    bounds.check_fact(reported_on, activity.commitment.plan, TrackingError)
    current = Activity.objects.select_for_update().get(pk=activity.pk)
    if current.progress == progress:
        return None
    update = ProgressUpdate.objects.create(
        activity=current,
        author=acting_user,
        source=UpdateSource.IMPORT,
        progress=progress,
        reported_on=reported_on,
        language=language,
        status=UpdateStatus.SUBMITTED,
        submitted_at=timezone.now(),
        **({f"narrative_{language}": narrative} if narrative else {}),
    )
    _publish(update, acting_user=acting_user)
    AuditLog.record(
        actor=acting_user,
        action="tracking.import_progress",
        target=update,
        before={"progress": update.previous_progress},
        after=_update_state(update),
    )
    activity.progress = progress
    return update


def _locked_update(update_id: int) -> ProgressUpdate:
    return ProgressUpdate.objects.select_for_update().select_related("activity").get(pk=update_id)


@transaction.atomic
def do_validate_update(update: ProgressUpdate | int, *, acting_user: Any) -> ProgressUpdate:
    """Validate a submitted update: its figure becomes the activity's live figure.

    The row is locked, so of two validators acting at once exactly one succeeds; the
    other finds it no longer submitted and gets a ``TrackingError``.
    """
    locked = _locked_update(update if isinstance(update, int) else update.pk)
    if locked.status == UpdateStatus.VALIDATED:
        raise TrackingError(_("This update has already been validated."))
    if locked.status != UpdateStatus.SUBMITTED:
        raise TrackingError(_("Only a submitted update can be validated."))
    if not acting_user.has_perm("tracking.validate_update", locked):
        raise TrackingError(_("You may not validate this update."))
    before = _update_state(locked)
    _publish(locked, acting_user=acting_user)
    AuditLog.record(
        actor=acting_user,
        action="tracking.validate_update",
        target=locked,
        before=before,
        after=_update_state(locked),
    )
    _notify_author(locked)
    _notify_followers(locked)
    return locked


@transaction.atomic
def do_return_update(
    update: ProgressUpdate | int, *, acting_user: Any, reason: str
) -> ProgressUpdate:
    """Return a submitted update to its author with a reason."""
    locked = _locked_update(update if isinstance(update, int) else update.pk)
    if locked.status == UpdateStatus.VALIDATED:
        raise TrackingError(_("This update has already been validated."))
    if locked.status != UpdateStatus.SUBMITTED:
        raise TrackingError(_("Only a submitted update can be returned."))
    if not acting_user.has_perm("tracking.validate_update", locked):
        raise TrackingError(_("You may not return this update."))
    if not reason.strip():
        raise TrackingError(_("Say why the update is returned."))
    before = _update_state(locked)
    locked.status = UpdateStatus.RETURNED
    locked.return_reason = reason
    locked.decided_by = acting_user
    locked.save(update_fields=["status", "return_reason", "decided_by", "updated_at"])
    AuditLog.record(
        actor=acting_user,
        action="tracking.return_update",
        target=locked,
        before=before,
        after={**_update_state(locked), "reason": reason},
    )
    _notify_author(locked)
    return locked


def _notify_author(update: ProgressUpdate) -> None:
    from apps.tracking.tasks import send_decision_mail_task

    # Queued for the worker after commit: a mail server that is down never undoes or
    # fails the decision itself.
    update_id = update.pk
    transaction.on_commit(lambda: send_decision_mail_task.enqueue(update_id))


def _notify_followers(update: ProgressUpdate) -> None:
    from apps.tracking.tasks import notify_followers_task

    # Those who follow the plan or the commitment (follow.py), after commit as well.
    update_id = update.pk
    transaction.on_commit(lambda: notify_followers_task.enqueue(update_id))


@transaction.atomic
def do_propose_change(
    activity: Activity,
    *,
    acting_user: Any,
    progress: int,
    justification: str,
    token: uuid.UUID | None = None,
) -> ChangeRequest:
    """Propose a new figure for ``activity`` with a justification. The same form
    (``token``) posted twice records one request."""
    if not acting_user.has_perm("tracking.propose_change", activity):
        raise TrackingError(_("You may not propose a change."))
    request, _created = once(
        token,
        "tracking.propose_change",
        ChangeRequest,
        acting_user,
        partial(_create_change, activity, acting_user, progress, justification),
    )
    return request


def _create_change(
    activity: Activity, acting_user: Any, progress: int, justification: str
) -> ChangeRequest:
    request = ChangeRequest.objects.create(
        activity=activity,
        proposed_by=acting_user,
        current_progress=activity.progress,
        proposed_progress=progress,
        justification=justification,
    )
    AuditLog.record(
        actor=acting_user,
        action="tracking.propose_change",
        target=request,
        after={
            "status": request.status,
            "from": request.current_progress,
            "to": request.proposed_progress,
        },
    )
    return request


def _locked_request(request: ChangeRequest | int) -> ChangeRequest:
    pk = request if isinstance(request, int) else request.pk
    return ChangeRequest.objects.select_for_update().select_related("activity").get(pk=pk)


def _check_decidable(request: ChangeRequest, acting_user: Any) -> None:
    if request.status != ChangeRequestStatus.PENDING:
        raise TrackingError(_("This change request has already been decided."))
    if not acting_user.has_perm("tracking.decide_change", request):
        raise TrackingError(_("You may not decide on this change request."))


@transaction.atomic
def do_accept_change(
    request: ChangeRequest | int, *, acting_user: Any, reason: str = ""
) -> ChangeRequest:
    """Accept a change request: it is applied as a validated progress update."""
    locked = _locked_request(request)
    _check_decidable(locked, acting_user)
    language = getattr(locked.proposed_by, "preferred_language", "") or "ar"
    update = ProgressUpdate.objects.create(
        activity=locked.activity,
        author=locked.proposed_by,
        source=UpdateSource.CHANGE_REQUEST,
        progress=locked.proposed_progress,
        reported_on=timezone.localdate(),
        language=language,
        status=UpdateStatus.SUBMITTED,
        submitted_at=locked.created_at,
        **{f"narrative_{language}": locked.justification},
    )
    _publish(update, acting_user=acting_user)
    AuditLog.record(
        actor=acting_user,
        action="tracking.validate_update",
        target=update,
        before={"status": UpdateStatus.SUBMITTED, "progress": update.progress},
        after=_update_state(update),
    )
    locked.status = ChangeRequestStatus.ACCEPTED
    locked.decided_by = acting_user
    locked.decided_at = timezone.now()
    locked.decision_reason = reason
    locked.update = update
    locked.save(
        update_fields=[
            "status",
            "decided_by",
            "decided_at",
            "decision_reason",
            "update",
            "updated_at",
        ]
    )
    AuditLog.record(
        actor=acting_user,
        action="tracking.accept_change",
        target=locked,
        before={"status": ChangeRequestStatus.PENDING},
        after={"status": locked.status, "reason": reason, "update": update.pk},
    )
    _notify_followers(update)
    return locked


@transaction.atomic
def do_reject_change(
    request: ChangeRequest | int, *, acting_user: Any, reason: str
) -> ChangeRequest:
    """Reject a change request with a reason."""
    locked = _locked_request(request)
    _check_decidable(locked, acting_user)
    if not reason.strip():
        raise TrackingError(_("Say why the change request is rejected."))
    locked.status = ChangeRequestStatus.REJECTED
    locked.decided_by = acting_user
    locked.decided_at = timezone.now()
    locked.decision_reason = reason
    locked.save(
        update_fields=["status", "decided_by", "decided_at", "decision_reason", "updated_at"]
    )
    AuditLog.record(
        actor=acting_user,
        action="tracking.reject_change",
        target=locked,
        before={"status": ChangeRequestStatus.PENDING},
        after={"status": locked.status, "reason": reason},
    )
    return locked


def eligible_focal_points(commitment: Commitment) -> QuerySet[User]:
    """Who may answer for ``commitment``: the active focal points of its lead or a
    supporting institution (the hand-over form offers them; the actions check it)."""
    from apps.accounts.roles import Role

    institutions = [commitment.lead_institution_id]
    institutions += list(commitment.supporting_institutions.values_list("pk", flat=True))
    return User.objects.filter(
        is_active=True,
        groups__name=Role.FOCAL_POINT,
        institution__in=[pk for pk in institutions if pk],
    ).distinct()


def eligible_focal_point(commitment: Commitment, user: Any) -> bool:
    """Whether ``user`` may answer for ``commitment`` (see :func:`eligible_focal_points`)."""
    return eligible_focal_points(commitment).filter(pk=user.pk).exists()


@transaction.atomic
def do_hand_over(
    commitment: Commitment,
    new_focal_point: Any,
    *,
    acting_user: Any,
    on: datetime.date | None = None,
    note: str = "",
    notify: bool = True,
) -> FocalPointAssignment:
    """Make ``new_focal_point`` the commitment's focal point from ``on`` (today by
    default). The previous assignment is ended, not deleted: the history stays, and so
    do the previous focal point's updates."""
    if not acting_user.has_perm("tracking.hand_over", commitment):
        raise TrackingError(_("Only the secretariat hands a commitment over."))
    if not eligible_focal_point(commitment, new_focal_point):
        raise TrackingError(
            _("The focal point must belong to the commitment's lead or a supporting institution.")
        )
    on = on or timezone.localdate()
    bounds.check_fact(on, commitment.plan, TrackingError)
    current = (
        FocalPointAssignment.objects.select_for_update()
        .filter(commitment=commitment, ended_on__isnull=True)
        .first()
    )
    before: dict[str, Any] = {}
    if current is not None:
        if current.user_id == new_focal_point.pk:
            raise TrackingError(_("This person is already the commitment's focal point."))
        if on < current.started_on:
            raise TrackingError(_("The hand-over cannot be dated before the current assignment."))
        current.ended_on = on
        current.save(update_fields=["ended_on"])
        before = {"focal_point": current.user_id, "since": current.started_on.isoformat()}
    for person in (new_focal_point, current.user if current else None):
        if person is not None:  # forget cached assignments (see rules.assigned_commitment_ids)
            person.__dict__.pop("_assigned_commitment_ids", None)
    assignment = FocalPointAssignment.objects.create(
        commitment=commitment,
        user=new_focal_point,
        started_on=on,
        note=note,
        assigned_by=acting_user if getattr(acting_user, "is_authenticated", False) else None,
    )
    AuditLog.record(
        actor=acting_user,
        action="tracking.hand_over" if current else "tracking.assign_focal_point",
        target=commitment,
        before=before,
        after={"focal_point": new_focal_point.pk, "since": on.isoformat(), "note": note},
    )
    if notify:
        from apps.tracking.tasks import send_assignment_mail_task

        assignment_id = assignment.pk
        transaction.on_commit(lambda: send_assignment_mail_task.enqueue(assignment_id))
    return assignment


@transaction.atomic
def end_ineligible_assignments(
    commitment: Commitment, *, acting_user: Any, on: datetime.date
) -> list[str]:
    """After a commitment's institutions changed: end the current assignment of a focal
    point who no longer belongs to its lead or a supporting institution (registered with
    ``apps.plans.hooks`` by ``TrackingConfig.ready``). The focal point stops reporting;
    their updates stay, and those already submitted can still be decided."""
    current = (
        FocalPointAssignment.objects.select_for_update()
        .select_related("user")
        .filter(commitment=commitment, ended_on__isnull=True)
        .first()
    )
    if current is None or eligible_focal_point(commitment, current.user):
        return []
    current.ended_on = max(on, current.started_on)
    current.save(update_fields=["ended_on"])
    current.user.__dict__.pop("_assigned_commitment_ids", None)
    AuditLog.record(
        actor=acting_user,
        action="tracking.end_assignment",
        target=commitment,
        before={"focal_point": current.user_id, "since": current.started_on.isoformat()},
        after={
            "focal_point": None,
            "until": current.ended_on.isoformat(),
            "reason": "institutions_changed",
        },
    )
    name = current.user.get_full_name() or current.user.get_username()
    return [
        str(
            _(
                "%(name)s no longer answers for this commitment: their institution no longer "
                "takes part in it. Hand it over to a focal point of the new institution."
            )
            % {"name": name}
        )
    ]
