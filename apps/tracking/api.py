"""Tracking's part of the public API (registered in :mod:`sharaka.api`): the follow-up
flags of a plan's commitments, every commitment with its flags (filtered by plan, theme,
institution, completion level and flag), one commitment in full (activities with their
dates and flags, the institution of its focal point, its validated progress history)
and that history page by page.

The flags come from the one rule, :mod:`apps.tracking.staleness`, as of ``?as_of=``
(today by default), exactly as the plan's page shows them."""

import datetime
from typing import Any, Literal

from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone, translation
from django.utils.functional import lazy
from ninja import Field, Path, Query, Router, Schema
from ninja.pagination import paginate

from apps.core.api import MAX_ID, IsoDate, LangQuery, Pagination, responses
from apps.core.dates import end_of_day
from apps.plans.api import (
    ActivityOut,
    CommitmentFilters,
    CommitmentOut,
    InstitutionOut,
    filter_commitments,
)
from apps.plans.choices import CompletionLevel
from apps.plans.models import ActionPlan, Activity, Commitment
from apps.tracking.contacts import Contact, contact_of
from apps.tracking.flags import Flag
from apps.tracking.models import FocalPointAssignment, ProgressUpdate, UpdateSource
from apps.tracking.staleness import (
    Reference,
    flags_of,
    reference_for,
    with_activity_flags,
    with_commitment_flags,
)

router = Router()

# The flags the staleness rule computes, as the API's filter accepts them (a test checks
# it matches ``STALENESS_FLAGS``).
StalenessFlag = Literal["not_updated", "no_progress", "overdue"]
# The latest validated updates a commitment's answer carries; the whole history is at
# /commitments/{id}/updates, page by page.
HISTORY_IN_DETAIL = 20
# ``as_of`` before this day reads as this day: no plan, meeting or update is older, and
# the rule's "N days before" of year 1 overflows the calendar.
EARLIEST_AS_OF = datetime.date(1900, 1, 1)


def _flags_description() -> str:
    """The endpoint's description with each flag's help text, in English (the OpenAPI
    document's language), built when the document is asked for, not at import."""
    with translation.override("en"):
        helps = "\n".join(f"- `{flag.value}`: {flag.help}" for flag in Flag)
    return f"The follow-up flags of each commitment of a plan, in plan order.\n\n{helps}"


class FlagsQuery(LangQuery):
    as_of: IsoDate | None = Field(
        None,
        description="The flags as they stood at the end of this day (today by default).",
    )

    def instant(self) -> datetime.datetime | None:
        if self.as_of is None or self.as_of >= timezone.localdate():
            return None
        return end_of_day(max(self.as_of, EARLIEST_AS_OF))


class FlagsOut(Schema):
    flags: list[Flag] = Field(
        ...,
        description="Follow-up flags as of now or ``as_of`` (none once the plan's period "
        "has ended).",
    )
    labels: list[str] = Field(..., description="The flags' labels in the language asked.")
    last_validated_at: datetime.datetime | None = Field(
        ..., description="When the secretariat last validated a progress update of it."
    )

    @staticmethod
    def resolve_flags(obj: Any) -> list[Flag]:
        return flags_of(obj)

    @staticmethod
    def resolve_labels(obj: Any) -> list[str]:
        return [str(flag.label) for flag in flags_of(obj)]


class CommitmentFlagsOut(FlagsOut):
    number: int


class FlaggedCommitmentOut(CommitmentOut, FlagsOut):
    """A commitment with its activities and its flags."""


class FlaggedActivityOut(ActivityOut, FlagsOut):
    """An activity with its dates and its own flags."""


class PlanRefOut(Schema):
    slug: str
    title: str


class ThemeRefOut(Schema):
    id: int
    title: str


