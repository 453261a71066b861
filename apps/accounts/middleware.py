"""Sessions end after ``SHARAKA_SESSION_IDLE_MINUTES`` without a request.

A session's expiry (``SESSION_COOKIE_AGE``, the idle time) is counted from its last
save. Saving it on every request would cost a database write per page; instead a
signed-in session is saved again only when its last save is older than
``SHARAKA_SESSION_REFRESH_SECONDS`` (five minutes at most), which also records when the
person was last seen on their session list. A session thus ends between the idle time
less that interval and the idle time after its last request."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.http import HttpRequest, HttpResponse

SEEN = "sharaka_seen_at"


def mark_seen(session: Any) -> None:
    session[SEEN] = int(time.time())


class IdleSessionMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is None or not session.session_key or SESSION_KEY not in session:
            return response
        seen = session.get(SEEN)
        refresh = getattr(settings, "SHARAKA_SESSION_REFRESH_SECONDS", 300)
        if isinstance(seen, int) and time.time() - seen < refresh:
            return response
        mark_seen(session)  # saved by the session middleware, with a new expiry
        _record_last_seen(session.session_key)
        return response


def _record_last_seen(session_key: str) -> None:
    from allauth.usersessions.models import UserSession
    from django.utils import timezone

    UserSession.objects.filter(session_key=session_key).update(last_seen_at=timezone.now())
