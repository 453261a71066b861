"""Background tasks (django-tasks, database backend; run ``manage.py db_worker``)."""

from __future__ import annotations

from django_tasks import task

from apps.tracking.mail import send_decision_mail, send_reminders


@task()
def send_reminders_task() -> int:
    """Send the due reminder mails (idempotent: at most one per focal point and period).

    Enqueue it daily, e.g. from cron: ``manage.py send_reminders``."""
    return send_reminders()


@task()
def send_decision_mail_task(update_id: int) -> None:
    """Tell an update's author it was validated or returned."""
    send_decision_mail(update_id)
