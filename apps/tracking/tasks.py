"""Background tasks (django-tasks, database backend; run ``manage.py db_worker``)."""

from __future__ import annotations

from django_tasks import task

from apps.tracking.mail import send_assignment_mail, send_decision_mail, send_reminders


@task()
def send_reminders_task() -> int:
    """Send the due reminder mails (idempotent: at most one per focal point and period).

    Enqueue it daily, e.g. from cron: ``manage.py send_reminders``."""
    return send_reminders()


@task()
def send_decision_mail_task(update_id: int) -> None:
    """Tell an update's author it was validated or returned."""
    send_decision_mail(update_id)


@task()
def send_assignment_mail_task(assignment_id: int) -> None:
    """Tell a focal point a commitment was assigned (or handed over) to them."""
    send_assignment_mail(assignment_id)
