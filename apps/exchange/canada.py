"""Canada's open-government tracker: commitment → milestone → indicator, with a status
(NS, LP, SP, C) per indicator and reporting period, text in English and French.

The format is a CKAN "recombinant" schema (YAML): a resource whose fields are
described by ``datastore_id``, ``label`` (a string or ``{en, fr}``) and ``choices``.
Later plans of the same family add and rename fields (NAP 5 gives each indicator a
``lead_dept`` and a ``due_date``, drops the departments from the milestone titles), so
the fields are found by their role, never by their name:

- the **hierarchy** is three fields whose choice codes nest: every code of the second
  field is a code of the first plus ``.n`` (``C01`` → ``C01.1``), every code of the
  third a code of the second plus ``.n`` (``C01.1`` → ``C01.1.1``): commitments,
  milestones, indicators;
- the **reporting period** is the other field of the primary key (or else the field
  whose choices are all ``YYYY-MM``);
- the **status** is the field whose choices are progress statuses (``NS``/``LP``/
  ``SP``/``C``, or labels "Not started", "Limited…", "Substantial…", "Complete");
- the **texts** are the remaining text fields an import template includes
  (``progress_en``, ``evidence_fr``…); the narrative is the pair named ``progress*``
  (or the first pair), in English and French.

Two kinds of file, told apart by their content:

1. the schema (YAML): the plan's structure. Commitments (``C01`` → number 1), milestones
   (activities of their commitment, ``C01.3`` → order 3), indicators
   (:class:`~apps.exchange.models.Indicator`), lead departments (an indicator's
   ``lead_dept``, or the acronyms closing a milestone's title, "… (NRCan/StatCan/TBS)"),
   and the schema itself (:class:`~apps.exchange.models.Tracker`);
2. the records (CSV or Excel, one row per period × indicator): each period's status
   per indicator (:class:`~apps.exchange.models.IndicatorStatus`); each activity's
   progress then follows its indicators' latest status (:func:`activity_percent`).

A status becomes a percentage at the bottom of its completion level, read from
``settings.SHARAKA_COMPLETION_THRESHOLDS`` (NS → 0, LP → "limited from", SP →
"substantial from", C → "complete from": 0, 1, 50, 100 by default), so that the
platform's level of that percentage is the status's own level
(:func:`apps.plans.progress.completion_level`).

:func:`export_rows` gives the records back for one period, in the schema's columns.
"""

from __future__ import annotations

import calendar
import csv
import datetime
import io
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import yaml
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import translation
from django.utils.text import slugify
from django.utils.translation import gettext as _

from apps.accounts.models import Institution
from apps.core import bounds
from apps.core.actions import do_save_object
from apps.core.batch import batched
from apps.core.errors import ActionError, check_permission
from apps.core.models import AuditLog
from apps.core.spreadsheets import safe_row
from apps.exchange.models import Indicator, IndicatorStatus, Tracker
from apps.exchange.report import ImportReport, Outcome, RowError
from apps.exchange.tabular import TabularError, open_table
from apps.plans.actions import (
    do_add_activity,
    do_change_lead_institution,
    do_create_commitment,
    do_edit_activity,
    do_edit_commitment,
    do_set_supporting_institutions,
)
from apps.plans.choices import CompletionLevel, PlanStatus
from apps.plans.models import ActionPlan, Activity, Commitment
from apps.plans.progress import completion_level
from apps.tracking.actions import do_import_progress
from apps.tracking.models import ProgressUpdate

KIND = "canada"
LANGS = ("en", "fr")

# The statuses of the format and the OGP completion level each stands for. A schema's
# status is matched by its code, or else by its English label.
STATUS_LEVELS: dict[str, CompletionLevel] = {
    "NS": CompletionLevel.NOT_STARTED,
    "LP": CompletionLevel.LIMITED,
    "SP": CompletionLevel.SUBSTANTIAL,
    "C": CompletionLevel.COMPLETE,
}
_LABEL_LEVELS = (
    ("not started", CompletionLevel.NOT_STARTED),
    ("limited", CompletionLevel.LIMITED),
    ("substantial", CompletionLevel.SUBSTANTIAL),
    ("complete", CompletionLevel.COMPLETE),
)
_PERIOD = re.compile(r"^\d{4}-\d{2}$")
# "… (NRCan/StatCan/TBS)" at the end of a milestone's title: the departments.
_DEPARTMENTS = re.compile(r"\s*\(([^()]+)\)\s*$")
_ACRONYM = re.compile(r"^[^\W\d_][\w&.'\-]{0,14}$")


def level_percent(level: str) -> int:
    """The percentage a status of ``level`` stands for: the lowest figure of that level
    under the configured thresholds (not started → 0)."""
    thresholds = settings.SHARAKA_COMPLETION_THRESHOLDS
    return {
        CompletionLevel.NOT_STARTED: 0,
        CompletionLevel.LIMITED: thresholds["limited"],
        CompletionLevel.SUBSTANTIAL: thresholds["substantial"],
        CompletionLevel.COMPLETE: thresholds["complete"],
    }[CompletionLevel(level)]


# The schema ---------------------------------------------------------------------------


@dataclass
class Choice:
    code: str
    label: dict[str, str]
    full_text: dict[str, str]
    attrs: dict[str, Any]
    position: int


