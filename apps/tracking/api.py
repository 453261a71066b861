"""Tracking's part of the public API: the follow-up flags of a plan's commitments and
the date of their last validated update (registered in :mod:`sharaka.api`)."""

import datetime

from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone, translation
from django.utils.functional import lazy
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from apps.core.api import LangQuery, Pagination
from apps.core.dates import end_of_day
from apps.plans.models import ActionPlan, Commitment
from apps.tracking.flags import Flag
from apps.tracking.staleness import flags_of, reference_for, with_commitment_flags

router = Router()


def _flags_description() -> str:
    """The endpoint's description with each flag's help text, in English (the OpenAPI
    document's language), built when the document is asked for, not at import."""
    with translation.override("en"):
        helps = "\n".join(f"- `{flag.value}`: {flag.help}" for flag in Flag)
    return f"The follow-up flags of each commitment of a plan, in plan order.\n\n{helps}"


class FlagsQuery(LangQuery):
    as_of: datetime.date | None = Field(
        None,
        description="The flags as they stood at the end of this day (today by default).",
    )

    def instant(self) -> datetime.datetime | None:
        if self.as_of is None or self.as_of >= timezone.localdate():
            return None
        return end_of_day(self.as_of)


class CommitmentFlagsOut(Schema):
    number: int
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
    def resolve_flags(obj: Commitment) -> list[Flag]:
        return flags_of(obj)

    @staticmethod
    def resolve_labels(obj: Commitment) -> list[str]:
        return [str(flag.label) for flag in flags_of(obj)]


@router.get(
    "plans/{slug}/flags",
    response=list[CommitmentFlagsOut],
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
        Commitment.objects.with_progress().filter(plan=plan),
        reference_for(plan, filters.instant()),
    ).order_by("number")
