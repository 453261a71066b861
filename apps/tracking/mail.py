"""Mail of progress tracking: decisions on updates, and reminders about stale items.

Each mail is written in its recipient's preferred language.
"""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from apps.accounts.models import User, system_user
from apps.core.mail import send_once
from apps.core.models import AuditLog
from apps.plans.choices import PlanStatus
from apps.plans.models import ActionPlan, Activity
from apps.tracking.meetings import next_meeting_date
from apps.tracking.models import ProgressUpdate, Reminder
from apps.tracking.staleness import flags_of, reference_for, stale_activities

logger = logging.getLogger(__name__)


def absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def _lang(user: Any) -> str:
    return str(getattr(user, "preferred_language", "") or settings.LANGUAGE_CODE)


def _send(
    key: str, to: str, subject_template: str, body_template: str, context: dict[str, Any]
) -> None:
    subject = " ".join(render_to_string(subject_template, context).split())
    body = render_to_string(body_template, context)
    send_once(key, EmailMessage(subject=subject, body=body, to=[to]))


def send_decision_mail(update_id: int) -> None:
    """Tell an update's author it was validated or returned (after commit)."""
    update = (
        ProgressUpdate.objects.select_related("author", "activity__commitment__plan")
        .filter(pk=update_id)
        .first()
    )
    if update is None or not update.author.email:
        return
    with translation.override(_lang(update.author)):
        submitted = update.submitted_at.isoformat() if update.submitted_at else ""
        _send(
            f"tracking.decision:{update.pk}:{update.status}:{submitted}",
            update.author.email,
            "tracking/mail/decision_subject.txt",
            "tracking/mail/decision.txt",
            {"update": update, "url": absolute(update.get_absolute_url())},
        )


def send_assignment_mail(assignment_id: int) -> None:
    """Tell a focal point they now answer for a commitment (after commit)."""
    from apps.tracking.models import FocalPointAssignment

    assignment = (
        FocalPointAssignment.objects.select_related("user", "commitment__plan")
        .filter(pk=assignment_id, ended_on__isnull=True)
        .first()
    )
    if assignment is None or not assignment.user.email:
        return
    with translation.override(_lang(assignment.user)):
        _send(
            f"tracking.assignment:{assignment.pk}",
            assignment.user.email,
            "tracking/mail/assignment_subject.txt",
            "tracking/mail/assignment.txt",
            {
                "assignment": assignment,
                "commitment": assignment.commitment,
                "url": absolute(reverse("tracking:my_commitments")),
            },
        )


def reminder_period(plans: list[ActionPlan], today: datetime.date) -> str | None:
    """The period a reminder sent ``today`` belongs to: the next meeting when it is
    close enough, else the current interval (ISO week by default)."""
    window = settings.SHARAKA_REMINDER_DAYS_BEFORE_MEETING
    meetings = sorted(d for d in (next_meeting_date(p) for p in plans) if d is not None)
    for meeting in meetings:
        if 0 <= (meeting - today).days <= window:
            return f"meeting-{meeting.isoformat()}"
    interval = settings.SHARAKA_REMINDER_INTERVAL_DAYS
    if interval <= 0:
        return None
    if interval == 7:
        year, week, _ = today.isocalendar()
        return f"week-{year}-W{week:02d}"
    return f"every-{interval}d-{today.toordinal() // interval}"


@dataclass
class Digest:
    """The stale items of one focal point."""

    user: User
    plans: dict[int, ActionPlan] = field(default_factory=dict)
    activity_ids: list[int] = field(default_factory=list)


def _digests(now: datetime.datetime) -> dict[int, Digest]:
    """Stale activities of commitments with a current focal point, per focal point:
    one query per plan being implemented, plus one for the people."""
    by_user: dict[int, Digest] = {}
    plans = list(ActionPlan.objects.filter(status=PlanStatus.IMPLEMENTATION))
    for plan in plans:
        ref = reference_for(plan, now)
        rows = stale_activities(
            Activity.objects.filter(
                commitment__plan=plan,
                commitment__focal_point_assignments__ended_on__isnull=True,
            ),
            ref,
        ).values_list("pk", "commitment__focal_point_assignments__user")
        for activity_id, user_id in rows:
            digest = by_user.setdefault(user_id, Digest(user=None))  # type: ignore[arg-type]
            digest.plans[plan.pk] = plan
            digest.activity_ids.append(activity_id)
    users = User.objects.filter(pk__in=by_user, is_active=True).exclude(email="")
    for user in users:
        by_user[user.pk].user = user
    return {pk: d for pk, d in by_user.items() if d.user is not None}


def _reminder_items(digest: Digest, now: datetime.datetime) -> list[dict[str, Any]]:
    """The digest's activities grouped by commitment, titles in the active language."""
    grouped: dict[int, dict[str, Any]] = {}
    for plan in digest.plans.values():
        ref = reference_for(plan, now)
        activities = stale_activities(
            Activity.objects.filter(pk__in=digest.activity_ids, commitment__plan=plan),
            ref,
        ).select_related("commitment__plan")
        for activity in activities.order_by("commitment__number", "order", "pk"):
            commitment = activity.commitment
            entry = grouped.setdefault(commitment.pk, {"commitment": commitment, "activities": []})
            entry["activities"].append(
                {
                    "activity": activity,
                    "flags": flags_of(activity),
                    "url": absolute(reverse("tracking:report_progress", args=[activity.pk])),
                }
            )
    return list(grouped.values())


def send_reminders(now: datetime.datetime | None = None) -> int:
    """Send each focal point with stale items one mail listing them, at most once per
    period. Returns how many mails were sent.

    The ``Reminder`` row is written first (its unique constraint stops a second mail for
    the period, even from a concurrent worker), the mail is sent after commit, and the
    row is removed if sending fails so that the next run tries again.
    """
    now = now or timezone.now()
    today = timezone.localtime(now).date()
    platform: User | None = None
    sent = 0
    for digest in _digests(now).values():
        period = reminder_period(list(digest.plans.values()), today)
        if period is None:
            continue
        platform = platform or system_user()
        try:
            with transaction.atomic():
                reminder = Reminder.objects.create(
                    recipient=digest.user, period=period, activities=sorted(digest.activity_ids)
                )
                # Written by the platform itself: the audit names its own account.
                AuditLog.record(
                    actor=platform,
                    action="tracking.send_reminder",
                    target=reminder,
                    after={"recipient": digest.user.pk, "activities": len(digest.activity_ids)},
                )
        except IntegrityError:
            continue  # already reminded for this period
        try:
            with translation.override(_lang(digest.user)):
                items = _reminder_items(digest, now)
                _send(
                    f"tracking.reminder:{reminder.pk}",
                    digest.user.email,
                    "tracking/mail/reminder_subject.txt",
                    "tracking/mail/reminder.txt",
                    {
                        "user": digest.user,
                        "items": items,
                        "count": sum(len(i["activities"]) for i in items),
                        "my_url": absolute(reverse("tracking:my_commitments")),
                        "stale_days": settings.SHARAKA_STALE_AFTER_DAYS,
                    },
                )
        except Exception:
            logger.exception("Reminder to user %s failed; will retry next run", digest.user.pk)
            reminder.delete()  # (its audit row stays: the attempt happened)
            continue
        sent += 1
    return sent


__all__ = ["reminder_period", "send_assignment_mail", "send_decision_mail", "send_reminders"]
