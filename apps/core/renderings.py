"""Documents laid out in the background and kept as files under the hash of their source.

Laying out a PDF takes seconds (about 9 s for the minutes of a 200-commitment meeting):
the request never waits for it. A document is named after the hash of what it is made
from (:func:`file_name`), so the same content is laid out once and any change gives a
new name. A request finds the file in the media storage (:func:`stored`) and serves it,
or asks for it (:func:`request_rendering`): the first request enqueues one task, the
others wait for it (one :class:`~apps.core.models.Rendering` row per name, unique); the
task lays the document out and stores it (:func:`run_rendering`). Files live in the
media storage shared by every worker and web process, so a restart or a second worker
does not lay the same document out again.

A document is written whole or not at all (:func:`store`: a complete PDF or DOCX, written
beside its final name and renamed into place), so a request never finds half a file. A
failed layout is tried again after ``SHARAKA_RENDERING_RETRY_SECONDS`` (one delay per
attempt again); once they are used up the rendering is marked failed and the waiting page
says so. Documents that will be asked for (approved or published minutes, a generated
report) are enqueued by the actions that change them, not at the first request.
"""

from __future__ import annotations

import datetime
import functools
import hashlib
import io
import logging
import os
import tempfile
import time
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import Enum
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from apps.core.models import Rendering, RenderingStatus

logger = logging.getLogger(__name__)

FOLDER = "renderings"
# A rendering said to run but silent this long was left by a worker that stopped.
STALE_AFTER = datetime.timedelta(minutes=5)
# A failed rendering is tried again when asked for after this delay.
RETRY_AFTER = datetime.timedelta(minutes=1)


class State(Enum):
    READY = "ready"
    WAITING = "waiting"
    FAILED = "failed"


@dataclass(frozen=True)
class Prepared:
    """A document ready to be laid out: its file name and how to lay it out."""

    name: str
    render: Callable[[], bytes]


def file_name(kind: str, source: bytes, extension: str) -> str:
    """The storage name of the ``kind`` document made from ``source``."""
    return f"{FOLDER}/{kind}/{hashlib.sha256(source).hexdigest()}.{extension}"


class IncompleteDocument(Exception):
    """A layout gave bytes that are not a whole document: they are never stored."""


def check_complete(name: str, data: bytes) -> None:
    """Raise :class:`IncompleteDocument` unless ``data`` is a whole document of the
    kind its name says (a PDF with its end-of-file mark, a DOCX whose zip reads back)."""
    extension = name.rsplit(".", 1)[-1]
    if not data:
        raise IncompleteDocument(f"{name}: empty")
    if extension == "pdf":
        if not data.startswith(b"%PDF-") or b"%%EOF" not in data[-1024:]:
            raise IncompleteDocument(f"{name}: not a whole PDF")
    elif extension == "docx":
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                if "word/document.xml" not in archive.namelist() or archive.testzip():
                    raise IncompleteDocument(f"{name}: not a whole DOCX")
        except zipfile.BadZipFile as error:
            raise IncompleteDocument(f"{name}: not a whole DOCX ({error})") from error


def stored(name: str) -> bytes | None:
    """The document's bytes if it has been laid out, else None."""
    if not default_storage.exists(name):
        return None
    with default_storage.open(name, "rb") as handle:
        return bytes(handle.read())


def store(name: str, data: bytes) -> None:
    """Keep ``data`` under ``name`` (the first copy wins: same name, same bytes), whole:
    checked complete (:func:`check_complete`), then on a file system written under a
    temporary name in the same folder and renamed into place, so that no process ever
    reads a partial file (an object storage writes an object whole)."""
    check_complete(name, data)
    if default_storage.exists(name):
        return
    try:
        path = default_storage.path(name)
    except NotImplementedError:  # an object storage
        saved = default_storage.save(name, ContentFile(data))
        if saved != name:  # another process stored it meanwhile
            default_storage.delete(saved)
        return
    folder = os.path.dirname(path)
    os.makedirs(folder, exist_ok=True)
    handle, partial = tempfile.mkstemp(dir=folder, prefix=".partial-")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        mode = settings.FILE_UPLOAD_PERMISSIONS
        if mode is not None:
            os.chmod(partial, mode)
        os.replace(partial, path)  # atomic: the whole file or none
    except BaseException:
        if os.path.exists(partial):
            os.unlink(partial)
        raise


def preload() -> float:
    """Import WeasyPrint and lay out one small page (fonts found, default stylesheets
    parsed): a worker does it once at start, so that its first document does not pay
    the 1.6–2 s of the import. Returns the seconds it took; a failure is logged only
    (the first document would then fail and be retried, with its own error)."""
    started = time.perf_counter()
    try:
        from weasyprint import HTML

        HTML(string='<p lang="ar" dir="rtl">سلام — Bonjour</p>').write_pdf()
    except Exception:
        logger.exception("WeasyPrint could not be preloaded")
    seconds = time.perf_counter() - started
    logger.info("WeasyPrint preloaded in %.2f s", seconds)
    return seconds


