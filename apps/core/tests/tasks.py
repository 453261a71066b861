"""Running the background tasks in tests, as ``manage.py db_worker`` does."""

from __future__ import annotations

from typing import Any

from django.utils import translation
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult


def queued(task_path: str = "") -> list[DBTaskResult]:
    """The tasks waiting for a worker (of ``task_path`` if given)."""
    tasks = DBTaskResult.objects.ready()
    if task_path:
        tasks = tasks.filter(task_path=task_path)
    return list(tasks)


def run_tasks() -> None:
    """Every queued task, run as ``manage.py db_worker`` runs it (claimed, run, marked
    successful or failed), in the worker's language (the default: no request's language
    is active there). Not the command itself: between tasks it closes the database
    connection, which would end the test's transaction on PostgreSQL."""
    worker = Worker(
        queue_names=["*"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="tests",
        excluded_queue_names=[],
    )
    with translation.override(None):
        while (result := DBTaskResult.objects.ready().get_locked()) is not None:
            result.claim(worker.worker_id)
            worker.run_task(result)


def download(client: Any, path: str) -> Any:
    """A file laid out in the background: asked for, the worker run, asked for again."""
    response = client.get(path)
    if response.status_code == 202:
        run_tasks()
        response = client.get(path)
    return response
