"""The public consultation's comments and responses as a table (CSV and Excel).

Public, so it holds what the consultation page shows and nothing more: no e-mail
address, no unverified comment, and for a hidden comment only the moderators' reason.
A cell a spreadsheet would read as a formula (text starting with ``=``, ``+``, ``-``,
``@``, a tab or a carriage return) is written with a leading apostrophe, so that a
hostile comment stays text when the file is opened.
"""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Iterable
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.content import localized
from apps.core.spreadsheets import safe_row
from apps.reports.models import PublicComment, PublicCommentStatus, ReportCycle


def public_comments(cycle: ReportCycle) -> Any:
    """Published and hidden comments of the cycle, with what their rows show (one query)."""
    return (
        PublicComment.objects.filter(
            cycle=cycle, status__in=[PublicCommentStatus.PUBLISHED, PublicCommentStatus.HIDDEN]
        )
        .select_related("participant", "commitment")
        .order_by("created_at", "pk")
    )


def _day(value: datetime.datetime | None) -> str:
    return timezone.localtime(value).date().isoformat() if value else ""


def header() -> list[str]:
    return [
        "#",
        _("Date"),
        _("Part of the report"),
        _("Commitment"),
        _("Name"),
        _("Organisation"),
        _("Comment"),
        _("Status"),
        _("Response"),
        _("Responded on"),
    ]


def rows(comments: Iterable[PublicComment]) -> list[list[Any]]:
    table: list[list[Any]] = []
    for c in comments:
        hidden = c.status == PublicCommentStatus.HIDDEN
        commitment = ""
        if c.commitment is not None:
            commitment = f"{c.commitment.number}. {localized(c.commitment, 'title')}"
        table.append(
            [
                c.pk,
                _day(c.created_at),
                str(c.get_section_display()),
                commitment,
                "" if hidden else c.participant.name,
                "" if hidden else c.participant.organisation,
                (
                    _("Hidden by the moderators: %(reason)s") % {"reason": c.hidden_reason}
                    if hidden
                    else c.body
                ),
                str(c.get_status_display()),
                c.response,
                _day(c.responded_at),
            ]
        )
    return [safe_row(row) for row in table]


def to_csv(comments: Iterable[PublicComment]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header())
    writer.writerows(rows(comments))
    # With a byte-order mark, spreadsheets read the Arabic as UTF-8.
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def to_excel(comments: Iterable[PublicComment], rtl: bool) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = _("Consultation")[:31]
    ws.sheet_view.rightToLeft = rtl
    ws.append(header())
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for row in rows(comments):
        ws.append(row)
        for cell in ws[ws.max_row]:
            if isinstance(cell.value, str):
                cell.data_type = "s"  # never a formula, whatever the text
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    for column, width in zip("ABCDEFGHIJ", (6, 12, 24, 30, 20, 20, 60, 18, 60, 12), strict=True):
        ws.column_dimensions[column].width = width
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
