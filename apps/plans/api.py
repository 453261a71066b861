"""Read-only public API of plans, their themes, commitments and activities, and the
institutions. The flags, the focal point's institution and the progress history of a
commitment are tracking's (``apps/tracking/api.py``, which builds on these schemas)."""

import datetime

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import translation
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from apps.accounts.models import Institution
from apps.core.api import MAX_ID, LangQuery, Pagination, responses
from apps.plans.choices import CompletionLevel, PlanStatus
from apps.plans.models import ActionPlan, Commitment, Theme

router = Router()


class PlanOut(Schema):
    slug: str
    title: str
    member: str
    ordinal: int
    period_start: datetime.date
    period_end: datetime.date
    status: PlanStatus = Field(
        ...,
        description="co_creation, implementation or completed; a plan whose period has "
        "ended is completed.",
    )
    progress: float = Field(..., description="The mean of its commitments' progress (%).")
    commitments_count: int

    @staticmethod
    def resolve_status(obj: ActionPlan) -> str:
        return obj.current_status

    @staticmethod
    def resolve_progress(obj: ActionPlan) -> float:
        return round(obj.progress, 2)


class InstitutionOut(Schema):
    slug: str
    name: str
    acronym: str
    kind: str


class ActivityOut(Schema):
    id: int
    order: int
    title: str
    progress: int = Field(..., description="As reported by the focal point and validated (%).")
    weight: float = Field(..., description="Relative weight in the commitment's progress.")
    start_date: datetime.date | None
    end_date: datetime.date | None
    groups_completed_activities: bool = Field(
        ...,
        alias="is_grouping",
        description="Stands for completed activities the source document does not itemise.",
    )


class CommitmentOut(Schema):
    id: int = Field(..., description="Its id: the commitment is at /commitments/{id}.")
    plan: str = Field(..., description="The slug of its plan.")
    number: int
    title: str
    progress: float = Field(..., description="The weighted mean of its activities' progress.")
    completion_level: CompletionLevel
    theme: str | None
    theme_id: int | None
    lead_institution: InstitutionOut | None
    start_date: datetime.date | None
    end_date: datetime.date | None
    activities: list[ActivityOut]

    @staticmethod
    def resolve_plan(obj: Commitment) -> str:
        return obj.plan.slug

    @staticmethod
    def resolve_progress(obj: Commitment) -> float:
        return round(obj.progress, 2)  # type: ignore[attr-defined]

    @staticmethod
    def resolve_theme(obj: Commitment) -> str | None:
        return obj.theme.title if obj.theme else None

    @staticmethod
    def resolve_activities(obj: Commitment) -> list[object]:
        return list(obj.activities.all())


class ThemeOut(Schema):
    id: int
    order: int
    title: str
    progress: float
    commitments_count: int

    @staticmethod
    def resolve_progress(obj: Theme) -> float:
        return round(obj.progress, 2)  # type: ignore[attr-defined]


class CommitmentSummaryOut(Schema):
    id: int
    number: int
    title: str
    theme_id: int | None
    progress: float
    completion_level: CompletionLevel
    lead_institution: str | None = Field(..., description="The slug of its lead institution.")
    start_date: datetime.date | None
    end_date: datetime.date | None
    activities_count: int

    @staticmethod
    def resolve_progress(obj: Commitment) -> float:
        return round(obj.progress, 2)  # type: ignore[attr-defined]

    @staticmethod
    def resolve_lead_institution(obj: Commitment) -> str | None:
        return obj.lead_institution.slug if obj.lead_institution else None


class CompletionCountsOut(Schema):
    """How many commitments are at each of OGP's completion levels."""

    not_started: int
    limited: int
    substantial: int
    complete: int


class PlanDetailOut(PlanOut):
    activities_count: int
    completion_levels: CompletionCountsOut
    themes: list[ThemeOut]
    commitments: list[CommitmentSummaryOut] = Field(
        ..., description="In plan order; each one in full at /commitments/{id}."
    )
    url: str = Field(..., description="The plan's page, in the language asked.")

    # The view reads these on the plan (the reverse relations keep their names).
    @staticmethod
    def resolve_themes(obj: ActionPlan) -> list[Theme]:
        return obj.theme_rows  # type: ignore[attr-defined]

    @staticmethod
    def resolve_commitments(obj: ActionPlan) -> list[Commitment]:
        return obj.commitment_rows  # type: ignore[attr-defined]


