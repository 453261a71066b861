"""Read-only public API of plans, commitments and institutions."""

import datetime

from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import translation
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from apps.accounts.models import Institution
from apps.core.api import LangQuery, Pagination
from apps.plans.models import ActionPlan, Commitment

router = Router()


class PlanOut(Schema):
    slug: str
    title: str
    member: str
    ordinal: int
    period_start: datetime.date
    period_end: datetime.date
    status: str = Field(
        ...,
        description="co_creation, implementation or completed; a plan whose period has "
        "ended is completed.",
    )
    progress: float
    commitments_count: int

    @staticmethod
    def resolve_status(obj: ActionPlan) -> str:
        return obj.current_status

    @staticmethod
    def resolve_progress(obj: ActionPlan) -> float:
        return round(obj.progress, 2)  # type: ignore[attr-defined]


class InstitutionOut(Schema):
    slug: str
    name: str
    acronym: str
    kind: str


class ActivityOut(Schema):
    title: str
    progress: int
    weight: float
    groups_completed_activities: bool = Field(..., alias="is_grouping")


class CommitmentOut(Schema):
    number: int
    title: str
    progress: float
    completion_level: str
    theme: str | None
    lead_institution: InstitutionOut | None
    start_date: datetime.date | None
    end_date: datetime.date | None
    activities: list[ActivityOut]

    @staticmethod
    def resolve_progress(obj: Commitment) -> float:
        return round(obj.progress, 2)  # type: ignore[attr-defined]

    @staticmethod
    def resolve_theme(obj: Commitment) -> str | None:
        return obj.theme.title if obj.theme else None

    @staticmethod
    def resolve_activities(obj: Commitment) -> list[object]:
        return list(obj.activities.all())


@router.get("plans", response=list[PlanOut], tags=["plans"])
@paginate(Pagination)
def list_plans(request: HttpRequest, filters: Query[LangQuery]) -> QuerySet[ActionPlan]:
    """Every action plan, newest first, with its overall progress."""
    translation.activate(filters.lang)
    return ActionPlan.objects.with_progress().order_by("-period_start", "pk")


@router.get("plans/{slug}/commitments", response=list[CommitmentOut], tags=["plans"])
@paginate(Pagination)
def list_commitments(
    request: HttpRequest, slug: str, filters: Query[LangQuery]
) -> QuerySet[Commitment]:
    """The commitments of a plan in plan order, with their activities and progress.
    Their follow-up flags are at ``plans/{slug}/flags``."""
    translation.activate(filters.lang)
    plan = get_object_or_404(ActionPlan, slug=slug)
    return Commitment.objects.for_list().with_activities().filter(plan=plan).order_by("number")


@router.get("institutions", response=list[InstitutionOut], tags=["institutions"])
@paginate(Pagination)
def list_institutions(request: HttpRequest, filters: Query[LangQuery]) -> QuerySet[Institution]:
    """Institutions taking part in the plans."""
    translation.activate(filters.lang)
    return Institution.objects.order_by("kind", "name", "pk")
