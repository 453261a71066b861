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
