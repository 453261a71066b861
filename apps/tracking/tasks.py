"""Background tasks (django-tasks, database backend; run ``manage.py worker``)."""

from __future__ import annotations

from django_tasks import task

from apps.core.mail import send_or_retry
from apps.tracking.mail import send_assignment_mail, send_decision_mail, send_reminders


@task()
def send_reminders_task() -> int:
    """Send the due reminder mails (idempotent: at most one per focal point and period).

    Enqueue it daily, e.g. from cron: ``manage.py send_reminders``."""
    return send_reminders()


@task()
def send_decision_mail_task(update_id: int, attempt: int = 1) -> None:
    """Tell an update's author it was validated or returned (retried if the SMTP server
    refuses: apps/core/mail.py)."""
    send_or_retry(
        send_decision_mail_task, lambda: send_decision_mail(update_id), update_id, attempt=attempt
    )


@task()
def send_assignment_mail_task(assignment_id: int, attempt: int = 1) -> None:
    """Tell a focal point a commitment was assigned (or handed over) to them (retried if
    the SMTP server refuses)."""
    send_or_retry(
        send_assignment_mail_task,
        lambda: send_assignment_mail(assignment_id),
        assignment_id,
        attempt=attempt,
    )


@task()
def notify_followers_task(update_id: int) -> int:
    """Queue one mail per follower of a validated update (each retried on its own, so a
    refusal never sends the others twice). Returns how many were queued."""
    from apps.tracking.follow import followers_of
    from apps.tracking.models import ProgressUpdate, UpdateStatus

    update = (
        ProgressUpdate.objects.select_related("activity__commitment")
        .filter(pk=update_id, status=UpdateStatus.VALIDATED)
        .first()
    )
    if update is None:
        return 0
    follows = followers_of(update)
    for follow_id in follows:
        send_follow_update_mail_task.enqueue(follow_id, update_id)
    return len(follows)


@task()
def send_follow_update_mail_task(follow_id: int, update_id: int, attempt: int = 1) -> None:
    """Tell one follower of a validated update (retried if the SMTP server refuses)."""
    from apps.tracking.follow import send_update_mail

    send_or_retry(
        send_follow_update_mail_task,
        lambda: send_update_mail(follow_id, update_id),
        follow_id,
        update_id,
        attempt=attempt,
    )


@task()
def send_follow_confirmation_task(follow_id: int, requested: str = "", attempt: int = 1) -> None:
    """Mail the link that confirms a visitor's address, once per request (retried if the
    SMTP server refuses)."""
    from apps.tracking.follow import send_confirmation_mail

    send_or_retry(
        send_follow_confirmation_task,
        lambda: send_confirmation_mail(follow_id, requested),
        follow_id,
        requested,
        attempt=attempt,
    )
