"""The public cache: anonymous public pages and API answers kept in a shared cache, never
stale after a change.

**The rule, in one place.** Every key holds the *public generation*, a value kept in
the ``public`` cache. Any statement that writes to the database (``INSERT``, ``UPDATE``,
``DELETE``, or anything else that is not a read), whatever made it (an action, the
admin, an import, the API, a bulk ``update()`` or ``bulk_create``, raw SQL, the
worker), replaces the generation by a new, never-used value once its transaction
commits. So every page kept before a change is under a key no request computes again;
only the few tables no public page reads are left out (:data:`UNSHOWN_TABLES`).

A request reads the generation *before* its view reads the database; a change commits
*before* it replaces the generation. A page kept under generation ``g`` was therefore
read from data at least as new as the last change committed before ``g`` was written,
and a change committed after the page was read writes a new generation: the page can be
found again only while ``g`` is current, and ``g`` never comes back (a random value, not
a counter that two processes could both set back to the same number).

**What is kept.** A ``GET`` of a visitor who is not signed in (no session cookie, no
messages cookie, no ``Authorization`` header, no cookie other than the language and the
CSRF cookie) answered 200 in HTML, JSON or Atom, that set no cookie, left the session
and the messages alone, varies on nothing but the language and cookies, and did not opt
out (``Cache-Control: private``/``no-store``/``no-cache``, or :func:`personal`). The
key holds the scheme and host (feeds write absolute links), the path and query, the
language, today's date (pages say what is late) and the running code
(:func:`apps.core.release.code_version`: after a deploy no page made by the old code,
naming its static files, is served). A form's CSRF token is taken out
of the kept copy and each visitor's own put back on the way out; a page that shows a
one-time form token (:mod:`apps.core.once`) is not kept.

**Headers.** A kept page carries an ``ETag`` (the hash of its content) and a
``Last-Modified``, and answers 304 to a matching ``If-None-Match``.
``Cache-Control: public, no-cache``: a browser or proxy may keep the page but asks
each time, and a 304 costs no database query, so nobody ever sees a page older than
the last change. A page with a form
(a CSRF token of its own) is ``private, no-cache``. Pages of a signed-in person are
``private, no-store`` and never read from or written to the public cache.

**Kept in the process too.** The entries last read or written are also kept in the
memory of the web process (:class:`_Recent`, at most :data:`RECENT_BYTES`), under the
same key: a hit then costs reading the generation only, not reading and unpickling the
whole page from the shared cache. It can never serve a page the shared cache would not:
the key holds the generation, which every change replaces by a value never used
before, and an entry is kept no longer than in the shared cache.
"""

from __future__ import annotations

import contextvars
import hashlib
import logging
import re
import threading
import time
import uuid
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.cache import caches
from django.core.exceptions import DisallowedHost
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.signals import connection_created
from django.http import HttpRequest, HttpResponse, HttpResponseBase, HttpResponseNotModified
from django.middleware.csrf import get_token
from django.utils import timezone, translation
from django.utils.cache import patch_vary_headers
from django.utils.http import http_date

from apps.core import release

logger = logging.getLogger(__name__)

GENERATION_KEY = "public-generation"
# Tables no public page reads: written on sign-in, on every signed-in request, when an
# API token is used, or by the worker's heartbeat. A write to them leaves the public
# pages as they are.
UNSHOWN_TABLES = frozenset(
    {
        "django_session",
        "axes_accessattempt",
        "axes_accessfailurelog",
        "axes_accesslog",
        "usersessions_usersession",
        "accounts_apitoken",
        "core_workerbeat",
    }
)
# Statements that never change data. Anything else counts as a write.
_READS = frozenset(
    {"SELECT", "SAVEPOINT", "RELEASE", "ROLLBACK", "BEGIN", "COMMIT", "PRAGMA", "SET", "SHOW"}
)
_TABLE = re.compile(
    r'^\s*(?:INSERT\s+(?:OR\s+\w+\s+)?INTO|UPDATE|DELETE\s+FROM)\s+"?([\w.]+)"?', re.IGNORECASE
)
_WRITE_WORD = re.compile(r"\b(?:INSERT|UPDATE|DELETE|TRUNCATE|CREATE|ALTER|DROP)\b", re.I)

_CACHED_TYPES = (
    "text/html",
    "application/json",
    "application/atom+xml",
    "application/rss+xml",
    "application/xml",
    "text/xml",
)
_NEUTRAL_VARY = frozenset({"cookie", "accept-language", "accept-encoding"})
_MAX_BYTES = 2 * 1024 * 1024
_CSRF_INPUT = re.compile(
    rb'(<input type="hidden" name="csrfmiddlewaretoken" value=")[A-Za-z0-9]{32,64}(">)'
)
_CSRF_HOLE = b"@@public-cache-form-token@@"
_EXCLUDED_PATH = re.compile(r"^/(?:[a-z]{2}(?:-[a-z]+)?/)?(?:accounts|admin)/|^/i18n/")

