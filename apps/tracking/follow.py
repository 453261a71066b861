"""Following a plan or a commitment: a mail on each validated progress update.

- A signed-in person follows in one click (:func:`do_follow`): their account's address
  and language are read when mailing, and their follow ends with their account.
- A visitor gives an address (:func:`do_request_follow`): nothing is sent to it but the
  link that confirms it (double opt-in), valid :data:`CONFIRM_DAYS` days. The answer is
  the same whether the address already follows or not: the page never tells.
  Unconfirmed addresses are deleted once their link has expired.
- Each mail carries a signed link that unsubscribes without signing in (GET shows a
  button, the POST unsubscribes, so a mail scanner fetching links changes nothing) and
  the ``List-Unsubscribe`` headers of RFC 8058 (one-click POST from the mail client).
- The mails leave after commit from background tasks (:mod:`apps.tracking.tasks`), one
  task per recipient, each retried on its own if the SMTP server refuses.

Links are signed (:mod:`django.core.signing`) with the row's id and its random ``key``:
a forged or altered link names nothing; an unsubscribed row is gone, its links with it.
"""

from __future__ import annotations

import datetime
import secrets
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from apps.core import visitors
from apps.core.content import localized
from apps.core.mail import send_once
from apps.core.models import AuditLog
from apps.plans.models import ActionPlan, Commitment
from apps.tracking.actions import TrackingError
from apps.tracking.models import Follow, ProgressUpdate, UpdateStatus

# A confirmation link works this long; the unconfirmed address is then deleted.
CONFIRM_DAYS = 7
CONFIRM = "tracking.follow.confirm"
UNSUBSCRIBE = "tracking.follow.unsubscribe"

Target = ActionPlan | Commitment


class LinkError(TrackingError):
    """A confirmation or unsubscribe link that names nothing (forged, altered, expired,
    already used to unsubscribe)."""


def absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def _target_fields(target: Target) -> dict[str, Any]:
    return {"plan": target} if isinstance(target, ActionPlan) else {"commitment": target}


def _audit_target(follow: Follow) -> dict[str, Any]:
    """What the audit keeps of a follow: what is followed and how, never the address."""
    return {
        "plan": follow.plan_id,
        "commitment": follow.commitment_id,
        "by": "account" if follow.account_id else "address",
    }


# Links --------------------------------------------------------------------------------


def token(follow: Follow, purpose: str) -> str:
    return signing.dumps([follow.pk, follow.key], salt=purpose, compress=False)


def confirm_url(follow: Follow) -> str:
    return absolute(reverse("follow_confirm", args=[token(follow, CONFIRM)]))


def unsubscribe_url(follow: Follow) -> str:
    return absolute(reverse("follow_unsubscribe", args=[token(follow, UNSUBSCRIBE)]))


def follow_for_token(value: str, purpose: str) -> Follow | None:
    """The follow a link names; ``None`` when it was unsubscribed since. Raises
    :class:`LinkError` on a forged, altered or (confirmation) expired link."""
    max_age = datetime.timedelta(days=CONFIRM_DAYS) if purpose == CONFIRM else None
    try:
        pk, key = signing.loads(value, salt=purpose, max_age=max_age)
    except signing.SignatureExpired as error:
        raise LinkError(
            _("This link has expired (it works for %(days)d days): follow again.")
            % {"days": CONFIRM_DAYS}
        ) from error
    except (signing.BadSignature, ValueError, TypeError) as error:
        raise LinkError(_("This link is not valid. Copy the whole link from the mail.")) from error
    if not isinstance(pk, int) or not isinstance(key, str):
        raise LinkError(_("This link is not valid. Copy the whole link from the mail."))
    return (
        Follow.objects.select_related("plan", "commitment__plan", "account")
        .filter(pk=pk, key=key)
        .first()
    )


# Actions ------------------------------------------------------------------------------


def following(user: Any, target: Target) -> bool:
    """Whether a signed-in ``user`` follows ``target`` (one query; none for a visitor,
    nor when ``target`` was loaded :func:`with_following`)."""
    if not getattr(user, "is_authenticated", False):
        return False
    known = getattr(target, "followed_by_viewer", None)
    if known is not None:
        return bool(known)
    return Follow.objects.filter(account=user, **_target_fields(target)).exists()


