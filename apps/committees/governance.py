"""Governance figures of a committee, as OGP's co-creation standards ask for them:
attendance rates per member and institution, government / civil-society presence per
meeting, meetings per six months (at least one) and days from meeting to published
minutes. Every figure is a database aggregate: a fixed number of queries.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Exists, IntegerField, OuterRef, Q, QuerySet, Sum
from django.db.models.functions import Cast
from django.utils import timezone

from apps.committees.models import (
    ATTENDED,
    Attendance,
    AttendanceStatus,
    Committee,
    Invitation,
    Meeting,
    MeetingStatus,
    Member,
    Seat,
)

_ATTENDED = Q(attendances__status__in=ATTENDED)


def rate(attended: int, total: int) -> float | None:
    return attended * 100 / total if total else None


def members_with_attendance(committee: Committee, published: bool = False) -> QuerySet[Member]:
    """The committee's members with ``attended`` / ``recorded`` meetings and ``rate``."""
    scope = Q(attendances__meeting__status=MeetingStatus.PUBLISHED) if published else Q()
    return (
        Member.objects.filter(committee=committee)
        .select_related("institution")
        .annotate(
            recorded=Count("attendances", filter=scope),
            attended=Count("attendances", filter=_ATTENDED & scope),
        )
        .order_by("order", "pk")
    )


def institution_attendance(committee: Committee, published: bool = False) -> list[dict[str, Any]]:
    """Per institution invited: meetings it was invited to, meetings someone came from."""
    came = Attendance.objects.filter(
        meeting=OuterRef("meeting"),
        member__institution=OuterRef("institution"),
        status__in=ATTENDED,
    )
    invitations = Invitation.objects.filter(meeting__committee=committee, institution__isnull=False)
    if published:
        invitations = invitations.filter(meeting__status=MeetingStatus.PUBLISHED)
    rows = (
        invitations.annotate(came=Cast(Exists(came), IntegerField()))
        .values("institution", "institution__name", "institution__kind")
        .annotate(invited=Count("pk"), attended=Sum("came"))
        .order_by("institution__kind", "institution__name")
    )
    result = []
    for row in rows:
        result.append(
            {
                "name": row["institution__name"],
                "kind": row["institution__kind"],
                "invited": row["invited"],
                "attended": row["attended"] or 0,
                "rate": rate(row["attended"] or 0, row["invited"]),
            }
        )
    return result


def meetings_with_presence(committee: Committee, published: bool = False) -> QuerySet[Meeting]:
    """Meetings with ``government``, ``civil_society``, ``governance_body``, ``others``
    and ``present`` (people who attended, in the room or remotely)."""

    def seat(value: str) -> Count:
        return Count("attendances", filter=_ATTENDED & Q(attendances__member__seat=value))

    meetings = Meeting.objects.filter(committee=committee)
    if published:
        meetings = meetings.filter(status=MeetingStatus.PUBLISHED)
    return meetings.annotate(
        present=Count("attendances", filter=_ATTENDED),
        remote=Count("attendances", filter=Q(attendances__status=AttendanceStatus.REMOTE)),
        government=seat(Seat.GOVERNMENT),
        civil_society=seat(Seat.CIVIL_SOCIETY),
        governance_body=seat(Seat.GOVERNANCE_BODY),
        independent=seat(Seat.INDEPENDENT),
    ).order_by("starts_at", "pk")


@dataclass
class HalfYear:
    year: int
    half: int  # 1: January–June, 2: July–December
    meetings: int

    @property
    def meets_standard(self) -> bool:
        """OGP: the forum meets at least once every six months."""
        return self.meetings >= 1

    @property
    def label(self) -> str:
        return f"{self.year}-H{self.half}"


def _half(day: datetime.date) -> tuple[int, int]:
    return day.year, 1 if day.month <= 6 else 2


def meetings_per_half_year(
    meetings: list[Meeting], until: datetime.date, today: datetime.date
) -> list[HalfYear]:
    """Meetings held by ``today``, per six months, from the first meeting's half-year to
    ``until``'s (or the last meeting's)."""
    held = [timezone.localtime(m.starts_at).date() for m in meetings]
    held = [d for d in held if d <= today]
    if not held:
        return []
    counts: dict[tuple[int, int], int] = {}
    for day in held:
        counts[_half(day)] = counts.get(_half(day), 0) + 1
    year, half = _half(min(held))
    last = max(_half(until), _half(max(held)))
    result = []
    while (year, half) <= last:
        result.append(HalfYear(year, half, counts.get((year, half), 0)))
        year, half = (year, 2) if half == 1 else (year + 1, 1)
    return result


def days_to_publication(meeting: Meeting) -> int | None:
    if meeting.published_at is None:
        return None
    start = timezone.localtime(meeting.starts_at).date()
    return (timezone.localtime(meeting.published_at).date() - start).days


@dataclass
class Figures:
    members: list[Member]
    institutions: list[dict[str, Any]]
    meetings: list[Meeting]
    half_years: list[HalfYear]
    mean_days_to_publication: float | None


def governance_figures(
    committee: Committee, *, today: datetime.date | None = None, published: bool = False
) -> Figures:
    """Everything the committee page shows, in three queries.

    With ``published``, only meetings whose minutes are published count: what the public
    may know (attendance is part of the minutes).
    """
    today = today or timezone.localdate()
    members = list(members_with_attendance(committee, published))
    for member in members:
        member.rate = rate(member.attended, member.recorded)  # type: ignore[attr-defined]
    meetings = list(meetings_with_presence(committee, published))
    delays = []
    for meeting in meetings:
        meeting.days_to_publication = days_to_publication(meeting)  # type: ignore[attr-defined]
        if meeting.days_to_publication is not None:  # type: ignore[attr-defined]
            delays.append(meeting.days_to_publication)  # type: ignore[attr-defined]
    until = today
    if committee.plan_id and committee.plan is not None:
        until = min(today, committee.plan.period_end)
    return Figures(
        members=members,
        institutions=institution_attendance(committee, published),
        meetings=meetings,
        half_years=meetings_per_half_year(meetings, until, today),
        mean_days_to_publication=sum(delays) / len(delays) if delays else None,
    )
