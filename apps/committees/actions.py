"""Every write of the committees app. Views check permissions and call one of these."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.accounts.models import Institution
from apps.committees import record
from apps.committees.models import (
    ActionItem,
    AgendaItem,
    Attendance,
    AttendanceStatus,
    Committee,
    Decision,
    Invitation,
    Meeting,
    MeetingStatus,
    Member,
    MinutesRecord,
    Snapshot,
    SnapshotActivity,
    SnapshotRow,
)
from apps.committees.snapshots import previous_snapshot, snapshot_instant, suggest_notes
from apps.core import bounds
from apps.core.actions import apply_changes, state
from apps.core.errors import ActionError, check_permission
from apps.core.languages import LANGUAGES
from apps.core.models import AuditLog
from apps.plans.models import Commitment

MEETING_FIELDS = {
    "starts_at",
    "ends_at",
    "place",
    "place_ar",
    "place_fr",
    "place_en",
    "mode",
    "opening_remarks",
    "opening_remarks_ar",
    "opening_remarks_fr",
    "opening_remarks_en",
}


class CommitteeError(ActionError):
    """A request the state of the meeting does not allow; the message is for the user."""


def _require(acting_user: Any, perm: str, obj: Any, message: Any) -> None:
    check_permission(acting_user, perm, obj, CommitteeError(message))


def _require_preparer(acting_user: Any, meeting: Meeting) -> None:
    _require(
        acting_user,
        "committees.change_meeting",
        meeting,
        _("Only the secretariat prepares a meeting and its minutes."),
    )


def _check_schedule(committee: Committee, fields: Mapping[str, Any]) -> None:
    """A meeting's times and an action item's due date are scheduled dates of the
    committee's plan (:mod:`apps.core.bounds`)."""
    for name in ("starts_at", "ends_at", "due_date"):
        bounds.check_plan(fields.get(name), committee.plan, CommitteeError)


def _created(obj: Any) -> dict[str, Any]:
    """Every field of a new record, for its audit row."""
    opts = obj._meta
    return state(obj, [f.name for f in opts.concrete_fields if f.name != opts.pk.name])


@transaction.atomic
def do_create_meeting(committee: Committee, *, acting_user: Any, **fields: Any) -> Meeting:
    """Schedule a meeting (a draft the public does not see until it is announced)."""
    unknown = set(fields) - MEETING_FIELDS
    if unknown:
        raise TypeError(f"Unknown meeting fields: {sorted(unknown)}")
    _require(
        acting_user,
        "committees.add_meeting",
        None,
        _("Only the secretariat prepares a meeting and its minutes."),
    )
    _check_schedule(committee, fields)
    meeting = Meeting(committee=committee, **fields)
    meeting.full_clean()
    meeting.save()
    AuditLog.record(
        actor=acting_user,
        action="committees.create_meeting",
        target=meeting,
        after={k: str(v) for k, v in fields.items()},
    )
    return meeting


@transaction.atomic
def do_update_meeting(meeting: Meeting, *, acting_user: Any, **fields: Any) -> Meeting:
    """Change a meeting's date, place, mode or opening remarks while its minutes are a draft."""
    unknown = set(fields) - MEETING_FIELDS
    if unknown:
        raise TypeError(f"Unknown meeting fields: {sorted(unknown)}")
    given, meeting = meeting, Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.status != MeetingStatus.DRAFT:
        raise CommitteeError(_("Approved minutes can no longer be changed."))
    _require_preparer(acting_user, meeting)
    _check_schedule(meeting.committee, fields)
    before, after = apply_changes(meeting, fields)
    meeting.full_clean()
    meeting.save(update_fields=list(fields))
    _sync(given, meeting, list(fields))
    AuditLog.record(
        actor=acting_user,
        action="committees.update_meeting",
        target=meeting,
        before=before,
        after=after,
    )
    return meeting


