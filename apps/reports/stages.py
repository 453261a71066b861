"""What a cycle's stages open and what keeps them from closing: the one place the
review, the consultation and the submission ask "may this happen now?".

- A stage is **open** from the day it started until the day it is completed.
- The committees comment while the review stage is open; the public while the
  consultation stage is open.
- The review cannot close with an unresolved comment; the consultation cannot close
  before :data:`CONSULTATION_MIN_DAYS` days, nor with a published comment that has no
  response; the last stage cannot close before the report is approved, published and
  submitted.
- A published cycle is frozen: no edit, no generation, no new window.
"""

from __future__ import annotations

import datetime

from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from apps.reports.models import (
    PublicComment,
    PublicCommentStatus,
    ReportCycle,
    Resolution,
    ReviewComment,
    Stage,
    StageKey,
)

# OGP: the public consultation on a self-assessment report lasts at least two weeks.
CONSULTATION_MIN_DAYS = 14


def stage_of(cycle: ReportCycle, key: str) -> Stage | None:
    """The cycle's first stage of this kind (the template has one of each)."""
    return cycle.stages.filter(key=key).order_by("order").first()


def is_open(stage: Stage | None, on: datetime.date | None = None) -> bool:
    if stage is None or stage.started_on is None:
        return False
    day = on or timezone.localdate()
    return stage.started_on <= day and (stage.completed_on is None or day < stage.completed_on)


def stage_is_open(cycle: ReportCycle, key: str, on: datetime.date | None = None) -> bool:
    return is_open(stage_of(cycle, key), on)


def is_published(cycle: ReportCycle) -> bool:
    return ReportCycle.objects.filter(pk=cycle.pk, publication__isnull=False).exists()


def frozen_message() -> str | Promise:
    return _("This report is published: it stays as it was published.")


def window_error(key: str, start: datetime.date, end: datetime.date) -> str | Promise | None:
    """Why a stage of this kind cannot have this window (None when it can)."""
    if end < start:
        return _("A stage cannot end before it starts.")
    if key == StageKey.CONSULT and (end - start).days + 1 < CONSULTATION_MIN_DAYS:
        return _("The public consultation lasts at least %(days)d days.") % {
            "days": CONSULTATION_MIN_DAYS
        }
    return None


def closing_blockers(stage: Stage, on: datetime.date) -> list[str]:
    """Why ``stage`` cannot be completed on ``on`` (an empty list when it can)."""
    cycle = stage.cycle
    blockers: list[str | Promise] = []
    if stage.key == StageKey.REVIEW:
        count = ReviewComment.objects.filter(cycle=cycle, resolution=Resolution.OPEN).count()
        if count:
            blockers.append(
                ngettext_lazy(
                    "%(count)d committee comment is not resolved.",
                    "%(count)d committee comments are not resolved.",
                    count,
                )
                % {"count": count}
            )
    elif stage.key == StageKey.CONSULT:
        if stage.started_on and (on - stage.started_on).days + 1 < CONSULTATION_MIN_DAYS:
            earliest = stage.started_on + datetime.timedelta(days=CONSULTATION_MIN_DAYS - 1)
            blockers.append(
                _(
                    "The public consultation lasts at least %(days)d days: "
                    "it closes on %(date)s at the earliest."
                )
                % {"days": CONSULTATION_MIN_DAYS, "date": earliest.isoformat()}
            )
        count = PublicComment.objects.filter(
            cycle=cycle, status=PublicCommentStatus.PUBLISHED, response=""
        ).count()
        if count:
            blockers.append(
                ngettext_lazy(
                    "%(count)d public comment has no published response.",
                    "%(count)d public comments have no published response.",
                    count,
                )
                % {"count": count}
            )
    elif (
        stage.key == StageKey.SUBMIT
        and not ReportCycle.objects.filter(pk=cycle.pk, submission__isnull=False).exists()
    ):
        blockers.append(
            _(
                "The report is approved, published and sent to the OGP Support Unit "
                "before this stage closes."
            )
        )
    return [str(b) for b in blockers]
