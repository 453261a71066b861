"""Import of OGP's commitments dataset: every commitment of every member, one row each
("Commitment Unique Identifier", "Country/Locality", "Action Plan Number", "Commitment
Number", "Year Of Submission", "Action Plan End Year", "Theme", "Commitment Title",
"Full Text", dates, institutions, the four OGP values coded 1/0/ND/NR, one column per
policy area, IRM assessment columns).

What it creates: the members' plans (one per member × action plan number, over the years
the dataset gives), their themes, commitments, institutions (lead and supporting) and
policy areas (:class:`apps.plans.models.Tag`). A row is one commitment, found again by
OGP's identifier (or, for a commitment that has none yet, by member, plan number and
commitment number): importing the same file twice changes nothing.

Columns are found by their names whatever the case, spaces and punctuation ("Country /
Locality" is "Country/Locality"). A column the importer does not know is a policy area
when every cell of it is a 1/0 code (the file is read twice for that: once to classify
the columns, once to import; memory stays bounded). What cannot be read is kept as text
and said in the report's notes (a date "S II 2023", a value code "?"); a row that cannot
be a commitment (no member, no number) is an error, and then nothing is written.

Text goes into the English columns (OGP publishes in English); a member's name, a proper
noun, is written in the three languages so that every page can name it. The plan's title
is written in the three languages.

``progress`` is called with the share of rows done, 0 to 100.
"""

from __future__ import annotations

import datetime
import hashlib
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, ngettext

from apps.accounts.models import Institution
from apps.core.actions import do_save_object
from apps.core.batch import batched
from apps.core.errors import ActionError, check_permission
from apps.core.models import AuditLog
from apps.exchange.ogp_text import is_flag, read_date, read_flag, read_full_text, read_institutions
from apps.exchange.report import ImportReport, Outcome, RowError
from apps.exchange.tabular import TabularError, open_table, western_digits
from apps.plans import actions as plan_actions
from apps.plans.choices import IrmCompletion, MemberKind, PlanStatus
from apps.plans.models import ActionPlan, Commitment, Tag, Theme

KIND = "ogp"
SOURCE_LANGUAGE = "en"


def normalise(header: str) -> str:
    """A column name as compared: lower case, letters and digits only, "&" as "and"."""
    return re.sub(r"[^a-z0-9]+", "", header.lower().replace("&", "and"))


# Field → the names its column goes by (normalised).
COLUMNS: dict[str, tuple[str, ...]] = {
    "ogp_id": ("commitmentuniqueidentifier", "uniqueidentifier", "commitmentid", "ogpid"),
    "member": ("countrylocality", "country", "locality", "member", "countryorlocality"),
    "member_kind": ("nationalorlocal", "nationallocal", "membertype", "typeofmember"),
    "plan_number": ("actionplannumber", "actionplan", "plannumber", "actionplanno"),
    "number": ("commitmentnumber", "commitmentno", "commitmentnum"),
    "start_year": ("yearofsubmission", "submissionyear", "actionplanstartyear"),
    "end_year": ("actionplanendyear", "planendyear"),
    "theme": ("theme", "cluster", "commitmentcluster"),
    "title": ("commitmenttitle", "title"),
    "short_title": ("shorttitle",),
    "full_text": ("fulltext", "commitmentfulltext", "commitmenttext"),
    "start_date": ("startdate", "commitmentstartdate"),
    "end_date": ("enddate", "commitmentenddate"),
    "lead": ("leadinstitution", "leadinstitutions", "leadagency", "leadimplementingagency"),
    "supporting": (
        "supportinginstitutions",
        "supportinginstitution",
        "supportinginstitutionss",
        "otheractorsinvolved",
    ),
    "access_to_information": ("accesstoinformation", "ogpvalueaccesstoinformation"),
    "civic_participation": ("civicparticipation", "ogpvaluecivicparticipation"),
    "public_accountability": ("publicaccountability", "ogpvaluepublicaccountability"),
    "technology_innovation": (
        "technologyandinnovationfortransparencyandaccountability",
        "technologyandinnovation",
        "technologyinnovation",
        "ogpvaluetechnologyandinnovationfortransparencyandaccountability",
    ),
    "irm_completion": (
        "completion",
        "irmcompletion",
        "completionlevel",
        "completionendofterm",
        "endoftermcompletion",
        "completioneot",
        "finalcompletion",
    ),
    "irm_potential_impact": ("potentialimpact", "irmpotentialimpact", "potentialforresults"),
    "irm_open_government": ("diditopengovernment", "diditopengovernmentoverall"),
}
REQUIRED = ("member", "plan_number", "number")
VALUES = (
    "access_to_information",
    "civic_participation",
    "public_accountability",
    "technology_innovation",
)
# Columns OGP adds that are not policy areas even when they hold 1/0 (kept out of tags;
# listed as not imported).
_NOT_TAGS = (
    *("irm", "starred", "specificity", "impact", "result", "verifiab", "relevan"),
    *("ambition", "completion", "opengovernment", "dummy", "duration", "region", "code"),
    *("midterm", "url", "link", "comment", "note", "year", "number", "date", "title", "text"),
)