@transaction.atomic
def do_announce_meeting(meeting: Meeting, *, acting_user: Any) -> Meeting:
    """Make the meeting's date, place and agenda public (and part of the calendar feed)."""
    _require(
        acting_user,
        "committees.add_meeting",
        None,
        _("Only the secretariat prepares a meeting and its minutes."),
    )
    if meeting.announced_at is None:
        meeting.announced_at = timezone.now()
        meeting.save(update_fields=["announced_at"])
        AuditLog.record(
            actor=acting_user,
            action="committees.announce_meeting",
            target=meeting,
            after={"announced_at": meeting.announced_at.isoformat()},
        )
    return meeting


@transaction.atomic
def do_add_agenda_item(
    meeting: Meeting,
    *,
    acting_user: Any,
    title: str,
    presenter: str = "",
    note: str = "",
    shows_progress: bool = False,
    blocks: list[dict[str, Any]] | None = None,
    **translations: Any,
) -> AgendaItem:
    """Append an item to the agenda, with its discussion blocks (see AgendaItem)."""
    _check_draft(meeting)
    _require_preparer(acting_user, meeting)
    order = meeting.agenda_items.count() + 1
    item = AgendaItem(
        meeting=meeting,
        order=order,
        title=title,
        presenter=presenter,
        note=note,
        shows_progress=shows_progress,
        blocks=validate_blocks(blocks or []),
        **translations,
    )
    if not item.blocks_ar:  # type: ignore[attr-defined]
        # Arabic is every language's fallback: it must not stay empty.
        item.blocks_ar = item.blocks  # type: ignore[attr-defined]
    item.full_clean()
    item.save()
    AuditLog.record(
        actor=acting_user, action="committees.add_agenda_item", target=item, after=_created(item)
    )
    return item


