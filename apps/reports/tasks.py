"""Background tasks (django-tasks, database backend; run ``manage.py db_worker``)."""

from __future__ import annotations

from django_tasks import task

from apps.reports.actions import run_generation


@task()
def generate_report_task(job_id: int) -> int | None:
    """Render a queued generation of a self-assessment report (every language and
    format) and keep it as a numbered version."""
    version = run_generation(job_id)
    return version.pk if version else None
