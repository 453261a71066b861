"""The charts of the plan's own figures: commitments by OGP completion level.

The completion level of each commitment is :func:`apps.plans.progress.completion_level`
(the rule of the pages); this module only counts them and draws the chart with
:mod:`apps.core.charts`. Other apps' charts (late versus on time, progress over time)
are added to the pages by their own providers (:mod:`apps.plans.extensions`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence

from django.http import HttpRequest
from django.utils.translation import get_language_bidi
from django.utils.translation import gettext as _

from apps.accounts.models import Institution
from apps.core.charts import Bar, Chart, bar_chart
from apps.plans.choices import CompletionLevel
from apps.plans.extensions import PageExtras, Panel, register_institution_page, register_plan_page
from apps.plans.models import ActionPlan, Commitment

CHARTS_PANEL = "partials/_charts_panel.html"


def levels_chart(levels: Iterable[str], *, key: str = "levels", visual: bool = False) -> Chart:
    """How many commitments reach each completion level, in the OGP order."""
    counted = Counter(str(level) for level in levels)
    bars = [
        Bar(str(level.label), counted.get(level.value, 0), level.value) for level in CompletionLevel
    ]
    return bar_chart(
        key,
        _("Commitments by completion level"),
        bars,
        rtl=get_language_bidi(),
        visual=visual,
        category=_("Completion level"),
        value_header=_("Commitments"),
        empty_message=_("No commitment yet."),
    )


def charts_panel(heading: str, charts: Sequence[Chart], order: int = 0) -> Panel:
    """The panel showing ``charts`` side by side in the page's ``charts`` slot."""
    return Panel(
        CHARTS_PANEL, "charts", {"heading": heading, "charts": list(charts), "order": order}
    )


def is_whole_plan(plan: ActionPlan, commitments: Sequence[Commitment]) -> bool:
    """Whether the page's list holds every commitment of the plan (not filtered): the
    plan page's ``plan`` carries ``commitments_count`` (``with_progress``)."""
    return getattr(plan, "commitments_count", None) == len(commitments)


@register_plan_page
def plan_levels(
    request: HttpRequest, plan: ActionPlan, commitments: Sequence[Commitment]
) -> PageExtras:
    """The whole plan's commitments by completion level (no query when the list is the
    whole plan, one when it is filtered; none on the home page, which shows no chart)."""
    if not commitments:
        return PageExtras()
    levels: Iterable[str]
    if is_whole_plan(plan, commitments):
        levels = [c.completion_level for c in commitments]  # type: ignore[attr-defined]
    else:  # the list is filtered: the chart still shows the whole plan
        levels = (
            Commitment.objects.with_progress()
            .filter(plan=plan)
            .values_list("completion_level", flat=True)
        )
    return PageExtras(panels=[charts_panel(_("The plan at a glance"), [levels_chart(levels)])])


@register_institution_page
def institution_levels(
    request: HttpRequest, institution: Institution, led: Sequence[Commitment]
) -> PageExtras:
    """The commitments the institution leads, by completion level (no query: ``led``
    carries their levels)."""
    if not led:
        return PageExtras()
    chart = levels_chart((c.completion_level for c in led), key="institution-levels")  # type: ignore[attr-defined]
    return PageExtras(panels=[charts_panel(_("Its commitments at a glance"), [chart])])
