"""An upload handler that stops storing an evidence file as soon as it passes the size
limit, so a 50 MB (or 5 GB) upload never reaches the disk. The names of the files it
dropped are kept on the request; the form reports them as errors."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt, csrf_protect

from apps.tracking.evidence import max_bytes


class EvidenceSizeLimitHandler(FileUploadHandler):
    """Put first in ``request.upload_handlers``, before anything reads the body."""

    def __init__(self, request: HttpRequest | None = None) -> None:
        super().__init__(request)
        self.received = 0
        self.limit = max_bytes()
        if request is not None:
            request.oversized_uploads = []  # type: ignore[attr-defined]

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        self.received = 0

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        self.received += len(raw_data)
        if self.received > self.limit:
            if self.request is not None:
                self.request.oversized_uploads.append(self.file_name)  # type: ignore[attr-defined]
            raise SkipFile
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None  # the next handler builds the file


def limit_evidence_uploads(request: HttpRequest) -> None:
    """Must run before ``request.POST`` or ``request.FILES`` is read (the view is
    ``csrf_exempt`` and checks CSRF itself afterwards)."""
    request.upload_handlers.insert(0, EvidenceSizeLimitHandler(request))


def with_evidence_upload_limit(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Install the size limit before the body is read, then check CSRF as usual.

    The CSRF middleware reads ``request.POST`` (and so the whole upload) before the
    view runs; the outer view is exempt from it only so the limit comes first, and the
    inner one is ``csrf_protect``-ed, so the token is still checked.
    """
    protected = csrf_protect(view)

    @csrf_exempt
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        limit_evidence_uploads(request)
        return protected(request, *args, **kwargs)

    return wrapper