@dataclass
class TrackerSchema:
    """What a tracker schema says, by role (stored as JSON in ``Tracker.schema``)."""

    dataset_type: str
    title: dict[str, str]
    columns: list[str]  # every column of an import template, in order
    labels: dict[str, dict[str, str]]
    period: str
    periods: list[str]
    commitment: str
    milestone: str
    indicator: str
    status: str
    statuses: dict[str, dict[str, str]]  # code → {"en", "fr", "level"}
    texts: list[str]
    narrative: dict[str, str]  # language → column
    choices: dict[str, list[Choice]] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        data = asdict(self)
        data.pop("choices")
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> TrackerSchema:
        known = {f for f in cls.__dataclass_fields__ if f != "choices"}
        return cls(**{k: v for k, v in data.items() if k in known})


def _texts(value: Any) -> dict[str, str]:
    """A label or text as ``{en, fr}`` (a plain string counts for both)."""
    if isinstance(value, dict):
        return {lang: str(value.get(lang) or "").strip() for lang in LANGS}
    text = "" if value is None else str(value).strip()
    return {lang: text for lang in LANGS}


def _parent(code: str) -> str:
    return code.rsplit(".", 1)[0] if "." in code else ""


def _status_level(code: str, label: dict[str, str]) -> str:
    if code.upper() in STATUS_LEVELS:
        return STATUS_LEVELS[code.upper()].value
    english = label.get("en", "").lower()
    for words, level in _LABEL_LEVELS:
        if english.startswith(words):
            return level.value
    return ""


def parse_schema(data: Any) -> TrackerSchema:
    """The tracker schema in ``data`` (the YAML document), its fields found by role.
    Raises :class:`TabularError` with the user's message when a role is missing."""
    if not isinstance(data, dict) or not isinstance(data.get("resources"), list):
        raise TabularError(_("This is not a tracker schema (no resources)."))
    for resource in data["resources"]:
        if not isinstance(resource, dict) or not isinstance(resource.get("fields"), list):
            continue
        found = _parse_resource(data, resource)
        if found is not None:
            return found
    raise TabularError(
        _(
            "No resource of this schema has commitments, milestones and indicators "
            "(three fields whose codes nest: C01, C01.1, C01.1.1)."
        )
    )


def _parse_resource(data: dict[str, Any], resource: dict[str, Any]) -> TrackerSchema | None:
    fields = [f for f in resource["fields"] if isinstance(f, dict) and f.get("datastore_id")]
    choices: dict[str, list[Choice]] = {}
    for f in fields:
        raw = f.get("choices")
        if not isinstance(raw, dict) or not raw:
            continue
        entries = []
        for position, (code, value) in enumerate(raw.items()):
            attrs = value if isinstance(value, dict) else {}
            label = _texts(value)
            entries.append(
                Choice(
                    str(code).strip(),
                    label,
                    _texts(attrs.get("full_text")) if attrs.get("full_text") else dict(label),
                    attrs,
                    position,
                )
            )
        choices[str(f["datastore_id"])] = entries

    def nests(child: str, parent: str) -> bool:
        codes = {c.code for c in choices[parent]}
        hits = sum(1 for c in choices[child] if _parent(c.code) in codes)
        return hits * 2 > len(choices[child])  # most codes: the others are row errors

    levels = None
    for top in choices:
        for middle in choices:
            if middle == top or not nests(middle, top):
                continue
            for bottom in choices:
                if bottom not in (top, middle) and nests(bottom, middle):
                    levels = (top, middle, bottom)
                    break
            if levels:
                break
        if levels:
            break
    if levels is None:
        return None
    commitment, milestone, indicator = levels

    key = resource.get("datastore_primary_key") or []
    key = [str(k) for k in (key if isinstance(key, list) else [key])]
    period = next((k for k in key if k not in levels), "")
    if not period:
        period = next(
            (
                name
                for name, entries in choices.items()
                if name not in levels and all(_PERIOD.match(c.code) for c in entries)
            ),
            "",
        )
    if not period:
        raise TabularError(_("The schema has no reporting period field."))

    status = ""
    statuses: dict[str, dict[str, str]] = {}
    for name, entries in choices.items():
        if name in (*levels, period):
            continue
        mapped = {c.code: {**c.label, "level": _status_level(c.code, c.label)} for c in entries}
        if any(v["level"] for v in mapped.values()):
            status, statuses = name, mapped
            break
    if not status:
        raise TabularError(_("The schema has no status field (NS, LP, SP, C)."))

    roles = {*levels, period, status}
    columns, labels, texts = [], {}, []
    for f in fields:
        name = str(f["datastore_id"])
        labels[name] = _texts(f.get("label") or name)
        if f.get("import_template_include") is False and name not in roles:
            continue
        columns.append(name)
        if name not in roles and name not in choices:
            texts.append(name)
    narrative = {}
    for lang in LANGS:
        own = [t for t in texts if t.lower().endswith(f"_{lang}")]
        narrative[lang] = next((t for t in own if t.lower().startswith("progress")), "") or (
            own[0] if own else ""
        )
    title = _texts(data.get("title") or resource.get("title") or data.get("dataset_type"))
    return TrackerSchema(
        dataset_type=str(data.get("dataset_type") or resource.get("resource_name") or "tracker"),
        title=title,
        columns=columns,
        labels=labels,
        period=period,
        periods=[c.code for c in choices.get(period, [])],
        commitment=commitment,
        milestone=milestone,
        indicator=indicator,
        status=status,
        statuses=statuses,
        texts=texts,
        narrative=narrative,
        choices=choices,
    )


