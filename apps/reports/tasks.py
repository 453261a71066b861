"""Background tasks (django-tasks, database backend; run ``manage.py worker``)."""

from __future__ import annotations

from django_tasks import task

from apps.core.mail import send_or_retry
from apps.reports.actions import run_generation
from apps.reports.mail import send_verification_mail


@task()
def generate_report_task(job_id: int) -> int | None:
    """Render a queued generation of a self-assessment report (every language and
    format) and keep it as a numbered version."""
    version = run_generation(job_id)
    return version.pk if version else None


@task()
def send_verification_mail_task(comment_id: int, language: str, attempt: int = 1) -> None:
    """Mail a consultation comment's author the link that publishes it (again later if
    the SMTP server refuses: ``apps/core/mail.py``)."""
    send_or_retry(
        send_verification_mail_task,
        lambda: send_verification_mail(comment_id, language),
        comment_id,
        language,
        attempt=attempt,
    )
