"""Builders for committees, members and meetings used across the tests."""

from __future__ import annotations

import datetime
import itertools
import zoneinfo
from typing import Any

from apps.accounts import system_user
from apps.accounts.models import Institution
from apps.committees import actions
from apps.committees.models import Committee, Meeting, Member, Seat
from apps.plans.models import ActionPlan

_seq = itertools.count(1)
CASABLANCA = zoneinfo.ZoneInfo("Africa/Casablanca")


def at(year: int, month: int, day: int, hour: int = 10) -> datetime.datetime:
    return datetime.datetime(year, month, day, hour, tzinfo=CASABLANCA)


def earlier_today(delta: datetime.timedelta) -> datetime.datetime:
    """``delta`` before now, but never before today's local midnight: a meeting "an hour
    ago" run just after midnight would otherwise fall on yesterday, and its snapshot
    would rightly stand for yesterday's figures."""
    from django.utils import timezone

    now = timezone.localtime()
    return max(now - delta, now.replace(hour=0, minute=0, second=0, microsecond=0))


def make_committee(plan: ActionPlan | None = None, **kwargs: Any) -> Committee:
    n = next(_seq)
    fields: dict[str, Any] = {
        "slug": f"committee-{n}",
        "kind": Committee.Kind.STEERING,
        "name_ar": "لجنة الإشراف",
        "name_fr": "Comité de pilotage",
        "name_en": "Steering Committee",
        "plan": plan,
    }
    fields.update(kwargs)
    return Committee.objects.create(**fields)


def make_member(
    committee: Committee, institution: Institution | None = None, **kwargs: Any
) -> Member:
    n = next(_seq)
    seat = Seat.INDEPENDENT
    if institution is not None:
        seat = {
            "government": Seat.GOVERNMENT,
            "civil_society": Seat.CIVIL_SOCIETY,
            "governance_body": Seat.GOVERNANCE_BODY,
        }.get(institution.kind, Seat.GOVERNMENT)
    fields: dict[str, Any] = {
        "order": n,
        "name": f"عضو {n}",
        "honorific": "mr",
        "institution": institution,
        "seat": seat,
    }
    fields.update(kwargs)
    return Member.objects.create(committee=committee, **fields)


def make_meeting(
    committee: Committee, starts_at: datetime.datetime | None = None, **kwargs: Any
) -> Meeting:
    fields: dict[str, Any] = {"place_ar": "الرباط", "mode": Meeting.Mode.IN_PERSON}
    fields.update(kwargs)
    return actions.do_create_meeting(
        committee, acting_user=system_user(), starts_at=starts_at or at(2023, 3, 28), **fields
    )


def publish(meeting: Meeting, at_: datetime.datetime | None = None) -> Meeting:
    actions.do_approve_minutes(meeting, acting_user=system_user())
    return actions.do_publish_minutes(meeting, acting_user=system_user(), at=at_)


def validated(activity: Any, progress: int, when: datetime.datetime, *, by: Any) -> Any:
    """A progress update of ``activity`` reported by its focal point (assigned here if
    the commitment has none) and validated by ``by`` at ``when``."""
    from apps.accounts.roles import Role
    from apps.accounts.tests.personas import make_user
    from apps.tracking import actions as tracking
    from apps.tracking.models import FocalPointAssignment, ProgressUpdate
    from apps.tracking.tests.factories import report

    commitment = activity.commitment
    current = FocalPointAssignment.objects.current().filter(commitment=commitment).first()
    if current is None:
        lead = commitment.lead_institution
        if lead is None:
            lead = Institution.objects.create(
                slug=f"lead-{next(_seq)}", kind=Institution.Kind.GOVERNMENT, name_ar="وزارة"
            )
            type(commitment).objects.filter(pk=commitment.pk).update(lead_institution=lead)
            commitment.lead_institution = lead
        author = make_user(f"fp-{next(_seq)}", Role.FOCAL_POINT, institution=lead)
        tracking.do_hand_over(
            commitment, author, acting_user=by, on=datetime.date(2021, 1, 1), notify=False
        )
    else:
        author = current.user
    update = tracking.do_record_progress(
        activity, report(progress), acting_user=author, submit=True
    )
    tracking.do_validate_update(update, acting_user=by)
    ProgressUpdate.objects.filter(pk=update.pk).update(validated_at=when)
    return update
