"""A worker that dies in the middle of a task (apps/core/worker.py): its task runs again,
and the mails it had sent are not sent twice (apps/core/mail.send_once)."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.core.mail import EmailMessage
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from apps.core.mail import send_once
from apps.core.models import SentMail, WorkerBeat
from apps.core.tests.tasks import run_tasks
from apps.core.worker import beat, recover_lost_tasks
from apps.tracking import actions
from apps.tracking.mail import send_decision_mail
from apps.tracking.tests.factories import submitted

pytestmark = pytest.mark.django_db
DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def decision(
    settings, activity, focal_point_a, secretariat, django_capture_on_commit_callbacks
) -> DBTaskResult:
    """A validated update whose decision mail waits for a worker."""
    settings.TASKS = DATABASE_TASKS
    settings.SHARAKA_WORKER_LEASE_SECONDS = 60
    settings.SHARAKA_TASK_ATTEMPTS = 3
    update = submitted(activity, focal_point_a, 40)
    DBTaskResult.objects.all().delete()  # the fixtures' own mails: not these tests'
    with django_capture_on_commit_callbacks(execute=True):
        actions.do_validate_update(update, acting_user=secretariat)
    # (validation also queues the followers' mail, none here: not these tests')
    (result,) = DBTaskResult.objects.ready().filter(task_path__endswith="send_decision_mail_task")
    DBTaskResult.objects.exclude(pk=result.pk).delete()
    mail.outbox.clear()
    return result


def taken_by(result: DBTaskResult, worker_id: str, seen: datetime.timedelta) -> None:
    """``worker_id`` took the task and was last seen ``seen`` ago."""
    result.refresh_from_db()
    result.claim(worker_id)
    WorkerBeat.objects.update_or_create(
        worker_id=worker_id,
        defaults={"started_at": timezone.now() - seen, "seen_at": timezone.now() - seen},
    )


def status(result: DBTaskResult) -> str:
    result.refresh_from_db()
    return str(result.status)


def test_the_task_of_a_dead_worker_runs_again_and_its_mail_goes_once(decision):
    taken_by(decision, "killed-before-the-mail", datetime.timedelta(minutes=5))
    assert status(decision) == "RUNNING"
    assert recover_lost_tasks() == (1, 0)
    assert status(decision) == "READY"
    run_tasks()
    assert status(decision) == "SUCCESSFUL"
    assert [m.to for m in mail.outbox] == [["focal_a@example.org"]]


def test_a_mail_sent_before_the_worker_died_is_not_sent_again(decision):
    update_id = decision.args_kwargs["args"][0]
    taken_by(decision, "killed-after-the-mail", datetime.timedelta(minutes=5))
    send_decision_mail(update_id)  # what the worker did before it was killed
    assert len(mail.outbox) == 1
    assert recover_lost_tasks() == (1, 0)
    run_tasks()
    assert status(decision) == "SUCCESSFUL"
    assert len(mail.outbox) == 1


def test_a_worker_that_beats_keeps_its_task(decision):
    taken_by(decision, "alive", datetime.timedelta(seconds=5))  # beats every 10 s
    beat("another-silent-one", timezone.now())
    WorkerBeat.objects.filter(worker_id="another-silent-one").update(
        seen_at=timezone.now() - datetime.timedelta(hours=1)
    )
    assert recover_lost_tasks() == (0, 0)
    assert status(decision) == "RUNNING"


def test_the_task_of_a_worker_without_a_lease_is_left_alone(decision):
    """A plain ``db_worker`` never beats: its task may still be running."""
    decision.refresh_from_db()
    decision.claim("plain-db-worker")
    DBTaskResult.objects.filter(pk=decision.pk).update(
        started_at=timezone.now() - datetime.timedelta(hours=3)
    )
    beat("silent", timezone.now() - datetime.timedelta(hours=1))
    WorkerBeat.objects.update(seen_at=timezone.now() - datetime.timedelta(hours=1))
    assert recover_lost_tasks() == (0, 0)
    assert status(decision) == "RUNNING"


def test_a_task_that_kills_every_worker_fails_after_the_last_attempt(decision):
    for attempt in range(1, 4):
        taken_by(decision, f"killed-{attempt}", datetime.timedelta(minutes=5))
        DBTaskResult.objects.filter(pk=decision.pk).update(
            started_at=timezone.now() - datetime.timedelta(minutes=5)
        )
        assert recover_lost_tasks() == ((1, 0) if attempt < 3 else (0, 1))
    decision.refresh_from_db()
    assert decision.status == "FAILED"
    assert decision.exception_class_path == "apps.core.worker.WorkerLost"
    assert "killed-1, killed-2, killed-3" in decision.traceback
    assert mail.outbox == []


def test_a_mail_is_sent_once_per_key():
    def message() -> EmailMessage:
        return EmailMessage(subject="s", body="b", to=["someone@example.org"])

    assert send_once("test.once:1", message()) is True
    assert send_once("test.once:1", message()) is False
    assert send_once("test.once:2", message()) is True
    assert len(mail.outbox) == 2
    assert SentMail.objects.count() == 2


def test_the_heartbeat_forgets_old_records_at_its_first_beat_then_hourly():
    from apps.core.worker import KEEP_RECORDS, LeasedWorker

    def old_mail(key: str) -> None:
        SentMail.objects.create(key=key)
        SentMail.objects.filter(key=key).update(sent_at=timezone.now() - KEEP_RECORDS * 2)

    worker = LeasedWorker(
        queue_names=["default"],
        interval=1,
        batch=False,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="beating",
        excluded_queue_names=[],
    )
    old_mail("old-1")
    worker.beat_once()
    assert not SentMail.objects.filter(key="old-1").exists()
    old_mail("old-2")
    worker.beat_once()  # ten seconds later: not again
    assert SentMail.objects.filter(key="old-2").exists()
    worker.forgotten_at = timezone.now() - datetime.timedelta(hours=1)
    worker.beat_once()
    assert not SentMail.objects.filter(key="old-2").exists()
    assert WorkerBeat.objects.filter(worker_id=worker.worker_id).exists()
