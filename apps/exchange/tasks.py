"""Background tasks (django-tasks, database backend; run ``manage.py worker``)."""

from __future__ import annotations

from django_tasks import task

from apps.exchange.actions import run_apply, run_preview


@task()
def preview_import_task(job_id: int) -> str:
    """Check an uploaded file: every row's outcome, nothing written."""
    return run_preview(job_id).status


@task()
def apply_import_task(job_id: int) -> str:
    """Apply a checked import in one transaction."""
    return run_apply(job_id).status