def stored_or_render(prepared: Prepared) -> bytes:
    """The document, laid out here and now if it is not stored yet (tests, benches and
    background tasks; a request uses :func:`request_rendering`)."""
    data = stored(prepared.name)
    if data is None:
        data = prepared.render()
        store(prepared.name, data)
    return data


def request_rendering(
    name: str, enqueue: Callable[[], object], *, now: datetime.datetime | None = None
) -> State:
    """Where the document ``name`` stands, enqueuing its rendering if nobody has: one
    task per name while it is queued or running; again for a rendering left by a worker
    that stopped, or one that failed more than ``RETRY_AFTER`` ago."""
    if default_storage.exists(name):
        return State.READY
    now = now or timezone.now()
    try:
        with transaction.atomic():
            Rendering.objects.create(name=name, requested_at=now, updated_at=now)
    except IntegrityError:
        # Somebody asked already: take it over only if it was abandoned (one winner).
        abandoned = Q(
            status__in=[RenderingStatus.QUEUED, RenderingStatus.RUNNING],
            updated_at__lt=now - STALE_AFTER,
        ) | Q(status=RenderingStatus.FAILED, updated_at__lt=now - RETRY_AFTER)
        taken = (
            Rendering.objects.filter(name=name)
            .filter(abandoned)
            .update(status=RenderingStatus.QUEUED, requested_at=now, updated_at=now, error="")
        )
        if not taken:
            status = Rendering.objects.filter(name=name).values_list("status", flat=True).first()
            if status is None:  # it has just been stored
                return State.READY if default_storage.exists(name) else State.WAITING
            return State.FAILED if status == RenderingStatus.FAILED else State.WAITING
    enqueue()
    return State.WAITING


def retry_delay(attempt: int) -> int | None:
    """Seconds before trying again after ``attempt`` failed, or None: no attempt left."""
    delays = settings.SHARAKA_RENDERING_RETRY_SECONDS
    return delays[attempt - 1] if attempt <= len(delays) else None


def run_rendering(
    name: str,
    prepare: Callable[[], Prepared],
    *,
    attempt: int = 1,
    again: Callable[[int, int], object] | None = None,
) -> str | None:
    """The background side: lay out the document and store it. ``prepare`` reads the
    source again; if it has changed since the request (a new name), the new document is
    stored under its own name, which the next request asks for. Returns the name stored.

    If the layout fails and ``again`` is given, ``again(attempt + 1, delay)`` enqueues
    the next attempt while any is left (``SHARAKA_RENDERING_RETRY_SECONDS``): the
    rendering stays queued and None is returned. The last failure marks it failed and
    raises. Nothing is stored of a failed layout."""
    Rendering.objects.filter(name=name).update(
        status=RenderingStatus.RUNNING, updated_at=timezone.now()
    )
    try:
        prepared = prepare()
        if not default_storage.exists(prepared.name):  # else laid out by a task before
            store(prepared.name, prepared.render())
    except Exception as error:
        delay = retry_delay(attempt) if again is not None else None
        if again is not None and delay is not None:
            logger.warning(
                "Rendering %s failed (attempt %d: %s); again in %d s", name, attempt, error, delay
            )
            Rendering.objects.filter(name=name).update(
                status=RenderingStatus.QUEUED, updated_at=timezone.now(), error=str(error)[:2000]
            )
            again(attempt + 1, delay)
            return None
        logger.error("Rendering %s failed after %d attempts: %s", name, attempt, error)
        Rendering.objects.filter(name=name).update(
            status=RenderingStatus.FAILED, updated_at=timezone.now(), error=str(error)[:2000]
        )
        raise
    if prepared.name != name:
        # The source changed since the request, or the source depends on something the
        # request and the worker do not share (a language left active, say): the latter
        # would lay the document out at every request, hence the warning.
        logger.warning("Rendering %s asked for, %s made", name, prepared.name)
    Rendering.objects.filter(name__in={name, prepared.name}).delete()
    return prepared.name


def again_later(task: Any, *args: Any) -> Callable[[int, int], None]:
    """The ``again`` of :func:`run_rendering` for a rendering task called with ``args``:
    the task enqueued once more after the delay (at once where the backend cannot defer)."""

    def again(attempt: int, delay: int) -> None:
        queued = task
        if delay and queued.get_backend().supports_defer:
            queued = queued.using(run_after=timezone.now() + datetime.timedelta(seconds=delay))
        queued.enqueue(*args, attempt=attempt)

    return again


def request_each(
    object_id: int,
    languages: Iterable[str],
    extensions: Iterable[str],
    name: Callable[[int, str, str], str],
    task: Any,
) -> list[str]:
    """Ask for an object's documents in each language and format (``task`` is called with
    the object's id, the language, the extension and the name), unless stored or under
    way already; return the names asked for."""
    names = []
    for language in languages:
        for extension in extensions:
            document = name(object_id, language, extension)
            request_rendering(
                document, functools.partial(task.enqueue, object_id, language, extension, document)
            )
            names.append(document)
    return names