def read_schema(path: Path) -> TrackerSchema:
    try:
        with path.open("rb") as f:
            # yaml.safe_load's loader, in C when libyaml is there (ten times faster).
            data = yaml.load(f, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))  # noqa: S506 - a safe loader
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise TabularError(
            _("The schema cannot be read as YAML: %(reason)s") % {"reason": exc}
        ) from exc
    return parse_schema(data)


def is_schema(path: Path) -> bool:
    """Whether the file is a tracker schema (YAML) rather than records (CSV/Excel)."""
    if path.suffix.lower() in (".yaml", ".yml"):
        return True
    with path.open("rb") as f:
        head = f.read(64 * 1024)
    if head.startswith(b"PK\x03\x04"):
        return False
    text = head.decode("utf-8", errors="replace")
    return bool(re.search(r"^(dataset_type|resources)\s*:", text, re.MULTILINE))


# Helpers ------------------------------------------------------------------------------


def _number(code: str, fallback: int) -> int:
    digits = re.findall(r"\d+", code.rsplit(".", 1)[-1])
    return int(digits[-1]) if digits and int(digits[-1]) > 0 else fallback


def _month_end(period: str) -> datetime.date | None:
    match = re.match(r"^(\d{4})-(\d{1,2})", period.strip())
    if not match:
        return None
    year, month = int(match.group(1)), int(match.group(2))
    if not 1 <= month <= 12:
        return None
    return datetime.date(year, month, calendar.monthrange(year, month)[1])


def _departments(choice: Choice) -> tuple[dict[str, str], list[tuple[str, str]]]:
    """A milestone's title without its closing departments, and the departments as
    (English acronym, French acronym) pairs: "… (CSPS/TBS)" / "… (ÉFPC/SCT)"."""
    title = dict(choice.label)
    found: dict[str, list[str]] = {}
    for lang in LANGS:
        match = _DEPARTMENTS.search(title[lang])
        if not match:
            continue
        parts = [p.strip() for p in re.split(r"[/,]", match.group(1))]
        if parts and all(_ACRONYM.match(p) for p in parts):
            found[lang] = parts
            title[lang] = title[lang][: match.start()].rstrip()
    english = found.get("en") or found.get("fr") or []
    french = found.get("fr", [])
    if len(french) != len(english):
        french = [""] * len(english)
    return title, list(zip(english, french, strict=True))


def _period(cell: str, periods: set[str]) -> str:
    """A reporting period as the schema writes it (``2019-03``). Excel turns a typed
    "2019-03" into a date, which reads back as ``2019-03-01``: that is the period."""
    text = cell.strip()
    if len(text) >= 10 and _PERIOD.match(text[:7]) and text[:7] in periods:
        return text[:7]
    return text


def _code(cell: str) -> str:
    """The code of a cell written "C01.1.1" or, as the format's Excel template writes
    it, "C01.1.1: Pilot launched for users"."""
    return cell.split(":", 1)[0].strip() if cell else ""


def _check_import(user: Any) -> None:
    check_permission(
        user,
        "tracking.import_progress",
        None,
        ActionError(_("Only the secretariat imports progress.")),
    )


# The structure ------------------------------------------------------------------------


@dataclass
class _Plan:
    """The writes the structure import will make, worked out before any of them."""

    plan: ActionPlan | None
    plan_fields: dict[str, Any]
    commitments: list[tuple[str, int, dict[str, Any], Commitment | None]] = field(
        default_factory=list
    )
    activities: list[tuple[str, str, int, dict[str, Any], Activity | None]] = field(
        default_factory=list
    )
    indicators: list[tuple[str, str, dict[str, Any], Indicator | None]] = field(
        default_factory=list
    )
    leads: dict[str, list[tuple[str, str]]] = field(default_factory=dict)


def _changed(obj: Any, fields: dict[str, Any]) -> bool:
    return any(getattr(obj, name) != value for name, value in fields.items())


def _all(schema: TrackerSchema) -> list[Choice]:
    return [
        *schema.choices.get(schema.milestone, []),
        *schema.choices.get(schema.indicator, []),
    ]


def _plan_defaults(schema: TrackerSchema, options: dict[str, Any]) -> dict[str, Any]:
    member = str(options.get("member") or "Canada").strip()
    title = {
        lang: re.sub(r"\s*(Tracker|\(suivi\)|Suivi)$", "", schema.title[lang]).strip()
        for lang in LANGS
    }
    if options.get("title"):
        title = {lang: str(options["title"]).strip() for lang in LANGS}
    starts = [d for d in (_month_end(p) for p in schema.periods) if d]
    start = options.get("period_start")
    end = options.get("period_end")
    if isinstance(start, str) and start:
        start = datetime.date.fromisoformat(start)
    if isinstance(end, str) and end:
        end = datetime.date.fromisoformat(end)
    dues = [d for d in (_month_end(str(c.attrs.get("due_date") or "")) for c in _all(schema)) if d]
    if not start and starts:
        # The first reporting period closes the plan's first quarter; a milestone may
        # be due before it.
        first = min(starts)
        month = first.month - 2 if first.month > 2 else first.month + 10
        start = datetime.date(first.year if first.month > 2 else first.year - 1, month, 1)
        start = min([start, *(d.replace(day=1) for d in dues)])
    if not end and starts:
        end = max([*starts, *dues])
    for day in (start, end):
        # The plan's period, given or read from the file, within the one rule's bounds.
        if isinstance(day, datetime.date) and (message := bounds.plan_error(day)):
            raise TabularError(message)
    return {
        "slug": slugify(str(options.get("plan") or f"{member}-{schema.dataset_type}"))[:80],
        "member_en": member,
        "member_fr": member,
        "title_en": title["en"][:300],
        "title_fr": title["fr"][:300],
        "period_start": start,
        "period_end": end,
        "status": PlanStatus.IMPLEMENTATION,
    }


