"""Synthetic data at OGP-wide scale for benchmarks: many members, plans, commitments,
activities. Fast bulk inserts; deterministic (seeded)."""

from __future__ import annotations

import datetime
import os
import random
import sys
import tempfile
from pathlib import Path


def setup_django(db_dir: str | None = None) -> str:
    """Point Django at a throwaway SQLite database (unless DATABASE_URL is set) and migrate."""
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    directory = db_dir or tempfile.mkdtemp(prefix="sharaka-bench-")
    os.environ.setdefault("SHARAKA_VAR_DIR", directory)
    os.environ.setdefault("DEBUG", "1")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sharaka.settings")
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    return directory


def generate(
    plans: int, commitments_per_plan: int, activities_per_commitment: int, seed: int = 1
) -> None:
    from apps.accounts.models import Institution
    from apps.plans.models import ActionPlan, Activity, Commitment, Theme

    rng = random.Random(seed)
    institutions = Institution.objects.bulk_create(
        Institution(
            slug=f"bench-inst-{i}",
            kind="government",
            name_ar=f"مؤسسة {i}",
            name_fr=f"Institution {i}",
            name_en=f"Institution {i}",
        )
        for i in range(max(20, plans))
    )
    plan_objs = ActionPlan.objects.bulk_create(
        ActionPlan(
            slug=f"bench-plan-{p}",
            member_ar=f"عضو {p}",
            member_fr=f"Membre {p}",
            member_en=f"Member {p}",
            ordinal=1,
            title_ar=f"خطة {p}",
            title_fr=f"Plan {p}",
            title_en=f"Plan {p}",
            period_start=datetime.date(2021, 1, 1),
            period_end=datetime.date(2023, 12, 31),
            status="implementation",
        )
        for p in range(plans)
    )
    themes = Theme.objects.bulk_create(
        Theme(plan=plan, order=t, title_ar=f"محور {t}") for plan in plan_objs for t in range(5)
    )
    themes_by_plan: dict[int, list[Theme]] = {}
    for theme in themes:
        themes_by_plan.setdefault(theme.plan_id, []).append(theme)
    commitments = Commitment.objects.bulk_create(
        Commitment(
            plan=plan,
            number=n + 1,
            title_ar=f"التزام {n + 1}",
            title_fr=f"Engagement {n + 1}",
            theme=rng.choice(themes_by_plan[plan.pk]),
            lead_institution=rng.choice(institutions),
        )
        for plan in plan_objs
        for n in range(commitments_per_plan)
    )
    Activity.objects.bulk_create(
        (
            Activity(
                commitment=c,
                order=a,
                title_ar=f"نشاط {a}",
                progress=rng.randint(0, 100),
                weight=rng.choice([0, 1, 1, 2, 3]),
            )
            for c in commitments
            for a in range(activities_per_commitment)
        ),
        batch_size=2000,
    )
