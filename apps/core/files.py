"""Uploaded files: how they are served, and how much anyone may store.

**Serving.** No uploaded file is reachable at a storage address (there is no
``/media/`` in any mode): each kind has a view that first asks the permission rule of
its app (the same rule as the page that links to it), answers 404 to whoever may not see
it (as if it did not exist), and then calls :func:`serve_file`, which

- answers 404, never 500, when the row has outlived its file (a restored database, a
  cleaned disk);
- sends ``Content-Disposition: attachment`` except for the types a browser shows safely
  on its own (:data:`INLINE_TYPES`: PDF and raster images; never HTML, SVG or text, which
  could run a script on the platform's origin);
- sends ``X-Content-Type-Options: nosniff`` and, on every file, a Content-Security-Policy
  that sandboxes it (``sandbox; default-src 'none'``): a file shown inline runs no script,
  submits no form and reaches nothing of the platform, even if it is not what it claims;
- lets the web server send the bytes when ``SHARAKA_SENDFILE_HEADER`` names its header
  (``X-Accel-Redirect`` for nginx, ``X-Sendfile`` for Apache or lighttpd); empty (the
  default), Django streams the file itself.

**Quotas.** :func:`check_upload_quota` is the one rule every action that stores someone's
files asks before writing anything: at most ``SHARAKA_MAX_FILES_PER_UPDATE`` files and
``SHARAKA_MAX_UPDATE_UPLOAD_MB`` in one progress update (or one proposal), and at most
``SHARAKA_USER_UPLOAD_QUOTA_MB`` stored by one person. The apps that keep people's files
tell it how much a person stores (:func:`register_usage`, in their ``AppConfig.ready``),
so that the person's total counts every app without ``core`` importing them.
"""

from __future__ import annotations

import mimetypes
from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import quote

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ImproperlyConfigured
from django.core.files.storage import Storage
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.utils.http import content_disposition_header
from django.utils.translation import gettext_lazy as _

from apps.core.errors import ActionError

# Shown in the browser rather than downloaded: documents a browser renders without
# running anything of theirs. Not HTML, SVG, XML or text (scripts, and sniffing).
INLINE_TYPES = frozenset({"application/pdf", "image/png", "image/jpeg", "image/gif", "image/webp"})
# The policy of every served file; ``style-src`` lets a browser's own PDF and image
# viewers lay the page out.
SANDBOX = "sandbox; default-src 'none'; style-src 'unsafe-inline'"
SENDFILE_HEADERS = ("X-Accel-Redirect", "X-Sendfile")

MB = 1024 * 1024


def serve_file(
    request: HttpRequest,
    file: FieldFile | None,
    *,
    filename: str,
    content_type: str = "",
    inline_types: Iterable[str] = INLINE_TYPES,
    private: bool = True,
) -> HttpResponseBase:
    """The response that sends ``file`` under ``filename``, once the caller has checked
    that the person may see it. ``private`` (the default) keeps shared caches from
    storing it; public files (a committee's guide) may pass ``private=False``."""
    if not file or not file.name:
        raise Http404
    content_type = content_type or mimetypes.guess_type(filename)[0] or "application/octet-stream"
    inline = content_type in frozenset(inline_types)
    response = _sendfile(file.storage, file.name, content_type) or _stream(file, content_type)
    response["Content-Disposition"] = (
        content_disposition_header(not inline, filename) or "attachment"
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = SANDBOX
    response["Cache-Control"] = "private" if private else "public, max-age=3600"
    return response


def _stream(file: FieldFile, content_type: str) -> FileResponse:
    try:
        handle = file.open("rb")
    except OSError:
        # The row outlived its file (restored database, cleaned disk): gone, not a 500.
        raise Http404 from None
    return FileResponse(handle, content_type=content_type)


def _sendfile(storage: Storage, name: str, content_type: str) -> HttpResponse | None:
    """An empty answer that tells the web server which file to send, or None when
    Django sends the file itself (``SHARAKA_SENDFILE_HEADER`` empty)."""
    header = str(getattr(settings, "SHARAKA_SENDFILE_HEADER", "") or "")
    if not header:
        return None
    if header not in SENDFILE_HEADERS:
        raise ImproperlyConfigured(
            f"SHARAKA_SENDFILE_HEADER must be empty or one of {', '.join(SENDFILE_HEADERS)}."
        )
    if not storage.exists(name):
        raise Http404
    response = HttpResponse(content_type=content_type)
    if header == "X-Accel-Redirect":
        # nginx's internal location that maps to MEDIA_ROOT (docs/operations.md).
        prefix = str(settings.SHARAKA_SENDFILE_PREFIX).rstrip("/")
        response[header] = f"{prefix}/{quote(name)}"
    else:
        response[header] = storage.path(name)
    return response


# Quotas ----------------------------------------------------------------------------------


class UploadRefused(ActionError):
    """Files refused by a quota; nothing of them is stored."""


# How many bytes a person stores in one app: ``usage(user) -> int``.
_usages: list[Callable[[Any], int]] = []


def register_usage(usage: Callable[[Any], int]) -> None:
    """An app that stores people's files says how much one person stores there."""
    if usage not in _usages:
        _usages.append(usage)


def stored_by(user: Any) -> int:
    """Bytes of uploaded files ``user`` stores, in every app."""
    return sum(usage(user) for usage in _usages)


def max_files() -> int:
    return int(settings.SHARAKA_MAX_FILES_PER_UPDATE)


def check_upload_quota(
    user: Any,
    sizes: Iterable[int],
    *,
    kept_count: int = 0,
    kept_bytes: int = 0,
) -> None:
    """Raise :class:`UploadRefused` unless ``user`` may store new files of ``sizes``
    bytes in a batch (a progress update, a proposal) that already keeps ``kept_count``
    files of ``kept_bytes``. Asked before anything is written."""
    new = [int(size or 0) for size in sizes]
    if not new:
        return
    limit = max_files()
    if kept_count + len(new) > limit:
        raise UploadRefused(
            _(
                "Too many files: at most %(max)s per update or proposal, "
                "those already attached included."
            )
            % {"max": limit}
        )
    batch = int(settings.SHARAKA_MAX_UPDATE_UPLOAD_MB)
    if kept_bytes + sum(new) > batch * MB:
        raise UploadRefused(
            _("The files of one update or proposal may not exceed %(max)s MB in total.")
            % {"max": batch}
        )
    quota = int(settings.SHARAKA_USER_UPLOAD_QUOTA_MB)
    # Two uploads of one person at once are counted one after the other.
    list(get_user_model().objects.select_for_update().filter(pk=user.pk).values_list("pk"))
    if stored_by(user) + sum(new) > quota * MB:
        raise UploadRefused(
            _(
                "Your files would exceed your storage quota of %(max)s MB. "
                "Remove files you no longer need, or ask the secretariat."
            )
            % {"max": quota}
        )
