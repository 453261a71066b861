"""Public API of meetings, their minutes' content and frozen snapshots.

The public sees announced meetings; attendance, decisions, action items and the
snapshot only once the minutes are published (the secretariat and committee members,
signed in, see drafts too).
"""

import datetime
from typing import Any

from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone, translation
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from apps.committees.minutes import build_minutes
from apps.committees.models import Meeting, Snapshot
from apps.core.api import LangQuery, Pagination, responses

router = Router()


class MeetingFields(Schema):
    id: int
    date: datetime.date
    starts_at: datetime.datetime
    committee: str
    committee_slug: str
    place: str
    mode: str
    status: str


class MeetingOut(MeetingFields):
    @staticmethod
    def resolve_date(obj: Meeting) -> datetime.date:
        return timezone.localtime(obj.starts_at).date()

    @staticmethod
    def resolve_committee(obj: Meeting) -> str:
        return obj.committee.name

    @staticmethod
    def resolve_committee_slug(obj: Meeting) -> str:
        return obj.committee.slug


class AgendaItemOut(Schema):
    order: int
    title: str
    note: str
    presenter: str
    discussion: list[dict[str, Any]] = Field(..., alias="blocks")


class AttendanceOut(Schema):
    name: str
    title: str
    institution: str | None
    seat: str
    attendance: str


class ActionItemOut(Schema):
    id: int
    title: str
    owner: str
    owner_institution: str | None
    due_date: datetime.date | None
    status: str
    commitment: int | None


class MeetingDetailOut(MeetingFields):
    agenda: list[AgendaItemOut]
    attendance: list[AttendanceOut]
    absent_institutions: list[str]
    decisions: list[str]
    action_items: list[ActionItemOut]
    minutes_pdf: str | None
    minutes_docx: str | None


class SnapshotPendingActivityOut(Schema):
    """An activity as the snapshot froze it (not the live ``ActivityOut`` of plans)."""

    title: str
    progress: int


class SnapshotActivityOut(SnapshotPendingActivityOut):
    groups_completed_activities: bool


class SnapshotRowOut(Schema):
    number: int
    title: str
    progress: float
    previous_progress: float | None
    delta: float | None
    pending_activities: list[SnapshotPendingActivityOut]
    activities: list[SnapshotActivityOut]
    flags: list[str]
    notes: list[str]


class SnapshotOut(Schema):
    meeting: int
    plan: str
    frozen_at: datetime.datetime
    plan_progress: float
    rows: list[SnapshotRowOut]


def _meeting(request: HttpRequest, meeting_id: int) -> Meeting:
    meeting = get_object_or_404(Meeting.objects.for_page(), pk=meeting_id)
    if not request.user.has_perm("committees.view_meeting", meeting):
        raise Http404
    return meeting


@router.get("meetings", response=responses(list[MeetingOut]), tags=["meetings"])
@paginate(Pagination)
def list_meetings(request: HttpRequest, filters: Query[LangQuery]) -> QuerySet[Meeting]:
    """Committee meetings, newest first (the public sees announced or published ones)."""
    translation.activate(filters.lang)
    return Meeting.objects.visible_to(request.user).select_related("committee")


@router.get(
    "meetings/{meeting_id}",
    response=responses(MeetingDetailOut, not_found=True),
    tags=["meetings"],
)
def get_meeting(request: HttpRequest, meeting_id: int, filters: Query[LangQuery]) -> dict[str, Any]:
    """A meeting: agenda; once its minutes are published also attendance, bodies that did
    not attend, decisions and action items."""
    translation.activate(filters.lang)
    meeting = _meeting(request, meeting_id)
    data: dict[str, Any] = {
        "id": meeting.pk,
        "date": timezone.localtime(meeting.starts_at).date(),
        "starts_at": meeting.starts_at,
        "committee": meeting.committee.name,
        "committee_slug": meeting.committee.slug,
        "place": meeting.place,
        "mode": meeting.mode,
        "status": meeting.status,
        "agenda": list(meeting.agenda_items.all()),
        "attendance": [],
        "absent_institutions": [],
        "decisions": [],
        "action_items": [],
        "minutes_pdf": None,
        "minutes_docx": None,
    }
    if request.user.has_perm("committees.view_minutes", meeting):
        minutes = build_minutes(meeting, None, filters.lang)
        # From the minutes: what was fixed at approval once they are approved.
        data["attendance"] = [
            {
                "name": line.name,
                "title": line.honorific,
                "institution": line.organisation or None,
                "seat": line.seat,
                "attendance": line.status,
            }
            for line in minutes.attendance
        ]
        data["absent_institutions"] = minutes.absent_bodies
        data["decisions"] = minutes.decisions
        data["action_items"] = [
            {
                "id": item.pk,
                "title": item.title,
                "owner": item.owner,
                "owner_institution": item.owner_institution or None,
                "due_date": item.due_date,
                "status": item.status,
                "commitment": item.commitment_number,
            }
            for item in minutes.action_items
        ]
        data["minutes_pdf"] = f"/{filters.lang}/meetings/{meeting.pk}/minutes.pdf"
        data["minutes_docx"] = f"/{filters.lang}/meetings/{meeting.pk}/minutes.docx"
    return data


@router.get(
    "meetings/{meeting_id}/snapshot",
    response=responses(SnapshotOut, not_found=True),
    tags=["meetings"],
)
def get_snapshot(
    request: HttpRequest, meeting_id: int, filters: Query[LangQuery]
) -> dict[str, Any]:
    """The progress frozen at the meeting: one row per commitment, with its pending
    activities (below 100%, without the grouping of completed ones) and notes."""
    translation.activate(filters.lang)
    meeting: Meeting = get_object_or_404(Meeting.objects.select_related("committee"), pk=meeting_id)
    if not request.user.has_perm("committees.view_minutes", meeting):
        raise Http404
    snapshot = get_object_or_404(
        Snapshot.objects.with_rows().select_related("plan"), meeting=meeting
    )
    return {
        "meeting": meeting.pk,
        "plan": snapshot.plan.slug,
        "frozen_at": snapshot.frozen_at,
        "plan_progress": round(snapshot.plan_progress, 2),
        "rows": [
            {
                "number": row.number,
                "title": row.title,
                "progress": round(row.progress, 2),
                "previous_progress": row.previous_progress,
                "delta": None if row.delta is None else round(row.delta, 2),
                "pending_activities": [
                    {"title": a.title, "progress": a.progress} for a in row.pending_activities
                ],
                "activities": [
                    {
                        "title": a.title,
                        "progress": a.progress,
                        "groups_completed_activities": a.is_grouping,
                    }
                    for a in row.activities.all()
                ],
                "flags": row.flags,
                "notes": row.note_lines,
            }
            for row in snapshot.rows.all()
        ],
    }