def with_following(commitments: QuerySet[Commitment], user: Any) -> QuerySet[Commitment]:
    """``commitments``, each saying whether the signed-in ``user`` follows it
    (``followed_by_viewer``), in the same query."""
    if not getattr(user, "is_authenticated", False):
        return commitments
    return commitments.annotate(
        followed_by_viewer=Exists(Follow.objects.filter(account=user, commitment=OuterRef("pk")))
    )


@transaction.atomic
def do_follow(target: Target, *, acting_user: Any) -> Follow:
    """A signed-in person follows ``target`` (following twice changes nothing)."""
    if not getattr(acting_user, "is_authenticated", False):
        raise TrackingError(_("Sign in to follow, or give your e-mail address."))
    if not acting_user.email:
        raise TrackingError(_("Your account has no e-mail address to write to."))
    fields = _target_fields(target)
    existing = Follow.objects.filter(account=acting_user, **fields).first()
    if existing is not None:
        return existing
    now = timezone.now()
    try:
        with transaction.atomic():
            follow = Follow.objects.create(
                account=acting_user,
                language=str(acting_user.preferred_language or settings.LANGUAGE_CODE),
                key=secrets.token_urlsafe(16),
                created_at=now,
                confirmed_at=now,
                **fields,
            )
    except IntegrityError:  # the same click, twice at once
        return Follow.objects.get(account=acting_user, **fields)
    AuditLog.record(
        actor=acting_user, action="tracking.follow", target=follow, after=_audit_target(follow)
    )
    return follow


@transaction.atomic
def do_unfollow(target: Target, *, acting_user: Any) -> int:
    """A signed-in person stops following ``target``. Returns the rows removed."""
    follows = list(Follow.objects.filter(account=acting_user, **_target_fields(target)))
    for follow in follows:
        AuditLog.record(
            actor=acting_user,
            action="tracking.unfollow",
            target=follow,
            before=_audit_target(follow),
        )
        follow.delete()
    return len(follows)


def purge_unconfirmed(now: datetime.datetime | None = None) -> int:
    """Delete the addresses given but never confirmed once their link has expired."""
    limit = (now or timezone.now()) - datetime.timedelta(days=CONFIRM_DAYS)
    return Follow.objects.filter(confirmed_at__isnull=True, created_at__lt=limit).delete()[0]


def do_request_follow(target: Target, *, email: str, language: str) -> None:
    """A visitor asks to follow ``target`` at ``email``: the address receives the link
    that confirms it, in ``language``. Already confirmed: nothing is sent and nothing
    changes; given before but not confirmed: the link is sent again. The caller answers
    the same in every case."""
    email = visitors.normalise_email(email)
    refusal = visitors.address_refusal(email)
    if refusal is not None:
        raise TrackingError(refusal)
    from apps.tracking.tasks import send_follow_confirmation_task

    with transaction.atomic():
        purge_unconfirmed()
        fields = _target_fields(target)
        follow = Follow.objects.filter(account__isnull=True, email=email, **fields).first()
        if follow is None:
            try:
                with transaction.atomic():
                    follow = Follow.objects.create(
                        email=email,
                        language=language,
                        key=secrets.token_urlsafe(16),
                        created_at=timezone.now(),
                        **fields,
                    )
            except IntegrityError:  # the same address, at the same moment
                return
            AuditLog.record(
                actor=None,  # a member of the public, not an account
                action="tracking.request_follow",
                target=follow,
                after=_audit_target(follow),
            )
        elif follow.confirmed_at is not None:
            return
        else:
            # Asked again: the new link's days count from now, in the language of now.
            follow.created_at, follow.language = timezone.now(), language
            follow.save(update_fields=["created_at", "language"])
        follow_id, requested = follow.pk, timezone.now().isoformat()
        transaction.on_commit(lambda: send_follow_confirmation_task.enqueue(follow_id, requested))


@transaction.atomic
def do_confirm_follow(value: str) -> Follow:
    """Confirm the address the mailed link names (again: changes nothing)."""
    found = follow_for_token(value, CONFIRM)
    if found is None:
        raise LinkError(_("This link no longer works: follow again."))
    follow = Follow.objects.select_for_update().get(pk=found.pk)
    if follow.confirmed_at is None:
        follow.confirmed_at = timezone.now()
        follow.save(update_fields=["confirmed_at"])
        AuditLog.record(
            actor=None,  # the link's holder, not an account
            action="tracking.confirm_follow",
            target=follow,
            after=_audit_target(follow),
        )
    found.confirmed_at = follow.confirmed_at
    return found