class ValidatedUpdateOut(Schema):
    """A validated progress update: the figure the secretariat published."""

    id: int
    activity_id: int
    activity: str = Field(..., description="The activity's title.")
    progress: int
    previous_progress: int | None = Field(..., description="The figure it replaced.")
    reported_on: datetime.date
    validated_at: datetime.datetime
    source: UpdateSource
    narrative: str

    @staticmethod
    def resolve_activity(obj: ProgressUpdate) -> str:
        return obj.activity.title


class ContactOut(Schema):
    """What the public may see of a commitment's focal point (``apps.tracking.contacts``):
    by default the institution's contact address, never the person."""

    name: str | None = Field(
        ..., description="The focal point's name, where the plan shows it; else null."
    )
    email: str | None = Field(
        ...,
        description="The institution's contact address, or the focal point's own where "
        "the plan shows it; null when there is none.",
    )
    personal: bool = Field(..., description="Whether the e-mail is the person's own.")

    @staticmethod
    def resolve_name(obj: Contact) -> str | None:
        return obj.name or None

    @staticmethod
    def resolve_email(obj: Contact) -> str | None:
        return obj.email or None


class CommitmentDetailOut(FlagsOut):
    id: int
    plan: PlanRefOut
    number: int
    title: str
    summary: str
    theme: ThemeRefOut | None
    progress: float
    completion_level: CompletionLevel
    start_date: datetime.date | None
    end_date: datetime.date | None
    lead_institution: InstitutionOut | None
    supporting_institutions: list[InstitutionOut]
    focal_point_institution: InstitutionOut | None = Field(
        ..., description="The institution of its current focal point (not the person)."
    )
    contact: ContactOut | None = Field(
        ...,
        description="How to reach the commitment's focal point, as the plan lets the "
        "public see them (null: none assigned).",
    )
    as_of: datetime.date = Field(..., description="The day the flags are computed for.")
    activities: list[FlaggedActivityOut]
    updates_count: int = Field(..., description="How many validated updates it has had.")
    updates: list[ValidatedUpdateOut] = Field(
        ...,
        description=f"The latest {HISTORY_IN_DETAIL} validated updates, latest first; "
        "all of them at /commitments/{id}/updates.",
    )
    url: str = Field(..., description="The commitment's page, in the language asked.")

    @staticmethod
    def resolve_progress(obj: Commitment) -> float:
        return round(obj.progress, 2)  # type: ignore[attr-defined]

    @staticmethod
    def resolve_supporting_institutions(obj: Commitment) -> list[Any]:
        return sorted(obj.supporting_institutions.all(), key=lambda i: (i.name, i.pk))

    @staticmethod
    def resolve_activities(obj: Commitment) -> list[Activity]:
        return list(obj.activities.all())

    @staticmethod
    def resolve_updates(obj: Commitment) -> list[ProgressUpdate]:
        return obj.latest_updates  # type: ignore[attr-defined]


class CommitmentListQuery(CommitmentFilters, FlagsQuery):
    plan: str | None = Field(None, description="Slug of the plan.")
    flag: StalenessFlag | None = Field(None, description="Only the commitments with this flag.")


def _reference(plan: ActionPlan | None, filters: FlagsQuery) -> Reference:
    return reference_for(plan, filters.instant())


def _as_of(filters: FlagsQuery) -> datetime.date:
    instant = filters.instant()
    return timezone.localtime(instant).date() if instant else timezone.localdate()


@router.get(
    "plans/{slug}/flags",
    response=responses(list[CommitmentFlagsOut], not_found=True),
    tags=["tracking"],
    description=lazy(_flags_description, str)(),
)
@paginate(Pagination)
def list_commitment_flags(
    request: HttpRequest, slug: str, filters: Query[FlagsQuery]
) -> QuerySet[Commitment]:
    translation.activate(filters.lang)
    plan = get_object_or_404(ActionPlan, slug=slug)
    return with_commitment_flags(
        Commitment.objects.with_progress().filter(plan=plan), _reference(plan, filters)
    ).order_by("number")


