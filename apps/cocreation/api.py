"""Public API of the co-creation: processes with their phases and windows, the
proposals of a process (status, theme, supports, reasoned response) and its commitment
cards. Every list costs a fixed number of queries; an unknown process is a 404."""

import datetime
from collections.abc import Callable, Sequence
from typing import Any, overload

from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone, translation
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from apps.cocreation.models import LISTED, CommitmentCard, Opening, Process, Proposal
from apps.core.api import MAX_ID, LangQuery, Pagination, responses
from apps.core.content import localized

router = Router()


class Mapped(Sequence[dict[str, object]]):
    """A queryset the pagination slices before each row is turned into its answer
    (in the language asked for): 50,000 proposals are never all read for one page."""

    def __init__(self, queryset: QuerySet[Any], row: Callable[[Any], dict[str, object]], lang: str):
        self.queryset, self.row, self.lang = queryset, row, lang

    @overload
    def __getitem__(self, index: int) -> dict[str, object]: ...
    @overload
    def __getitem__(self, index: slice) -> list[dict[str, object]]: ...
    def __getitem__(self, index: int | slice) -> Any:
        with translation.override(self.lang):
            if isinstance(index, slice):
                return [self.row(obj) for obj in self.queryset[index]]
            return self.row(self.queryset[index])

    def __len__(self) -> int:
        return self.queryset.count()


class PhaseOut(Schema):
    order: int
    key: str
    name: str
    planned_start: datetime.date
    planned_end: datetime.date
    started_on: datetime.date | None
    completed_on: datetime.date | None
    under_way: bool
    late: bool
    opens: list[str]


class ProcessOut(Schema):
    slug: str
    year: int
    title: str
    previous_plan: str | None
    plan: str | None
    phase_under_way: str | None
    phases: list[PhaseOut]


class ProposalOut(Schema):
    number: int
    title: str
    language: str
    author_name: str
    status: str
    theme: str | None
    region: str | None
    supports: int
    comments: int
    merged_into: int | None
    response: str
    lead_institution: str | None
    submitted_at: datetime.datetime
    url: str


class MilestoneOut(Schema):
    title: str
    expected_output: str
    due_date: datetime.date | None
    stakeholders: str


class CardOut(Schema):
    number: int
    title: str
    language: str
    status: str
    lead_institution: str
    supporting_institutions: list[str]
    proposals: list[int]
    commitment: str | None
    milestones: list[MilestoneOut]


class ProposalQuery(LangQuery):
    status: str | None = Field(None, description="submitted, retained, accepted, merged…")
    theme: int | None = Field(None, ge=1, le=MAX_ID, description="Theme id.")


def _processes() -> QuerySet[Process]:
    return Process.objects.with_phases().select_related("plan", "previous_plan")


def _process_out(process: Process) -> dict[str, object]:
    today = timezone.localdate()
    phases = process.ordered_phases()
    current = next((p for p in reversed(phases) if p.is_open), None)
    return {
        "slug": process.slug,
        "year": process.year,
        "title": str(localized(process, "title")),
        "previous_plan": process.previous_plan.slug if process.previous_plan else None,
        "plan": process.plan.slug if process.plan else None,
        "phase_under_way": current.key if current else None,
        "phases": [
            {
                "order": p.order,
                "key": p.key,
                "name": str(p.get_key_display()),
                "planned_start": p.planned_start,
                "planned_end": p.planned_end,
                "started_on": p.started_on,
                "completed_on": p.completed_on,
                "under_way": p.is_open,
                "late": p.is_late(today),
                "opens": [value for value, _label in Opening.choices if p.opens(value)],
            }
            for p in phases
        ],
    }


@router.get("cocreation", response=responses(list[ProcessOut]), tags=["cocreation"])
@paginate(Pagination)
def list_processes(request: HttpRequest, filters: Query[LangQuery]) -> list[dict[str, object]]:
    """Co-creation processes, newest first, with their phases and windows."""
    with translation.override(filters.lang):
        return [_process_out(p) for p in _processes().order_by("-year", "-pk")]


@router.get(
    "cocreation/{slug}/proposals",
    response=responses(list[ProposalOut], not_found=True),
    tags=["cocreation"],
)
@paginate(Pagination)
def list_proposals(request: HttpRequest, slug: str, filters: Query[ProposalQuery]) -> Mapped:
    """The public proposals of a process (hidden ones left out), newest first: status,
    theme, supports and the reasoned response."""
    process = get_object_or_404(Process, slug=slug)
    proposals = (
        Proposal.objects.filter(process=process, status__in=LISTED)
        .select_related("theme", "region", "merged_into", "lead_institution")
        .order_by("-created_at", "-id")
    )
    if filters.status:
        proposals = proposals.filter(status=filters.status)
    if filters.theme:
        proposals = proposals.filter(theme_id=filters.theme)
    lang = filters.lang

    def row(p: Proposal) -> dict[str, object]:
        return {
            "number": p.number,
            "title": p.title,
            "language": p.language,
            "author_name": p.author_name,
            "status": p.status,
            "theme": str(localized(p.theme, "title")) if p.theme else None,
            "region": str(localized(p.region, "name")) if p.region else None,
            "supports": p.supports_count,
            "comments": p.comments_count,
            "merged_into": p.merged_into.number if p.merged_into else None,
            "response": p.response,
            "lead_institution": str(localized(p.lead_institution, "name"))
            if p.lead_institution
            else None,
            "submitted_at": p.created_at,
            "url": request.build_absolute_uri(f"/{lang}/participate/{slug}/proposals/{p.number}/"),
        }

    return Mapped(proposals, row, lang)


@router.get(
    "cocreation/{slug}/cards",
    response=responses(list[CardOut], not_found=True),
    tags=["cocreation"],
)
@paginate(Pagination)
def list_cards(request: HttpRequest, slug: str, filters: Query[LangQuery]) -> Mapped:
    """The commitment cards of a process (OGP's template), with their milestones, the
    proposals they come from and, once adopted, the commitment they became."""
    process = get_object_or_404(Process, slug=slug)
    cards = (
        CommitmentCard.objects.filter(process=process)
        .select_related("lead_institution", "commitment__plan")
        .prefetch_related("supporting_institutions", "milestones", "proposals")
        .order_by("number")
    )

    def row(c: CommitmentCard) -> dict[str, object]:
        return {
            "number": c.number,
            "title": c.title,
            "language": c.language,
            "status": c.status,
            "lead_institution": str(localized(c.lead_institution, "name")),
            "supporting_institutions": [
                str(localized(i, "name")) for i in c.supporting_institutions.all()
            ],
            "proposals": sorted(p.number for p in c.proposals.all()),
            "commitment": (
                f"{c.commitment.plan.slug}/{c.commitment.number}" if c.commitment else None
            ),
            "milestones": [
                {
                    "title": m.title,
                    "expected_output": m.expected_output,
                    "due_date": m.due_date,
                    "stakeholders": m.stakeholders,
                }
                for m in c.milestones.all()
            ],
        }

    return Mapped(cards, row, filters.lang)
