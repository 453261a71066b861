"""A person's signed-in sessions (allauth.usersessions records one per sign-in)."""

from __future__ import annotations

from typing import Any


def end_sessions(user: Any, *, keep: str | None = None) -> int:
    """End every session of ``user`` except the one whose key is ``keep`` (the
    person's current one, when they end their others); return how many ended."""
    from allauth.usersessions.models import UserSession

    ended = 0
    for session in UserSession.objects.filter(user_id=user.pk).exclude(session_key=keep or ""):
        session.end()
        ended += 1
    return ended