def import_structure(
    path: Path,
    *,
    apply: bool,
    user: Any,
    options: dict[str, Any],
    progress: Callable[[int], None] | None = None,
) -> ImportReport:
    """The plan's structure from a tracker schema (see the module's docstring)."""
    report = ImportReport(kind=KIND)
    try:
        schema = read_schema(path)
    except TabularError as exc:
        report.file_errors.append(RowError(0, "", str(exc)))
        return report
    try:
        fields = _plan_defaults(schema, options)
    except TabularError as exc:  # a period outside the bounds, naming them
        report.file_errors.append(RowError(0, "", str(exc)))
        return report
    except ValueError:
        report.file_errors.append(
            RowError(0, "", _("The plan's period is written YYYY-MM-DD (2024-07-01)."))
        )
        return report
    if (
        fields["period_start"]
        and fields["period_end"]
        and fields["period_end"] < fields["period_start"]
    ):
        report.file_errors.append(
            RowError(0, "", _("The end of the period must not be before its start."))
        )
        return report
    if not fields["period_start"] or not fields["period_end"]:
        report.file_errors.append(
            RowError(
                0, schema.period, _("The schema lists no reporting period: give the plan's period.")
            )
        )
        return report
    plan = ActionPlan.objects.filter(slug=fields["slug"]).first()
    if (
        plan is not None
        and not Tracker.objects.filter(plan=plan).exists()
        and plan.commitments.exists()
    ):
        # Its commitments 1, 2… would take the tracker's titles: refuse.
        report.file_errors.append(
            RowError(
                0,
                "",
                _(
                    "The plan “%(slug)s” already has commitments that no tracker schema "
                    "gave: choose another plan (--plan)."
                )
                % {"slug": plan.slug},
            )
        )
        return report
    work = _Plan(plan, fields)
    row = 1
    report.add(
        row,
        Outcome.UNCHANGED if plan else Outcome.CREATE,
        _("Plan %(slug)s") % {"slug": fields["slug"]},
    )

    commitments = {c.number: c for c in (plan.commitments.all() if plan else [])}
    activities = {
        (a.commitment.number, a.order): a
        for a in (
            Activity.objects.filter(commitment__plan=plan).select_related("commitment")
            if plan
            else []
        )
    }
    indicators = {i.code: i for i in (Indicator.objects.filter(plan=plan) if plan else [])}

    numbers: dict[str, int] = {}
    for choice in schema.choices[schema.commitment]:
        row += 1
        number = _number(choice.code, choice.position + 1)
        errors = []
        if number in numbers.values():
            errors.append(
                RowError(
                    row,
                    schema.commitment,
                    _("Two commitments have the number %(n)s.") % {"n": number},
                )
            )
        numbers[choice.code] = number
        wanted: dict[str, Any] = {
            "title_en": choice.label["en"][:500],
            "title_fr": choice.label["fr"][:500],
        }
        current = commitments.get(number)
        outcome = (
            Outcome.CREATE
            if current is None
            else (Outcome.UPDATE if _changed(current, wanted) else Outcome.UNCHANGED)
        )
        report.add(row, outcome, choice.code, errors)
        work.commitments.append((choice.code, number, wanted, current))

    has_lead_dept = any(
        "lead_dept" in c.attrs
        for name in (schema.milestone, schema.indicator)
        for c in schema.choices[name]
    )
    due: dict[str, list[datetime.date]] = defaultdict(list)
    for choice in schema.choices[schema.indicator]:
        when = _month_end(str(choice.attrs.get("due_date") or ""))
        if when:
            due[_parent(choice.code)].append(when)
    milestone_numbers: dict[str, tuple[int, int]] = {}
    per_commitment: Counter[str] = Counter()
    for choice in schema.choices[schema.milestone]:
        row += 1
        parent = _parent(choice.code)
        errors = []
        if parent not in numbers:
            errors.append(
                RowError(
                    row, schema.milestone, _("Unknown commitment “%(code)s”.") % {"code": parent}
                )
            )
        per_commitment[parent] += 1
        order = _number(choice.code, per_commitment[parent])
        if (numbers.get(parent), order) in milestone_numbers.values():
            errors.append(
                RowError(
                    row,
                    schema.milestone,
                    _("Two milestones have the code %(code)s.") % {"code": choice.code},
                )
            )
        milestone_numbers[choice.code] = (numbers.get(parent, 0), order)
        title, departments = _departments(choice)
        if has_lead_dept:
            title, departments = dict(choice.label), []
            if choice.attrs.get("lead_dept"):
                departments = [(str(choice.attrs["lead_dept"]), "")]
        wanted = {
            "order": order,
            "title_en": title["en"][:600],
            "title_fr": title["fr"][:600],
            "stakeholders": "/".join(d[0] for d in departments),
            "end_date": max(due[choice.code]) if due.get(choice.code) else None,
        }
        work.leads.setdefault(parent, []).extend(departments)
        old_activity = activities.get((numbers.get(parent, 0), order))
        outcome = (
            Outcome.CREATE
            if old_activity is None
            else (Outcome.UPDATE if _changed(old_activity, wanted) else Outcome.UNCHANGED)
        )
        report.add(row, outcome, choice.code, errors)
        work.activities.append((choice.code, parent, order, wanted, old_activity))

    for choice in schema.choices[schema.indicator]:
        row += 1
        parent = _parent(choice.code)
        errors = []
        if parent not in milestone_numbers:
            errors.append(
                RowError(
                    row, schema.indicator, _("Unknown milestone “%(code)s”.") % {"code": parent}
                )
            )
        if has_lead_dept and choice.attrs.get("lead_dept"):
            work.leads.setdefault(_parent(parent), []).append((str(choice.attrs["lead_dept"]), ""))
        wanted = {
            "order": choice.position + 1,
            "text_en": choice.label["en"],
            "text_fr": choice.label["fr"],
            "full_text_en": choice.full_text["en"],
            "full_text_fr": choice.full_text["fr"],
            "due": str(choice.attrs.get("due_date") or "")[:20],
        }
        old_indicator = indicators.get(choice.code)
        moved = old_indicator is not None and (
            (old_indicator.activity.commitment.number, old_indicator.activity.order)
            != milestone_numbers.get(parent)
        )
        outcome = (
            Outcome.CREATE
            if old_indicator is None
            else (Outcome.UPDATE if moved or _changed(old_indicator, wanted) else Outcome.UNCHANGED)
        )
        report.add(row, outcome, choice.code, errors)
        work.indicators.append((choice.code, parent, wanted, old_indicator))

    report.notes.append(
        _(
            "Read from the schema: commitments %(c)s, milestones (activities) %(m)s, "
            "indicators %(i)s."
        )
        % {
            "c": len(schema.choices[schema.commitment]),
            "m": len(schema.choices[schema.milestone]),
            "i": len(schema.choices[schema.indicator]),
        }
    )
    report.notes.append(
        _("Columns found: period “%(p)s”, status “%(s)s”, narrative “%(n)s”.")
        % {
            "p": schema.period,
            "s": schema.status,
            "n": ", ".join(v for v in schema.narrative.values() if v),
        }
    )
    unmapped = [code for code, s in schema.statuses.items() if not s["level"]]
    if unmapped:
        report.notes.append(
            _("Statuses without a completion level (records with them are refused): %(codes)s")
            % {"codes": ", ".join(unmapped)}
        )
    if not apply or not report.ok:
        return report
    language = (
        "en"
        if schema.title["en"] or any(c.label["en"] for c in schema.choices[schema.commitment])
        else "fr"
    )
    try:
        _check_import(user)
        with transaction.atomic(), translation.override(language), batched():
            created = _write_structure(
                schema,
                work,
                user=user,
                rows_written=sum(r.outcome != Outcome.UNCHANGED for r in report.rows),
                progress=progress,
            )
    except (ActionError, ValidationError) as exc:
        message = "; ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
        report.file_errors.append(RowError(0, "", message))
        return report
    if created:
        report.notes.append(
            _("Institutions created from the departments' acronyms: %(names)s")
            % {"names": ", ".join(created)}
        )
    report.applied = True
    return report


