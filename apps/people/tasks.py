"""Background tasks of the people app (django-tasks, database backend)."""

from __future__ import annotations

from django_tasks import task

from apps.core.mail import send_or_retry
from apps.people.mail_invitations import send_invitation_mail


@task()
def send_invitation_mail_task(invitation_id: int, times_sent: int, attempt: int = 1) -> bool:
    """Mail an invitation (queued after commit by ``do_invite`` and
    ``do_resend_invitation``). Returns whether a mail went out: none once the invitation
    is accepted, withdrawn or resent since (that resend queued its own). An SMTP server
    that refuses gets the mail again later (``apps/core/mail.py``)."""
    sent: list[bool] = []
    send_or_retry(
        send_invitation_mail_task,
        lambda: sent.append(send_invitation_mail(invitation_id, times_sent)),
        invitation_id,
        times_sent,
        attempt=attempt,
    )
    return any(sent)
