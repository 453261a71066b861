"""Task workers that survive one of them dying in the middle of a task.

django-tasks' database backend marks a task running when a worker takes it and never
looks at it again: a worker killed hard (SIGKILL, the machine lost, the out-of-memory
killer) leaves its task running for ever. ``manage.py worker`` is ``db_worker`` with a
lease: a thread records the worker's sign of life (:class:`~apps.core.models.WorkerBeat`)
every ``SHARAKA_WORKER_HEARTBEAT_SECONDS``, and each beat of every worker looks for
tasks left running by a worker silent for longer than ``SHARAKA_WORKER_LEASE_SECONDS``:

- taken fewer than ``SHARAKA_TASK_ATTEMPTS`` times: made ready again, and a worker runs
  it again from the start;
- otherwise: marked failed (``WorkerLost``), so that a task that kills its worker every
  time does not kill them all.

Running a task again is safe because a task writes in one transaction (rolled back when
its worker dies) and sends each mail once (:func:`apps.core.mail.send_once`). Only the
tasks of workers that beat are taken again: a plain ``db_worker`` never beats, and its
tasks are left alone, however long they run.

At start the worker preloads WeasyPrint (:func:`apps.core.renderings.preload`): the
documents it lays out do not pay the import.
"""

from __future__ import annotations

import datetime
import logging
import threading
from typing import Any

from django.conf import settings
from django.db import DatabaseError, connection
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from apps.core import renderings
from apps.core.models import SentMail, WorkerBeat

logger = logging.getLogger(__name__)
# How long the records of sent mails and of stopped workers are kept.
KEEP_RECORDS = datetime.timedelta(days=90)
# Old records are forgotten at the first beat, then at most this often.
FORGET_EVERY = datetime.timedelta(hours=1)


class WorkerLost(Exception):
    """The worker running the task stopped answering, too many times."""


def beat(worker_id: str, started_at: datetime.datetime) -> None:
    WorkerBeat.objects.update_or_create(
        worker_id=worker_id, defaults={"seen_at": timezone.now(), "started_at": started_at}
    )


def recover_lost_tasks(now: datetime.datetime | None = None) -> tuple[int, int]:
    """Take again the tasks whose worker went silent; returns (made ready, failed)."""
    now = now or timezone.now()
    silent_since = now - datetime.timedelta(seconds=settings.SHARAKA_WORKER_LEASE_SECONDS)
    silent = set(
        WorkerBeat.objects.filter(seen_at__lt=silent_since).values_list("worker_id", flat=True)
    )
    if not silent:
        return 0, 0
    ready = failed = 0
    running = DBTaskResult.objects.running()
    for result in running.only("id", "worker_ids", "started_at", "task_path"):
        if not result.worker_ids or result.worker_ids[-1] not in silent:
            continue
        # One UPDATE that holds only if nobody changed the row since it was read: two
        # workers recovering at once take a task again once.
        same = DBTaskResult.objects.filter(
            pk=result.pk, status=TaskResultStatus.RUNNING, started_at=result.started_at
        )
        if len(result.worker_ids) < settings.SHARAKA_TASK_ATTEMPTS:
            if same.update(status=TaskResultStatus.READY):
                ready += 1
                logger.warning(
                    "Task %s (%s) left running by silent worker %s: ready again",
                    result.pk,
                    result.task_path,
                    result.worker_ids[-1],
                )
        else:
            message = (
                f"{WorkerLost.__module__}.WorkerLost: the worker running this task stopped "
                f"answering, {len(result.worker_ids)} times ({', '.join(result.worker_ids)})"
            )
            if same.update(
                status=TaskResultStatus.FAILED,
                finished_at=now,
                exception_class_path=f"{WorkerLost.__module__}.WorkerLost",
                traceback=message,
            ):
                failed += 1
                logger.error("Task %s (%s): %s", result.pk, result.task_path, message)
    return ready, failed


def forget_old_records(now: datetime.datetime | None = None) -> None:
    """Delete the beats of workers gone for long and the old records of sent mails."""
    before = (now or timezone.now()) - KEEP_RECORDS
    WorkerBeat.objects.filter(seen_at__lt=before).delete()
    SentMail.objects.filter(sent_at__lt=before).delete()


class LeasedWorker(Worker):
    """``db_worker``'s loop, with a heartbeat thread that also takes lost tasks again."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.started_at = timezone.now()
        self.stopped = threading.Event()
        self.forgotten_at: datetime.datetime | None = None

    def beat_once(self) -> None:
        try:
            beat(self.worker_id, self.started_at)
            recover_lost_tasks()
            now = timezone.now()
            if self.forgotten_at is None or now - self.forgotten_at >= FORGET_EVERY:
                forget_old_records(now)
                self.forgotten_at = now
        except DatabaseError:
            # The database is away for a moment: the next beat tries again.
            logger.exception("Worker %s could not beat", self.worker_id)

    def heartbeat(self) -> None:
        try:
            while not self.stopped.wait(settings.SHARAKA_WORKER_HEARTBEAT_SECONDS):
                self.beat_once()
        finally:
            connection.close()

    def run(self) -> None:
        # Documents are laid out here: pay WeasyPrint's import once, before the first.
        renderings.preload()
        self.beat_once()
        thread = threading.Thread(target=self.heartbeat, name="worker-heartbeat", daemon=True)
        thread.start()
        try:
            super().run()
        finally:
            self.stopped.set()
