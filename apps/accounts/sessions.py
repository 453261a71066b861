"""A person's signed-in sessions (allauth.usersessions records one per sign-in)."""

from __future__ import annotations

from typing import Any


def end_sessions(user: Any, *, keep: str | None = None, acting_user: Any = None) -> int:
    """End every session of ``user`` except the one whose key is ``keep`` (the
    person's current one, when they end their others); return how many ended. With
    ``acting_user``, each ended session leaves an audit row (callers that write their
    own row leave it out)."""
    from allauth.usersessions.models import UserSession

    ended = 0
    for session in UserSession.objects.filter(user_id=user.pk).exclude(session_key=keep or ""):
        end_session(session, acting_user=acting_user)
        ended += 1
    return ended


def end_session(session: Any, *, acting_user: Any = None) -> None:
    """End one session; with ``acting_user``, audited (device and address, never the
    session's key)."""
    from apps.core.models import AuditLog

    if acting_user is not None:
        AuditLog.record(
            actor=acting_user,
            action="accounts.end_session",
            target=session.user,
            before={"session": session.pk, "ip": session.ip, "user_agent": session.user_agent},
        )
    session.end()