@router.get("commitments", response=responses(list[FlaggedCommitmentOut]), tags=["tracking"])
@paginate(Pagination)
def list_all_commitments(
    request: HttpRequest, filters: Query[CommitmentListQuery]
) -> QuerySet[Commitment]:
    """Commitments of every plan (newest plan first, then in plan order) with their
    activities and flags, filtered. The flags of one plan's commitments (``plan=``)
    count that plan's steering-committee meetings; across plans, any plan's meetings
    (as the focal point's page does)."""
    translation.activate(filters.lang)
    commitments = Commitment.objects.for_list().with_activities()
    plan = None
    if filters.plan is not None:
        plan = ActionPlan.objects.filter(slug=filters.plan).first()
        commitments = commitments.filter(plan__slug=filters.plan)
    commitments = with_commitment_flags(
        filter_commitments(commitments, filters), _reference(plan, filters)
    )
    if filters.flag is not None:
        commitments = commitments.filter(**{f"flag_{filters.flag}": True})
    return commitments.order_by("-plan__period_start", "plan_id", "number")


@router.get(
    "commitments/{commitment_id}",
    response=responses(CommitmentDetailOut, not_found=True),
    tags=["tracking"],
)
def get_commitment(
    request: HttpRequest,
    filters: Query[FlagsQuery],
    commitment_id: int = Path(..., ge=1, le=MAX_ID),
) -> Commitment:
    """A commitment: its activities with their dates, weights, progress and flags, its
    lead and supporting institutions and the institution of its focal point, its flags
    as of ``as_of`` (today by default) and its latest validated progress updates."""
    translation.activate(filters.lang)
    plan = get_object_or_404(ActionPlan, commitments__pk=commitment_id)
    ref = _reference(plan, filters)
    commitment = get_object_or_404(
        with_commitment_flags(
            Commitment.objects.for_list()
            .prefetch_related(
                "supporting_institutions",
                Prefetch(
                    "activities",
                    queryset=with_activity_flags(Activity.objects.order_by("order", "pk"), ref),
                ),
            )
            .filter(pk=commitment_id),
            ref,
        )
    )
    focal_point = (
        FocalPointAssignment.objects.current()
        .filter(commitment=commitment)
        .select_related("user__institution")
        .first()
    )
    history = _history(commitment)
    # Read by the schema's resolvers (the reverse relations keep their names).
    commitment.focal_point_institution = focal_point.user.institution if focal_point else None  # type: ignore[attr-defined]
    # The API is public: what the public may see of the person, whoever asks.
    commitment.contact = contact_of(focal_point.user, plan) if focal_point else None  # type: ignore[attr-defined]
    commitment.as_of = _as_of(filters)  # type: ignore[attr-defined]
    commitment.updates_count = history.count()  # type: ignore[attr-defined]
    commitment.latest_updates = list(history[:HISTORY_IN_DETAIL])  # type: ignore[attr-defined]
    commitment.url = request.build_absolute_uri(commitment.get_absolute_url())  # type: ignore[attr-defined]
    return commitment


def _history(commitment: Commitment) -> QuerySet[ProgressUpdate]:
    """The validated updates of the commitment's activities, latest first."""
    return (
        ProgressUpdate.objects.validated()
        .filter(activity__commitment=commitment)
        .select_related("activity")
        .order_by("-validated_at", "-pk")
    )


@router.get(
    "commitments/{commitment_id}/updates",
    response=responses(list[ValidatedUpdateOut], not_found=True),
    tags=["tracking"],
)
@paginate(Pagination)
def list_commitment_updates(
    request: HttpRequest,
    filters: Query[LangQuery],
    commitment_id: int = Path(..., ge=1, le=MAX_ID),
) -> QuerySet[ProgressUpdate]:
    """The validated progress updates of a commitment's activities, latest first (drafts,
    submitted and returned updates are not public)."""
    translation.activate(filters.lang)
    commitment = get_object_or_404(Commitment, pk=commitment_id)
    return _history(commitment)
