"""Checking uploaded evidence by its content, not only its name.

The extension must be on the allow-list and the first bytes must say the same thing
(``filetype`` reads the magic numbers). DOCX, XLSX and ODT are zip containers, so the
zip must hold the member that makes it such a document. The size is checked before
anything is read.
"""

from __future__ import annotations

import os
import zipfile
from dataclasses import dataclass

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Kind:
    content_type: str
    magic: tuple[str, ...]  # extensions filetype may report for such a file
    zip_member: str | None = None


KINDS = {
    "pdf": Kind("application/pdf", ("pdf",)),
    "docx": Kind(
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ("docx", "zip"),
        "word/document.xml",
    ),
    "xlsx": Kind(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ("xlsx", "zip"),
        "xl/workbook.xml",
    ),
    "odt": Kind("application/vnd.oasis.opendocument.text", ("odt", "zip"), "mimetype"),
    "png": Kind("image/png", ("png",)),
    "jpg": Kind("image/jpeg", ("jpg",)),
    "jpeg": Kind("image/jpeg", ("jpg",)),
    "gif": Kind("image/gif", ("gif",)),
    "webp": Kind("image/webp", ("webp",)),
}
ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"
ACCEPT = ",".join(f".{ext}" for ext in KINDS)


def max_bytes() -> int:
    return int(settings.SHARAKA_EVIDENCE_MAX_BYTES)


def _is_zip_document(upload: UploadedFile, kind: Kind) -> bool:
    try:
        upload.seek(0)
        with zipfile.ZipFile(upload) as archive:
            names = set(archive.namelist())
            if kind.zip_member not in names:
                return False
            if kind.zip_member == "mimetype":
                return archive.read("mimetype").strip() == ODT_MIMETYPE
            return True
    except (zipfile.BadZipFile, OSError, KeyError, ValueError):
        return False
    finally:
        upload.seek(0)


def check_evidence_file(upload: UploadedFile) -> str:
    """Raise ``ValidationError`` unless ``upload`` is an accepted document; return its
    content type."""
    name = upload.name or ""
    ext = os.path.splitext(name)[1].lower().lstrip(".")
    kind = KINDS.get(ext)
    if kind is None:
        raise ValidationError(
            _(
                "“%(name)s”: only PDF, DOCX, XLSX, ODT and images (PNG, JPEG, GIF, WebP) "
                "are accepted."
            ),
            code="extension",
            params={"name": name},
        )
    limit = max_bytes()
    if upload.size is None or upload.size > limit:
        raise ValidationError(
            _("“%(name)s” is larger than %(max)s MB."),
            code="size",
            params={"name": name, "max": limit // (1024 * 1024)},
        )
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    guessed = filetype.guess(head)
    detected = guessed.extension if guessed is not None else None
    ok = detected in kind.magic
    if ok and kind.zip_member is not None:
        ok = _is_zip_document(upload, kind)
    if not ok:
        raise ValidationError(
            _("“%(name)s” is not really a %(ext)s file."),
            code="content",
            params={"name": name, "ext": ext.upper()},
        )
    return kind.content_type
