"""Background tasks of the co-creation (django-tasks; run ``manage.py worker``)."""

from __future__ import annotations

from typing import Any

from django_tasks import task

from apps.cocreation.mail import notify_followers
from apps.core.mail import send_or_retry


@task()
def notify_followers_task(
    proposal_id: int, kind: str, object_id: int, exclude: Any, attempt: int = 1
) -> int:
    """Mail a proposal's followers of a new comment, a merge or a decision. An SMTP server
    that refuses gets the mails again later (``apps/core/mail.py``); the followers already
    mailed are not mailed twice (``send_once``)."""
    sent: list[int] = []
    send_or_retry(
        notify_followers_task,
        lambda: sent.append(notify_followers(proposal_id, kind, object_id, exclude)),
        proposal_id,
        kind,
        object_id,
        exclude,
        attempt=attempt,
    )
    return sum(sent)