_COMPLETION = {
    "notstarted": IrmCompletion.NOT_STARTED,
    "limited": IrmCompletion.LIMITED,
    "substantial": IrmCompletion.SUBSTANTIAL,
    "complete": IrmCompletion.COMPLETE,
    "completed": IrmCompletion.COMPLETE,
    "withdrawn": IrmCompletion.WITHDRAWN,
    "noevidenceavailable": IrmCompletion.NO_EVIDENCE,
    "noevidence": IrmCompletion.NO_EVIDENCE,
}
_LOCAL = {"local", "subnational", "locality", "ogplocal"}
_NATIONAL = {"national", "country", ""}
_EMPTY = {"", "na", "n/a", "nan", "none", "-"}

TITLE_MAX = 500


# Notes on what was read with care, by kind: "%(count)s" and "%(examples)s" (a few
# cells, with their rows) are filled in.
NOTES = {
    "text_sections": gettext_noop(
        "Full text split into the template's sections: %(count)s commitments "
        "(the whole text is kept too)."
    ),
    "text_whole": gettext_noop(
        "Full text without the template's headings, kept whole as the brief description: "
        "%(count)s commitments."
    ),
    "date_period": gettext_noop(
        "Dates that name a month, a quarter, a half or a year (kept as written; the "
        "period's first or last day is used): %(count)s, e.g. %(examples)s."
    ),
    "date_text": gettext_noop(
        "Dates that could not be read, kept as text: %(count)s, e.g. %(examples)s."
    ),
    "date_month_first": gettext_noop(
        "Dates such as 1/2/2019 read month first, as OGP writes them: %(count)s, e.g. %(examples)s."
    ),
    "date_reversed": gettext_noop(
        "End dates before the start date, kept as text only: %(count)s, e.g. %(examples)s."
    ),
    "value_not_coded": gettext_noop("OGP value cells coded ND or NR, read as no: %(count)s."),
    "value_unknown": gettext_noop(
        "OGP value cells not understood, read as no: %(count)s, e.g. %(examples)s."
    ),
    "completion_unknown": gettext_noop(
        "IRM completion not understood, left empty: %(count)s, e.g. %(examples)s."
    ),
    "title_long": gettext_noop(
        "Titles longer than 500 characters, the short title used or the title shortened: "
        "%(count)s, e.g. %(examples)s."
    ),
    "lead_several": gettext_noop(
        "Lead institution cells naming several bodies, the first one leads and the others "
        "support: %(count)s, e.g. %(examples)s."
    ),
    "kind_unknown": gettext_noop(
        "“National Or Local” not understood, taken as a country: %(count)s, e.g. %(examples)s."
    ),
    "plan_years_assumed": gettext_noop(
        "Plans without an end year, taken as lasting two years: %(count)s, e.g. %(examples)s."
    ),
    "plan_years_differ": gettext_noop(
        "Rows whose plan years differ from the plan's period (the period kept): %(count)s, "
        "e.g. %(examples)s."
    ),
}


