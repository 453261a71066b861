"""Running the background tasks in tests, as ``manage.py db_worker`` does."""

from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.utils import translation
from django_tasks_db.models import DBTaskResult


def queued(task_path: str = "") -> list[DBTaskResult]:
    """The tasks waiting for a worker (of ``task_path`` if given)."""
    tasks = DBTaskResult.objects.ready()
    if task_path:
        tasks = tasks.filter(task_path=task_path)
    return list(tasks)


def run_tasks() -> None:
    """Every queued task, run by the worker until none is left, in the worker's
    language (the default: no request's language is active there)."""
    with translation.override(None):
        call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)


def download(client: Any, path: str) -> Any:
    """A file laid out in the background: asked for, the worker run, asked for again."""
    response = client.get(path)
    if response.status_code == 202:
        run_tasks()
        response = client.get(path)
    return response
