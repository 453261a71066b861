"""Mail of the public consultation: the link that publishes a comment."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from apps.core.mail import send_once
from apps.reports.models import PublicComment, PublicCommentStatus

# A verification link works this long (and never once the consultation has closed).
VERIFY_DAYS = 7


def send_verification_mail(comment_id: int, language: str) -> None:
    """Mail the link that publishes the comment, in the language it was written in."""
    comment = (
        PublicComment.objects.select_related("participant", "cycle__plan")
        .filter(pk=comment_id, status=PublicCommentStatus.UNVERIFIED)
        .first()
    )
    if comment is None:
        return
    with translation.override(language):
        url = settings.SITE_URL.rstrip("/") + reverse(
            "report_consultation_verify", args=[comment.verify_token]
        )
        context = {"comment": comment, "url": url, "days": VERIFY_DAYS}
        subject = " ".join(render_to_string("reports/mail/verify_subject.txt", context).split())
        body = render_to_string("reports/mail/verify.txt", context)
    send_once(
        f"reports.verification:{comment.pk}",
        EmailMessage(subject=subject, body=body, to=[comment.participant.email]),
    )
