"""A real ``manage.py worker`` killed (SIGKILL) in the middle of a task that mails two
followers, after the first mail went out: another worker takes the task again once the
lease runs out and sends the second mail only. Runs in the PostgreSQL pass (the worker
processes share the test database; SQLite's test database lives in this process's
memory)."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django_tasks_db.models import DBTaskResult

from apps.accounts.tests.personas import make_user
from apps.cocreation import actions
from apps.cocreation.tests.factories import submit
from apps.core.models import SentMail
from apps.core.tests.processes import ROOT, base_environment, on_postgresql

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not on_postgresql(), reason="runs in the PostgreSQL pass"),
]


class StallingInbox:
    """Accepts the first message, then holds the next one without ever answering (the
    worker sending it waits in the middle of its task), then accepts again."""

    def __init__(self) -> None:
        self.accepted: list[str] = []
        self.stalled = threading.Event()
        self.stall_next = True

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self.accepted and self.stall_next:
            self.stall_next = False
            self.stalled.set()
            await asyncio.sleep(3600)
        self.accepted.extend(envelope.rcpt_tos)
        return "250 Message accepted for delivery"


def start_worker(env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    with open(log, "ab") as out:
        return subprocess.Popen(  # noqa: S603
            [sys.executable, "manage.py", "worker", "--no-startup-delay", "--interval", "0.2"],
            env=env,
            cwd=ROOT,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


def wait_for(condition: Any, seconds: float, what: str, log: Path) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError(f"{what} did not happen in {seconds} s:\n{log.read_text()[-3000:]}")


def test_a_killed_worker_s_task_runs_again_without_sending_a_mail_twice(
    settings, tmp_path, secretariat, citizen
):
    from aiosmtpd.controller import Controller

    from apps.cocreation.tests.factories import make_process

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    proposal = submit(make_process(secretariat), citizen)  # its author follows it
    follower = make_user("follower")
    actions.do_follow(proposal, acting_user=follower)
    DBTaskResult.objects.all().delete()
    actions.do_comment(proposal, "رأي", acting_user=make_user("commenter"))
    (task,) = DBTaskResult.objects.all()
    assert task.task_path.endswith("notify_followers_task")

    inbox = StallingInbox()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    database = connection.settings_dict
    env = base_environment(
        tmp_path,
        f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}/{database['NAME']}",
    )
    env.update(
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=str(controller.port),
        SHARAKA_WORKER_HEARTBEAT_SECONDS="1",
        SHARAKA_WORKER_LEASE_SECONDS="3",
    )
    log = tmp_path / "worker.log"
    workers: list[subprocess.Popen[bytes]] = []
    try:
        workers.append(start_worker(env, log))
        wait_for(inbox.stalled.is_set, 60, "the second mail reaching the server", log)
        assert len(inbox.accepted) == 1 and SentMail.objects.count() == 1
        os.killpg(workers[0].pid, signal.SIGKILL)  # in the middle of the task
        workers[0].wait(timeout=10)
        task.refresh_from_db()
        assert task.status == "RUNNING"

        workers.append(start_worker(env, log))
        wait_for(
            lambda: DBTaskResult.objects.get(pk=task.pk).status == "SUCCESSFUL",
            60,
            "the task run again",
            log,
        )
        task.refresh_from_db()
        assert len(task.worker_ids) == 2  # taken twice, by two workers
        assert sorted(inbox.accepted) == ["citizen@example.org", "follower@example.org"]
        assert SentMail.objects.count() == 2
    finally:
        for worker in workers:
            if worker.poll() is None:
                os.killpg(worker.pid, signal.SIGTERM)
                worker.wait(timeout=20)
        controller.stop()
