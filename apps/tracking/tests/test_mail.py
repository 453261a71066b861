"""Reminders and decision mail, delivered to a real local SMTP server (aiosmtpd)."""

from __future__ import annotations

import datetime
import email
import socket
from contextlib import contextmanager
from email import policy

import pytest

from apps.tracking import actions
from apps.tracking.mail import send_reminders
from apps.tracking.models import Reminder
from apps.tracking.tests.factories import submitted

pytestmark = pytest.mark.django_db

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


class Inbox:
    def __init__(self):
        self.envelopes = []

    async def handle_DATA(self, server, session, envelope):
        self.envelopes.append(envelope)
        return "250 Message accepted for delivery"

    @property
    def messages(self):
        return [
            email.message_from_bytes(e.original_content or e.content, policy=policy.default)
            for e in self.envelopes
        ]

    def to(self, address):
        return [m for m in self.messages if m["To"] == address]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def mail_server(settings, inbox, *, retries=None):
    """``inbox`` behind a real SMTP server on a free port, and the platform's mail sent to
    it. With ``retries`` (the delays, in seconds), tasks go to the database queue for the
    worker (``run_worker``), which tries a refused mail again after those delays."""
    from aiosmtpd.controller import Controller

    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", controller.port
        settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
        if retries is not None:
            settings.SHARAKA_MAIL_RETRY_SECONDS = retries
            settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
        yield inbox
    finally:
        controller.stop()


@pytest.fixture
def smtp(settings):
    with mail_server(settings, Inbox()) as inbox:
        settings.SITE_URL = "https://sharaka.example.org"
        yield inbox


def body(message):
    return message.get_body(preferencelist=("plain",)).get_content()


def test_each_focal_point_gets_one_reminder_in_their_language(
    smtp, activity, other_activity, focal_point_a, focal_point_b
):
    assert send_reminders() == 2
    (ar,) = smtp.to("focal_a@example.org")
    assert ar["Subject"].strip() == "شراكة: نشاط واحد يحتاج إلى تحيينك"
    text = body(ar)
    assert "مرحبا" in text and "نشاط 1" in text and "[غير محين]" in text and "[لا تقدم]" in text
    assert f"https://sharaka.example.org/ar/tracking/activities/{activity.pk}/report/" in text
    assert "Activité" not in text
    (fr,) = smtp.to("focal_b@example.org")
    assert fr["Subject"].strip() == "Sharaka : 1 activité attend votre rapport d'avancement"
    text = body(fr)
    assert "Bonjour" in text and "Activité 1" in text and "[Non mis à jour]" in text
    assert f"https://sharaka.example.org/fr/tracking/activities/{other_activity.pk}/report/" in text


def test_reminders_are_never_sent_twice_for_the_same_period(smtp, activity, focal_point_a):
    now = datetime.datetime(2026, 11, 23, 9, tzinfo=datetime.UTC)  # a Monday
    assert send_reminders(now) == 1
    assert send_reminders(now + datetime.timedelta(days=6)) == 0  # same ISO week
    assert len(smtp.messages) == 1
    assert send_reminders(now + datetime.timedelta(days=7)) == 1  # next week, still stale
    assert list(Reminder.objects.values_list("period", flat=True).order_by("period")) == [
        "week-2026-W48",
        "week-2026-W49",
    ]


def test_a_reminder_is_audited_as_sent_by_the_platform(smtp, activity, focal_point_a):
    from apps.accounts import system_user
    from apps.core.models import AuditLog

    assert send_reminders() == 1
    row = AuditLog.objects.get(action="tracking.send_reminder")
    assert row.actor == system_user() and row.after["recipient"] == focal_point_a.pk
    assert not system_user().is_active and not system_user().has_usable_password()


def test_the_reminder_before_a_meeting_is_one_for_the_whole_window(
    monkeypatch, smtp, activity, focal_point_a, settings
):
    settings.SHARAKA_REMINDER_DAYS_BEFORE_MEETING = 14
    now = datetime.datetime(2026, 11, 23, 9, tzinfo=datetime.UTC)
    meeting = datetime.date(2026, 12, 3)
    monkeypatch.setattr("apps.tracking.mail.next_meeting_date", lambda plan: meeting)
    assert send_reminders(now) == 1
    assert send_reminders(now + datetime.timedelta(days=7)) == 0  # next week, same meeting
    assert Reminder.objects.get().period == "meeting-2026-12-03"


def test_nothing_is_sent_to_a_focal_point_with_nothing_stale(
    smtp, activity, focal_point_a, secretariat
):
    update = submitted(activity, focal_point_a, 50)
    actions.do_validate_update(update, acting_user=secretariat)
    assert send_reminders() == 0 and smtp.messages == []


