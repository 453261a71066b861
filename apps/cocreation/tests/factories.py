"""Co-creation set-ups for tests, made through the actions (as a user would)."""

from __future__ import annotations

import datetime
from typing import Any

from apps.cocreation import actions
from apps.cocreation.models import Phase, PhaseKey, Process, Proposal, Region, Theme


def make_process(
    secretariat: Any, *, open_phase: str | None = PhaseKey.IDEAS, slug: str = "third-plan"
) -> Process:
    """A process of 2026 with the default phases; ``open_phase`` is under way (the ones
    before it completed)."""
    process = actions.do_create_process(
        slug=slug,
        year=2026,
        titles={"ar": "الصياغة التشاركية للخطة الثالثة", "fr": "Co-création du 3e plan"},
        acting_user=secretariat,
    )
    if open_phase is not None:
        start = datetime.date(2026, 1, 1)
        for phase in process.phases.order_by("order"):
            actions.do_start_phase(phase, acting_user=secretariat, on=start)
            if phase.key == open_phase:
                break
            actions.do_complete_phase(phase, acting_user=secretariat, on=start)
    return Process.objects.get(pk=process.pk)


def make_theme(process: Process, secretariat: Any, title: str = "الشفافية") -> Theme:
    return actions.do_save_theme(
        process, titles={"ar": title, "fr": f"FR {title}"}, acting_user=secretariat
    )


def make_region(slug: str = "rabat", name: str = "الرباط سلا القنيطرة") -> Region:
    return Region.objects.get_or_create(slug=slug, defaults={"name_ar": name, "name_fr": slug})[0]


def draft(**overrides: Any) -> actions.ProposalDraft:
    values: dict[str, Any] = {
        "author_name": "سلمى",
        "language": "ar",
        "title": "نشر ميزانية الجماعات",
        "problem": "لا يعرف المواطنون كيف تنفق الجماعات ميزانياتها.",
        "solution": "نشر الميزانيات بصيغة مفتوحة كل ثلاثة أشهر.",
    }
    values.update(overrides)
    return actions.ProposalDraft(**values)


def submit(process: Process, author: Any, **overrides: Any) -> Proposal:
    return actions.do_submit_proposal(process, draft(**overrides), acting_user=author)


def phase(process: Process, key: str) -> Phase:
    return process.phases.get(key=key)
