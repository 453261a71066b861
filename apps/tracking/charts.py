"""Tracking's charts: commitments late versus on time, and the progress over time that
the validated updates tell.

- *Late* is the ``overdue`` flag of THE staleness rule (:mod:`apps.tracking.staleness`),
  nothing else: a commitment is late when its end date (or one of its activities') has
  passed and it is not complete. *Complete* commitments are counted apart; the others
  are *on time*. A plan whose period has ended carries no flag: no such chart then.
- *Progress over time* replays the validated updates (:func:`progress_series`) with the
  rule of :mod:`apps.plans.progress`: an activity's figure is its last validated value,
  a commitment's the weight-normalised mean of its activities', a group's (plan,
  theme, institution) the plain mean of its commitments'. Three queries, whatever the
  number of updates; the replay itself is linear in the number of updates.
"""

from __future__ import annotations

import datetime
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import get_language_bidi, pgettext
from django.utils.translation import gettext as _

from apps.accounts.models import Institution
from apps.core.charts import Bar, Chart, bar_chart
from apps.plans.charts import charts_panel
from apps.plans.choices import CompletionLevel
from apps.plans.extensions import PageExtras, register_institution_page, register_plan_page
from apps.plans.models import ActionPlan, Activity, Commitment, CommitmentQuerySet
from apps.plans.progress import completion_level
from apps.tracking.flags import Flag
from apps.tracking.models import ProgressUpdate
from apps.tracking.staleness import (
    flags_of,
    plan_flags_of_request,
    reference_for,
    with_commitment_flags,
)


def lateness_chart(
    late: int, on_time: int, complete: int, *, key: str = "late", visual: bool = False
) -> Chart:
    """Commitments late, on time and complete (the ``overdue`` flag decides *late*)."""
    bars = [
        Bar(pgettext("commitments", "Late"), late, "late"),
        Bar(pgettext("commitments", "On time"), on_time, "on_time"),
        Bar(pgettext("commitments", "Complete"), complete, "complete"),
    ]
    return bar_chart(
        key,
        _("Commitments late and on time"),
        bars,
        rtl=get_language_bidi(),
        visual=visual,
        category=_("Status"),
        value_header=_("Commitments"),
        empty_message=_("No commitment yet."),
    )


def count_lateness(commitments: Iterable[object]) -> tuple[int, int, int]:
    """(late, on time, complete) of commitments annotated by ``with_commitment_flags``."""
    late = on_time = complete = 0
    for commitment in commitments:
        if Flag.OVERDUE in flags_of(commitment):
            late += 1
        elif completion_level(getattr(commitment, "progress", 0)) == CompletionLevel.COMPLETE:
            complete += 1
        else:
            on_time += 1
    return late, on_time, complete


def _lateness_of(qs: CommitmentQuerySet, plan: ActionPlan) -> tuple[int, int, int]:
    flagged = with_commitment_flags(qs.with_progress(), reference_for(plan)).only("pk")
    return count_lateness(flagged)


@register_plan_page
def plan_lateness(
    request: HttpRequest, plan: ActionPlan, commitments: Sequence[Commitment]
) -> PageExtras:
    """Late versus on time for the whole plan (one query for the flags; none on the
    home page, nor for a plan whose period has ended)."""
    if not commitments or plan.has_ended:
        return PageExtras()
    counts = count_lateness(plan_flags_of_request(request, plan))
    return PageExtras(panels=[charts_panel(_("The plan at a glance"), [lateness_chart(*counts)])])


@register_institution_page
def institution_lateness(
    request: HttpRequest, institution: Institution, led: Sequence[Commitment]
) -> PageExtras:
    """Late versus on time for the commitments it leads in plans still running (the
    flags are asked as of today for each of those plans: one query per plan it leads
    in, and an institution leads in one or two plans)."""
    plans = {c.plan_id: c.plan for c in led if not c.plan.has_ended}
    if not plans:
        return PageExtras()
    late = on_time = complete = 0
    for plan in plans.values():
        counts = _lateness_of(
            Commitment.objects.filter(plan=plan, lead_institution=institution), plan
        )
        late, on_time, complete = late + counts[0], on_time + counts[1], complete + counts[2]
    chart = lateness_chart(late, on_time, complete, key="institution-late")
    return PageExtras(panels=[charts_panel(_("Its commitments at a glance"), [chart])])