@dataclass
class Columns:
    """Where each field is in the file, which columns are policy areas, which are not
    imported."""

    headers: list[str]
    index: dict[str, int] = field(default_factory=dict)
    candidates: list[int] = field(default_factory=list)  # unknown: tags if all 1/0
    tags: list[int] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)

    @classmethod
    def find(cls, headers: list[str]) -> Columns:
        found = cls(headers)
        lookup = {alias: key for key, aliases in COLUMNS.items() for alias in aliases}
        for i, header in enumerate(headers):
            name = normalise(header)
            key = lookup.get(name)
            if (
                key is None
                and "completion" in name
                and any(w in name for w in ("endofterm", "final", "eot"))
            ):
                key = "irm_completion"
            if key is not None:
                if key in found.index:
                    found.duplicates.append(header)
                else:
                    found.index[key] = i
            elif not name:
                if header.strip():  # a name in another script only
                    found.skipped.append(header)
            elif any(hint in name for hint in _NOT_TAGS):
                found.skipped.append(header)
            else:
                found.candidates.append(i)
        return found

    def missing(self) -> list[str]:
        names = {
            "member": "Country/Locality",
            "plan_number": "Action Plan Number",
            "number": "Commitment Number",
        }
        missing = [names[k] for k in REQUIRED if k not in self.index]
        if "title" not in self.index and "short_title" not in self.index:
            missing.append("Commitment Title")
        return missing

    def classify(self, rows: Iterator[tuple[int, list[str]]]) -> int:
        """Read every row once: the candidates whose cells are all 1/0 codes are policy
        areas. Returns the number of rows."""
        flags = dict.fromkeys(self.candidates, True)
        total = 0
        for _number, cells in rows:
            total += 1
            for i in self.candidates:
                if flags[i] and not is_flag(cells[i]):
                    flags[i] = False
        self.tags = [i for i in self.candidates if flags[i]]
        self.skipped += [self.headers[i] for i in self.candidates if not flags[i]]
        return total

    def cell(self, cells: list[str], key: str) -> str:
        i = self.index.get(key)
        return cells[i].strip() if i is not None else ""


class _RowProblem(Exception):
    """A row that cannot be written; its message (a msgid and its values) is translated
    when reported, outside the source language the writes run in."""

    def __init__(self, message: str, **values: Any) -> None:
        super().__init__(message)
        self.message, self.values = message, values

    def __str__(self) -> str:
        return _(self.message) % self.values if self.values else _(self.message)


class _Rollback(Exception):
    """Leaves the import's transaction without writing (preview, or errors)."""


class _Notes:
    """What the report says besides the rows: counts per kind, a few examples each."""

    EXAMPLES = 3

    def __init__(self) -> None:
        self.counts: Counter[str] = Counter()
        self.examples: dict[str, list[str]] = defaultdict(list)

    def add(self, kind: str, example: str = "") -> None:
        self.counts[kind] += 1
        if example and len(self.examples[kind]) < self.EXAMPLES:
            self.examples[kind].append(example)

    def eg(self, kind: str) -> str:
        return ", ".join(self.examples[kind])


def _int(text: str) -> int | None:
    text = western_digits(text).strip()
    if re.fullmatch(r"\d+(?:\.0+)?", text):
        return int(float(text))
    return None


def _year(text: str) -> int | None:
    value = _int(text)
    return value if value is not None and 1990 <= value <= 2100 else None


def _quoted(value: str, row: int) -> str:
    value = " ".join(value.split())
    return _("“%(value)s” (row %(row)s)") % {"value": value[:60], "row": row}


@dataclass
class _Row:
    number: int
    ogp_id: str
    member: str
    member_kind: str
    plan_number: int
    commitment_number: int
    fields: dict[str, Any]
    theme: str
    lead: str
    supporting: list[str]
    tags: list[str]
    start_year: int | None
    end_year: int | None