@transaction.atomic
def do_unsubscribe(value: str) -> Follow | None:
    """End the follow the link names: the row (and the address in it) is deleted.
    Already unsubscribed: ``None``, nothing changes."""
    follow = follow_for_token(value, UNSUBSCRIBE)
    if follow is None:
        return None
    AuditLog.record(
        actor=None,  # the link's holder (or their mail client), not an account
        action="tracking.unsubscribe",
        target=follow,
        before=_audit_target(follow),
    )
    Follow.objects.filter(pk=follow.pk).delete()
    return follow


# Mail ---------------------------------------------------------------------------------


def recipient(follow: Follow) -> tuple[str, str]:
    """The address and language a follow's mail goes to ("" when none)."""
    if follow.account_id is not None:
        account = follow.account
        if account is None or not account.is_active:
            return "", ""
        return account.email, str(account.preferred_language or settings.LANGUAGE_CODE)
    return follow.email, follow.language


def followers_of(update: ProgressUpdate) -> list[int]:
    """The confirmed follows to mail about a validated ``update`` (one query): one per
    address, the commitment's follow rather than the plan's when there are both."""
    commitment = update.activity.commitment
    follows = (
        Follow.objects.filter(
            Q(commitment_id=commitment.pk) | Q(plan_id=commitment.plan_id),
            confirmed_at__isnull=False,
        )
        .select_related("account")
        .order_by("pk")
    )
    chosen: dict[str, Follow] = {}
    for follow in follows:
        address, _language = recipient(follow)
        if not address:
            continue
        address = visitors.normalise_email(address)
        current = chosen.get(address)
        if current is None or (current.commitment_id is None and follow.commitment_id):
            chosen[address] = follow
    return sorted(f.pk for f in chosen.values())


def _render(template: str, context: dict[str, Any]) -> str:
    return render_to_string(template, context)


def send_confirmation_mail(follow_id: int, requested: str = "") -> None:
    """The link that confirms a visitor's address, in the language they asked in (once
    per request: ``requested`` is when it was asked)."""
    follow = (
        Follow.objects.select_related("plan", "commitment__plan")
        .filter(pk=follow_id, confirmed_at__isnull=True, account__isnull=True)
        .first()
    )
    if follow is None:
        return
    with translation.override(follow.language):
        context = _context(follow)
        context.update({"url": confirm_url(follow), "days": CONFIRM_DAYS})
        subject = " ".join(_render("tracking/mail/follow_confirm_subject.txt", context).split())
        body = _render("tracking/mail/follow_confirm.txt", context)
    send_once(
        f"tracking.follow_confirm:{follow.pk}:{requested}",
        EmailMessage(subject=subject, body=body, to=[follow.email]),
    )


def _context(follow: Follow) -> dict[str, Any]:
    commitment = follow.commitment
    plan = follow.plan or (commitment.plan if commitment is not None else None)
    assert plan is not None
    return {
        "follow": follow,
        "plan": plan,
        "plan_title": localized(plan, "title"),
        "commitment": commitment,
        "commitment_title": localized(commitment, "title") if commitment is not None else "",
        "page_url": absolute((commitment or plan).get_absolute_url()),
    }


def send_update_mail(follow_id: int, update_id: int) -> None:
    """Tell one follower of a validated update, in their language, with the link and the
    headers that unsubscribe."""
    follow = (
        Follow.objects.select_related("plan", "commitment__plan", "account")
        .filter(pk=follow_id, confirmed_at__isnull=False)
        .first()
    )
    update = (
        ProgressUpdate.objects.select_related("activity__commitment__plan")
        .filter(pk=update_id, status=UpdateStatus.VALIDATED)
        .first()
    )
    if follow is None or update is None:
        return
    address, language = recipient(follow)
    if not address:
        return
    with translation.override(language):
        stop = unsubscribe_url(follow)
        context = _context(follow)
        activity = update.activity
        context.update(
            {
                "update": update,
                "number": activity.commitment.number,
                "update_commitment_title": localized(activity.commitment, "title"),
                "activity_title": localized(activity, "title"),
                "narrative": localized(update, "narrative"),
                "url": absolute(activity.commitment.get_absolute_url()),
                "unsubscribe_url": stop,
            }
        )
        subject = " ".join(_render("tracking/mail/follow_update_subject.txt", context).split())
        body = _render("tracking/mail/follow_update.txt", context)
    message = EmailMessage(
        subject=subject,
        body=body,
        to=[address],
        headers={
            "List-Unsubscribe": f"<{stop}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
    send_once(f"tracking.follow_update:{update.pk}:{follow.pk}", message)
