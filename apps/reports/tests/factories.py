"""Set-ups the reports' tests share, made through the actions."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from apps.accounts.models import system_user
from apps.reports import actions, consultation
from apps.reports.models import PublicComment, ReportCycle, Section, StageKey
from apps.reports.stages import stage_of


def open_consultation(cycle: ReportCycle, *, days_ago: int = 0) -> ReportCycle:
    """Start the cycle's consultation stage ``days_ago`` days before today (the demo's
    stays not started: its story ends during the committees' review)."""
    stage = stage_of(cycle, StageKey.CONSULT)
    assert stage is not None
    actions.do_start_stage(
        stage,
        acting_user=system_user(),
        on=timezone.localdate() - datetime.timedelta(days=days_ago),
    )
    return cycle


def comment(
    cycle: ReportCycle,
    *,
    email: str = "citoyenne@example.org",
    name: str = "Amina",
    body: str = "Un commentaire",
    section: str = Section.GENERAL,
    commitment: Any = None,
    verified: bool = True,
    **kwargs: Any,
) -> PublicComment:
    """A visitor's comment, published through its mailed link unless ``verified=False``."""
    made = consultation.do_submit_public_comment(
        cycle,
        name=name,
        email=email,
        organisation=kwargs.pop("organisation", ""),
        section=section,
        commitment=commitment,
        body=body,
        address=kwargs.pop("address", "192.0.2.1"),
        **kwargs,
    )
    if verified:
        made = consultation.do_verify_comment(made.verify_token)
    return made