class _Importer:
    def __init__(self, report: ImportReport, columns: Columns, user: Any) -> None:
        self.report = report
        self.columns = columns
        self.user = user
        self.notes = _Notes()
        self.seen_ids: dict[str, int] = {}
        self.seen_numbers: dict[tuple[str, int, int], int] = {}
        self.plans: dict[tuple[str, int], ActionPlan | None] = {}
        self.plan_commitments: dict[int, dict[int, int]] = {}
        self.themes: dict[int, dict[str, Theme]] = {}
        self.institutions: dict[str, dict[str, Institution]] = {}
        self.tags: dict[str, Tag] = {t.slug: t for t in Tag.objects.all()}
        self.by_ogp_id: dict[str, int] = dict(
            Commitment.objects.exclude(ogp_id="").values_list("ogp_id", "pk")
        )
        self.tag_names = {i: columns.headers[i].strip()[:200] for i in columns.tags}
        self.tag_by_name: dict[str, Tag] = {}
        self.current_tags: defaultdict[int, set[int]] = defaultdict(set)
        self.current_supporting: defaultdict[int, set[int]] = defaultdict(set)
        self.members: dict[str, str] = {}  # member → kind, for the notes

    # Reading a row ----------------------------------------------------------------------

    def parse(self, number: int, cells: list[str]) -> _Row | list[RowError]:
        c = self.columns
        errors: list[RowError] = []

        def header(key: str) -> str:
            return c.headers[c.index[key]] if key in c.index else ""

        member = " ".join(c.cell(cells, "member").split())[:200]
        if not member:
            errors.append(RowError(number, header("member"), _("Required for a commitment.")))
        plan_number = _int(c.cell(cells, "plan_number"))
        if plan_number is None or plan_number < 1:
            errors.append(
                RowError(
                    number, header("plan_number"), self._not_number(c.cell(cells, "plan_number"))
                )
            )
        commitment_number = _int(c.cell(cells, "number"))
        if commitment_number is None or not 1 <= commitment_number <= 32767:
            errors.append(
                RowError(number, header("number"), self._not_number(c.cell(cells, "number")))
            )
        ogp_id = c.cell(cells, "ogp_id")[:40]
        if ogp_id.lower() in _EMPTY:
            ogp_id = ""
        title = " ".join(c.cell(cells, "title").split())
        short = " ".join(c.cell(cells, "short_title").split())
        if len(title) > TITLE_MAX:
            self.notes.add("title_long", _quoted(title, number))
            title = short if short and len(short) <= TITLE_MAX else title[: TITLE_MAX - 1] + "…"
        title = title or short[:TITLE_MAX]
        if not title:
            errors.append(
                RowError(
                    number,
                    header("title") or header("short_title"),
                    _("Required for a commitment."),
                )
            )
        if ogp_id and ogp_id in self.seen_ids:
            errors.append(
                RowError(
                    number,
                    header("ogp_id"),
                    _("Commitment %(id)s is already in row %(row)s.")
                    % {"id": ogp_id, "row": self.seen_ids[ogp_id]},
                )
            )
        if not errors:
            assert plan_number is not None and commitment_number is not None
            key = (member.casefold(), plan_number, commitment_number)
            if key in self.seen_numbers:
                errors.append(
                    RowError(
                        number,
                        header("number"),
                        _("Commitment %(number)s of this plan is already in row %(row)s.")
                        % {"number": commitment_number, "row": self.seen_numbers[key]},
                    )
                )
            else:
                self.seen_numbers[key] = number
        if ogp_id:
            self.seen_ids.setdefault(ogp_id, number)
        if errors:
            return errors
        assert plan_number is not None and commitment_number is not None

        fields: dict[str, Any] = {"title_en": title}
        if ogp_id:
            fields["ogp_id"] = ogp_id
        # Full text: kept whole, and its template's sections in the commitment's fields.
        full = c.cell(cells, "full_text")
        if full.lower() not in _EMPTY:
            fields["full_text_en"] = full
            parsed = read_full_text(full)
            self.notes.add("text_sections" if parsed.structured else "text_whole")
            for name, value in parsed.fields.items():
                fields[f"{name}_en"] = value
        # Dates.
        start = read_date(c.cell(cells, "start_date"))
        end = read_date(c.cell(cells, "end_date"), is_end=True)
        for which, read in (("start", start), ("end", end)):
            if read.kind == "period":
                self.notes.add("date_period", _quoted(read.text, number))
            elif read.kind == "text":
                self.notes.add("date_text", _quoted(read.text, number))
            if read.month_first:
                self.notes.add("date_month_first", _quoted(c.cell(cells, f"{which}_date"), number))
        start_date, end_date = start.date, end.date
        end_text = end.text
        if start_date and end_date and end_date < start_date:
            self.notes.add("date_reversed", _quoted(c.cell(cells, "end_date"), number))
            end_date, end_text = None, c.cell(cells, "end_date")[:100]
        if start.kind != "empty":
            fields.update(start_date=start_date, start_date_text=start.text)
        if end.kind != "empty":
            fields.update(end_date=end_date, end_date_text=end_text)
        # OGP values.
        for name in VALUES:
            if name in c.index:
                flag, how = read_flag(c.cell(cells, name))
                fields[name] = flag
                if how == "not_coded":
                    self.notes.add("value_not_coded")
                elif how == "unknown":
                    self.notes.add("value_unknown", _quoted(c.cell(cells, name), number))
        # IRM.
        completion = c.cell(cells, "irm_completion")
        if completion and completion.lower() not in _EMPTY:
            level = _COMPLETION.get(normalise(completion))
            if level is None:
                self.notes.add("completion_unknown", _quoted(completion, number))
            else:
                fields["irm_completion"] = level
        for name in ("irm_potential_impact", "irm_open_government"):
            value = c.cell(cells, name)
            if value and value.lower() not in _EMPTY:
                fields[name] = value[:60]
        # Institutions: a lead cell naming several bodies makes the first one lead.
        leads = read_institutions(c.cell(cells, "lead"))
        supporting = read_institutions(c.cell(cells, "supporting"))
        if len(leads) > 1:
            self.notes.add("lead_several", _quoted(c.cell(cells, "lead"), number))
            supporting = [n for n in leads[1:] if n not in supporting] + supporting
        kind_text = normalise(c.cell(cells, "member_kind"))
        if kind_text in _LOCAL:
            member_kind = MemberKind.LOCAL
        else:
            if kind_text not in _NATIONAL:
                self.notes.add("kind_unknown", _quoted(c.cell(cells, "member_kind"), number))
            member_kind = MemberKind.NATIONAL
        return _Row(
            number=number,
            ogp_id=ogp_id,
            member=member,
            member_kind=member_kind,
            plan_number=plan_number,
            commitment_number=commitment_number,
            fields=fields,
            theme=" ".join(c.cell(cells, "theme").split())[:300],
            lead=leads[0][:300] if leads else "",
            supporting=[n[:300] for n in supporting],
            tags=[self.tag_names[i] for i in c.tags if read_flag(cells[i])[0]],
            start_year=_year(c.cell(cells, "start_year")),
            end_year=_year(c.cell(cells, "end_year")),
        )

    @staticmethod
    def _not_number(text: str) -> str:
        if not text:
            return _("Required for a commitment.")
        return _("“%(value)s” is not a whole number from 1.") % {"value": text[:40]}

    # Writing a row ----------------------------------------------------------------------

    def write(self, row: _Row) -> str:
        """Create or update the row's commitment (and what it needs); its outcome."""
        plan = self.plan(row)
        existing_pk = self.by_ogp_id.get(row.ogp_id) if row.ogp_id else None
        if existing_pk is None:
            existing_pk = self.plan_commitments[plan.pk].get(row.commitment_number)
        fields = dict(row.fields)
        if row.theme:
            fields["theme"] = self.theme(plan, row.theme)
        lead = self.institution(row.member, row.lead) if row.lead else None
        supporting = [self.institution(row.member, n) for n in row.supporting]
        supporting = list({i.pk: i for i in supporting if i != lead}.values())
        tags = [self.tag(name) for name in row.tags]
        if existing_pk is None:
            commitment = plan_actions.do_create_commitment(
                plan,
                acting_user=self.user,
                lead_institution=lead,
                # The file's numbers and identifiers are checked against each other and
                # the platform's (``parse``, ``by_ogp_id``, ``plan_commitments``).
                checked=True,
                number=row.commitment_number,
                **fields,
            )
            if supporting:
                commitment.supporting_institutions.add(*supporting)
            self.current_supporting[commitment.pk] = {i.pk for i in supporting}
            if tags:
                commitment.tags.add(*tags)
            self.current_tags[commitment.pk] = {t.pk for t in tags}
            if supporting or tags:
                AuditLog.record(
                    actor=self.user,
                    action="exchange.import_ogp_commitment",
                    target=commitment,
                    after={
                        "row": row.number,
                        "supporting_institutions": sorted(i.pk for i in supporting),
                        "tags": sorted(t.pk for t in tags),
                    },
                )
            self.plan_commitments[plan.pk][row.commitment_number] = commitment.pk
            if row.ogp_id:
                self.by_ogp_id[row.ogp_id] = commitment.pk
            return Outcome.CREATE
        commitment = Commitment.objects.get(pk=existing_pk)
        if commitment.plan_id != plan.pk:
            # OGP's identifier names a commitment of another plan: it moved (a
            # renumbered plan). The platform does not move commitments between plans.
            raise _RowProblem(
                gettext_noop(
                    "Commitment %(id)s belongs to another plan on the platform (%(plan)s)."
                ),
                id=row.ogp_id,
                plan=commitment.plan.slug,
            )
        if commitment.number != row.commitment_number:
            fields["number"] = row.commitment_number
        changed = {
            name: value
            for name, value in fields.items()
            if getattr(commitment, name if name != "theme" else "theme_id")
            != (value.pk if isinstance(value, models.Model) else value)
        }
        outcome = Outcome.UNCHANGED
        if changed:
            plan_actions.do_edit_commitment(commitment, acting_user=self.user, **changed)
            outcome = Outcome.UPDATE
        if row.lead and commitment.lead_institution_id != (lead.pk if lead else None):
            plan_actions.do_change_lead_institution(commitment, lead, acting_user=self.user)
            outcome = Outcome.UPDATE
        wanted_supporting = {i.pk for i in supporting}
        if row.supporting and self.current_supporting[commitment.pk] != wanted_supporting:
            plan_actions.do_set_supporting_institutions(
                commitment, supporting, acting_user=self.user
            )
            self.current_supporting[commitment.pk] = wanted_supporting
            outcome = Outcome.UPDATE
        wanted_tags = {t.pk for t in tags}
        if self.columns.tags and self.current_tags[commitment.pk] != wanted_tags:
            plan_actions.do_set_tags(commitment, tags, acting_user=self.user)
            self.current_tags[commitment.pk] = wanted_tags
            outcome = Outcome.UPDATE
        return outcome

    def plan(self, row: _Row) -> ActionPlan:
        key = (row.member.casefold(), row.plan_number)
        if key in self.plans:
            plan = self.plans[key]
            assert plan is not None
            self._check_years(plan, row)
            return plan
        name = row.member
        plan = (
            ActionPlan.objects.filter(
                Q(member_ar__iexact=name) | Q(member_fr__iexact=name) | Q(member_en__iexact=name),
                ordinal=row.plan_number,
            )
            .order_by("pk")
            .first()
        )
        if plan is None:
            plan = self._create_plan(row)
        else:
            self._check_years(plan, row)
        self.plans[key] = plan
        self.plan_commitments[plan.pk] = dict(
            Commitment.objects.filter(plan=plan).values_list("number", "pk")
        )
        # The plan's policy areas and supporting institutions, two queries per plan
        # rather than two per row (ids only).
        links: Any = Commitment.tags.through
        pairs = links.objects.filter(commitment__plan=plan).values_list("commitment_id", "tag_id")
        for commitment_id, tag_id in pairs:
            self.current_tags[commitment_id].add(tag_id)
        links = Commitment.supporting_institutions.through
        pairs = links.objects.filter(commitment__plan=plan).values_list(
            "commitment_id", "institution_id"
        )
        for commitment_id, institution_id in pairs:
            self.current_supporting[commitment_id].add(institution_id)
        self.members.setdefault(row.member.casefold(), row.member_kind)
        return plan

    def _check_years(self, plan: ActionPlan, row: _Row) -> None:
        if (row.start_year and row.start_year != plan.period_start.year) or (
            row.end_year and row.end_year != plan.period_end.year
        ):
            self.notes.add(
                "plan_years_differ", _quoted(f"{row.start_year}–{row.end_year}", row.number)
            )

    def _create_plan(self, row: _Row) -> ActionPlan:
        start_year, end_year = row.start_year, row.end_year
        start_date, end_date = row.fields.get("start_date"), row.fields.get("end_date")
        start_year = start_year or (end_year - 2 if end_year else None)
        start_year = start_year or (start_date.year if start_date else None)
        if not end_year:
            end_year = (
                end_date.year if end_date and start_year and end_date.year >= start_year else None
            )
            end_year = end_year or (start_year + 2 if start_year else None)
            if start_year:
                self.notes.add(
                    "plan_years_assumed", _quoted(f"{row.member} {row.plan_number}", row.number)
                )
        if start_year is None or end_year is None:
            raise _RowProblem(
                gettext_noop(
                    "No year for this plan: fill in “Year Of Submission” or “Action Plan End Year”."
                )
            )
        if end_year < start_year:
            raise _RowProblem(gettext_noop("The plan's end year is before its first year."))
        period_end = datetime.date(end_year, 12, 31)
        titles = {}
        for language in ("ar", "fr", "en"):
            with translation.override(language):
                titles[f"title_{language}"] = _(
                    "%(member)s: action plan %(number)s (%(start)s–%(end)s)"
                ) % {
                    "member": row.member,
                    "number": row.plan_number,
                    "start": start_year,
                    "end": end_year,
                }
        status = (
            PlanStatus.COMPLETED if period_end < timezone.localdate() else PlanStatus.IMPLEMENTATION
        )
        fields = {
            # A proper noun: the same in every language until someone translates it.
            "member_ar": row.member,
            "member_fr": row.member,
            "member_en": row.member,
            "member": row.member,
            "member_kind": row.member_kind,
            "ordinal": row.plan_number,
            **titles,
            "title": titles["title_en"],
            "slug": self._slug(ActionPlan, f"{row.member}-{row.plan_number}"),
            "period_start": datetime.date(start_year, 1, 1),
            "period_end": period_end,
            "status": status,
        }
        plan = do_save_object(ActionPlan(), acting_user=self.user, fields=fields)
        self.notes.add("plans_created")
        if row.member_kind == MemberKind.LOCAL:
            self.notes.add("plans_local")
        return plan

    def theme(self, plan: ActionPlan, title: str) -> Theme:
        themes = self.themes.get(plan.pk)
        if themes is None:
            themes = {}
            for theme in Theme.objects.filter(plan=plan):
                for language in ("ar", "fr", "en"):
                    value = getattr(theme, f"title_{language}", None)
                    if value:
                        themes.setdefault(value.casefold(), theme)
            self.themes[plan.pk] = themes
        key = title.casefold()
        if key not in themes:
            order = len({t.pk for t in themes.values()}) + 1
            themes[key] = do_save_object(
                Theme(plan=plan),
                acting_user=self.user,
                fields={"title_en": title, "title": title, "order": order},
            )
            self.notes.add("themes_created")
        return themes[key]

    def institution(self, member: str, name: str) -> Institution:
        """The body named ``name`` in ``member``'s plans: the same name in another
        member's plans is another body (every country has a Ministry of Finance)."""
        known = self.institutions.get(member.casefold())
        if known is None:
            known = {}
            plans = ActionPlan.objects.filter(
                Q(member_ar__iexact=member)
                | Q(member_fr__iexact=member)
                | Q(member_en__iexact=member)
            )
            slug_prefix = self._base_slug(member) + "-"
            found = Institution.objects.filter(
                Q(led_commitments__plan__in=plans)
                | Q(supported_commitments__plan__in=plans)
                | Q(slug__startswith=slug_prefix)
            ).distinct()
            for institution in found:
                for language in ("ar", "fr", "en"):
                    value = getattr(institution, f"name_{language}", None)
                    if value:
                        known.setdefault(value.casefold(), institution)
            self.institutions[member.casefold()] = known
        key = name.casefold()
        if key not in known:
            known[key] = do_save_object(
                Institution(),
                acting_user=self.user,
                fields={
                    "name_en": name,
                    "name": name,
                    "kind": Institution.Kind.GOVERNMENT,
                    "slug": self._slug(Institution, f"{member}-{name}"),
                },
            )
            self.notes.add("institutions_created")
        return known[key]

    def tag(self, name: str) -> Tag:
        found = self.tag_by_name.get(name)
        if found is not None:
            return found
        slug = self._base_slug(name)
        if slug not in self.tags:
            self.tags[slug] = do_save_object(
                Tag(), acting_user=self.user, fields={"name_en": name, "name": name, "slug": slug}
            )
            self.notes.add("tags_created")
        self.tag_by_name[name] = self.tags[slug]
        return self.tags[slug]

    @staticmethod
    def _base_slug(text: str) -> str:
        slug = slugify(text)[:60].strip("-")
        if not slug or len(slugify(text)) > 60:
            digest = hashlib.sha1(text.casefold().encode(), usedforsecurity=False).hexdigest()[:8]
            slug = f"{slug}-{digest}".strip("-")
        return slug

    def _slug(self, model: type[models.Model], text: str) -> str:
        base = self._base_slug(text)
        slug, n = base, 1
        while model._default_manager.filter(slug=slug).exists():
            n += 1
            slug = f"{base}-{n}"
        return slug

    # Notes ------------------------------------------------------------------------------

    def render_notes(self) -> list[str]:
        n, eg = self.notes.counts, self.notes.eg
        c = self.columns
        lines = []
        created = [
            (
                n["plans_created"],
                ngettext("%(count)s plan created", "%(count)s plans created", n["plans_created"]),
            ),
            (
                n["themes_created"],
                ngettext(
                    "%(count)s theme created", "%(count)s themes created", n["themes_created"]
                ),
            ),
            (
                n["institutions_created"],
                ngettext(
                    "%(count)s institution created",
                    "%(count)s institutions created",
                    n["institutions_created"],
                ),
            ),
            (
                n["tags_created"],
                ngettext(
                    "%(count)s policy area created",
                    "%(count)s policy areas created",
                    n["tags_created"],
                ),
            ),
        ]
        done = [text % {"count": count} for count, text in created if count]
        if done:
            lines.append(", ".join(done) + ".")
        if self.members:
            local = sum(1 for kind in self.members.values() if kind == MemberKind.LOCAL)
            lines.append(
                _("Members in the file: countries %(countries)s, localities %(localities)s.")
                % {"countries": len(self.members) - local, "localities": local}
            )
        if "member_kind" not in c.index:
            lines.append(_("No “National Or Local” column: every member is taken as a country."))
        if n["institutions_created"]:
            lines.append(_("New institutions are recorded as government bodies: check their kind."))
        if c.tags:
            lines.append(
                _("Policy areas read from %(count)s columns of 1/0 codes.") % {"count": len(c.tags)}
            )
        if c.skipped:
            lines.append(
                _("Columns not imported: %(columns)s.") % {"columns": ", ".join(c.skipped)}
            )
        if c.duplicates:
            lines.append(
                _("Columns found twice, the first one read: %(columns)s.")
                % {"columns": ", ".join(c.duplicates)}
            )
        for kind, text in NOTES.items():
            if n[kind]:
                lines.append(_(text) % {"count": n[kind], "examples": eg(kind)})
        return lines


