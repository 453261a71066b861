"""What the committees app adds to the public plan pages (see
:mod:`apps.plans.extensions`): the date of the plan's last meeting snapshot, one of the
dates the page's figures are as of; the progress over time with the meetings' figures
(:mod:`apps.committees.charts`), drawn from the same snapshot rows, read once per page;
and on a commitment's page the meetings that discussed it, with the committee's notes
and the action items about it. Registered by ``CommitteesConfig.ready``."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db.models import Max
from django.http import HttpRequest
from django.utils import timezone

from apps.committees.charts import commitment_over_time, plan_over_time, snapshot_rows
from apps.committees.models import ActionItem, Meeting, MeetingStatus, Snapshot, SnapshotRow
from apps.plans.extensions import PageExtras, Panel, register_commitment_page, register_plan_page
from apps.plans.models import ActionPlan, Activity, Commitment


@register_plan_page
def plan_committee(
    request: HttpRequest, plan: ActionPlan, commitments: Sequence[Commitment]
) -> PageExtras:
    """The date of the plan's last snapshot (a date the page's figures are as of) and,
    on the plan's page, its progress over time with the meetings' figures
    (:mod:`apps.committees.charts`): the snapshot rows are read once for both. The home
    page (no rows) asks for the date only: one query."""
    if not commitments:
        frozen = Snapshot.objects.filter(plan=plan).aggregate(last=Max("frozen_at"))["last"]
        return PageExtras(as_of=_day(frozen))
    rows = snapshot_rows(snapshot__plan=plan)
    frozen = max((row[-1] for row in rows), default=None)
    return PageExtras(as_of=_day(frozen), panels=plan_over_time(plan, commitments, rows))


def _day(moment: datetime.datetime | None) -> datetime.date | None:
    return timezone.localtime(moment).date() if moment else None


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
def commitment_committee(
    request: HttpRequest, commitment: Commitment, activities: Sequence[Activity]
) -> PageExtras:
    """What the committee knows of the commitment, in two queries whatever the number of
    meetings: its rows in the meetings' snapshots (one per meeting of its plan) and the
    action items about it. From them: the date of the last snapshot it is in (a date
    the page's figures are as of), its progress over time (:mod:`apps.committees.charts`,
    with the meetings' figures) and the meetings with published minutes that discussed
    it, latest first. Draft or approved minutes are not public: their notes never show
    here."""
    published = MeetingStatus.PUBLISHED
    rows = list(
        SnapshotRow.objects.filter(commitment=commitment)
        .select_related("snapshot__meeting__committee")
        .order_by("-snapshot__meeting__starts_at", "-pk")
    )
    items = (
        ActionItem.objects.filter(commitment=commitment, meeting__status=published)
        .select_related("meeting__committee", "owner_institution")
        .order_by("-meeting__starts_at", "due_date", "pk")[: MEETINGS_SHOWN * 5]
    )
    meetings: dict[int, Discussed] = {}
    for row in [r for r in rows if r.snapshot.meeting.status == published][:MEETINGS_SHOWN]:
        meeting = row.snapshot.meeting
        meetings.setdefault(meeting.pk, Discussed(meeting)).row = row
    for item in items:
        meetings.setdefault(item.meeting_id, Discussed(item.meeting)).action_items.append(item)
    discussed = sorted(meetings.values(), key=lambda d: d.day, reverse=True)[:MEETINGS_SHOWN]
    frozen = max((r.snapshot.frozen_at for r in rows), default=None)
    return PageExtras(
        as_of=_day(frozen),
        panels=[
            commitment_over_time(commitment, activities, rows),
            Panel("committees/_commitment_meetings.html", "main", {"meetings": discussed}),
        ],
    )
