"""Mail of the co-creation: followers hear of a new comment on a proposal they follow,
and of a decision on it (a merge, and the committee's decision), each in their own
language."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils import translation

from apps.cocreation.models import Comment, Follow, Proposal
from apps.core.mail import send_once


def absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def notify_followers(proposal_id: int, kind: str, object_id: int, exclude: Any = None) -> int:
    """Mail the followers of a proposal (but the person who acted) of a ``kind`` of event:
    ``comment`` (``object_id`` the comment), ``merge`` (the merged proposal) or
    ``decision``. Returns how many mails went out."""
    proposal = Proposal.objects.select_related("process").filter(pk=proposal_id).first()
    if proposal is None:
        return 0
    comment = Comment.objects.filter(pk=object_id).first() if kind == "comment" else None
    merged = Proposal.objects.filter(pk=object_id).first() if kind == "merge" else None
    follows = (
        Follow.objects.filter(proposal=proposal, account__is_active=True)
        .exclude(account__email="")
        .select_related("account")
    )
    if exclude is not None:
        follows = follows.exclude(account_id=exclude)
    sent = 0
    for follow in follows:
        account = follow.account
        lang = str(account.preferred_language or settings.LANGUAGE_CODE)
        with translation.override(lang):
            url = absolute(proposal.get_absolute_url())
            context = {
                "proposal": proposal,
                "comment": comment,
                "merged": merged,
                "kind": kind,
                "url": url,
            }
            subject = " ".join(
                render_to_string("cocreation/mail/follow_subject.txt", context).split()
            )
            body = render_to_string("cocreation/mail/follow.txt", context)
        key = f"cocreation.{kind}:{proposal_id}:{object_id}:{account.pk}"
        sent += send_once(key, EmailMessage(subject=subject, body=body, to=[account.email]))
    return sent