def run(
    path: Path,
    *,
    apply: bool,
    user: Any,
    options: dict[str, Any] | None = None,
    progress: Callable[[int], None] | None = None,
) -> ImportReport:
    """Import OGP's commitments dataset at ``path`` (see the module's docstring)."""
    report = ImportReport(kind=KIND)
    try:
        check_permission(
            user,
            "plans.add_commitment",
            None,
            ActionError(_("Only the secretariat changes the action plans.")),
        )
    except ActionError as error:
        report.file_errors.append(RowError(0, "", str(error)))
        return report
    try:
        table = open_table(path)
        columns = Columns.find(table.headers)
        missing = columns.missing()
        if missing:
            report.file_errors.append(
                RowError(
                    0,
                    "",
                    _("Columns missing from OGP's dataset: %(columns)s.")
                    % {"columns": ", ".join(missing)},
                )
            )
            return report
        total = columns.classify(table.rows)
        table = open_table(path)
    except TabularError as error:
        report.file_errors.append(RowError(0, "", str(error)))
        return report

    importer = _Importer(report, columns, user)
    try:
        with transaction.atomic(), batched():
            for done, (number, cells) in enumerate(table.rows, start=1):
                _import_row(importer, report, number, cells)
                if progress and (done % 100 == 0 or done == total):
                    progress(done)
            if not apply or not report.ok:
                raise _Rollback
            report.applied = True
    except _Rollback:
        pass
    except TabularError as error:
        report.file_errors.append(RowError(0, "", str(error)))
        report.applied = False
    except ActionError as error:
        report.file_errors.append(RowError(0, "", str(error)))
        report.applied = False
    report.notes += importer.render_notes()
    return report


