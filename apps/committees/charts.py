"""Progress over time, on the plan, commitment and institution pages and in the
minutes: the validated updates (tracking's replay, :func:`apps.tracking.charts.progress_series`)
drawn as a line, and the figures the committee's meetings froze (snapshots) as squares.

A plan's meeting point is the snapshot's plan figure; a theme's or an institution's is
the mean of the snapshot's rows of its commitments; a commitment's is its row. Every
chart costs the same few queries whatever the number of updates and meetings.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import get_language_bidi
from django.utils.translation import gettext as _

from apps.accounts.models import Institution
from apps.committees.models import SnapshotRow
from apps.core.charts import MAX_LINE_POINTS, Chart, Point, line_chart
from apps.core.content import localized
from apps.core.dates import format_date
from apps.plans.charts import charts_panel, is_whole_plan
from apps.plans.extensions import (
    PageExtras,
    Panel,
    register_institution_page,
)
from apps.plans.models import ActionPlan, Activity, Commitment, Theme
from apps.tracking.charts import SeriesPoint, progress_series

# The most points of a theme's line (and rows of its table) on the plan page: the
# plan's own chart keeps :data:`apps.core.charts.MAX_LINE_POINTS`; the themes' charts,
# one beside the other, show the same whole period with one point per longer period
# (the same rule, :func:`apps.core.charts.thin`), so that the page stays small (under
# 200 KB with six themes and years of updates).
THEME_MAX_POINTS = 40


def over_time_chart(
    key: str,
    title: str,
    points: Sequence[Point],
    *,
    visual: bool = False,
    max_points: int = MAX_LINE_POINTS,
) -> Chart:
    return line_chart(
        key,
        title,
        points,
        rtl=get_language_bidi(),
        visual=visual,
        date_header=_("Date"),
        kind_header=_("Source"),
        value_header=_("Progress"),
        kind_labels={"update": _("After validated updates"), "meeting": _("Committee meeting")},
        empty_message=_("No validated update and no meeting figure yet."),
        day_text=lambda day: format_date(day, "date"),
        max_points=max_points,
    )


def _meeting_points(
    groups: Mapping[int, Sequence[Hashable]], rows: Iterable[tuple], plan_key: Hashable = None
) -> dict[Hashable, list[Point]]:
    """Per group, one point per snapshot: the mean of its rows (or the plan's figure)."""
    sums: dict[tuple[Hashable, int], list[float]] = {}
    days: dict[int, object] = {}
    plan_figures: dict[int, float] = {}
    for snapshot_id, starts_at, plan_progress, commitment_id, progress, *_frozen in rows:
        days[snapshot_id] = timezone.localtime(starts_at).date()
        plan_figures[snapshot_id] = plan_progress
        for group in groups.get(commitment_id, ()):
            if group == plan_key:
                continue
            sums.setdefault((group, snapshot_id), []).append(progress)
    points: dict[Hashable, list[Point]] = {}
    for (group, snapshot_id), values in sums.items():
        points.setdefault(group, []).append(
            Point(days[snapshot_id], sum(values) / len(values), "meeting")  # type: ignore[arg-type]
        )
    if plan_key is not None:
        points[plan_key] = [
            Point(days[s], figure, "meeting")  # type: ignore[arg-type]
            for s, figure in plan_figures.items()
        ]
    return points


def snapshot_rows(**filters: object) -> list[tuple]:
    """The snapshot rows a chart draws: (snapshot, its meeting's start, the plan's
    figure that day, commitment, its figure, when the snapshot was frozen)."""
    return list(
        SnapshotRow.objects.filter(**filters).values_list(
            "snapshot_id",
            "snapshot__meeting__starts_at",
            "snapshot__plan_progress",
            "commitment_id",
            "progress",
            "snapshot__frozen_at",
        )
    )


def _points(updates: list[SeriesPoint], meetings: list[Point]) -> list[Point]:
    return [Point(p.day, p.value, "update") for p in updates] + meetings


def plan_over_time(
    plan: ActionPlan, commitments: Sequence[Commitment], rows: Iterable[tuple]
) -> list[Panel]:
    """The plan's progress over time, and each theme's: the validated updates (two
    queries; one more when the list is filtered) and ``rows``, the plan's snapshot rows
    (:func:`snapshot_rows`), which the plan page fetches once for this chart and the
    date of its last snapshot (:mod:`apps.committees.plan_pages`)."""
    if is_whole_plan(plan, commitments):
        listed = commitments
    else:  # the list is filtered: the charts still show the whole plan
        listed = Commitment.objects.filter(plan=plan).select_related("theme")
    themes: dict[int, Theme] = {}
    groups: dict[int, list[Hashable]] = {}
    for c in listed:
        groups[c.pk] = ["plan", ("theme", c.theme_id)] if c.theme_id else ["plan"]
        if c.theme is not None:
            themes[c.theme.pk] = c.theme
    series = progress_series(groups)
    meetings = _meeting_points(groups, rows, plan_key="plan")
    plan_chart = over_time_chart(
        "over-time",
        _("Progress of the plan over time"),
        _points(series.get("plan", []), meetings.get("plan", [])),
    )
    theme_charts = [
        over_time_chart(
            f"theme-{theme.pk}-over-time",
            str(localized(theme, "title")),
            _points(series.get(("theme", theme.pk), []), meetings.get(("theme", theme.pk), [])),
            max_points=THEME_MAX_POINTS,
        )
        for theme in sorted(themes.values(), key=lambda t: (t.order, t.pk))
        if ("theme", theme.pk) in series
    ]
    panels = [charts_panel(_("Progress over time"), [plan_chart], order=1)]
    if theme_charts:
        panels.append(charts_panel(_("Progress over time, by theme"), theme_charts, order=2))
    return panels


def commitment_over_time(
    commitment: Commitment, activities: Sequence[Activity], rows: Iterable[SnapshotRow]
) -> Panel:
    """The commitment's progress over time: its validated updates (one query, with the
    page's ``activities``) and ``rows``, its rows in the meetings' snapshots (with their
    snapshot and meeting), which the commitment's page fetches once for this chart and
    the meetings that discussed it (:mod:`apps.committees.plan_pages`)."""
    groups: dict[int, list[Hashable]] = {commitment.pk: ["commitment"]}
    series = progress_series(groups, activities=activities)
    meetings = _meeting_points(
        groups,
        (
            (
                r.snapshot_id,
                r.snapshot.meeting.starts_at,
                r.snapshot.plan_progress,
                r.commitment_id,
                r.progress,
            )
            for r in rows
        ),
    )
    chart = over_time_chart(
        "over-time",
        _("Progress of the commitment over time"),
        _points(series.get("commitment", []), meetings.get("commitment", [])),
    )
    return charts_panel(_("Progress over time"), [chart], order=1)


@register_institution_page
def institution_over_time(
    request: HttpRequest, institution: Institution, led: Sequence[Commitment]
) -> PageExtras:
    """The mean progress of the commitments it leads, over time (three queries)."""
    if not led:
        return PageExtras()
    groups: dict[int, list[Hashable]] = {c.pk: ["institution"] for c in led}
    series = progress_series(groups)
    meetings = _meeting_points(groups, snapshot_rows(commitment__in=list(groups)))
    chart = over_time_chart(
        "institution-over-time",
        _("Progress of the commitments it leads, over time"),
        _points(series.get("institution", []), meetings.get("institution", [])),
    )
    return PageExtras(panels=[charts_panel(_("Progress over time"), [chart], order=1)])
