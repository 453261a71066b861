"""What the committees app adds to the public plan pages (see
:mod:`apps.plans.extensions`): the date of the plan's last meeting snapshot, one of the
dates the page's figures are as of, and on a commitment's page the meetings that
discussed it, with the committee's notes and the action items about it. Registered by
``CommitteesConfig.ready``."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db.models import Max
from django.http import HttpRequest
from django.utils import timezone

from apps.committees.models import ActionItem, Meeting, MeetingStatus, Snapshot, SnapshotRow
from apps.plans.extensions import PageExtras, Panel, register_commitment_page, register_plan_page
from apps.plans.models import ActionPlan, Activity, Commitment


def _last_snapshot(plan: ActionPlan) -> PageExtras:
    frozen = Snapshot.objects.filter(plan=plan).aggregate(last=Max("frozen_at"))["last"]
    return PageExtras(as_of=timezone.localtime(frozen).date() if frozen else None)


@register_plan_page
def plan_snapshot_date(
    request: HttpRequest, plan: ActionPlan, commitments: Sequence[Commitment]
) -> PageExtras:
    return _last_snapshot(plan)


@register_commitment_page
def commitment_snapshot_date(
    request: HttpRequest, commitment: Commitment, activities: Sequence[Activity]
) -> PageExtras:
    return _last_snapshot(commitment.plan)


# How many meetings a commitment's page lists (the latest ones): a committee meets a
# few times a year, so this is years of meetings.
MEETINGS_SHOWN = 20


@dataclass
class Discussed:
    """A meeting that discussed a commitment: its row in the meeting's snapshot (the
    figure, the flags and the committee's notes) and the action items about it."""

    meeting: Meeting
    row: SnapshotRow | None = None
    action_items: list[ActionItem] = field(default_factory=list)

    @property
    def day(self) -> datetime.datetime:
        return self.meeting.starts_at


@register_commitment_page
def commitment_meetings(
    request: HttpRequest, commitment: Commitment, activities: Sequence[Activity]
) -> PageExtras:
    """The meetings with published minutes that discussed the commitment, latest first:
    two queries (its snapshot rows, the action items about it), whatever their number.
    Draft or approved minutes are not public: their notes never show here."""
    published = MeetingStatus.PUBLISHED
    rows = (
        SnapshotRow.objects.filter(commitment=commitment, snapshot__meeting__status=published)
        .select_related("snapshot__meeting__committee")
        .order_by("-snapshot__meeting__starts_at", "-pk")[:MEETINGS_SHOWN]
    )
    items = (
        ActionItem.objects.filter(commitment=commitment, meeting__status=published)
        .select_related("meeting__committee", "owner_institution")
        .order_by("-meeting__starts_at", "due_date", "pk")[: MEETINGS_SHOWN * 5]
    )
    meetings: dict[int, Discussed] = {}
    for row in rows:
        meeting = row.snapshot.meeting
        meetings.setdefault(meeting.pk, Discussed(meeting)).row = row
    for item in items:
        meetings.setdefault(item.meeting_id, Discussed(item.meeting)).action_items.append(item)
    discussed = sorted(meetings.values(), key=lambda d: d.day, reverse=True)[:MEETINGS_SHOWN]
    return PageExtras(
        panels=[Panel("committees/_commitment_meetings.html", "main", {"meetings": discussed})]
    )