def _institution(name: str, french: str, *, user: Any, created: list[str]) -> Institution:
    """The institution a department's acronym (``TBS``, French ``SCT``) or organisation
    slug (``nrcan-rncan``) names: the one with that slug or acronym, or a new one named
    by its acronyms (the secretariat gives it its full name later)."""
    if "-" in name and not french:
        english, _sep, french = name.partition("-")
        english, french = english.upper(), french.upper()
    else:
        english = name
    slug = slugify(name)[:80] or "department"
    found = (
        Institution.objects.filter(slug=slug).first()
        or Institution.objects.filter(acronym_en__iexact=english).first()
        or Institution.objects.filter(acronym__iexact=english).first()
    )
    if found:
        return found
    created.append(english)
    return do_save_object(
        Institution(),
        acting_user=user,
        fields={
            "kind": Institution.Kind.GOVERNMENT,
            "slug": slug,
            "name_en": english,
            "name_fr": french or english,
            "acronym_en": english,
            "acronym_fr": french or english,
        },
    )


def _write_structure(
    schema: TrackerSchema,
    work: _Plan,
    *,
    user: Any,
    rows_written: int,
    progress: Callable[[int], None] | None,
) -> list[str]:
    plan = work.plan
    if plan is None:
        member = work.plan_fields["member_en"]
        ordinals = list(
            ActionPlan.objects.filter(Q(member=member) | Q(member_en=member)).values_list(
                "ordinal", flat=True
            )
        )
        plan = do_save_object(
            ActionPlan(),
            acting_user=user,
            fields={**work.plan_fields, "ordinal": max(ordinals, default=0) + 1},
        )
    tracker, _new = Tracker.objects.get_or_create(
        plan=plan, defaults={"dataset_type": schema.dataset_type, "schema": schema.as_json()}
    )
    if tracker.schema != schema.as_json() or tracker.dataset_type != schema.dataset_type:
        tracker.dataset_type = schema.dataset_type
        tracker.schema = schema.as_json()
        tracker.save(update_fields=["dataset_type", "schema"])

    created: list[str] = []
    institutions: dict[str, Institution] = {}

    def institution(pair: tuple[str, str]) -> Institution:
        if pair[0] not in institutions:
            institutions[pair[0]] = _institution(pair[0], pair[1], user=user, created=created)
        return institutions[pair[0]]

    done = 0
    by_code: dict[str, Commitment] = {}
    for code, number, wanted, current in work.commitments:
        if current is None:
            current = do_create_commitment(plan, acting_user=user, number=number, **wanted)
        elif _changed(current, wanted):
            current = do_edit_commitment(current, acting_user=user, **wanted)
        by_code[code] = current
        mentions = work.leads.get(code, [])
        if mentions:
            ranked = [pair for pair, _n in Counter(mentions).most_common()]
            # most_common keeps first-seen order among equals: the first named leads.
            lead = institution(ranked[0])
            do_change_lead_institution(current, lead, acting_user=user)
            do_set_supporting_institutions(
                current,
                [institution(p) for p in ranked[1:] if p[0] != ranked[0][0]],
                acting_user=user,
            )
        done += 1
        if progress:
            progress(done)
    milestones: dict[str, Activity] = {}
    for code, parent, _order, wanted, old_activity in work.activities:
        commitment = by_code[parent]
        if old_activity is None:
            milestones[code] = do_add_activity(commitment, acting_user=user, **wanted)
        elif _changed(old_activity, wanted):
            milestones[code] = do_edit_activity(old_activity, acting_user=user, **wanted)
        else:
            milestones[code] = old_activity
        done += 1
        if progress:
            progress(done)
    new: list[Indicator] = []
    changed: list[Indicator] = []
    for code, parent, wanted, old_indicator in work.indicators:
        activity = milestones[parent]
        if old_indicator is None:
            new.append(Indicator(plan=plan, activity=activity, code=code, **wanted))
        elif old_indicator.activity_id != activity.pk or _changed(old_indicator, wanted):
            old_indicator.activity = activity
            for name, value in wanted.items():
                setattr(old_indicator, name, value)
            changed.append(old_indicator)
    Indicator.objects.bulk_create(new)
    Indicator.objects.bulk_update(
        changed, ["activity", *work.indicators[0][2]] if changed else ["order"]
    )
    if rows_written or created:
        AuditLog.record(
            actor=user,
            action="exchange.import_canada_structure",
            target=plan,
            after={
                "dataset_type": schema.dataset_type,
                "rows_written": rows_written,
                "commitments": len(work.commitments),
                "milestones": len(work.activities),
                "indicators": len(work.indicators),
                "institutions_created": created,
            },
        )
    if progress:
        progress(done + len(work.indicators))
    return created