_personal: contextvars.ContextVar[bool] = contextvars.ContextVar("public_personal", default=False)


def store() -> Any:
    return caches["public"]


# The bytes of pages a web process keeps in its own memory (see "Kept in the process").
RECENT_BYTES = 32 * 1024 * 1024


class _Recent:
    """The entries of the public cache last used in this process, least recently used
    dropped first, each until it expires in the shared cache."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.size = 0
        self.entries: OrderedDict[str, tuple[dict[str, Any], float]] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key: str) -> dict[str, Any] | None:
        with self.lock:
            found = self.entries.get(key)
            if found is None:
                return None
            entry, until = found
            if until <= time.monotonic():
                self._drop(key)
                return None
            self.entries.move_to_end(key)
            return entry

    def put(self, key: str, entry: dict[str, Any], seconds: float) -> None:
        size = len(entry["content"])
        if size > self.limit // 4:
            return
        with self.lock:
            if key in self.entries:
                self._drop(key)
            while self.entries and self.size + size > self.limit:
                self._drop(next(iter(self.entries)))
            self.entries[key] = (entry, time.monotonic() + seconds)
            self.size += size

    def clear(self) -> None:
        with self.lock:
            self.entries.clear()
            self.size = 0

    def _drop(self, key: str) -> None:
        entry, _until = self.entries.pop(key)
        self.size -= len(entry["content"])


recent = _Recent(RECENT_BYTES)


# -- The generation ------------------------------------------------------------------


def _new_generation() -> tuple[float, str]:
    return (time.time(), uuid.uuid4().hex)


def current_generation() -> tuple[float, str]:
    """The public generation: (when it was written, its value)."""
    generation = store().get(GENERATION_KEY)
    if generation is None:
        store().add(GENERATION_KEY, _new_generation(), None)
        generation = store().get(GENERATION_KEY) or _new_generation()
    return tuple(generation)


def bump() -> None:
    """A new public generation: every page kept so far is left behind."""
    try:
        store().set(GENERATION_KEY, _new_generation(), None)
    except Exception:  # the cache unreachable: the entries expire on their own
        logger.exception("The public cache's generation could not be renewed.")


def is_public_write(sql: str) -> bool:
    words = sql.lstrip().split(None, 1)
    if not words:
        return False
    first = words[0].upper()
    if first in _READS or (first == "EXPLAIN" and not _WRITE_WORD.search(sql)):
        return False
    if first == "WITH" and not _WRITE_WORD.search(sql):
        return False
    match = _TABLE.match(sql)
    return not match or match.group(1).split(".")[-1].lower() not in UNSHOWN_TABLES


def _watch(
    execute: Callable[..., Any], sql: str, params: Any, many: bool, context: dict[str, Any]
) -> Any:
    result = execute(sql, params, many, context)
    if isinstance(sql, str) and is_public_write(sql):
        connection: BaseDatabaseWrapper = context["connection"]
        pending = connection.in_atomic_block and any(
            entry[1] is bump for entry in connection.run_on_commit
        )
        if not pending:
            # On the connection itself: it may be one of no alias (PostgreSQL's
            # connection to its maintenance database, creating a database).
            connection.on_commit(bump)
    return result


def watch_connection(sender: Any, connection: BaseDatabaseWrapper, **kwargs: Any) -> None:
    if _watch not in connection.execute_wrappers:
        connection.execute_wrappers.append(_watch)


def install() -> None:
    """Watch every database connection's writes (called once, by the core app)."""
    connection_created.connect(watch_connection, dispatch_uid="public-cache-watch")
    from django.db import connections

    for connection in connections.all(initialized_only=True):
        watch_connection(None, connection)


def personal() -> None:
    """The page being rendered holds something of this visitor only: never kept."""
    _personal.set(True)


# -- The middleware ------------------------------------------------------------------


def _eligible(request: HttpRequest) -> bool:
    if request.method != "GET" or "Authorization" in request.headers:
        return False
    if request.headers.get("HX-Request"):
        return False
    allowed = {settings.LANGUAGE_COOKIE_NAME, settings.CSRF_COOKIE_NAME}
    if any(name not in allowed for name in request.COOKIES):
        return False
    return not _EXCLUDED_PATH.match(request.path_info)


def _key(request: HttpRequest, generation: str) -> str:
    where = f"{request.scheme}://{request.get_host()}{request.get_full_path()}"
    digest = hashlib.sha256(where.encode()).hexdigest()
    language = translation.get_language() or ""
    day = timezone.localdate().isoformat()
    return f"page:{generation}:{release.code_version()[:16]}:{language}:{day}:{digest}"