def validate_blocks(blocks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Keep discussion blocks to the three shapes the minutes know how to render."""
    clean: list[dict[str, Any]] = []
    for block in blocks:
        kind = block.get("kind")
        if kind == "paragraph" and isinstance(block.get("text"), str):
            clean.append({"kind": kind, "text": block["text"]})
        elif kind == "list" and all(isinstance(i, str) for i in block.get("items", [])):
            clean.append({"kind": kind, "items": list(block["items"])})
        elif kind == "table":
            headers = [str(h) for h in block.get("headers", [])]
            rows = [[str(c) for c in row] for row in block.get("rows", [])]
            if any(len(row) != len(headers) for row in rows):
                raise CommitteeError(_("Every row of a table needs one cell per column."))
            clean.append({"kind": kind, "headers": headers, "rows": rows})
        else:
            raise CommitteeError(_("Unknown discussion block."))
    return clean


@transaction.atomic
def do_record_attendance(
    meeting: Meeting, statuses: Mapping[int, str], *, acting_user: Any
) -> list[Attendance]:
    """Set each member's attendance (member id → present / remote / absent / excused)."""
    _check_draft(meeting)
    _require_preparer(acting_user, meeting)
    members = {m.pk: m for m in Member.objects.filter(committee=meeting.committee, pk__in=statuses)}
    if set(statuses) - set(members):
        raise CommitteeError(_("Only members of this committee can attend its meetings."))
    valid = set(AttendanceStatus.values)
    if any(status not in valid for status in statuses.values()):
        raise CommitteeError(_("Unknown attendance status."))
    locked = Attendance.objects.select_for_update(of=("self",)).filter(meeting=meeting).order_by()
    existing = {a.member_id: a for a in locked}
    previous = {member_id: a.status for member_id, a in existing.items()}
    result = []
    for member_id, status in statuses.items():
        attendance = existing.get(member_id)
        if attendance is None:
            attendance = Attendance.objects.create(
                meeting=meeting, member=members[member_id], status=status
            )
        elif attendance.status != status:
            attendance.status = status
            attendance.save(update_fields=["status"])
        result.append(attendance)
    AuditLog.record(
        actor=acting_user,
        action="committees.record_attendance",
        target=meeting,
        before={str(k): previous[k] for k, v in statuses.items() if previous.get(k, v) != v},
        after={str(k): v for k, v in statuses.items() if previous.get(k) != v},
    )
    return result


@transaction.atomic
def do_set_invitations(
    meeting: Meeting, institutions: list[Institution], *, acting_user: Any
) -> list[Invitation]:
    """Set the institutions invited to a meeting (in this order). Those none of whose
    people attend are the minutes' "bodies that did not attend"."""
    _check_draft(meeting)
    _require_preparer(acting_user, meeting)
    wanted = list(dict.fromkeys(institutions))
    existing = {
        i.institution_id: i
        for i in Invitation.objects.select_for_update(of=("self",))
        .filter(meeting=meeting, institution__isnull=False)
        .order_by()
    }
    removed = [pk for pk in existing if pk is not None and pk not in {i.pk for i in wanted}]
    Invitation.objects.filter(meeting=meeting, institution_id__in=removed).delete()
    result = []
    for order, institution in enumerate(wanted, start=1):
        invitation = existing.get(institution.pk)
        if invitation is None:
            invitation = Invitation.objects.create(
                meeting=meeting, institution=institution, order=order
            )
        elif invitation.order != order:
            invitation.order = order
            invitation.save(update_fields=["order"])
        result.append(invitation)
    AuditLog.record(
        actor=acting_user,
        action="committees.set_invitations",
        target=meeting,
        before={"institutions": sorted(existing)},
        after={"institutions": [i.pk for i in wanted]},
    )
    return result


@transaction.atomic
def do_add_decision(
    meeting: Meeting,
    *,
    acting_user: Any,
    text: str,
    action_item: Mapping[str, Any] | None = None,
    **translations: Any,
) -> Decision:
    """Record an agreed point, and optionally the action item that follows from it."""
    _check_draft(meeting)
    _require_preparer(acting_user, meeting)
    decision = Decision(
        meeting=meeting, order=meeting.decisions.count() + 1, text=text, **translations
    )
    decision.full_clean()
    decision.save()
    AuditLog.record(
        actor=acting_user,
        action="committees.add_decision",
        target=decision,
        after=_created(decision),
    )
    if action_item is not None:
        do_add_action_item(meeting, acting_user=acting_user, decision=decision, **action_item)
    return decision


@transaction.atomic
def do_add_action_item(
    meeting: Meeting, *, acting_user: Any, title: str, **fields: Any
) -> ActionItem:
    """Ask someone to do something by a date; it stays on the agenda until closed."""
    _check_draft(meeting)
    _require_preparer(acting_user, meeting)
    _check_schedule(meeting.committee, fields)
    item = ActionItem(meeting=meeting, title=title, **fields)
    if item.commitment is not None and item.commitment.plan_id != meeting.committee.plan_id:
        raise CommitteeError(_("The commitment belongs to another plan."))
    item.full_clean()
    item.save()
    AuditLog.record(
        actor=acting_user,
        action="committees.add_action_item",
        target=item,
        after=_created(item),
    )
    return item


@transaction.atomic
def do_set_action_item_status(item: ActionItem, status: str, *, acting_user: Any) -> ActionItem:
    """Move an action item on; closing it (done, cancelled) takes it off later agendas."""
    _require(
        acting_user,
        "committees.change_action_item",
        item.meeting,
        _("Only the secretariat follows up action items."),
    )
    if status not in ActionItem.Status.values:
        raise CommitteeError(_("Unknown status."))
    given, item = item, ActionItem.objects.select_for_update().get(pk=item.pk)
    before = item.status
    item.status = status
    item.closed_at = None if item.is_open else timezone.now()
    item.save(update_fields=["status", "closed_at"])
    given.status, given.closed_at = item.status, item.closed_at
    AuditLog.record(
        actor=acting_user,
        action="committees.set_action_item_status",
        target=item,
        before={"status": before},
        after={"status": status},
    )
    return item


@transaction.atomic
def do_freeze_snapshot(
    meeting: Meeting,
    *,
    acting_user: Any,
    notes: Mapping[int, str | Mapping[str, str]] | None = None,
) -> Snapshot:
    """Freeze every figure of the committee's plan for this meeting, once.

    Stores each commitment's percentage and title (ar/fr/en), each activity's, the
    flags and the suggested notes (see :mod:`apps.committees.snapshots`), evaluated as
    of the meeting (:func:`~apps.committees.snapshots.snapshot_instant`, which is also
    ``frozen_at``: a snapshot frozen after its meeting still stands for it); ``notes``
    (commitment number → text, or language → text) replace the suggestions, e.g. when
    importing minutes. The rows are never recomputed afterwards.
    """
    meeting = Meeting.objects.select_for_update().select_related("committee").get(pk=meeting.pk)
    if Snapshot.objects.filter(meeting=meeting).exists():
        raise CommitteeError(_("This meeting's snapshot is already frozen."))
    if meeting.status != MeetingStatus.DRAFT:
        raise CommitteeError(_("Approved minutes can no longer be changed."))
    _require(
        acting_user,
        "committees.freeze_snapshot",
        meeting,
        _("Only the secretariat prepares a meeting and its minutes."),
    )
    plan = meeting.committee.plan
    if plan is None:
        raise CommitteeError(_("This committee follows no plan: there is nothing to freeze."))
    as_of = snapshot_instant(meeting)
    commitments = list(
        Commitment.objects.with_progress().with_activities().filter(plan=plan).order_by("number")
    )
    previous = previous_snapshot(meeting)
    suggested = suggest_notes(plan, previous, commitments=commitments, at=as_of)
    previous_progress = (
        {r.commitment_id: r.progress for r in previous.rows.all()} if previous else {}
    )
    progress_values = [c.progress for c in commitments]
    snapshot = Snapshot.objects.create(
        meeting=meeting,
        plan=plan,
        previous=previous,
        frozen_at=as_of,
        frozen_by=acting_user if getattr(acting_user, "is_authenticated", False) else None,
        plan_progress=sum(progress_values) / len(progress_values) if progress_values else 0.0,
    )
    rows = []
    for commitment in commitments:
        suggestion = suggested.get(commitment.pk)
        suggested_text = suggestion.notes if suggestion else {}
        given = (notes or {}).get(commitment.number)
        if given is None:
            note_text = dict(suggested_text)
        elif isinstance(given, str):
            note_text = {"ar": given}
        else:
            note_text = dict(given)
        rows.append(
            SnapshotRow(
                snapshot=snapshot,
                commitment=commitment,
                number=commitment.number,
                progress=round(commitment.progress, 4),
                previous_progress=previous_progress.get(commitment.pk),
                flags=suggestion.flags if suggestion else [],
                **{f"title_{lang}": getattr(commitment, f"title_{lang}") for lang in LANGUAGES},
                **{f"suggested_note_{lang}": suggested_text.get(lang, "") for lang in LANGUAGES},
                **{f"note_{lang}": note_text.get(lang, "") for lang in LANGUAGES},
            )
        )
    SnapshotRow.objects.bulk_create(rows)
    # Re-read the rows' keys (not every database returns them from a bulk insert).
    row_ids = dict(snapshot.rows.values_list("commitment_id", "pk"))
    SnapshotActivity.objects.bulk_create(
        SnapshotActivity(
            row_id=row_ids[commitment.pk],
            activity=activity,
            order=index,
            progress=activity.progress,
            is_grouping=activity.is_grouping,
            **{f"title_{lang}": getattr(activity, f"title_{lang}") for lang in LANGUAGES},
        )
        for commitment in commitments
        for index, activity in enumerate(commitment.activities.all(), start=1)
    )
    AuditLog.record(
        actor=acting_user,
        action="committees.freeze_snapshot",
        target=snapshot,
        after={
            "meeting": meeting.pk,
            "rows": len(rows),
            "plan_progress": round(snapshot.plan_progress, 2),
        },
    )
    _render_documents(meeting)  # the progress table of the draft minutes, regenerated
    return snapshot


@transaction.atomic
def do_edit_snapshot_notes(
    snapshot: Snapshot, notes: Mapping[int, str], *, acting_user: Any, language: str = "ar"
) -> Snapshot:
    """Edit the notes of the minutes (row number → text) while they are a draft.

    Only the notes: percentages and titles stay as they were frozen.
    """
    meeting = Meeting.objects.select_for_update().get(pk=snapshot.meeting_id)
    if meeting.status != MeetingStatus.DRAFT:
        raise CommitteeError(_("Approved minutes can no longer be changed."))
    _require(
        acting_user,
        "committees.edit_snapshot_notes",
        meeting,
        _("Only the secretariat prepares a meeting and its minutes."),
    )
    if language not in LANGUAGES:
        raise CommitteeError(_("Unknown language."))
    field = f"note_{language}"
    rows = {r.number: r for r in snapshot.rows.filter(number__in=notes)}
    if set(notes) - set(rows):
        raise CommitteeError(_("Unknown row."))
    before, after = {}, {}
    for number, text in notes.items():
        row = rows[number]
        text = "\n".join(line.rstrip() for line in text.strip().splitlines())
        if getattr(row, field) != text:
            before[str(number)] = getattr(row, field)
            after[str(number)] = text
            setattr(row, field, text)
            row.save(update_fields=[field])
    if after:
        AuditLog.record(
            actor=acting_user,
            action="committees.edit_snapshot_notes",
            target=snapshot,
            before=before,
            after=after,
        )
    return snapshot


@transaction.atomic
def do_approve_minutes(meeting: Meeting, *, acting_user: Any) -> Meeting:
    """The committee approves the draft minutes (who and when are kept).

    What the minutes say (members, attendance, invited institutions, agenda, agreed
    points, action items) is fixed here in a :class:`MinutesRecord`: approved and
    published minutes render from it, whatever is edited afterwards.
    """
    given, meeting = meeting, Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.status != MeetingStatus.DRAFT:
        raise CommitteeError(_("Only draft minutes can be approved."))
    _require(
        acting_user,
        "committees.approve_minutes",
        meeting,
        _("Only the committee's members approve its minutes."),
    )
    meeting.status = MeetingStatus.APPROVED
    meeting.approved_by = acting_user
    meeting.approved_at = timezone.now()
    meeting.save(update_fields=["status", "approved_by", "approved_at"])
    content = record.capture(Meeting.objects.for_page().get(pk=meeting.pk))
    MinutesRecord.objects.create(meeting=meeting, schema=content["schema"], content=content)
    _sync(given, meeting, ["status", "approved_by", "approved_at"])
    AuditLog.record(
        actor=acting_user,
        action="committees.approve_minutes",
        target=meeting,
        before={"status": MeetingStatus.DRAFT},
        after={"status": meeting.status},
    )
    _render_documents(meeting)
    return meeting


@transaction.atomic
def do_publish_minutes(
    meeting: Meeting, *, acting_user: Any, at: datetime.datetime | None = None
) -> Meeting:
    """Publish approved minutes on the public site."""
    given, meeting = meeting, Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.status != MeetingStatus.APPROVED:
        raise CommitteeError(_("Only approved minutes can be published."))
    _require(
        acting_user,
        "committees.publish_minutes",
        meeting,
        _("Only the secretariat publishes the minutes."),
    )
    meeting.status = MeetingStatus.PUBLISHED
    meeting.published_at = at or timezone.now()
    meeting.save(update_fields=["status", "published_at"])
    _sync(given, meeting, ["status", "published_at"])
    AuditLog.record(
        actor=acting_user,
        action="committees.publish_minutes",
        target=meeting,
        before={"status": MeetingStatus.APPROVED},
        after={"status": meeting.status},
    )
    _render_documents(meeting)
    return meeting


def _render_documents(meeting: Meeting) -> None:
    """Once the transaction commits, have the worker lay out the minutes' PDF and DOCX in
    every language (:func:`apps.committees.tasks.render_meeting_documents_task`): the
    minutes changed state, their documents will be asked for."""
    from apps.committees.tasks import render_meeting_documents_task

    transaction.on_commit(lambda: render_meeting_documents_task.enqueue(meeting.pk))


def _sync(target: Meeting, source: Meeting, fields: list[str]) -> Meeting:
    """Copy what an action saved on its locked copy back onto the caller's instance."""
    for name in fields:
        setattr(target, name, getattr(source, name))
    return target


def _check_draft(meeting: Meeting) -> None:
    if meeting.status != MeetingStatus.DRAFT:
        raise CommitteeError(_("Approved minutes can no longer be changed."))