# The records --------------------------------------------------------------------------


def _tracker(options: dict[str, Any]) -> Tracker | None:
    slug = slugify(str(options.get("plan") or ""))
    trackers = Tracker.objects.select_related("plan")
    if slug:
        return trackers.filter(plan__slug=slug).first()
    found = list(trackers[:2])
    return found[0] if len(found) == 1 else None


def _match_columns(schema: TrackerSchema, headers: list[str]) -> dict[str, int]:
    """Column of the file for each field of the schema: its ``datastore_id`` or its
    English or French label, whatever the case."""
    spellings: dict[str, str] = {}
    for name in schema.columns:
        for spelling in (name, *schema.labels.get(name, {}).values()):
            if spelling:
                spellings.setdefault(spelling.strip().lower(), name)
    found: dict[str, int] = {}
    for index, header in enumerate(headers):
        column = spellings.get(header.strip().lower())
        if column and column not in found:
            found[column] = index
    return found


def _status_code(schema: TrackerSchema, cell: str) -> str:
    code = _code(cell)
    for known, labels in schema.statuses.items():
        if code.upper() == known.upper():
            return known
        if cell.strip().lower() in (labels.get("en", "").lower(), labels.get("fr", "").lower()):
            return known
    return ""


def import_records(
    path: Path,
    *,
    apply: bool,
    user: Any,
    options: dict[str, Any],
    progress: Callable[[int], None] | None = None,
) -> ImportReport:
    """Each period's status per indicator from the tracker's records, then each
    activity's progress from its indicators' latest status."""
    report = ImportReport(kind=KIND)
    tracker = _tracker(options)
    if tracker is None:
        report.file_errors.append(
            RowError(
                0,
                "",
                _(
                    "No plan with a tracker structure: import the tracker's schema first, "
                    "and name the plan (--plan)."
                ),
            )
        )
        return report
    schema = TrackerSchema.from_json(tracker.schema)
    try:
        table = open_table(path)
    except TabularError as exc:
        report.file_errors.append(RowError(0, "", str(exc)))
        return report
    columns = _match_columns(schema, table.headers)
    for role in (schema.period, schema.indicator, schema.status):
        if role not in columns:
            report.file_errors.append(
                RowError(0, role, _("The column “%(name)s” is missing.") % {"name": role})
            )
    if report.file_errors:
        return report

    indicators = {
        i.code: i
        for i in Indicator.objects.filter(plan=tracker.plan).select_related("activity__commitment")
    }
    existing = {
        (s.indicator_id, s.period): s
        for s in IndicatorStatus.objects.filter(indicator__plan=tracker.plan)
    }
    periods = set(schema.periods)
    seen: dict[tuple[str, str], int] = {}
    planned: list[tuple[Indicator, str, str, dict[str, str], IndicatorStatus | None]] = []

    def header(role: str) -> str:
        return table.headers[columns[role]]

    try:
        for count, (number, cells) in enumerate(table.rows, start=1):
            if progress and count % 500 == 0:
                progress(count)  # rows read
            errors = []
            period = _period(cells[columns[schema.period]], periods)
            code = _code(cells[columns[schema.indicator]])
            status_cell = cells[columns[schema.status]]
            label = f"{period} {code}".strip()
            if not period:
                errors.append(
                    RowError(number, header(schema.period), _("The reporting period is empty."))
                )
            elif period not in periods if periods else not _PERIOD.match(period):
                errors.append(
                    RowError(
                        number,
                        header(schema.period),
                        _("Unknown reporting period “%(value)s”.") % {"value": period[:40]},
                    )
                )
            indicator = indicators.get(code)
            if indicator is None:
                errors.append(
                    RowError(
                        number,
                        header(schema.indicator),
                        _("Unknown indicator “%(value)s”.") % {"value": code[:40]},
                    )
                )
            else:
                for role, expected in (
                    (schema.milestone, _parent(code)),
                    (schema.commitment, _parent(_parent(code))),
                ):
                    given = _code(cells[columns[role]]) if role in columns else ""
                    if given and given != expected:
                        errors.append(
                            RowError(
                                number,
                                header(role),
                                _("“%(value)s” is not the indicator's (%(expected)s).")
                                % {"value": given[:40], "expected": expected},
                            )
                        )
            status = _status_code(schema, status_cell)
            if not status:
                errors.append(
                    RowError(
                        number,
                        header(schema.status),
                        _("Unknown status “%(value)s” (expected one of %(codes)s).")
                        % {"value": status_cell[:40], "codes": ", ".join(schema.statuses)},
                    )
                )
            elif not schema.statuses[status]["level"]:
                errors.append(
                    RowError(
                        number,
                        header(schema.status),
                        _("The status “%(value)s” has no completion level.") % {"value": status},
                    )
                )
            if (period, code) in seen:
                errors.append(
                    RowError(
                        number,
                        header(schema.indicator),
                        _("Row %(row)s already gives this indicator's status for this period.")
                        % {"row": seen[(period, code)]},
                    )
                )
            seen.setdefault((period, code), number)
            texts = {name: cells[columns[name]] for name in schema.texts if name in columns}
            if errors or indicator is None:
                report.add(number, Outcome.ERROR, label, errors)
                continue
            current = existing.get((indicator.pk, period))
            if current is None:
                outcome = Outcome.CREATE
            elif current.status != status or current.texts != texts:
                outcome = Outcome.UPDATE
            else:
                outcome = Outcome.UNCHANGED
            report.add(number, outcome, label)
            planned.append((indicator, period, status, texts, current))
    except TabularError as exc:
        report.file_errors.append(RowError(0, "", str(exc)))
    if not apply or not report.ok:
        return report
    try:
        _check_import(user)
        with transaction.atomic(), batched():
            changed = _write_records(tracker, schema, planned, user=user, progress=progress)
    except (ActionError, ValidationError) as exc:
        message = "; ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
        report.file_errors.append(RowError(0, "", message))
        return report
    report.notes.append(
        _("Activities whose progress follows their indicators' latest status, changed: %(n)s.")
        % {"n": changed}
    )
    report.applied = True
    return report