class CommitmentFilters(LangQuery):
    """The filters of a list of commitments."""

    theme: int | None = Field(None, ge=1, le=MAX_ID, description="Theme id.")
    institution: str | None = Field(
        None, description="Slug of an institution leading or supporting the commitment."
    )
    lead_institution: str | None = Field(None, description="Slug of the lead institution.")
    completion_level: CompletionLevel | None = None


def filter_commitments(
    commitments: QuerySet[Commitment], filters: CommitmentFilters
) -> QuerySet[Commitment]:
    """``commitments`` (annotated ``with_progress``) narrowed by ``filters``."""
    if filters.theme is not None:
        commitments = commitments.filter(theme_id=filters.theme)
    if filters.institution is not None:
        supports = Commitment.supporting_institutions.through.objects.filter(
            commitment=OuterRef("pk"), institution__slug=filters.institution
        )
        commitments = commitments.filter(
            Q(lead_institution__slug=filters.institution) | Exists(supports)
        )
    if filters.lead_institution is not None:
        commitments = commitments.filter(lead_institution__slug=filters.lead_institution)
    if filters.completion_level is not None:
        # (an annotation of with_progress())
        commitments = commitments.filter(**{"completion_level": filters.completion_level})
    return commitments


@router.get("plans", response=responses(list[PlanOut]), tags=["plans"])
@paginate(Pagination)
def list_plans(request: HttpRequest, filters: Query[LangQuery]) -> QuerySet[ActionPlan]:
    """Every action plan, newest first, with its overall progress."""
    translation.activate(filters.lang)
    return ActionPlan.objects.with_progress().order_by("-period_start", "pk")


@router.get("plans/{slug}", response=responses(PlanDetailOut, not_found=True), tags=["plans"])
def get_plan(request: HttpRequest, slug: str, filters: Query[LangQuery]) -> ActionPlan:
    """A plan: its progress, its themes and a summary of each commitment, and how many
    commitments are at each completion level."""
    translation.activate(filters.lang)
    plan = get_object_or_404(ActionPlan.objects.with_progress(), slug=slug)
    themes = list(Theme.objects.with_progress().filter(plan=plan).order_by("order", "pk"))
    commitments = list(
        Commitment.objects.with_progress()
        .with_activities_count()
        .select_related("lead_institution")
        .filter(plan=plan)
        .order_by("number")
    )
    levels = {level.value: 0 for level in CompletionLevel}
    for commitment in commitments:
        levels[commitment.completion_level] += 1
    plan.theme_rows = themes
    plan.commitment_rows = commitments
    plan.activities_count = sum(c.activities_count for c in commitments)
    plan.completion_levels = levels
    plan.url = request.build_absolute_uri(plan.get_absolute_url())
    return plan


@router.get(
    "plans/{slug}/commitments",
    response=responses(list[CommitmentOut], not_found=True),
    tags=["plans"],
)
@paginate(Pagination)
def list_commitments(
    request: HttpRequest, slug: str, filters: Query[CommitmentFilters]
) -> QuerySet[Commitment]:
    """The commitments of a plan in plan order, with their activities and progress.
    Their follow-up flags are at ``plans/{slug}/flags``; ``/commitments?plan=`` lists
    them with their flags and filters by flag."""
    translation.activate(filters.lang)
    plan = get_object_or_404(ActionPlan, slug=slug)
    return filter_commitments(
        Commitment.objects.for_list().with_activities().filter(plan=plan), filters
    ).order_by("number")


@router.get("institutions", response=responses(list[InstitutionOut]), tags=["institutions"])
@paginate(Pagination)
def list_institutions(request: HttpRequest, filters: Query[LangQuery]) -> QuerySet[Institution]:
    """Institutions taking part in the plans."""
    translation.activate(filters.lang)
    return Institution.objects.order_by("kind", "name", "pk")