def _label(row: _Row) -> str:
    where = f"{row.member} {row.plan_number}.{row.commitment_number}"
    return f"{row.ogp_id} · {where}" if row.ogp_id else where


def _import_row(importer: _Importer, report: ImportReport, number: int, cells: list[str]) -> None:
    parsed = importer.parse(number, cells)
    if isinstance(parsed, list):
        c = importer.columns
        label = " ".join(
            v
            for v in (c.cell(cells, "ogp_id"), c.cell(cells, "member"), c.cell(cells, "number"))
            if v
        )
        report.add(number, Outcome.ERROR, label or str(number), parsed)
        return
    try:
        # A savepoint per row: a refused row leaves the others' work usable (PostgreSQL
        # refuses every query after a failed one in the same transaction). What the
        # importer cached from a refused row may be stale afterwards; it only colours
        # the outcomes of the preview, since a refused row means nothing is written.
        with transaction.atomic(), translation.override(SOURCE_LANGUAGE):
            outcome = importer.write(parsed)
    except (ActionError, _RowProblem) as error:
        report.add(number, Outcome.ERROR, _label(parsed), [RowError(number, "", str(error))])
        return
    except (ValidationError, IntegrityError) as error:
        report.add(number, Outcome.ERROR, _label(parsed), [RowError(number, "", _reason(error))])
        return
    report.add(number, outcome, _label(parsed))


def _reason(error: Exception) -> str:
    if isinstance(error, ValidationError) and hasattr(error, "message_dict"):
        return "; ".join(
            f"{name}: {' '.join(messages)}" for name, messages in error.message_dict.items()
        )
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return str(error)