def _write_records(
    tracker: Tracker,
    schema: TrackerSchema,
    planned: list[tuple[Indicator, str, str, dict[str, str], IndicatorStatus | None]],
    *,
    user: Any,
    progress: Callable[[int], None] | None,
) -> int:
    new, changed = [], []
    for indicator, period, status, texts, current in planned:
        if current is None:
            new.append(
                IndicatorStatus(indicator=indicator, period=period, status=status, texts=texts)
            )
        elif current.status != status or current.texts != texts:
            current.status, current.texts = status, texts
            changed.append(current)
    IndicatorStatus.objects.bulk_create(new, batch_size=500)
    IndicatorStatus.objects.bulk_update(changed, ["status", "texts"], batch_size=500)
    touched = {indicator.activity_id for indicator, *_rest in planned}
    activities = Activity.objects.filter(pk__in=touched).order_by("commitment__number", "order")
    language = "en" if schema.narrative.get("en") else "fr"
    moved = 0
    if progress:
        progress(len(planned))
    for activity in activities:
        percent, period, narrative = activity_percent(activity, schema, language=language)
        reported_on = _month_end(period) if period else None
        if reported_on is not None:
            update = do_import_progress(
                activity,
                progress=percent,
                reported_on=min(reported_on, tracker.plan.period_end),
                acting_user=user,
                narrative=narrative,
                language=language,
            )
            moved += update is not None
    if new or changed or moved:  # the same file again writes nothing, not even this
        AuditLog.record(
            actor=user,
            action="exchange.import_canada_records",
            target=tracker.plan,
            after={"created": len(new), "changed": len(changed), "activities_moved": moved},
        )
    return moved


