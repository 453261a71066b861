"""The report as one JSON document, captured once from the platform and rendered many
times (HTML page, PDF, DOCX; Arabic, French, English).

:func:`capture` reads the plan's texts and the cycle's named snapshot (every figure
comes from the snapshot, so the same snapshot gives the same report);
:func:`build_report` turns the document into what the templates show in one language;
:func:`diff` says which figures and sections changed between two versions.

The structure is OGP's self-assessment report: introduction and context; the sections
other apps add through :mod:`apps.reports.extensions` (the co-creation process);
participation during implementation; one section per commitment; lessons learned;
annex (activities).
``T`` below is content in every language, ``{"ar": …, "fr": …, "en": …}``::

    {"schema": 2, "kind": "end_of_term", "year": 2023,
     "plan": {"title": T, "member": T, "period_start": "2021-01-01", "period_end": …},
     "snapshot": {"id": 1, "date": "2023-03-28", "plan_progress": 61.5},
     "participation": {"meetings": 1, "attendance_rate": 80.0, "civil_society": 1,
                       "civil_society_people": 6, "minutes_published": 1},
     "commitments": [{"number": 1, "title": T, "start_date": …, "end_date": …,
                      "lead": T, "supporting": [T], "problem": T, "description": T,
                      "values": ["access_to_information"], "progress": 65.0,
                      "results": T, "open_government": null, "evidence": ["https://…"],
                      "next_steps": [T]}],
     "activities": [{"commitment": 1, "title": T, "progress": 40}],
     "lessons": {"ar": "…", "fr": "…", "en": "…"},
     "sections": {"cocreation": {"title": T, "paragraphs": [T], …}}}

Schema 2 added ``sections`` (see :mod:`apps.reports.extensions`); a schema 1 version,
captured before, has none and builds as it always did.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db.models import Count, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from apps.committees.minutes import percent_text, text_direction
from apps.committees.models import ATTENDED, Meeting, MeetingStatus, Seat, Snapshot
from apps.committees.record import pick, translated
from apps.committees.snapshots import snapshot_instant
from apps.core.content import Fallback
from apps.core.dates import date_text
from apps.core.languages import LANGUAGES
from apps.plans.models import Commitment
from apps.plans.progress import completion_level
from apps.reports.extensions import captured_sections
from apps.reports.models import CycleKind, ReportCycle
from apps.tracking.models import Evidence, UpdateStatus

SCHEMA = 2
# Versions kept in an earlier schema still build: 1 had no ``sections``.
READABLE_SCHEMAS = (1, 2)

VALUE_FIELDS = (
    "access_to_information",
    "civic_participation",
    "public_accountability",
    "technology_innovation",
)


class NoSnapshot(ValueError):
    """The cycle names no snapshot: there are no figures to report."""


def _participation(snapshot: Snapshot) -> dict[str, Any]:
    """Meetings of the plan's committees held by the snapshot's meeting, in two queries."""
    meetings = Meeting.objects.filter(
        committee__plan_id=snapshot.plan_id, starts_at__lte=snapshot.meeting.starts_at
    ).annotate(
        present=Count("attendances", filter=Q(attendances__status__in=ATTENDED)),
        recorded=Count("attendances"),
        civil=Count(
            "attendances",
            filter=Q(attendances__status__in=ATTENDED)
            & Q(attendances__member__seat=Seat.CIVIL_SOCIETY),
        ),
    )
    rows = list(meetings.values("status", "present", "recorded", "civil"))
    present = sum(r["present"] for r in rows)
    recorded = sum(r["recorded"] for r in rows)
    return {
        "meetings": len(rows),
        "attendance_rate": round(present * 100 / recorded, 1) if recorded else None,
        "civil_society": sum(1 for r in rows if r["civil"]),
        "civil_society_people": sum(r["civil"] for r in rows),
        "minutes_published": sum(1 for r in rows if r["status"] == MeetingStatus.PUBLISHED),
    }


def _evidence(commitment_ids: list[int], at: datetime.datetime) -> dict[int, list[str]]:
    """Links and files of updates validated by ``at``, per commitment."""
    found: dict[int, list[str]] = {}
    evidence = (
        Evidence.objects.filter(
            update__activity__commitment_id__in=commitment_ids,
            update__status=UpdateStatus.VALIDATED,
            update__validated_at__lte=at,
        )
        .order_by("update__activity__commitment_id", "pk")
        .values_list("update__activity__commitment_id", "url", "pk")
    )
    for commitment_id, url, pk in evidence:
        found.setdefault(commitment_id, []).append(url or f"/tracking/evidence/{pk}/")
    return found


def capture(cycle: ReportCycle) -> dict[str, Any]:
    """The report's content as the platform and the cycle's snapshot say it now."""
    if cycle.snapshot_id is None:
        raise NoSnapshot(_("Choose the committee snapshot the report's figures come from."))
    snapshot = (
        Snapshot.objects.with_rows().select_related("meeting", "plan").get(pk=cycle.snapshot_id)
    )
    plan = snapshot.plan
    at = snapshot_instant(snapshot.meeting, snapshot.frozen_at)
    commitments = {
        c.pk: c
        for c in Commitment.objects.filter(plan=plan)
        .select_related("lead_institution")
        .prefetch_related("supporting_institutions")
    }
    evidence = _evidence(list(commitments), at)
    end_of_term = cycle.kind == CycleKind.END_OF_TERM
    sections = []
    activities: list[dict[str, Any]] = []
    for row in snapshot.rows.all():
        commitment = commitments.get(row.commitment_id or 0)
        lead = commitment.lead_institution if commitment else None
        sections.append(
            {
                "number": row.number,
                "title": translated(row, "title"),
                "start_date": _iso(commitment.start_date if commitment else None),
                "end_date": _iso(commitment.end_date if commitment else None),
                "lead": translated(lead, "name") if lead else {},
                "supporting": [
                    translated(i, "name")
                    for i in (commitment.supporting_institutions.all() if commitment else [])
                ],
                "problem": translated(commitment, "problem") if commitment else {},
                "description": translated(commitment, "summary") if commitment else {},
                "values": [f for f in VALUE_FIELDS if commitment and getattr(commitment, f)],
                "progress": row.progress,
                "results": translated(commitment, "expected_results") if commitment else {},
                # No OGP "did it open government?" assessment is recorded on the platform.
                "open_government": None if end_of_term else False,
                "evidence": evidence.get(row.commitment_id or 0, []),
                "next_steps": [
                    translated(a, "title") for a in row.activities.all() if a.progress < 100
                ],
            }
        )
        activities.extend(
            {"commitment": row.number, "title": translated(a, "title"), "progress": a.progress}
            for a in row.activities.all()
        )
    return {
        "schema": SCHEMA,
        "kind": cycle.kind,
        "year": cycle.year,
        "plan": {
            "title": translated(plan, "title"),
            "member": translated(plan, "member"),
            "period_start": plan.period_start.isoformat(),
            "period_end": plan.period_end.isoformat(),
        },
        "snapshot": {
            "id": snapshot.pk,
            "date": timezone.localtime(snapshot.meeting.starts_at).date().isoformat(),
            "plan_progress": snapshot.plan_progress,
        },
        "participation": _participation(snapshot),
        "commitments": sections,
        "activities": activities,
        "lessons": {lang: cycle.lessons(lang) for lang in LANGUAGES},
        "sections": captured_sections(plan, at),
    }


def _iso(day: datetime.date | None) -> str | None:
    return day.isoformat() if day else None


def _day(value: str | None) -> str:
    # Isolated (FSI … PDI): inside Arabic text, "2023-03-28" would read "28-03-2023".
    return date_text(datetime.date.fromisoformat(value)) if value else ""


# What the templates and the DOCX writer show ---------------------------------------


@dataclass
class CommitmentSection:
    number: int
    title: str
    dates: str
    lead: str
    supporting: str
    problem: str
    description: str
    values: list[str]
    level: str
    progress: str
    results: str
    open_government: str
    evidence: list[str]
    next_steps: list[tuple[str, str]]  # (text, its direction: Arabic fallback reads rtl)


@dataclass
class ActivityRow:
    commitment: int
    title: str
    progress: str


@dataclass
class SectionTable:
    title: str
    header: list[str]
    rows: list[list[str]]


@dataclass
class ExtraSection:
    """A section another app added (:mod:`apps.reports.extensions`), in one language."""

    name: str
    title: str
    paragraphs: list[str]
    facts: list[tuple[str, str]]
    tables: list[SectionTable]


@dataclass
class Report:
    language: str
    title: str
    introduction: str
    participation: list[tuple[str, str]]
    commitments: list[CommitmentSection]
    lessons: str
    activities: list[ActivityRow]
    labels: dict[str, str] = field(default_factory=dict)
    sections: list[ExtraSection] = field(default_factory=list)
    # Each commitment's completion level code at the snapshot (the chart of levels).
    levels: list[str] = field(default_factory=list)


def _directed(text: str, language: str) -> tuple[str, str]:
    return text, text_direction(text, "rtl" if language == "ar" else "ltr")


def _value_label(name: str) -> str:
    return str(getattr(Commitment._meta.get_field(name), "verbose_name", name))


def _absolute(link: str, language: str) -> str:
    """An evidence file kept on the platform is linked by its full address in the
    reader's language (a PDF or DOCX has no site to be relative to); links elsewhere
    stay as they were given."""
    if link.startswith("/"):
        return f"{settings.SITE_URL.rstrip('/')}/{language}{link}"
    return link


def _text(value: Any, language: str) -> str:
    """A cell of an added section: text in every language, or the same in all."""
    if isinstance(value, dict):
        return pick(value, language) or ""
    return "" if value is None else str(value)


def _extra_sections(content: dict[str, Any], language: str) -> list[ExtraSection]:
    return [
        ExtraSection(
            name=name,
            title=_text(data.get("title"), language),
            paragraphs=[_text(p, language) for p in data.get("paragraphs", [])],
            facts=[(_text(k, language), _text(v, language)) for k, v in data.get("facts", [])],
            tables=[
                SectionTable(
                    title=_text(t.get("title"), language),
                    header=[_text(h, language) for h in t.get("header", [])],
                    rows=[[_text(c, language) for c in row] for row in t.get("rows", [])],
                )
                for t in data.get("tables", [])
            ],
        )
        for name, data in content.get("sections", {}).items()
    ]


def build_report(content: dict[str, Any], language: str) -> Report:
    """The report in ``language`` (content falls back to Arabic where untranslated)."""
    if content.get("schema") not in READABLE_SCHEMAS:
        raise ValueError(f"Unknown report schema: {content.get('schema')!r}")
    with translation.override(language):
        plan = content["plan"]
        figures = content["participation"]
        rate = figures["attendance_rate"]
        participation = [
            (_("Meetings held"), str(figures["meetings"])),
            (_("Attendance rate"), percent_text(rate) if rate is not None else "—"),
            (_("Meetings with civil society present"), str(figures["civil_society"])),
            (_("Civil-society participants"), str(figures["civil_society_people"])),
            (_("Minutes published"), str(figures["minutes_published"])),
        ]
        sections = []
        for c in content["commitments"]:
            dates = " – ".join(d for d in (_day(c["start_date"]), _day(c["end_date"])) if d)
            if c["open_government"] is None:
                opened = _("Not assessed: the platform records no assessment.")
            else:
                opened = _("Assessed at the end of term only.")
            sections.append(
                CommitmentSection(
                    number=c["number"],
                    title=pick(c["title"], language),
                    dates=dates,
                    lead=pick(c["lead"], language),
                    supporting=pgettext_join([pick(s, language) for s in c["supporting"]]),
                    problem=pick(c["problem"], language),
                    description=pick(c["description"], language),
                    values=[_value_label(v) for v in c["values"]],
                    level=str(completion_level(c["progress"]).label),
                    progress=percent_text(c["progress"]),
                    results=pick(c["results"], language),
                    open_government=opened,
                    evidence=[_absolute(link, language) for link in c["evidence"]],
                    next_steps=[_directed(pick(s, language), language) for s in c["next_steps"]],
                )
            )
        report = Report(
            language=language,
            title=(
                _("Mid-term self-assessment report %(year)s")
                if content["kind"] == CycleKind.MID_TERM
                else _("End-of-term self-assessment report %(year)s")
            )
            % {"year": content["year"]},
            introduction=_(
                "This report assesses the %(plan)s (%(start)s – %(end)s) of %(member)s. "
                "Its figures are those of the committee snapshot of %(date)s: the plan "
                "stood at %(progress)s."
            )
            % {
                "plan": pick(plan["title"], language),
                "member": pick(plan["member"], language),
                "start": _day(plan["period_start"]),
                "end": _day(plan["period_end"]),
                "date": _day(content["snapshot"]["date"]),
                "progress": percent_text(content["snapshot"]["plan_progress"]),
            },
            participation=participation,
            levels=[completion_level(c["progress"]).value for c in content["commitments"]],
            sections=_extra_sections(content, language),
            commitments=sections,
            lessons=pick(content["lessons"], language),
            activities=[
                ActivityRow(
                    a["commitment"], pick(a["title"], language), percent_text(a["progress"])
                )
                for a in content["activities"]
            ],
            labels={
                "introduction": _("Introduction and context"),
                "participation": _("Participation during implementation"),
                "commitments": _("Commitments"),
                "dates": _("Dates"),
                "lead": _("Lead institution"),
                "supporting": _("Supporting institutions"),
                "problem": _("Problem addressed"),
                "description": _("Description"),
                "values": _("OGP values"),
                "level": _("Completion level"),
                "progress": _("Completion"),
                "results": _("Results"),
                "open_government": _("Did it open government?"),
                "evidence": _("Evidence"),
                "next_steps": _("Next steps"),
                "lessons": _("Lessons learned"),
                "annex": _("Annex: activities"),
                "commitment": _("Commitment"),
                "activity": _("Activity"),
                "none": _("None recorded."),
                "page": _("Page"),
            },
        )
    return report


def pgettext_join(items: list[str]) -> str:
    return translation.pgettext("list separator", ";").join(items) if items else ""


# Differences between two versions --------------------------------------------------


def diff(old: dict[str, Any], new: dict[str, Any], language: str) -> list[str]:
    """What changed from ``old`` to ``new``, one readable line per figure or section."""
    lines: list[str] = []
    with translation.override(language):
        before, after = old["snapshot"]["plan_progress"], new["snapshot"]["plan_progress"]
        if before != after:
            lines.append(
                _("Plan completion: %(old)s → %(new)s")
                % {"old": percent_text(before), "new": percent_text(after)}
            )
        labels = {
            "meetings": _("Meetings held"),
            "attendance_rate": _("Attendance rate"),
            "civil_society": _("Meetings with civil society present"),
            "civil_society_people": _("Civil-society participants"),
            "minutes_published": _("Minutes published"),
        }
        for key, label in labels.items():
            if old["participation"].get(key) != new["participation"].get(key):
                lines.append(
                    _("%(figure)s: %(old)s → %(new)s")
                    % {
                        "figure": label,
                        "old": old["participation"].get(key),
                        "new": new["participation"].get(key),
                    }
                )
        olds = {c["number"]: c for c in old["commitments"]}
        news = {c["number"]: c for c in new["commitments"]}
        for number in sorted(olds.keys() | news.keys()):
            a, b = olds.get(number), news.get(number)
            if a is None or b is None:
                lines.append(
                    (
                        _("Commitment %(number)s added")
                        if a is None
                        else _("Commitment %(number)s removed")
                    )
                    % {"number": number}
                )
                continue
            if a["progress"] != b["progress"]:
                lines.append(
                    _("Commitment %(number)s: completion %(old)s → %(new)s")
                    % {
                        "number": number,
                        "old": percent_text(a["progress"]),
                        "new": percent_text(b["progress"]),
                    }
                )
            changed = [k for k in b if k != "progress" and a.get(k) != b.get(k)]
            if changed:
                lines.append(
                    _("Commitment %(number)s: text changed (%(fields)s)")
                    % {"number": number, "fields": ", ".join(changed)}
                )
        old_extra, new_extra = old.get("sections", {}), new.get("sections", {})
        for name in sorted(old_extra.keys() | new_extra.keys()):
            if old_extra.get(name) != new_extra.get(name):
                title = (new_extra.get(name) or old_extra[name]).get("title")
                lines.append(
                    _("Section changed: %(section)s") % {"section": _text(title, language)}
                )
        if old["lessons"] != new["lessons"]:
            lines.append(_("Lessons learned changed"))
        if old["activities"] != new["activities"]:
            lines.append(_("Annex of activities changed"))
    return lines


# Texts that fall back to Arabic ----------------------------------------------------


@dataclass(frozen=True)
class Gap:
    """One text of a version shown in Arabic in another language (see :func:`untranslated`).

    ``part`` is where it sits in the report: ``plan``, ``commitment`` (``number`` is the
    commitment's), ``annex`` (``number`` is the commitment the activity belongs to) or
    ``lessons``; ``field`` the text (``title``, ``lead``, ``supporting``, ``next_steps``…);
    ``index`` its position in a list (supporting institutions, next steps, annex rows);
    ``source`` the Arabic text shown instead."""

    part: str
    field: str
    source: str
    number: int | None = None
    index: int | None = None


def _texts(content: dict[str, Any]) -> list[tuple[Gap, dict[str, Any]]]:
    """Every text of the document in every language, with its place (``Gap.source`` is
    the Arabic)."""
    found: list[tuple[Gap, dict[str, Any]]] = []

    def add(values: dict[str, Any] | None, part: str, name: str, **where: Any) -> None:
        if values:
            source = values.get("ar")
            text = source if isinstance(source, str) else ""
            found.append((Gap(part, name, text, **where), values))

    for name in ("title", "member"):
        add(content["plan"].get(name), "plan", name)
    for c in content["commitments"]:
        number = c["number"]
        for name in ("title", "lead", "problem", "description", "results"):
            add(c.get(name), "commitment", name, number=number)
        for index, values in enumerate(c.get("supporting", [])):
            add(values, "commitment", "supporting", number=number, index=index)
        for index, values in enumerate(c.get("next_steps", [])):
            add(values, "commitment", "next_steps", number=number, index=index)
    for index, a in enumerate(content["activities"]):
        add(a["title"], "annex", "title", number=a["commitment"], index=index)
    add(content.get("lessons"), "lessons", "lessons")
    return found


def untranslated(content: dict[str, Any], language: str) -> list[Gap]:
    """The texts of a version that read in Arabic in ``language``: exactly those where
    :func:`~apps.committees.record.pick` falls back (the same rule as the rendered HTML,
    PDF and DOCX). Empty for Arabic, the source."""
    return [gap for gap, values in _texts(content) if isinstance(pick(values, language), Fallback)]


def coverage(content: dict[str, Any], language: str) -> tuple[int, int]:
    """(texts with an Arabic source, of which read in Arabic in ``language``)."""
    texts = [values for gap, values in _texts(content) if gap.source]
    missing = sum(1 for values in texts if isinstance(pick(values, language), Fallback))
    return len(texts), missing
