"""Public API of the self-assessment reports: cycles, their stages (planned and actual),
their versions with download links per language and format and the translation coverage
of each, the consultation's counts, and the approval, publication and submission.

Each endpoint costs a fixed number of queries whatever the number of cycles, versions
and comments (``tests/test_publication.py`` counts them)."""

import datetime
from typing import Any

from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone, translation
from ninja import Query, Router, Schema
from ninja.pagination import paginate

from apps.core.api import LangQuery, Pagination, responses
from apps.core.languages import LANGUAGES
from apps.reports.document import coverage
from apps.reports.models import PublicComment, PublicCommentStatus, ReportCycle
from apps.reports.publication import recorded

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


class CoverageOut(Schema):
    """How much of a version reads in ``language`` rather than in its Arabic source."""

    language: str
    texts: int
    untranslated: int
    percent: float


class VersionOut(Schema):
    number: int
    generated_at: datetime.datetime
    snapshot: int
    files: list[FileOut]
    coverage: list[CoverageOut]


class ApprovalOut(Schema):
    decided_on: datetime.date
    meeting: int
    version: int


class PublicationOut(Schema):
    published_at: datetime.datetime
    version: int


class SubmissionOut(Schema):
    submitted_on: datetime.date
    reference: str


class ConsultationOut(Schema):
    """Comments of the public consultation: published, hidden by the moderators, and
    published with a response."""

    published: int
    hidden: int
    answered: int
    awaiting_response: int


class ConsultationDetailOut(ConsultationOut):
    url: str


class CycleOut(Schema):
    id: int
    plan: str
    plan_slug: str
    kind: str
    year: int
    current_stage: str | None
    approval: ApprovalOut | None
    publication: PublicationOut | None
    submission: SubmissionOut | None
    consultation: ConsultationOut


class CycleDetailOut(CycleOut):
    stages: list[StageOut]
    versions: list[VersionOut]
    consultation: ConsultationDetailOut


def _comments(*conditions: Q, **fields: Any) -> Coalesce:
    """How many consultation comments of the cycle meet the conditions (a subquery:
    one query for the whole list)."""
    counted = (
        PublicComment.objects.filter(*conditions, cycle=OuterRef("pk"), **fields)
        .order_by()
        .values("cycle")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def _cycles() -> QuerySet[ReportCycle]:
    return (
        ReportCycle.objects.select_related(
            "plan", "approval__version", "publication__version", "submission"
        )
        .annotate(
            comments_published=_comments(status=PublicCommentStatus.PUBLISHED),
            comments_hidden=_comments(status=PublicCommentStatus.HIDDEN),
            comments_answered=_comments(Q(status=PublicCommentStatus.PUBLISHED) & ~Q(response="")),
        )
        .prefetch_related("stages", "versions__files")
        .order_by("-year", "pk")
    )


def _summary(cycle: ReportCycle) -> dict[str, object]:
    current = next((s for s in cycle.stages.all() if s.state == "started"), None)
    approval = recorded(cycle, "approval")
    publication = recorded(cycle, "publication")
    submission = recorded(cycle, "submission")
    return {
        "id": cycle.pk,
        "plan": cycle.plan.title,
        "plan_slug": cycle.plan.slug,
        "kind": cycle.kind,
        "year": cycle.year,
        "current_stage": current.key if current else None,
        "approval": {
            "decided_on": approval.decided_on,
            "meeting": approval.meeting_id,
            "version": approval.version.number,
        }
        if approval
        else None,
        "publication": {
            "published_at": publication.published_at,
            "version": publication.version.number,
        }
        if publication
        else None,
        "submission": {"submitted_on": submission.submitted_on, "reference": submission.reference}
        if submission
        else None,
        "consultation": {
            "published": cycle.comments_published,  # type: ignore[attr-defined]
            "hidden": cycle.comments_hidden,  # type: ignore[attr-defined]
            "answered": cycle.comments_answered,  # type: ignore[attr-defined]
            "awaiting_response": cycle.comments_published - cycle.comments_answered,  # type: ignore[attr-defined]
        },
    }


def _coverage(content: dict[str, Any]) -> list[dict[str, object]]:
    found = []
    for lang in LANGUAGES:
        texts, missing = coverage(content, lang)
        percent = round((texts - missing) * 100 / texts, 1) if texts else 100.0
        found.append(
            {"language": lang, "texts": texts, "untranslated": missing, "percent": percent}
        )
    return found


def _detail(request: HttpRequest, cycle: ReportCycle) -> dict[str, object]:
    today = timezone.localdate()
    summary = _summary(cycle)
    consultation_url = reverse("report_consultation", args=[cycle.pk])
    return {
        **summary,
        "consultation": {
            **summary["consultation"],  # type: ignore[dict-item]
            "url": request.build_absolute_uri(consultation_url),
        },
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
                "coverage": _coverage(v.content),
            }
            for v in cycle.versions.all()
        ],
    }


@router.get("reports", response=responses(list[CycleOut]), tags=["reports"])
@paginate(Pagination)
def list_reports(request: HttpRequest, filters: Query[LangQuery]) -> list[dict[str, object]]:
    """Self-assessment report cycles, newest first."""
    with translation.override(filters.lang):
        return [_summary(c) for c in _cycles()]


@router.get(
    "reports/{report_id}", response=responses(CycleDetailOut, not_found=True), tags=["reports"]
)
def get_report(
    request: HttpRequest, report_id: int, filters: Query[LangQuery]
) -> dict[str, object]:
    """A cycle: its stages, planned and actual, and its versions with their files."""
    with translation.override(filters.lang):
        cycle = get_object_or_404(_cycles(), pk=report_id)
        return _detail(request, cycle)
