"""The co-creation process in the plan's self-assessment report (OGP's structure: "the
co-creation process", after the introduction), through the report's sections
(:mod:`apps.reports.extensions`). Registered by ``CocreationConfig.ready``.

For the process that prepared the plan: its phases (planned and actual dates), the
figures of the public statistics page (participants, proposals, supports, decisions),
the proposals with a published reasoned response, the participatory meetings with
their participants, and the participants by region, gender (where given) and kind of
organisation. Labels are stored in every language; content (the process's and the
meetings' titles, the regions' names) as entered, so the report falls back to Arabic
where a translation is missing. A plan prepared without the platform gets a section
saying so.

The process closes when its plan is adopted, before any snapshot of that plan: its
figures are final by the snapshot's instant ``at``, and are read as they stand.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from functools import partial
from typing import Any

from django.db.models import Count, Q
from django.utils import translation
from django.utils.translation import gettext as _

from apps.cocreation.models import (
    Gender,
    MeetingRegistration,
    OrganisationKind,
    ParticipatoryMeeting,
    Phase,
    Process,
    Proposal,
    ProposalStatus,
    Region,
)
from apps.cocreation.statistics import process_statistics
from apps.committees.record import translated
from apps.core.dates import date_text
from apps.core.languages import LANGUAGES
from apps.plans.models import ActionPlan
from apps.reports.extensions import register_section

DECIDED = (ProposalStatus.ACCEPTED, ProposalStatus.MERGED, ProposalStatus.REJECTED)


def every(text: Callable[[], Any]) -> dict[str, str]:
    """``text()`` in each language (a label, a sentence with the dates of that language)."""
    values = {}
    for language in LANGUAGES:
        with translation.override(language):
            values[language] = str(text())
    return values


def _span(start: datetime.date | None, end: datetime.date | None) -> dict[str, str]:
    def text() -> str:
        if start is None:
            return _("Not started")
        if end is None:
            return _("Under way since %(date)s") % {"date": date_text(start)}
        return f"{date_text(start)} – {date_text(end)}"

    return every(text)


def _phases(process: Process) -> dict[str, Any]:
    phases = Phase.objects.filter(process=process).order_by("order")
    return {
        "title": every(lambda: _("Phases")),
        "header": [
            every(lambda: _("Phase")),
            every(lambda: _("Planned")),
            every(lambda: _("Actual")),
        ],
        "rows": [
            [
                every(phase.get_key_display),
                _span(phase.planned_start, phase.planned_end),
                _span(phase.started_on, phase.completed_on),
            ]
            for phase in phases
        ],
    }


def _meetings(process: Process) -> dict[str, Any]:
    meetings = (
        ParticipatoryMeeting.objects.filter(process=process)
        .select_related("region")
        .annotate(
            registered=Count("registrations"),
            attended=Count("registrations", filter=Q(registrations__attended=True)),
        )
        .order_by("starts_at", "pk")
    )
    rows = []
    for meeting in meetings:
        rows.append(
            [
                every(partial(date_text, meeting.starts_at)),
                translated(meeting, "title"),
                every(partial(_kind, meeting)),
                translated(meeting.region, "name") if meeting.region else every(_not_given),
                str(meeting.registered),
                str(meeting.attended),
            ]
        )
    return {
        "title": every(lambda: _("Participatory meetings")),
        "header": [
            every(lambda: _("Date")),
            every(lambda: _("Meeting")),
            every(lambda: _("Kind")),
            every(lambda: _("Region")),
            every(lambda: _("Registered")),
            every(lambda: _("Attended")),
        ],
        "rows": rows,
    }


def _kind(meeting: ParticipatoryMeeting) -> str:
    return f"{meeting.get_kind_display()} · {meeting.get_format_display()}"


def _not_given() -> str:
    return _("Not given")


def _by(
    registrations: Any,
    key: str,
    title: Callable[[], str],
    heading: Callable[[], str],
    labels: dict[Any, dict[str, Any]],
) -> dict[str, Any]:
    """Registrations and attendance per value of ``key``, in the order of ``labels``
    (people who did not say last)."""
    counted = {
        row[key] or None: row
        for row in registrations.values(key).annotate(
            registered=Count("pk"), attended=Count("pk", filter=Q(attended=True))
        )
    }
    order = [k for k in labels if k in counted] + ([None] if None in counted else [])
    return {
        "title": every(title),
        "header": [every(heading), every(lambda: _("Registered")), every(lambda: _("Attended"))],
        "rows": [
            [
                labels[k] if k is not None else every(_not_given),
                str(counted[k]["registered"]),
                str(counted[k]["attended"]),
            ]
            for k in order
        ],
    }


def _choices(choices: list[tuple[str, Any]]) -> dict[Any, dict[str, Any]]:
    return {value: every(partial(str, label)) for value, label in choices}


def cocreation_section(plan: ActionPlan, at: datetime.datetime) -> dict[str, Any]:
    title = every(lambda: _("The co-creation process"))
    process = Process.objects.filter(plan=plan).first()
    if process is None:
        return {
            "title": title,
            "paragraphs": [
                every(lambda: _("The platform records no co-creation process for this plan."))
            ],
        }
    statistics = process_statistics(process)
    proposals = Proposal.objects.filter(process=process)
    responded = proposals.filter(status__in=DECIDED).exclude(response="").count()
    registrations = MeetingRegistration.objects.filter(meeting__process=process).order_by()
    totals = registrations.aggregate(
        registered=Count("pk"), attended=Count("pk", filter=Q(attended=True))
    )
    meetings = _meetings(process)
    process_title = translated(process, "title")

    def introduction() -> str:
        from apps.core.content import in_language

        name = in_language(process_title, translation.get_language())
        if process.adopted_at is not None:
            return _(
                "This plan was prepared with the public through the co-creation process "
                "“%(process)s”, and adopted on %(date)s."
            ) % {"process": name, "date": date_text(process.adopted_at)}
        return _(
            "This plan was prepared with the public through the co-creation process “%(process)s”."
        ) % {"process": name}

    regions = {r.pk: translated(r, "name") for r in Region.objects.order_by("order", "pk")}
    return {
        "title": title,
        "paragraphs": [every(introduction)],
        "facts": [
            [every(lambda: _("Participants")), str(statistics["participants"])],
            [every(lambda: _("Proposals")), str(statistics["proposals"])],
            [every(lambda: _("Supports")), str(statistics["supports"])],
            [every(lambda: _("Proposals accepted")), str(statistics["accepted"])],
            [every(lambda: _("Proposals merged")), str(statistics["merged"])],
            [every(lambda: _("Proposals rejected")), str(statistics["rejected"])],
            [
                every(lambda: _("Proposals with a published reasoned response")),
                str(responded),
            ],
            [every(lambda: _("Participatory meetings")), str(len(meetings["rows"]))],
            [every(lambda: _("Registered for the meetings")), str(totals["registered"] or 0)],
            [every(lambda: _("Attended the meetings")), str(totals["attended"] or 0)],
        ],
        "tables": [
            _phases(process),
            meetings,
            _by(
                registrations,
                "region",
                lambda: _("Meeting participants by region"),
                lambda: _("Region"),
                regions,
            ),
            _by(
                registrations,
                "gender",
                lambda: _("Meeting participants by gender (where given)"),
                lambda: _("Gender"),
                _choices(Gender.choices),
            ),
            _by(
                registrations,
                "organisation_kind",
                lambda: _("Meeting participants by kind of organisation"),
                lambda: _("Kind of organisation"),
                _choices(OrganisationKind.choices),
            ),
        ],
    }


register_section("cocreation", cocreation_section)