def test_nobody_is_reminded_once_the_plan_has_ended(smtp, activity, focal_point_a):
    """After its period, a plan asks for no more reports (its flags no longer apply)."""
    plan = activity.commitment.plan
    type(plan).objects.filter(pk=plan.pk).update(period_end=datetime.date(2023, 12, 31))
    assert send_reminders() == 0 and smtp.messages == []
    as_of_2023 = datetime.datetime(2023, 12, 31, 9, tzinfo=datetime.UTC)
    assert send_reminders(as_of_2023) == 1  # on its last day, it still did


def test_a_failed_delivery_is_retried_next_time(settings, activity, focal_point_a):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", free_port()  # nobody listens
    assert send_reminders() == 0
    assert not Reminder.objects.exists()


def test_the_task_sends_the_reminders(smtp, settings, activity, focal_point_a):
    from apps.tracking.tasks import send_reminders_task

    settings.TASKS = IMMEDIATE
    result = send_reminders_task.enqueue()
    assert result.return_value == 1
    assert len(smtp.to("focal_a@example.org")) == 1


def test_the_command_queues_the_task_for_the_worker(activity, focal_point_a):
    from django.core.management import call_command
    from django_tasks_db.models import DBTaskResult

    call_command("send_reminders", verbosity=0)
    assert DBTaskResult.objects.filter(task_path__endswith="send_reminders_task").count() == 1


def test_the_author_hears_of_the_decision_in_their_language(
    smtp, settings, django_capture_on_commit_callbacks, other_activity, focal_point_b, secretariat
):
    settings.TASKS = IMMEDIATE
    update = submitted(other_activity, focal_point_b, 40)
    with django_capture_on_commit_callbacks(execute=True):
        actions.do_return_update(update, acting_user=secretariat, reason="Joindre le PV")
    (message,) = smtp.to("focal_b@example.org")
    assert message["Subject"].strip() == "Sharaka : votre mise à jour a été renvoyée"
    assert "Joindre le PV" in body(message) and f"/updates/{update.pk}/" in body(message)


def test_a_new_focal_point_hears_of_the_hand_over_in_their_language(
    smtp, settings, django_capture_on_commit_callbacks, ministry_b, secretariat, focal_point_b
):
    from apps.tracking.tests.factories import make_activity

    settings.TASKS = IMMEDIATE
    activity = make_activity(ministry_b)
    with django_capture_on_commit_callbacks(execute=True):
        actions.do_hand_over(activity.commitment, focal_point_b, acting_user=secretariat)
    (message,) = smtp.to("focal_b@example.org")
    number = activity.commitment.number
    assert message["Subject"].strip() == (
        f"Sharaka : vous êtes désormais le point focal de l'engagement {number}"
    )
    assert "https://sharaka.example.org/fr/tracking/my/" in body(message)


class RefusingInbox(Inbox):
    """A server that refuses the first ``refusals`` messages (451: try again later)."""

    def __init__(self, refusals):
        super().__init__()
        self.refusals = refusals
        self.refused = 0

    async def handle_DATA(self, server, session, envelope):
        if self.refused < self.refusals:
            self.refused += 1
            return "451 4.3.0 Try again later"
        return await super().handle_DATA(server, session, envelope)


def run_worker():
    from django.core.management import call_command

    call_command("worker", batch=True, no_startup_delay=True, verbosity=0)


# The worker closes its database connections between tasks: real transactions here.
@pytest.mark.django_db(transaction=True)
def test_a_refused_decision_mail_is_sent_again_by_the_worker(
    settings, activity, focal_point_a, secretariat
):
    from django_tasks_db.models import DBTaskResult

    with mail_server(settings, RefusingInbox(refusals=2), retries=[0, 0, 0]) as inbox:
        update = submitted(activity, focal_point_a, 40)
        DBTaskResult.objects.all().delete()  # the fixtures' assignment mail: not this test's
        actions.do_validate_update(update, acting_user=secretariat)
        update.refresh_from_db()
        assert update.is_validated  # the action succeeded, whatever the mail server says
        run_worker()
        assert inbox.refused == 2
        assert len(inbox.to("focal_a@example.org")) == 1
        # (the followers' task ran too, and found nobody to tell)
        decision = DBTaskResult.objects.filter(task_path__endswith="send_decision_mail_task")
        statuses = list(decision.values_list("status", flat=True))
        assert statuses == ["SUCCESSFUL"] * 3

        # A server that keeps refusing: after the last delay the task is recorded failed.
        inbox.refusals, inbox.refused = 99, 0
        update = submitted(activity, focal_point_a, 60)
        actions.do_validate_update(update, acting_user=secretariat)
        run_worker()
        assert inbox.refused == 4  # the first try and three more
        assert DBTaskResult.objects.filter(status="FAILED").count() == 1
        assert len(inbox.to("focal_a@example.org")) == 1