def _storable(request: HttpRequest, response: HttpResponseBase, personal: bool) -> bool:
    if personal or response.status_code != 200 or response.streaming:
        return False
    if response.cookies or not isinstance(response, HttpResponse):
        return False
    if not response.get("Content-Type", "").startswith(_CACHED_TYPES):
        return False
    if len(response.content) > _MAX_BYTES:
        return False
    control = response.get("Cache-Control", "").lower()
    if any(word in control for word in ("private", "no-store", "no-cache", "max-age=0")):
        return False
    vary = {v.strip().lower() for v in response.get("Vary", "").split(",") if v.strip()}
    if vary - _NEUTRAL_VARY:
        return False
    session = getattr(request, "session", None)
    if session is not None and session.modified:
        return False
    messages = getattr(request, "_messages", None)
    return messages is None or not (
        getattr(messages, "used", False) or getattr(messages, "_queued_messages", None)
    )


_KEPT_HEADERS = ("Content-Type", "Content-Language", "X-Frame-Options", "Content-Disposition")


def _entry(response: HttpResponse, rendered_at: float) -> dict[str, Any] | None:
    content, holes = _CSRF_INPUT.subn(rb"\1" + _CSRF_HOLE + rb"\2", response.content)
    if content.lower().count(b"csrf") != holes:
        return None  # a token elsewhere than in a form's hidden input: not kept
    return {
        "content": content,
        "headers": {h: response[h] for h in _KEPT_HEADERS if h in response},
        "etag": hashlib.sha256(content).hexdigest()[:32],
        "holes": holes,
        "rendered_at": int(rendered_at),
    }


def _seconds_left(entry: dict[str, Any]) -> float:
    """How long an entry read from the shared cache is still kept there (at most)."""
    return entry["rendered_at"] + settings.SHARAKA_PUBLIC_CACHE_SECONDS - time.time()


def _answer(request: HttpRequest, entry: dict[str, Any], hit: bool) -> HttpResponseBase:
    content: bytes = entry["content"]
    etag = entry["etag"]
    if entry["holes"]:
        content = content.replace(_CSRF_HOLE, get_token(request).encode())
        secret = str(request.META.get("CSRF_COOKIE", ""))
        etag = hashlib.sha256(f"{etag}:{secret}".encode()).hexdigest()[:32]
    etag = f'"{etag}"'
    headers = {
        "ETag": etag,
        "Last-Modified": http_date(entry["rendered_at"]),
        "Cache-Control": "private, no-cache" if entry["holes"] else "public, no-cache",
    }
    if _not_modified(request, etag):
        response: HttpResponseBase = HttpResponseNotModified()
    else:
        response = HttpResponse(content)
        for name, value in entry["headers"].items():
            response[name] = value
    for name, value in headers.items():
        response[name] = value
    patch_vary_headers(response, ("Cookie",))
    response["X-Public-Cache"] = "hit" if hit else "miss"
    return response


def _not_modified(request: HttpRequest, etag: str) -> bool:
    """A 304 when the visitor's copy has the same ``ETag``. ``If-Modified-Since`` alone
    gets the page: a date would be compared with the clocks of other processes (other
    machines, with Redis), which may lag; browsers send the ``ETag`` back anyway."""
    if_none_match = request.headers.get("If-None-Match")
    if if_none_match is None:
        return False
    tags = {t.strip().removeprefix("W/") for t in if_none_match.split(",")}
    return etag in tags or "*" in tags


def _private(request: HttpRequest, response: HttpResponseBase) -> HttpResponseBase:
    if "Cache-Control" not in response:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            response["Cache-Control"] = "private, no-store"
        elif request.method == "GET" and response.status_code == 200:
            response["Cache-Control"] = "private, no-cache"
    return response


class PublicCacheMiddleware:
    """Serves and keeps anonymous public pages (see the module's documentation)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if not settings.SHARAKA_PUBLIC_CACHE or not _eligible(request):
            return _private(request, self.get_response(request))
        try:
            _written_at, generation = current_generation()
            key = _key(request, generation)
            entry = recent.get(key)
            if entry is None:
                entry = store().get(key)
                if entry is not None:
                    recent.put(key, entry, _seconds_left(entry))
        except DisallowedHost:
            return self.get_response(request)
        except Exception:  # the cache unreachable: the page is served uncached
            logger.exception("The public cache could not be read.")
            return _private(request, self.get_response(request))
        if entry is not None:
            return _answer(request, entry, hit=True)
        started = time.time()
        token = _personal.set(False)
        try:
            response = self.get_response(request)
            personal = _personal.get()
        finally:
            _personal.reset(token)
        if not _storable(request, response, personal):
            return _private(request, response)
        assert isinstance(response, HttpResponse)
        entry = _entry(response, started)
        if entry is None:
            return _private(request, response)
        try:
            store().set(key, entry, settings.SHARAKA_PUBLIC_CACHE_SECONDS)
        except Exception:
            logger.exception("The public cache could not be written.")
        else:
            recent.put(key, entry, settings.SHARAKA_PUBLIC_CACHE_SECONDS)
        fresh = _answer(request, entry, hit=False)
        if fresh.status_code == 304:
            return fresh
        # The visitor's own copy, as rendered (its form token is already theirs).
        for name in ("ETag", "Last-Modified", "Cache-Control", "X-Public-Cache"):
            response[name] = fresh[name]
        patch_vary_headers(response, ("Cookie",))
        return response
