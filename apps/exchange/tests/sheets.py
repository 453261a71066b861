"""What the exchange tests share: the plan as figures to compare, files to import."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from django.utils import translation

from apps.exchange import plan_sheet
from apps.plans.models import ActionPlan, Commitment


def export(plan: ActionPlan, path: Path, fmt: str = "xlsx", language: str = "ar") -> Path:
    """The plan's sheet, written to ``path`` as the export page writes it."""
    with translation.override(language):
        if fmt == "xlsx":
            with path.open("wb") as out:
                plan_sheet.write_xlsx(out, plan_sheet.plan_rows(plan))
        else:
            buffer = io.StringIO()
            plan_sheet.write_csv(buffer, plan_sheet.plan_rows(plan))
            path.write_text(buffer.getvalue(), encoding="utf-8")
    return path


def figures(slug: str) -> dict[str, Any]:
    """Everything the sheet carries about a plan, and its figures (roll-ups included),
    without primary keys: equal for the same plan in two databases."""
    plan = ActionPlan.objects.with_progress().get(slug=slug)
    fields = ("member_ar", "member_fr", "member_en", "title_ar", "title_fr", "title_en")
    result: dict[str, Any] = {
        "plan": [getattr(plan, f) or "" for f in fields]
        + [plan.ordinal, plan.period_start, plan.period_end, plan.status],
        "progress": round(float(plan.progress or 0), 6),  # type: ignore[attr-defined]
        "commitments": [],
    }
    commitments = (
        Commitment.objects.with_progress()
        .filter(plan=plan)
        .select_related("theme", "lead_institution")
        .with_activities()
        .order_by("number")
    )
    for c in commitments:
        lead = c.lead_institution
        result["commitments"].append(
            {
                "number": c.number,
                "titles": [c.title_ar, c.title_fr or "", c.title_en or ""],  # type: ignore[attr-defined]
                "dates": [c.start_date, c.end_date],
                "theme": [
                    c.theme.order,
                    c.theme.title_ar,
                    c.theme.title_fr or "",
                    c.theme.title_en or "",
                ]  # type: ignore[attr-defined]
                if c.theme
                else None,
                "lead": [
                    lead.slug,
                    lead.kind,
                    lead.name_ar,
                    lead.name_fr or "",
                    lead.name_en or "",
                    lead.acronym,
                ]  # type: ignore[attr-defined]
                if lead
                else None,
                "progress": round(float(c.progress), 6),  # type: ignore[attr-defined]
                "level": c.completion_level,  # type: ignore[attr-defined]
                "activities": [
                    [
                        a.order,
                        a.title_ar,  # type: ignore[attr-defined]
                        a.title_fr or "",  # type: ignore[attr-defined]
                        a.title_en or "",  # type: ignore[attr-defined]
                        a.weight,
                        a.start_date,
                        a.end_date,
                        a.progress,
                        a.is_grouping,
                    ]
                    for a in c.activities.all()
                ],
            }
        )
    return result


def wipe() -> None:
    """An empty database, as far as plans go (the institutions too)."""
    from apps.accounts.models import Institution, User
    from apps.core.models import AuditLog
    from apps.tracking.models import FocalPointAssignment, ProgressUpdate

    FocalPointAssignment.objects.all().delete()
    ProgressUpdate.objects.all().delete()
    ActionPlan.objects.all().delete()
    User.objects.filter(institution__isnull=False).update(institution=None)
    Institution.objects.all().delete()
    AuditLog.objects.all().delete()
