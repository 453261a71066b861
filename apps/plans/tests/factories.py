"""Builders for plans, commitments and activities used across the tests."""

from __future__ import annotations

import datetime
import itertools
from collections.abc import Sequence

from django.utils import timezone

from apps.accounts.models import Institution
from apps.plans import figures
from apps.plans.models import ActionPlan, Activity, Commitment, Theme

_seq = itertools.count(1)


def make_institution(**kwargs: object) -> Institution:
    n = next(_seq)
    fields: dict[str, object] = {
        "slug": f"inst-{n}",
        "kind": Institution.Kind.GOVERNMENT,
        "name_ar": f"وزارة {n}",
        "name_fr": f"Ministère {n}",
        "name_en": f"Ministry {n}",
    }
    fields.update(kwargs)
    return Institution.objects.create(**fields)


def make_plan(**kwargs: object) -> ActionPlan:
    n = next(_seq)
    fields: dict[str, object] = {
        "slug": f"plan-{n}",
        "member_ar": "المغرب",
        "member_fr": "Maroc",
        "member_en": "Morocco",
        "ordinal": n,
        "title_ar": f"خطة {n}",
        "title_fr": f"Plan {n}",
        "title_en": f"Plan {n}",
        "period_start": datetime.date(2021, 1, 1),
        # Running: the staleness flags apply only until the plan's period ends.
        "period_end": datetime.date(timezone.localdate().year + 2, 12, 31),
        "status": "implementation",
    }
    fields.update(kwargs)
    return ActionPlan.objects.create(**fields)


def make_theme(plan: ActionPlan, **kwargs: object) -> Theme:
    n = next(_seq)
    fields: dict[str, object] = {"title_ar": f"محور {n}", "title_fr": f"Axe {n}", "order": n}
    fields.update(kwargs)
    return Theme.objects.create(plan=plan, **fields)


def make_commitment(
    plan: ActionPlan,
    activities: Sequence[tuple[int, float]] = (),
    **kwargs: object,
) -> Commitment:
    """A commitment with activities given as (progress, weight) pairs."""
    n = next(_seq)
    fields: dict[str, object] = {
        "number": n,
        "title_ar": f"التزام {n}",
        "title_fr": f"Engagement {n}",
        "title_en": f"Commitment {n}",
    }
    fields.update(kwargs)
    commitment = Commitment.objects.create(plan=plan, **fields)
    Activity.objects.bulk_create(
        Activity(
            commitment=commitment,
            order=i,
            title_ar=f"نشاط {i}",
            title_fr=f"Activité {i}",
            progress=progress,
            weight=weight,
        )
        for i, (progress, weight) in enumerate(activities, start=1)
    )
    # As an action would (apps/plans/figures.py): the plan's stored figures follow.
    figures.refresh(plan.pk)
    return commitment
