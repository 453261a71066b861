"""Public API of the self-assessment reports: cycles, their stages (planned and actual),
their versions with download links per language and format, and the public
consultation's counts."""

import datetime

from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone, translation
from ninja import Query, Router, Schema
from ninja.pagination import paginate

from apps.core.api import LangQuery, Pagination
from apps.reports import consultation
from apps.reports.models import ReportCycle

router = Router()


class StageOut(Schema):
    order: int
    key: str
    name: str
    planned_start: datetime.date
    planned_end: datetime.date
    started_on: datetime.date | None
    completed_on: datetime.date | None
    late: bool


class FileOut(Schema):
    language: str
    format: str
    url: str
    checksum: str
    size: int


class VersionOut(Schema):
    number: int
    generated_at: datetime.datetime
    snapshot: int
    files: list[FileOut]


class CycleOut(Schema):
    id: int
    plan: str
    plan_slug: str
    kind: str
    year: int
    current_stage: str | None


class ConsultationOut(Schema):
    """Comments of the public consultation (those awaiting their author's e-mail
    confirmation are not counted: nobody but the secretariat knows of them)."""

    published: int
    answered: int
    awaiting_response: int
    hidden: int
    url: str


class CycleDetailOut(CycleOut):
    stages: list[StageOut]
    versions: list[VersionOut]
    consultation: ConsultationOut


def _cycles() -> QuerySet[ReportCycle]:
    return (
        ReportCycle.objects.select_related("plan")
        .prefetch_related("stages", "versions__files")
        .order_by("-year", "pk")
    )


def _summary(cycle: ReportCycle) -> dict[str, object]:
    current = next((s for s in cycle.stages.all() if s.state == "started"), None)
    return {
        "id": cycle.pk,
        "plan": cycle.plan.title,
        "plan_slug": cycle.plan.slug,
        "kind": cycle.kind,
        "year": cycle.year,
        "current_stage": current.key if current else None,
    }


def _detail(request: HttpRequest, cycle: ReportCycle) -> dict[str, object]:
    today = timezone.localdate()
    counts = consultation.counts(cycle)
    return {
        **_summary(cycle),
        "stages": [
            {
                "order": s.order,
                "key": s.key,
                "name": str(s.get_key_display()),
                "planned_start": s.planned_start,
                "planned_end": s.planned_end,
                "started_on": s.started_on,
                "completed_on": s.completed_on,
                "late": s.is_late(today),
            }
            for s in cycle.stages.all()
        ],
        "versions": [
            {
                "number": v.number,
                "generated_at": v.generated_at,
                "snapshot": v.snapshot_id,
                "files": [
                    {
                        "language": f.language,
                        "format": f.format,
                        "url": request.build_absolute_uri(f"/{f.language}/reports/files/{f.pk}/"),
                        "checksum": f.checksum,
                        "size": f.size,
                    }
                    for f in v.files.all()
                ],
            }
            for v in cycle.versions.all()
        ],
        "consultation": {
            "published": counts["published"],
            "answered": counts["answered"],
            "awaiting_response": counts["awaiting"],
            "hidden": counts["hidden"],
            "url": request.build_absolute_uri(reverse("report_consultation", args=[cycle.pk])),
        },
    }


@router.get("reports", response=list[CycleOut], tags=["reports"])
@paginate(Pagination)
def list_reports(request: HttpRequest, filters: Query[LangQuery]) -> list[dict[str, object]]:
    """Self-assessment report cycles, newest first."""
    with translation.override(filters.lang):
        return [_summary(c) for c in _cycles()]


@router.get("reports/{report_id}", response=CycleDetailOut, tags=["reports"])
def get_report(
    request: HttpRequest, report_id: int, filters: Query[LangQuery]
) -> dict[str, object]:
    """A cycle: its stages, planned and actual, and its versions with their files."""
    with translation.override(filters.lang):
        cycle = get_object_or_404(_cycles(), pk=report_id)
        return _detail(request, cycle)
