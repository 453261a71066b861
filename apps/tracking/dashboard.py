"""The secretariat's dashboard: stale commitments, pending validations and the
reporting status of each institution. A fixed number of queries for any plan size;
the same data feeds the page and the Excel export."""

from __future__ import annotations

from dataclasses import dataclass
from io import BytesIO
from typing import Any

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from apps.accounts.models import Institution, User
from apps.plans.models import ActionPlan, Activity, Commitment
from apps.tracking.models import FocalPointAssignment, ProgressUpdate, UpdateStatus
from apps.tracking.staleness import (
    FLAG_LABELS,
    Reference,
    flags_of,
    reference_for,
    stale_activities,
    with_commitment_flags,
)

PENDING_SHOWN = 20


@dataclass
class Dashboard:
    plan: ActionPlan
    ref: Reference
    stale: list[Commitment]
    commitments_count: int
    focal_points: dict[int, User]
    pending: list[ProgressUpdate]
    pending_count: int
    institutions: list[Institution]


def _any_flag() -> Q:
    return Q(flag_not_updated=True) | Q(flag_no_progress=True) | Q(flag_overdue=True)


def build(plan: ActionPlan, *, pending_limit: int | None = PENDING_SHOWN) -> Dashboard:
    ref = reference_for(plan)
    commitments = with_commitment_flags(Commitment.objects.for_list().filter(plan=plan), ref)
    stale = list(commitments.filter(_any_flag()).order_by("number"))
    focal_points = {
        a.commitment_id: a.user
        for a in FocalPointAssignment.objects.current()
        .filter(commitment__plan=plan)
        .select_related("user")
    }
    pending_qs = ProgressUpdate.objects.pending().filter(activity__commitment__plan=plan)
    pending = list(
        pending_qs.select_related("activity__commitment", "author").order_by("submitted_at", "pk")[
            :pending_limit
        ]
    )
    institutions = list(_institutions(plan, ref))
    return Dashboard(
        plan=plan,
        ref=ref,
        stale=stale,
        commitments_count=plan.commitments.count(),
        focal_points=focal_points,
        pending=pending,
        pending_count=pending_qs.count(),
        institutions=institutions,
    )


def _institutions(plan: ActionPlan, ref: Reference) -> QuerySet[Institution]:
    """Lead institutions of the plan with their last report, last validation and the
    number of stale activities of the commitments they lead."""
    updates = ProgressUpdate.objects.filter(
        activity__commitment__plan=plan, activity__commitment__lead_institution=OuterRef("pk")
    )
    stale_counts = (
        stale_activities(
            Activity.objects.filter(
                commitment__plan=plan, commitment__lead_institution=OuterRef("pk")
            ),
            ref,
        )
        .order_by()
        .values("commitment__lead_institution")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        Institution.objects.filter(led_commitments__plan=plan)
        .annotate(
            commitments_count=Count("led_commitments", filter=Q(led_commitments__plan=plan)),
            last_report=Subquery(
                updates.exclude(submitted_at__isnull=True)
                .order_by("-submitted_at")
                .values("submitted_at")[:1]
            ),
            last_validated=Subquery(
                updates.filter(status=UpdateStatus.VALIDATED)
                .order_by("-validated_at")
                .values("validated_at")[:1]
            ),
            stale_activities=Subquery(stale_counts),
        )
        .order_by("name", "pk")
    )


def _date(value: Any) -> str:
    if value is None:
        return ""
    return formats.date_format(timezone.localtime(value).date(), "Y-m-d")


def to_excel(board: Dashboard) -> bytes:
    """The dashboard as an Excel workbook (right-to-left sheets in Arabic)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    rtl = translation.get_language_bidi()
    wb = Workbook()
    sheets = []

    ws = wb.active
    assert ws is not None
    ws.title = _("Stale commitments")[:31]
    ws.append(
        [
            "#",
            _("Commitment"),
            _("Lead institution"),
            _("Focal point"),
            _("Progress (%)"),
            _("Flags"),
            _("Last validated update"),
        ]
    )
    for c in board.stale:
        fp = board.focal_points.get(c.pk)
        ws.append(
            [
                c.number,
                c.title,
                str(c.lead_institution or ""),
                (fp.get_full_name() or fp.username) if fp else "",
                round(c.progress, 1),  # type: ignore[attr-defined]
                ", ".join(str(FLAG_LABELS[f]) for f in flags_of(c)),
                _date(c.last_validated_at),  # type: ignore[attr-defined]
            ]
        )
    sheets.append(ws)

    ws = wb.create_sheet(_("Institutions")[:31])
    ws.append(
        [
            _("Institution"),
            _("Commitments"),
            _("Last report"),
            _("Last validated update"),
            _("Stale activities"),
        ]
    )
    for inst in board.institutions:
        ws.append(
            [
                inst.name,
                inst.commitments_count,  # type: ignore[attr-defined]
                _date(inst.last_report),  # type: ignore[attr-defined]
                _date(inst.last_validated),  # type: ignore[attr-defined]
                inst.stale_activities or 0,  # type: ignore[attr-defined]
            ]
        )
    sheets.append(ws)

    ws = wb.create_sheet(_("Pending validations")[:31])
    ws.append(
        [
            _("Submitted on"),
            "#",
            _("Activity"),
            _("Author"),
            _("Current (%)"),
            _("Reported (%)"),
        ]
    )
    for u in board.pending:
        ws.append(
            [
                _date(u.submitted_at),
                u.activity.commitment.number,
                u.activity.title,
                u.author.get_full_name() or u.author.username,
                u.activity.progress,
                u.progress,
            ]
        )
    sheets.append(ws)

    for sheet in sheets:
        sheet.sheet_view.rightToLeft = rtl
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        sheet.freeze_panes = "A2"
        sheet.column_dimensions["B"].width = 50
        sheet.column_dimensions["C"].width = 40
    out = BytesIO()
    wb.save(out)
    return out.getvalue()
