"""Tracking in the demo: the people of the seed meeting's plan and what they did.

- a secretariat account, one focal point per lead institution, a committee member;
- every commitment assigned to a focal point of its lead institution since the plan
  started; commitments 11 and 12 handed over on 28 March 2023, the seed's "change of
  the official contact" (تغيير على مستوى المخاطب الرسمي);
- the figures of commitment 1 reported and validated as they stood that day (so the
  plan's percentages stay the seed's), one update waiting for validation;
- the seed's proposal to move the open-data legal framework activity from 20% to 60%,
  as a pending change request.

Everything is dated inside the plan's period, as it happened then, never the day the
demo is loaded: the reports were submitted and validated on the eve of the meeting
(27 March 2023), the proposal made at the meeting, and the assignments, their audit
rows and the activities' history carry those dates too.

Idempotent: once the plan has focal points, nothing is done again. Every account uses
the demo password (``DEMO_ADMIN_PASSWORD``, default ``sharaka-demo``).
"""

from __future__ import annotations

import datetime
import os
import zoneinfo

from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from apps.accounts.demo import mark_demo_account
from apps.accounts.models import User
from apps.accounts.roles import Role
from apps.core.models import AuditLog
from apps.plans.models import ActionPlan, Activity
from apps.tracking import actions
from apps.tracking.models import ChangeRequest, FocalPointAssignment, ProgressUpdate

MEETING = datetime.date(2023, 3, 28)
_CASABLANCA = zoneinfo.ZoneInfo("Africa/Casablanca")
# The eve of the meeting: reports submitted in the morning, validated in the afternoon.
REPORTED_ON = datetime.date(2023, 3, 27)
SUBMITTED_AT = datetime.datetime(2023, 3, 27, 11, 0, tzinfo=_CASABLANCA)
VALIDATED_AT = datetime.datetime(2023, 3, 27, 16, 0, tzinfo=_CASABLANCA)
# The proposal was made at the meeting (10:00, as in apps.committees.demo).
PROPOSED_AT = datetime.datetime(2023, 3, 28, 10, 0, tzinfo=_CASABLANCA)
HANDED_OVER = (11, 12)
OPEN_DATA_ACTIVITY = "وضع الإطار القانوني اللازم لتشجيع تطوير المعطيات المفتوحة"
FRENCH_SPEAKING = {"add", "mtnra"}


def _user(username: str, role: Role, **fields: object) -> User:
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User.objects.create_user(
            username=username,
            email=f"{username}@sharaka.example",
            password=os.environ.get("DEMO_ADMIN_PASSWORD", "sharaka-demo"),
            **fields,
        )
    user.groups.add(Group.objects.get_or_create(name=role.value)[0])
    # Exempt from two-factor sign-in, so that the demo stays one click away.
    mark_demo_account(user)
    return user


def _morning(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(9, 0), tzinfo=_CASABLANCA)


