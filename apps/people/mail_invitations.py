"""The invitation mail, in the invitation's language (the person has no account yet, so
no preferred language: the secretariat chose it when inviting)."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from apps.core.mail import send_once
from apps.people.invitations import link_key
from apps.people.models import Invitation


def invitation_url(invitation: Invitation) -> str:
    """The link of the invitation's mail, in its language (only while the mail is being
    written: the key is derived, never stored)."""
    with translation.override(invitation.language):
        path = reverse("invitation_accept", args=[link_key(invitation)])
    return settings.SITE_URL.rstrip("/") + path


def send_invitation_mail(invitation_id: int, times_sent: int) -> bool:
    invitation = Invitation.objects.for_list().filter(pk=invitation_id).first()
    if invitation is None or not invitation.is_open or invitation.times_sent != times_sent:
        return False
    with translation.override(invitation.language):
        context = {
            "invitation": invitation,
            "inviter": invitation.invited_by,
            "url": invitation_url(invitation),
        }
        subject = " ".join(render_to_string("people/mail/invitation_subject.txt", context).split())
        body = render_to_string("people/mail/invitation.txt", context)
    return send_once(
        f"people.invitation:{invitation.pk}:{times_sent}",
        EmailMessage(subject=subject, body=body, to=[invitation.email]),
    )
