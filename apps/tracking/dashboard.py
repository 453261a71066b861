"""The secretariat's dashboard: stale commitments, pending validations and the
reporting status of each institution. A fixed number of queries for any plan size;
the same data feeds the page and the Excel export."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from io import BytesIO

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from apps.accounts.models import Institution, User
from apps.core.spreadsheets import safe_row
from apps.plans.models import ActionPlan, Activity, Commitment
from apps.tracking.flags import STALENESS_FLAGS, Flag
from apps.tracking.models import FocalPointAssignment, ProgressUpdate, UpdateStatus
from apps.tracking.staleness import (
    Reference,
    any_flag,
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
    # Commitments nobody answers for now (a focal point's account was deactivated, an
    # assignment ended): each waits for the secretariat to hand it over.
    without_focal_point: list[Commitment]

    @property
    def ended(self) -> bool:
        """The plan's period ended before the dashboard's date: no flag applies."""
        return self.ref.today > self.plan.period_end

    @property
    def flag_counts(self) -> list[tuple[Flag, int]]:
        """How many of the flagged commitments carry each flag (one commitment may
        carry several, so these do not add up to the number flagged)."""
        return [
            (flag, sum(1 for c in self.stale if flag in flags_of(c))) for flag in STALENESS_FLAGS
        ]


def build(
    plan: ActionPlan,
    *,
    as_of: datetime.datetime | None = None,
    pending_limit: int | None = PENDING_SHOWN,
) -> Dashboard:
    """The dashboard of ``plan`` with the flags as of ``as_of`` (now by default)."""
    ref = reference_for(plan, as_of)
    commitments = with_commitment_flags(Commitment.objects.for_list().filter(plan=plan), ref)
    stale = list(commitments.filter(any_flag()).order_by("number"))
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
    without_focal_point = list(
        Commitment.objects.filter(plan=plan)
        .exclude(Exists(FocalPointAssignment.objects.current().filter(commitment=OuterRef("pk"))))
        .select_related("plan", "lead_institution")
        .order_by("number", "pk")
    )
    return Dashboard(
        plan=plan,
        ref=ref,
        stale=stale,
        commitments_count=plan.commitments.count(),
        focal_points=focal_points,
        pending=pending,
        pending_count=pending_qs.count(),
        institutions=institutions,
        without_focal_point=without_focal_point,
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


def _date(value: datetime.datetime | None) -> datetime.date | None:
    """A date cell: the local day of ``value`` (an empty cell for none)."""
    return timezone.localtime(value).date() if value is not None else None


# Excel shows these as dates (sortable, filterable), in ISO order in every language.
DATE_FORMAT = "yyyy-mm-dd"


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
            safe_row(
                [
                    c.number,
                    c.title,
                    str(c.lead_institution or ""),
                    (fp.get_full_name() or fp.username) if fp else "",
                    round(c.progress, 1),  # type: ignore[attr-defined]
                    ", ".join(str(f.label) for f in flags_of(c)),
                    _date(c.last_validated_at),  # type: ignore[attr-defined]
                ]
            )
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
            safe_row(
                [
                    inst.name,
                    inst.commitments_count,  # type: ignore[attr-defined]
                    _date(inst.last_report),  # type: ignore[attr-defined]
                    _date(inst.last_validated),  # type: ignore[attr-defined]
                    inst.stale_activities or 0,  # type: ignore[attr-defined]
                ]
            )
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
            safe_row(
                [
                    _date(u.submitted_at),
                    u.activity.commitment.number,
                    u.activity.title,
                    u.author.get_full_name() or u.author.username,
                    u.activity.progress,
                    u.progress,
                ]
            )
        )
    sheets.append(ws)

    for sheet in sheets:
        for row in sheet.iter_rows(min_row=2):
            for cell in row:
                if isinstance(cell.value, datetime.date):
                    cell.number_format = DATE_FORMAT
        sheet.sheet_view.rightToLeft = rtl
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        sheet.freeze_panes = "A2"
        sheet.column_dimensions["B"].width = 50
        sheet.column_dimensions["C"].width = 40
    out = BytesIO()
    wb.save(out)
    return out.getvalue()