@transaction.atomic
def load_tracking_demo(plan: ActionPlan) -> None:
    if FocalPointAssignment.objects.filter(commitment__plan=plan).exists():
        return
    loading_started = timezone.now()
    secretariat = _user(
        "demo-secretariat", Role.SECRETARIAT, first_name="أمانة", last_name="الحكومة المنفتحة"
    )
    member = _user("demo-committee", Role.COMMITTEE_MEMBER, first_name="عضو", last_name="اللجنة")
    commitments = list(
        plan.commitments.select_related("lead_institution")
        .prefetch_related("supporting_institutions")
        .order_by("number")
    )
    for commitment in commitments:
        lead = commitment.lead_institution
        if lead is None:
            continue
        focal_point = _user(
            f"demo-fp-{lead.slug}",
            Role.FOCAL_POINT,
            institution=lead,
            preferred_language="fr" if lead.slug in FRENCH_SPEAKING else "ar",
            first_name="مخاطب",
            last_name=lead.acronym or lead.slug,
        )
        actions.do_hand_over(
            commitment, focal_point, acting_user=secretariat, on=plan.period_start, notify=False
        )
        if commitment.number in HANDED_OVER:
            successor = _user(
                f"demo-fp-{lead.slug}-2",
                Role.FOCAL_POINT,
                institution=lead,
                first_name="مخاطبة",
                last_name=lead.acronym or lead.slug,
            )
            actions.do_hand_over(
                commitment,
                successor,
                acting_user=secretariat,
                on=MEETING,
                note="تغيير على مستوى المخاطب (ة) الرسمي (ة) — محضر اجتماع 28 مارس 2023",
                notify=False,
            )
    first = commitments[0]
    focal_point = FocalPointAssignment.objects.current().get(commitment=first).user
    for activity in first.activities.filter(is_grouping=False).order_by("order"):
        update = actions.do_record_progress(
            activity,
            actions.Report(
                progress=activity.progress,
                reported_on=REPORTED_ON,
                language="ar",
                narratives={"ar": "الوضعية المعروضة على اجتماع لجنة الإشراف يوم 28 مارس 2023."},
                links=["https://www.gov.ma/"],
            ),
            acting_user=focal_point,
            submit=True,
        )
        actions.do_validate_update(update, acting_user=secretariat)
    pending_activity = (
        Activity.objects.filter(commitment__plan=plan, commitment__number=5, is_grouping=False)
        .order_by("order")
        .first()
    )
    if pending_activity is not None:
        author = (
            FocalPointAssignment.objects.current()
            .get(commitment__number=5, commitment__plan=plan)
            .user
        )
        actions.do_record_progress(
            pending_activity,
            actions.Report(
                progress=min(100, pending_activity.progress + 10),
                reported_on=REPORTED_ON,
                language="ar",
                narratives={"ar": "تم استكمال تصميم الفضاء الإلكتروني وعرضه على اللجنة التقنية."},
            ),
            acting_user=author,
            submit=True,
        )
    open_data = Activity.objects.filter(
        commitment__plan=plan, title_ar__contains=OPEN_DATA_ACTIVITY
    ).first()
    if open_data is not None:
        actions.do_propose_change(
            open_data,
            acting_user=member,
            progress=60,
            justification=(
                "يقترح تغيير نسبة إنجاز النشاط المتعلق بوضع الإطار القانوني اللازم لتشجيع "
                "تطوير المعطيات المفتوحة من 20% إلى 60% نظرا للتقدم المسجل في هذا الإطار"
            ),
        )
    _date_as_it_happened(plan, loading_started)


def _date_as_it_happened(plan: ActionPlan, loading_started: datetime.datetime) -> None:
    """Give what the actions above stamped with the clock the dates of the story."""
    updates = ProgressUpdate.objects.filter(activity__commitment__plan=plan)
    updates.update(created_at=SUBMITTED_AT, updated_at=SUBMITTED_AT, submitted_at=SUBMITTED_AT)
    updates.exclude(validated_at=None).update(updated_at=VALIDATED_AT, validated_at=VALIDATED_AT)
    ChangeRequest.objects.filter(activity__commitment__plan=plan).update(
        created_at=PROPOSED_AT, updated_at=PROPOSED_AT
    )
    for assignment in FocalPointAssignment.objects.filter(commitment__plan=plan):
        FocalPointAssignment.objects.filter(pk=assignment.pk).update(
            created_at=_morning(assignment.started_on)
        )
    Activity.history.filter(  # type: ignore[attr-defined]
        commitment__plan=plan, history_date__gte=loading_started
    ).update(history_date=VALIDATED_AT)
    for entry in AuditLog.objects.filter(at__gte=loading_started):
        if "since" in entry.after:  # an assignment or a hand-over, on its first day
            at = _morning(datetime.date.fromisoformat(entry.after["since"]))
        elif entry.target_type == "tracking.changerequest":
            at = PROPOSED_AT
        elif entry.action in ("tracking.create_update", "tracking.submit_update"):
            at = SUBMITTED_AT
        else:
            at = VALIDATED_AT
        AuditLog.objects.filter(pk=entry.pk).update(at=at)
    User.objects.filter(username__startswith="demo-", date_joined__gte=loading_started).update(
        date_joined=_morning(plan.period_start)
    )