def activity_percent(
    activity: Activity, schema: TrackerSchema, *, language: str = "en"
) -> tuple[int, str, str]:
    """An activity's progress from its indicators: the mean of the percentage of each
    indicator's latest status (an indicator without any status counts as 0, as a missing
    figure does in the plan's roll-up), rounded; with the latest period and the narrative
    of the indicators reported in it ("C01.1.1: …")."""
    latest: dict[int, IndicatorStatus] = {}
    indicators = list(Indicator.objects.filter(activity=activity))
    for status in IndicatorStatus.objects.filter(indicator__activity=activity).order_by("period"):
        latest[status.indicator_id] = status
    if not indicators:
        return activity.progress, "", ""
    total = 0
    for indicator in indicators:
        found = latest.get(indicator.pk)
        if found is not None:
            total += level_percent(
                schema.statuses[found.status]["level"] or CompletionLevel.NOT_STARTED
            )
    period = max((s.period for s in latest.values()), default="")
    column = schema.narrative.get(language, "")
    lines = [
        f"{code}: {text}"
        for code, text in (
            (s.indicator.code, (s.texts.get(column) or "").strip())
            for s in sorted(latest.values(), key=lambda s: s.indicator.order)
            if s.period == period
        )
        if text
    ]
    # Rounded half up (62.5 → 63), as a person rounds.
    return int(total / len(indicators) + 0.5), period, "\n".join(lines)


# Export -------------------------------------------------------------------------------


def status_for_level(schema: TrackerSchema, level: str) -> str:
    """The schema's status code for an OGP completion level."""
    return next((code for code, s in schema.statuses.items() if s["level"] == level), "")


def export_rows(plan: ActionPlan, period: str) -> Iterator[list[Any]]:
    """The tracker's records for ``period``, in the schema's columns (the header row
    first), one row per indicator: the status the records gave for that period, or else
    the level of the activity's validated progress at the period's end (with its
    narrative when that update was reported in the period). Cells pass through
    :func:`~apps.core.spreadsheets.safe_row`."""
    tracker = Tracker.objects.get(plan=plan)
    schema = TrackerSchema.from_json(tracker.schema)
    yield safe_row(schema.columns)
    end = _month_end(period)
    stored = {
        s.indicator_id: s
        for s in IndicatorStatus.objects.filter(indicator__plan=plan, period=period)
    }
    # The figure each activity had at the period's end: its latest validated update then.
    as_of: dict[int, ProgressUpdate] = {}
    if end is not None:
        updates = (
            ProgressUpdate.objects.validated()
            .filter(activity__commitment__plan=plan, reported_on__lte=end)
            .order_by("reported_on", "validated_at", "pk")
        )
        for update in updates:
            as_of[update.activity_id] = update
    previous = sorted(p for p in schema.periods if p < period)
    since = _month_end(previous[-1]) if previous else None
    indicators = Indicator.objects.filter(plan=plan).order_by("order", "pk")
    for indicator in indicators.iterator():
        values: dict[str, Any] = {
            schema.period: period,
            schema.commitment: _parent(_parent(indicator.code)),
            schema.milestone: _parent(indicator.code),
            schema.indicator: indicator.code,
        }
        found = stored.get(indicator.pk)
        if found is not None:
            values[schema.status] = found.status
            values.update(found.texts)
        else:
            update = as_of.get(indicator.activity_id)
            values[schema.status] = status_for_level(
                schema, completion_level(update.progress if update else 0)
            )
            if update is not None and (since is None or update.reported_on > since):
                for lang, column in schema.narrative.items():
                    if column:
                        values[column] = getattr(update, f"narrative_{lang}", "") or ""
        yield safe_row(values.get(name, "") for name in schema.columns)


def export_csv(plan: ActionPlan, period: str) -> str:
    """The records of ``period`` as CSV text (UTF-8 with a byte-order mark when
    written, so that Excel reads the French accents)."""
    out = io.StringIO()
    writer = csv.writer(out)
    for row in export_rows(plan, period):
        writer.writerow(row)
    return out.getvalue()


def export_xlsx(plan: ActionPlan, period: str) -> bytes:
    """The records of ``period`` as an Excel workbook (one sheet named after the
    period)."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=period[:31] or "records")
    for row in export_rows(plan, period):
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def record_export(plan: ActionPlan, period: str, fmt: str, *, user: Any) -> None:
    """The audit row of an export."""
    AuditLog.record(
        actor=user,
        action="exchange.export_canada",
        target=plan,
        after={"period": period, "format": fmt},
    )


# The importer -------------------------------------------------------------------------


def run(
    path: Path,
    *,
    apply: bool,
    user: Any,
    options: dict[str, Any],
    progress: Callable[[int], None] | None = None,
) -> ImportReport:
    """Import a tracker schema (the structure) or records (the statuses), whichever the
    file is. Options: ``plan`` (slug), and for a schema ``member``, ``title``,
    ``period_start``, ``period_end``."""
    path = Path(path)
    if is_schema(path):
        return import_structure(path, apply=apply, user=user, options=options, progress=progress)
    return import_records(path, apply=apply, user=user, options=options, progress=progress)


def periods_of(plan: ActionPlan) -> list[str]:
    """The reporting periods the plan's tracker schema allows (latest first)."""
    tracker = Tracker.objects.filter(plan=plan).first()
    if tracker is None:
        return []
    return sorted(TrackerSchema.from_json(tracker.schema).periods, reverse=True)
