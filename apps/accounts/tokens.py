"""Personal API tokens: created and revoked on the profile page, checked by the write API.

A token is ``shk_`` and 43 random URL-safe characters (32 bytes). Only its SHA-256
digest is stored; the clear token is shown once, when it is created. A request carries
it as ``Authorization: Bearer <token>`` (:class:`TokenAuth`); a session cookie alone
never authenticates the write API, so there is no cross-site request to forge.
"""

from __future__ import annotations

import datetime
import hashlib
import secrets
import uuid
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_ratelimit.core import is_ratelimited
from ninja import NinjaAPI
from ninja.errors import HttpError
from ninja.security import HttpBearer

from apps.accounts.models import ApiToken
from apps.core.errors import ActionError
from apps.core.languages import LANGUAGES
from apps.core.models import AuditLog
from apps.core.once import once

TOKEN_PREFIX = "shk_"  # noqa: S105 - the public prefix of every token, not a secret
PREFIX_LENGTH = 12  # "shk_" and 8 characters: shown in the list, never enough to guess
TOKEN_LENGTH = len(TOKEN_PREFIX) + 43
MAX_ACTIVE_TOKENS = 10
# Recording the last use writes at most once per interval per token.
LAST_USE_INTERVAL = datetime.timedelta(minutes=1)


class TokenError(ActionError):
    """A token that cannot be created or revoked (translated, for the user)."""


def may_hold_tokens(user: Any) -> bool:
    """Whether ``user`` may create API tokens: an active account with a role (or a
    superuser). The write API has nothing for a citizen's account, and the public reads
    the read API without a token."""
    if not getattr(user, "is_active", False) or not getattr(user, "is_authenticated", False):
        return False
    return bool(user.is_superuser or user.role_labels())


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def create_token(
    user: Any,
    name: str,
    *,
    expires_in_days: int | None = None,
    form_token: uuid.UUID | None = None,
) -> tuple[ApiToken, str | None]:
    """A new token for ``user``: the row and the clear token, to show once. The same
    form (``form_token``) sent twice creates one token, and the second time the clear
    token is ``None``: it was shown the first time and cannot be shown again."""
    if not may_hold_tokens(user):
        raise TokenError(_("API tokens are for the accounts of the people who run the plan."))
    clear = TOKEN_PREFIX + secrets.token_urlsafe(32)

    def create() -> ApiToken:
        if ApiToken.objects.filter(user=user).active().count() >= MAX_ACTIVE_TOKENS:
            raise TokenError(
                _("You already have %(n)s active tokens: revoke one first.")
                % {"n": MAX_ACTIVE_TOKENS}
            )
        expires_at = (
            timezone.now() + datetime.timedelta(days=expires_in_days) if expires_in_days else None
        )
        token = ApiToken.objects.create(
            user=user,
            name=name,
            prefix=clear[:PREFIX_LENGTH],
            digest=digest(clear),
            expires_at=expires_at,
        )
        AuditLog.record(
            actor=user,
            action="accounts.create_token",
            target=token,
            after={
                "name": name,
                "prefix": token.prefix,
                "expires_at": expires_at.isoformat() if expires_at else None,
            },
        )
        return token

    token, created = once(form_token, "accounts.create_token", ApiToken, user, create)
    return token, clear if created else None


@transaction.atomic
def revoke_token(token: ApiToken | int, *, acting_user: Any) -> ApiToken:
    """Revoke one of ``acting_user``'s own tokens (for good: it cannot be restored)."""
    pk = token if isinstance(token, int) else token.pk
    locked = ApiToken.objects.select_for_update().filter(pk=pk, user_id=acting_user.pk).first()
    if locked is None:
        raise TokenError(_("No such token."))
    if locked.revoked_at is not None:
        raise TokenError(_("This token was already revoked."))
    locked.revoked_at = timezone.now()
    locked.save(update_fields=["revoked_at"])
    AuditLog.record(
        actor=acting_user,
        action="accounts.revoke_token",
        target=locked,
        before={"revoked_at": None},
        after={"revoked_at": locked.revoked_at.isoformat(), "name": locked.name},
    )
    return locked


class Unauthorized(HttpError):
    """A 401 of the token authentication (its message says why, translated)."""

    def __init__(self, message: str) -> None:
        super().__init__(401, message)


def install(api: NinjaAPI) -> None:
    """Answer the token authentication's 401s with ``WWW-Authenticate: Bearer``, as
    HTTP wants (without this, ninja's handler of every ``HttpError`` answers the same
    body without the header)."""

    def unauthorized(request: HttpRequest, exc: Any) -> HttpResponse:
        response = api.create_response(request, {"detail": str(exc)}, status=401)
        response["WWW-Authenticate"] = 'Bearer realm="sharaka"'
        return response

    api.add_exception_handler(Unauthorized, unauthorized)


def activate_request_language(request: HttpRequest) -> str:
    """The language of the answer's messages: ``?lang=`` if given, else the one the
    locale middleware read from ``Accept-Language``."""
    lang = request.GET.get("lang", "")
    if lang in LANGUAGES:
        translation.activate(lang)
    return translation.get_language() or settings.LANGUAGE_CODE


def _user_key(group: str, request: HttpRequest) -> str:
    return f"user:{request.auth.pk}"  # type: ignore[attr-defined]


class TokenAuth(HttpBearer):
    """``Authorization: Bearer <token>``: the token's owner, if the token is neither
    revoked nor expired and the account is active. Every refusal is a 401 whose
    ``detail`` says why, in the request's language; past the rate
    (``SHARAKA_API_WRITE_RATE`` per account), a 429."""

    def __init__(self, prepare: Callable[[HttpRequest], None] | None = None) -> None:
        """``prepare`` runs first, before anything reads the body (the write API puts
        the evidence files' size limit in place there, see ``apps.tracking.uploads``)."""
        super().__init__()
        self.prepare = prepare

    def __call__(self, request: HttpRequest) -> Any:
        activate_request_language(request)
        if self.prepare is not None:
            self.prepare(request)
        header = request.headers.get(self.header, "")
        scheme, _sep, value = header.partition(" ")
        if not header:
            raise Unauthorized(_("Authentication required: send your API token."))
        if scheme.lower() != "bearer" or not value.strip():
            raise Unauthorized(_("Send your API token as “Authorization: Bearer <token>”."))
        return self.authenticate(request, value.strip())

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        if not token.startswith(TOKEN_PREFIX) or len(token) != TOKEN_LENGTH:
            raise Unauthorized(_("This API token is not valid."))
        row = ApiToken.objects.select_related("user").filter(digest=digest(token)).first()
        if row is None or not secrets.compare_digest(row.digest, digest(token)):
            raise Unauthorized(_("This API token is not valid."))
        if row.revoked_at is not None:
            raise Unauthorized(_("This API token was revoked."))
        if row.is_expired:
            raise Unauthorized(_("This API token has expired."))
        user = row.user
        if not user.is_active:
            raise Unauthorized(_("This account is disabled."))
        now = timezone.now()
        if row.last_used_at is None or now - row.last_used_at > LAST_USE_INTERVAL:
            ApiToken.objects.filter(pk=row.pk).update(last_used_at=now)
        request.auth = user  # type: ignore[attr-defined]
        request.user = user
        request.api_token = row  # type: ignore[attr-defined]
        if is_ratelimited(
            request,
            group="api.write",
            key=_user_key,
            rate=settings.SHARAKA_API_WRITE_RATE,
            increment=True,
        ):
            raise HttpError(429, _("Too many requests: wait a minute and try again."))
        return user