@dataclass(frozen=True)
class SeriesPoint:
    day: datetime.date
    value: float


def progress_series(
    groups: Mapping[int, Sequence[Hashable]],
    commitments: Iterable[int] | None = None,
    activities: Iterable[Activity] | None = None,
) -> dict[Hashable, list[SeriesPoint]]:
    """The progress of each group of commitments after each day a validated update
    changed it. ``groups`` maps a commitment's primary key to the groups it counts in
    (e.g. ``["plan", ("theme", 3)]``). Two queries (activities, validated updates); one
    when the caller already has every activity of the commitments (``activities``).

    The figure before the first validated update of an activity is the value that
    update replaced (``previous_progress``), else its live figure when it never had
    one; a first point gives every group's figure on the day before the first update.
    """
    pks = list(commitments if commitments is not None else groups)
    rows: list[tuple[int, int, Any, Any]] = (
        [(a.pk, a.commitment_id, a.weight, a.progress) for a in activities]
        if activities is not None
        else list(
            Activity.objects.filter(commitment__in=pks).values_list(
                "pk", "commitment_id", "weight", "progress"
            )
        )
    )
    updates = list(
        ProgressUpdate.objects.validated()
        .filter(activity__commitment__in=pks, validated_at__isnull=False)
        .order_by("validated_at", "pk")
        .values_list("activity_id", "validated_at", "progress", "previous_progress")
    )
    # The figure of each activity before its first validated update.
    value: dict[int, float] = {pk: float(progress) for pk, _c, _w, progress in rows}
    seen: set[int] = set()
    for activity_id, _at, _progress, previous in updates:
        if activity_id not in seen:
            seen.add(activity_id)
            if previous is not None:
                value[activity_id] = float(previous)
    weight = {pk: float(w) for pk, _c, w, _p in rows}
    commitment_of = {pk: c for pk, c, _w, _p in rows}
    sum_w: dict[int, float] = dict.fromkeys(pks, 0.0)
    sum_pw: dict[int, float] = dict.fromkeys(pks, 0.0)
    sum_p: dict[int, float] = dict.fromkeys(pks, 0.0)
    count: dict[int, int] = dict.fromkeys(pks, 0)
    for pk, c, _w, _p in rows:
        sum_w[c] += weight[pk]
        sum_pw[c] += weight[pk] * value[pk]
        sum_p[c] += value[pk]
        count[c] += 1

    def figure(c: int) -> float:
        if sum_w[c]:
            return sum_pw[c] / sum_w[c]
        return sum_p[c] / count[c] if count[c] else 0.0

    size: dict[Hashable, int] = {}
    total: dict[Hashable, float] = {}
    for c in pks:
        for group in groups.get(c, ()):
            size[group] = size.get(group, 0) + 1
            total[group] = total.get(group, 0.0) + figure(c)
    # Each group's [day, figure] pairs, the last of each day kept; points at the end.
    pairs: dict[Hashable, list[list[Any]]] = {group: [] for group in size}
    here = timezone.get_current_timezone()
    if updates:
        first_day = timezone.localtime(updates[0][1]).date() - datetime.timedelta(days=1)
        for group in size:
            pairs[group].append([first_day, total[group] / size[group]])
    for activity_id, at, progress, _previous in updates:
        c = commitment_of[activity_id]
        before = figure(c)
        new = float(progress)
        step = new - value[activity_id]
        sum_pw[c] += weight[activity_id] * step
        sum_p[c] += step
        value[activity_id] = new
        change = figure(c) - before
        day = at.astimezone(here).date()  # timezone.localtime, without its look-ups
        for group in groups.get(c, ()):
            total[group] += change
            points = pairs[group]
            if points and points[-1][0] == day:
                points[-1][1] = total[group] / size[group]
            else:
                points.append([day, total[group] / size[group]])
    return {group: [SeriesPoint(day, v) for day, v in points] for group, points in pairs.items()}
