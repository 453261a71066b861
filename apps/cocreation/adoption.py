"""Adoption: the process becomes the new action plan.

Adopting (the secretariat, in the adoption phase, every card validated) creates, in one
transaction, the plan with its themes, one commitment per validated card (the card's
text in its language's column, for translation) and one activity per milestone. Each
card keeps its commitment (``CommitmentCard.commitment``) and its proposals, so that a
commitment traces back to the card and the proposals it came from (the commitment page
shows it, :mod:`apps.cocreation.plan_pages`) and every proposal shows where it went, or
the reasoned response why not.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.cocreation.actions import OGP_VALUES, CocreationError, _refused
from apps.cocreation.cards import TEXT_FIELDS
from apps.cocreation.models import (
    CardStatus,
    CommitmentCard,
    PhaseKey,
    Process,
    ProposalStatus,
)
from apps.core import bounds
from apps.core.errors import check_permission
from apps.core.models import AuditLog
from apps.plans import figures
from apps.plans.choices import PlanStatus
from apps.plans.models import ActionPlan, Activity, Commitment, Theme

LANGUAGES = ("ar", "fr", "en")
# Template fields a commitment has one column per language for (``other_stakeholders``
# has no place in the plan's commitment: it goes to the milestones' stakeholders).
TRANSLATED = tuple(name for name in TEXT_FIELDS if name != "other_stakeholders")


@dataclass
class PlanData:
    """The new plan: its address, rank, titles and period."""

    slug: str
    ordinal: int
    titles: dict[str, str]
    period_start: datetime.date
    period_end: datetime.date
    member: str = ""


@dataclass
class Readiness:
    """What adoption waits for: the adoption phase under way, every card validated."""

    in_adoption_phase: bool
    cards: int
    validated: int
    undecided: int  # proposals listed without a decision (a warning, not a block)

    @property
    def ready(self) -> bool:
        return self.in_adoption_phase and self.cards > 0 and self.validated == self.cards


def readiness(process: Process) -> Readiness:
    phase = process.open_phase()
    cards = list(CommitmentCard.objects.filter(process=process).values_list("status", flat=True))
    return Readiness(
        in_adoption_phase=phase is not None and phase.key == PhaseKey.ADOPTION,
        cards=len(cards),
        validated=sum(1 for status in cards if status == CardStatus.VALIDATED),
        undecided=process.proposals.filter(
            status__in=(ProposalStatus.SUBMITTED, ProposalStatus.RETAINED)
        ).count(),
    )


@transaction.atomic
def do_adopt_process(process: Process, plan: PlanData, *, acting_user: Any) -> ActionPlan:
    """Adopt the process: create the new plan from the validated cards. Refused outside
    the adoption phase, with a card not validated, or twice."""
    process = Process.objects.select_for_update().get(pk=process.pk)
    process = Process.objects.with_phases().get(pk=process.pk)
    check_permission(acting_user, "cocreation.adopt", process, _refused())
    state = readiness(process)
    if not state.cards:
        raise CocreationError(_("There is no commitment card to adopt."))
    if not state.ready:
        numbers = CommitmentCard.objects.filter(process=process).exclude(
            status=CardStatus.VALIDATED
        )
        raise CocreationError(
            _("Every card must be validated by the committee first (not yet: %(numbers)s).")
            % {"numbers": ", ".join(str(n) for n in numbers.values_list("number", flat=True))}
        )
    if not plan.titles.get("ar", "").strip():
        raise CocreationError(_("The plan needs an Arabic title."))
    bounds.check_plan(plan.period_start, error=CocreationError)
    bounds.check_plan(plan.period_end, error=CocreationError)
    if plan.period_end < plan.period_start:
        raise CocreationError(_("The end of the period must not be before its start."))
    if ActionPlan.objects.filter(slug=plan.slug).exists():
        raise CocreationError(_("A plan with this short name already exists."))
    member = plan.member.strip() or process.member or ""
    if ActionPlan.objects.filter(member=member, ordinal=plan.ordinal).exists():
        raise CocreationError(_("This member already has a plan of this rank."))
    new_plan = ActionPlan.objects.create(
        slug=plan.slug,
        ordinal=plan.ordinal,
        period_start=plan.period_start,
        period_end=plan.period_end,
        member=member,
        member_ar=member,
        **{f"title_{lang}": plan.titles.get(lang, "").strip() for lang in LANGUAGES},
        title=plan.titles["ar"].strip(),
        status=PlanStatus.IMPLEMENTATION,  # adopted: implementation starts, the flags apply
    )
    cards = list(
        CommitmentCard.objects.filter(process=process)
        .select_related("theme")
        .prefetch_related("milestones", "supporting_institutions")
        .order_by("number")
    )
    themes: dict[int, Theme] = {}
    for card in cards:
        if card.theme is not None and card.theme.pk not in themes:
            themes[card.theme.pk] = Theme.objects.create(
                plan=new_plan,
                order=len(themes) + 1,
                title=card.theme.title_ar,
                **{f"title_{lang}": getattr(card.theme, f"title_{lang}") for lang in LANGUAGES},
            )
    activities = []
    for number, card in enumerate(cards, start=1):
        commitment = Commitment.objects.create(
            plan=new_plan,
            number=number,
            theme=themes.get(card.theme.pk) if card.theme else None,
            lead_institution=card.lead_institution,
            start_date=card.start_date,
            end_date=card.end_date,
            **{name: getattr(card, name) for name in OGP_VALUES},
            **{f"{name}_{card.language}": getattr(card, name) for name in TRANSLATED},
        )
        commitment.supporting_institutions.set(card.supporting_institutions.all())
        for order, milestone in enumerate(card.milestones.all(), start=1):
            activities.append(
                Activity(
                    commitment=commitment,
                    order=order,
                    end_date=milestone.due_date,
                    stakeholders=milestone.stakeholders,
                    **{
                        f"title_{card.language}": milestone.title,
                        f"expected_output_{card.language}": milestone.expected_output,
                    },
                )
            )
        card.commitment = commitment
        card.save(update_fields=["commitment"])
    Activity.objects.bulk_create(activities)
    figures.refresh(new_plan.pk)
    process.plan = new_plan
    process.adopted_at = timezone.now()
    process.adopted_by = acting_user
    process.save(update_fields=["plan", "adopted_at", "adopted_by"])
    AuditLog.record(
        actor=acting_user,
        action="cocreation.adopt_process",
        target=process,
        after={
            "plan": new_plan.slug,
            "commitments": len(cards),
            "activities": len(activities),
        },
    )
    return new_plan
