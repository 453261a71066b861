"""Builders for tracking tests: assignments, reports, and files of every kind."""

from __future__ import annotations

import datetime
import io
import zipfile
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from apps.plans.models import Activity, Commitment
from apps.plans.tests.factories import make_commitment, make_plan
from apps.tracking import actions
from apps.tracking.models import ProgressUpdate

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00"
    b"\x00\x00IEND\xaeB`\x82"
)
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 200


def zip_bytes(members: dict[str, bytes], stored_first: str | None = None) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        if stored_first:
            archive.writestr(
                zipfile.ZipInfo(stored_first), members.pop(stored_first), zipfile.ZIP_STORED
            )
        for name, data in members.items():
            archive.writestr(name, data, zipfile.ZIP_DEFLATED)
    return out.getvalue()


def docx_bytes() -> bytes:
    return zip_bytes(
        {
            "[Content_Types].xml": b"<Types/>",
            "_rels/.rels": b"<Relationships/>",
            "word/document.xml": b"<w:document/>",
        }
    )


def xlsx_bytes() -> bytes:
    return zip_bytes(
        {
            "[Content_Types].xml": b"<Types/>",
            "_rels/.rels": b"<Relationships/>",
            "xl/workbook.xml": b"<workbook/>",
        }
    )


def odt_bytes() -> bytes:
    return zip_bytes(
        {"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<office/>"},
        stored_first="mimetype",
    )


def upload(name: str, content: bytes, content_type: str = "application/octet-stream") -> Any:
    return SimpleUploadedFile(name, content, content_type=content_type)


def make_activity(
    lead: Any = None, progress: int = 20, end_date: datetime.date | None = None, **kwargs: Any
) -> Activity:
    """An activity of a fresh commitment led by ``lead``."""
    plan = kwargs.pop("plan", None) or make_plan()
    commitment = make_commitment(plan, [(progress, 1)], lead_institution=lead, **kwargs)
    activity = commitment.activities.get()
    if end_date:
        activity.end_date = end_date
        activity.save(update_fields=["end_date"])
    return activity


def assign(commitment: Commitment, user: Any, by: Any) -> None:
    actions.do_hand_over(commitment, user, acting_user=by, on=datetime.date(2021, 1, 1))


def report(progress: int = 60, **kwargs: Any) -> actions.Report:
    fields: dict[str, Any] = {
        "progress": progress,
        "reported_on": timezone.localdate(),
        "language": "ar",
        "narratives": {"ar": "تقدم ملموس"},
    }
    fields.update(kwargs)
    return actions.Report(**fields)


def submitted(activity: Activity, author: Any, progress: int = 60) -> ProgressUpdate:
    return actions.do_record_progress(activity, report(progress), acting_user=author, submit=True)
