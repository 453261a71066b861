"""The demo: the seed's 2021–2023 plan, loaded once (idempotent)."""

from __future__ import annotations

import datetime
import zoneinfo
from fractions import Fraction

from django.db import transaction

from apps.accounts.models import Institution
from apps.plans import figures
from apps.plans.demo.institutions import INSTITUTIONS
from apps.plans.demo.plan import COMMITMENTS, GROUPING_TITLE, PLAN, THEMES
from apps.plans.models import ActionPlan, Activity, Commitment, Theme
from apps.plans.seed import SeedRow, read_progress_table

_VALUE_FLAGS = {
    "I": "access_to_information",
    "P": "civic_participation",
    "A": "public_accountability",
    "T": "technology_innovation",
}


def _tr(values: tuple[str, str, str]) -> dict[str, str]:
    return dict(zip(("ar", "fr", "en"), values, strict=True))


def _translated(field: str, values: tuple[str, str, str]) -> dict[str, str]:
    return {f"{field}_{lang}": text for lang, text in _tr(values).items()}


def activity_weights(row: SeedRow) -> tuple[int, int]:
    """Integer weights (k for each listed activity, m for the grouping) such that the
    weighted mean equals the seed's percentage exactly.

    With n listed activities summing to P and the grouping at 100%:
    (k·P + 100·m) / (k·n + m) = S  ⇔  m / k = (S·n − P) / (100 − S).
    """
    listed = [a.progress or 0 for a in row.pending]
    if row.progress == 100 or not listed:
        return 1, 1
    ratio = Fraction(row.progress * len(listed) - sum(listed), 100 - row.progress)
    if ratio < 0:
        raise ValueError(f"Commitment {row.number}: listed activities exceed its percentage")
    return ratio.denominator, ratio.numerator


def load_institutions() -> dict[str, Institution]:
    result = {}
    for slug, kind, acronym, ar, fr, en in INSTITUTIONS:
        institution = Institution.objects.filter(slug=slug).first()
        if institution is None:
            institution = Institution.objects.create(
                slug=slug, kind=kind, acronym=acronym, **_translated("name", (ar, fr, en))
            )
        result[slug] = institution
    return result


@transaction.atomic
def load_demo(*, reset: bool = False) -> ActionPlan:
    """Create the demo plan if it does not exist yet (or rebuild it with ``reset``)."""
    institutions = load_institutions()
    existing = ActionPlan.objects.filter(slug=PLAN["slug"]).first()
    if existing is not None and not reset:
        return existing
    if existing is not None:
        existing.delete()
    plan = ActionPlan.objects.create(
        slug=PLAN["slug"],
        ordinal=PLAN["ordinal"],
        status=PLAN["status"],
        period_start=PLAN["period_start"],
        period_end=PLAN["period_end"],
        **_translated("member", PLAN["member"]),
        **_translated("title", PLAN["title"]),
    )
    themes = [
        Theme.objects.create(plan=plan, order=i + 1, **_translated("title", titles))
        for i, titles in enumerate(THEMES)
    ]
    for row in read_progress_table():
        theme_index, lead, supporting, values, title_fr, title_en = COMMITMENTS[row.number]
        commitment = Commitment.objects.create(
            plan=plan,
            number=row.number,
            theme=themes[theme_index],
            lead_institution=institutions[lead],
            start_date=PLAN["period_start"],
            end_date=PLAN["period_end"],
            **_translated("title", (row.title, title_fr, title_en)),
            **{_VALUE_FLAGS[v]: True for v in values},
        )
        commitment.supporting_institutions.set([institutions[s] for s in supporting])
        listed_weight, grouping_weight = activity_weights(row)
        activities = [
            Activity(
                commitment=commitment,
                order=1,
                is_grouping=True,
                progress=100,
                weight=grouping_weight,
                **_translated("title", GROUPING_TITLE),
            )
        ]
        activities += [
            Activity(
                commitment=commitment,
                order=i + 2,
                title_ar=activity.title,
                progress=activity.progress or 0,
                weight=listed_weight,
            )
            for i, activity in enumerate(row.pending)
        ]
        if row.pending and grouping_weight == 0:
            activities = activities[1:]
        Activity.objects.bulk_create(activities)
    figures.refresh(plan.pk)
    # The plan's history starts when its period did, not the day the demo was loaded.
    adopted = datetime.datetime.combine(
        plan.period_start, datetime.time(9, 0), tzinfo=zoneinfo.ZoneInfo("Africa/Casablanca")
    )
    Commitment.history.filter(plan=plan).update(history_date=adopted)  # type: ignore[attr-defined]
    return plan


__all__ = ["activity_weights", "load_demo"]
