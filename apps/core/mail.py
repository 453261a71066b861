"""Mail sent by a background task survives an SMTP server that refuses or cannot be
reached: the task catches the error and enqueues itself again after a delay
(``SHARAKA_MAIL_RETRY_SECONDS``, one delay per further attempt), so the action that
asked for the mail has long succeeded and the mail still leaves once the server is
back. django-tasks itself does not retry a failed task. After the last attempt the
error is raised: the task is recorded as failed, with its traceback, in the task
results (the admin lists them).

A mail goes out once: :func:`send_once` records each mail sent under a key naming what
it says to whom, so a task run again (its worker died, see :mod:`apps.core.worker`;
a retry after one of several mails failed; the same task enqueued twice) skips the
mails already sent."""

from __future__ import annotations

import datetime
import logging
import smtplib
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.utils import timezone

from apps.core.models import SentMail

logger = logging.getLogger(__name__)
# A refusal (4xx/5xx), a dropped connection, a server that does not answer.
MAIL_ERRORS = (smtplib.SMTPException, OSError)


def send_or_retry(task: Any, send: Callable[[], None], *args: Any, attempt: int) -> None:
    """Call ``send()``; on a mail error enqueue ``task(*args, attempt=attempt + 1)``
    after the next delay, or raise when the attempts are used up."""
    try:
        send()
    except MAIL_ERRORS as error:
        delays = settings.SHARAKA_MAIL_RETRY_SECONDS
        if attempt > len(delays):
            logger.error("Mail not sent after %d attempts: %s", attempt, error)
            raise
        delay = delays[attempt - 1]
        logger.warning("Mail not sent (%s), attempt %d; again in %d s", error, attempt, delay)
        again = task
        if delay and task.get_backend().supports_defer:
            again = task.using(run_after=timezone.now() + datetime.timedelta(seconds=delay))
        again.enqueue(*args, attempt=attempt + 1)


def send_once(key: str, message: EmailMessage) -> bool:
    """Send ``message`` unless a mail under ``key`` went out already; record it once the
    SMTP server accepted it. Returns whether it was sent now. The one window left: a
    worker killed between the server's acceptance and the record (milliseconds) sends
    that mail again when the task runs again."""
    if SentMail.objects.filter(key=key).exists():
        logger.info("Mail %s already sent; not sent again", key)
        return False
    message.send()
    SentMail.objects.get_or_create(key=key)
    return True
