"""Generated plans → export (Excel or CSV, any language) → import into an empty
database → the same plan, commitments, activities, institutions and figures."""

from __future__ import annotations

import datetime
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from apps.accounts import system_user
from apps.accounts.models import Institution
from apps.core.bounds import plan_range
from apps.exchange import plan_sheet
from apps.exchange.tests.sheets import export, figures, wipe
from apps.plans import figures as stored_figures
from apps.plans.models import ActionPlan, Activity, Commitment, Theme

pytestmark = pytest.mark.django_db

ALPHABET = st.sampled_from(list("abcXYZ éàç أبتثجحخ ٠١٢ 0123456789=+-@%\"',.;:\t"))


def words(max_size: int = 40):
    return (
        st.text(ALPHABET, min_size=1, max_size=max_size)
        .map(lambda t: " ".join(t.split()))
        .filter(lambda t: t and not t.startswith("'"))
    )


# Within what the importer accepts (apps/core/bounds.py): a plan's period from 2000 to
# ten years ahead of today, its commitments' and activities' dates within that period
# and three years on each side, so that a refused date is never the generator's doing.
dates = st.dates(datetime.date(2003, 1, 1), datetime.date(2034, 12, 31))


@st.composite
def periods(draw, plan):
    # The plan's range, within the range of any scheduled date (the cells are read first).
    first, last = plan_range(SimpleNamespace(period_start=plan[0], period_end=plan[1]))
    within = st.dates(first, min(last, plan_range(None)[1]))
    start = draw(st.none() | within)
    end = draw(st.none() | within)
    if start and end and end < start:
        start, end = end, start
    return start, end


@st.composite
def plans(draw):
    institutions = draw(
        st.lists(
            st.tuples(words(30), st.none() | words(30), st.sampled_from(Institution.Kind.values)),
            max_size=3,
            unique_by=lambda i: i[0],
        )
    )
    themes = draw(
        st.lists(st.tuples(words(), st.none() | words()), max_size=3, unique_by=lambda t: t[0])
    )
    start = draw(dates)
    period = (start, start + datetime.timedelta(days=draw(st.integers(0, 600))))
    numbers = draw(st.lists(st.integers(1, 300), min_size=1, max_size=5, unique=True))
    commitments = []
    for number in numbers:
        activities = draw(
            st.lists(
                st.tuples(
                    st.integers(0, 500),
                    words(),
                    st.none() | words(),
                    st.decimals(0, 99999, places=2),
                    periods(period),
                    st.integers(0, 100),
                    st.booleans(),
                ),
                max_size=4,
                unique_by=lambda a: a[0],
            )
        )
        commitments.append(
            (
                number,
                draw(words()),
                draw(st.none() | words()),
                draw(st.none() | st.integers(0, len(themes) - 1)) if themes else None,
                draw(st.none() | st.integers(0, len(institutions) - 1)) if institutions else None,
                draw(periods(period)),
                activities,
            )
        )
    return {
        "title": draw(words()),
        "member": draw(words(20)),
        "ordinal": draw(st.integers(1, 20)),
        "status": draw(st.sampled_from(["co_creation", "implementation", "completed"])),
        "period": period,
        "institutions": institutions,
        "themes": themes,
        "commitments": commitments,
    }


def build(spec) -> ActionPlan:
    plan = ActionPlan.objects.create(
        slug="generated",
        member_ar=spec["member"],
        ordinal=spec["ordinal"],
        title_ar=spec["title"],
        title_en="Generated",
        status=spec["status"],
        period_start=spec["period"][0],
        period_end=spec["period"][1],
    )
    institutions = [
        Institution.objects.create(slug=f"inst-{i}", name_ar=name, acronym=acronym or "", kind=kind)
        for i, (name, acronym, kind) in enumerate(spec["institutions"])
    ]
    themes = [
        Theme.objects.create(plan=plan, order=i + 1, title_ar=title, title_fr=title_fr)
        for i, (title, title_fr) in enumerate(spec["themes"])
    ]
    for number, title, title_fr, theme, lead, (start, end), activities in spec["commitments"]:
        commitment = Commitment.objects.create(
            plan=plan,
            number=number,
            title_ar=title,
            title_fr=title_fr,
            theme=themes[theme] if theme is not None else None,
            lead_institution=institutions[lead] if lead is not None else None,
            start_date=start,
            end_date=end,
        )
        for order, a_title, a_title_en, weight, (a_start, a_end), progress, grouping in activities:
            Activity.objects.create(
                commitment=commitment,
                order=order,
                title_ar=a_title,
                title_en=a_title_en,
                weight=weight,
                start_date=a_start,
                end_date=a_end,
                progress=progress,
                is_grouping=grouping,
            )
    stored_figures.refresh(plan.pk)  # as the actions would (apps/plans/figures.py)
    return plan


class Rollback(Exception):
    pass


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    spec=plans(), fmt=st.sampled_from(["xlsx", "csv"]), language=st.sampled_from(["ar", "fr", "en"])
)
def test_export_then_import_gives_the_same_plan(tmp_path: Path, spec, fmt, language):
    try:
        with transaction.atomic():
            plan = build(spec)
            before = figures(plan.slug)
            path = export(plan, tmp_path / f"plan.{fmt}", fmt, language)
            wipe()
            report = plan_sheet.run(path, apply=True, user=system_user(), options={})
            assert report.ok and report.applied, list(report.lines())
            assert figures("generated") == before
            again = plan_sheet.run(path, apply=True, user=system_user(), options={})
            assert again.counts()["unchanged"] == len(again.rows), list(again.lines())
            raise Rollback
    except Rollback:
        pass
