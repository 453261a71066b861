"""The public open data: every table the public may read, as CSV, Excel and JSON, and
the Frictionless data package that describes them.

What is public is decided where the public pages decide it, never here: validated
progress updates are ``ProgressUpdate.objects.visible_to(<anonymous>)``, meetings
``Meeting.objects.visible_to(<anonymous>)``, snapshots and minutes those of
``Meeting.objects.with_published_minutes()``; plans, commitments, activities, themes and
institutions are public pages already. The files are the same for everyone (a signed-in
secretariat downloads what the public downloads), so a draft never leaks into them.

Who reported a figure is given as the reporting focal point's institution, not the
person: the institution answers for its commitments, a bulk file is copied and indexed
far from the page, and no e-mail address or person's name is in any table.

Field names are stable identifiers (the same in every language and format), texts come
in three columns (``title_ar``, ``title_fr``, ``title_en``), codes (status, completion
level) are listed in the schema. Every cell goes through
:func:`apps.core.spreadsheets.safe_cell`, in every format, so the three agree.

Each export is one query, read in chunks (``.iterator(chunk_size=…)``) and written as it
is read: CSV and JSON stream, Excel is written row by row (openpyxl's write-only mode)
into a temporary file that is then streamed. Memory stays constant whatever the size.
"""

from __future__ import annotations

import csv
import datetime
import decimal
import json
import tempfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db import models
from django.db.models import Count, OuterRef, Subquery
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.functional import Promise, lazy
from django.utils.translation import gettext_lazy as _

from apps.accounts.models import Institution
from apps.committees.models import (
    AgendaItem,
    Decision,
    Meeting,
    Snapshot,
    SnapshotActivity,
    SnapshotRow,
)
from apps.core.languages import LANGUAGES
from apps.core.spreadsheets import safe_cell, safe_row
from apps.plans.choices import CompletionLevel, IrmCompletion, MemberKind, PlanStatus
from apps.plans.models import ActionPlan, Activity, Commitment, Tag, Theme
from apps.tracking.models import ProgressUpdate, UpdateSource

CHUNK = 2000
FORMATS = ("csv", "xlsx", "json")
MEDIA_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
}
# Translated when read: "Title, in French" / "Titre, en français" / "العنوان، بالفرنسية".
IN_LANGUAGE = {
    "ar": _("%(what)s, in Arabic"),
    "fr": _("%(what)s, in French"),
    "en": _("%(what)s, in English"),
}


def public() -> AnonymousUser:
    """The visitor the open data is written for: nobody signed in."""
    return AnonymousUser()


@dataclass(frozen=True)
class Field:
    """A column: its name, its Table Schema type, what it means."""

    name: str
    type: str
    description: Promise | str
    required: bool = False
    enum: Sequence[str] | None = None

    def schema(self) -> dict[str, Any]:
        result: dict[str, Any] = {
            "name": self.name,
            "type": self.type,
            "description": str(self.description),
        }
        constraints: dict[str, Any] = {}
        if self.required:
            constraints["required"] = True
        if self.enum is not None:
            constraints["enum"] = list(self.enum)
        if constraints:
            result["constraints"] = constraints
        if self.type == "datetime":
            result["format"] = "default"  # ISO 8601 in UTC, e.g. 2023-03-28T09:00:00Z
        return result


def _in_language(what: Promise, code: str) -> str:
    return str(IN_LANGUAGE[code]) % {"what": what}


# Formatted when read, in the reader's language (the tables are defined at import).
_in_language_lazy = lazy(_in_language, str)


def translated(name: str, what: Promise) -> list[Field]:
    """One text column per language: ``title_ar``, ``title_fr``, ``title_en``."""
    return [Field(f"{name}_{code}", "string", _in_language_lazy(what, code)) for code in LANGUAGES]


def texts(obj: Any, name: str) -> list[str]:
    """The values of the columns :func:`translated` declares (empty when missing)."""
    return [getattr(obj, f"{name}_{code}") or "" for code in LANGUAGES]


@dataclass(frozen=True)
class Context:
    """What rows need from the request: the site's address, for links."""

    base_url: str

    def page(self, name: str, *args: Any) -> str:
        """The page's address without a language prefix: it opens in the reader's
        language (the site redirects to it)."""
        with translation.override(settings.LANGUAGE_CODE):
            path = reverse(name, args=args)
        prefix = f"/{settings.LANGUAGE_CODE}/"
        return self.base_url + (path[len(prefix) - 1 :] if path.startswith(prefix) else path)


@dataclass(frozen=True)
class Table:
    """A table of the open data: its columns, the query that reads it (one query) and
    how one object becomes one row."""

    name: str
    title: Promise
    description: Promise
    fields: Sequence[Field]
    query: Callable[[], models.QuerySet[Any]]
    row: Callable[[Any, Context], list[Any]]
    primary_key: str = "id"
    # (column, table, column of that table)
    foreign_keys: Sequence[tuple[str, str, str]] = field(default_factory=tuple)

    @property
    def headers(self) -> list[str]:
        return [f.name for f in self.fields]

    def rows(self, context: Context) -> Iterator[list[Any]]:
        """Every row, read in chunks of :data:`CHUNK` from one query."""
        for obj in self.query().iterator(chunk_size=CHUNK):
            yield self.row(obj, context)

    def schema(self) -> dict[str, Any]:
        return {
            "fields": [f.schema() for f in self.fields],
            "primaryKey": [self.primary_key],
            "foreignKeys": [
                {"fields": [column], "reference": {"resource": table, "fields": [target]}}
                for column, table, target in self.foreign_keys
            ],
            "missingValues": [""],
        }


def _id(what: Promise) -> Field:
    return Field("id", "integer", what, required=True)


def _ref(name: str, what: Promise, required: bool = False) -> Field:
    return Field(name, "integer", what, required=required)


def _percent(value: float | None) -> float | None:
    return None if value is None else round(float(value), 2)


# Institutions --------------------------------------------------------------------------


def _institutions() -> models.QuerySet[Institution]:
    return Institution.objects.order_by("pk")


def _institution_row(i: Institution, ctx: Context) -> list[Any]:
    return [
        i.pk,
        i.slug,
        i.kind,
        *texts(i, "name"),
        *texts(i, "acronym"),
        ctx.page("institution_detail", i.slug),
    ]


INSTITUTIONS = Table(
    name="institutions",
    title=_("Institutions"),
    description=_(
        "The ministries, public bodies and organisations that lead or support commitments."
    ),
    fields=[
        _id(_("Identifier of the institution.")),
        Field("slug", "string", _("Short name used in the site's addresses."), required=True),
        Field(
            "kind",
            "string",
            _("Kind of institution."),
            enum=[k for k, _label in Institution.Kind.choices],
        ),
        *translated("name", _("Name")),
        *translated("acronym", _("Acronym")),
        Field("url", "string", _("Address of the institution's page.")),
    ],
    query=_institutions,
    row=_institution_row,
)


# Plans ---------------------------------------------------------------------------------


def _plans() -> models.QuerySet[ActionPlan]:
    return ActionPlan.objects.with_progress().order_by("pk")


def _plan_row(p: ActionPlan, ctx: Context) -> list[Any]:
    return [
        p.pk,
        p.slug,
        *texts(p, "member"),
        p.member_kind,
        p.ordinal,
        *texts(p, "title"),
        p.period_start,
        p.period_end,
        p.current_status,
        _percent(p.progress),
        p.commitments_count,
        ctx.page("plan_detail", p.slug),
    ]


PLANS = Table(
    name="plans",
    title=_("Action plans"),
    description=_("Every action plan, with its period, status and overall progress."),
    fields=[
        _id(_("Identifier of the plan.")),
        Field("slug", "string", _("Short name used in the site's addresses."), required=True),
        *translated("member", _("OGP member (country or locality)")),
        Field(
            "member_kind",
            "string",
            _("Whether the member is a country or a locality."),
            enum=[k for k, _label in MemberKind.choices],
        ),
        Field("ordinal", "integer", _("Rank of the plan among the member's plans (1st, 2nd…).")),
        *translated("title", _("Title")),
        Field("period_start", "date", _("First day of the plan's period.")),
        Field("period_end", "date", _("Last day of the plan's period.")),
        Field(
            "status",
            "string",
            _("Status of the plan today."),
            enum=[s for s, _label in PlanStatus.choices],
        ),
        Field(
            "progress",
            "number",
            _("Mean progress of its commitments, in percent (see the methodology page)."),
        ),
        Field("commitments_count", "integer", _("Number of commitments.")),
        Field("url", "string", _("Address of the plan's page.")),
    ],
    query=_plans,
    row=_plan_row,
)


# Themes --------------------------------------------------------------------------------


def _themes() -> models.QuerySet[Theme]:
    return Theme.objects.order_by("pk")


THEMES = Table(
    name="themes",
    title=_("Themes"),
    description=_("The thematic axes that group a plan's commitments."),
    fields=[
        _id(_("Identifier of the theme.")),
        _ref("plan_id", _("The plan (plans.id)."), required=True),
        Field("order", "integer", _("Position of the theme in its plan.")),
        *translated("title", _("Title")),
    ],
    query=_themes,
    row=lambda t, ctx: [t.pk, t.plan_id, t.order, *texts(t, "title")],
    foreign_keys=[("plan_id", "plans", "id")],
)


# Policy areas --------------------------------------------------------------------------


POLICY_AREAS = Table(
    name="policy_areas",
    title=_("Policy areas"),
    description=_("OGP's policy areas (tags) given to commitments."),
    fields=[
        _id(_("Identifier of the policy area.")),
        Field("slug", "string", _("Short name of the policy area."), required=True),
        *translated("name", _("Name")),
    ],
    query=lambda: Tag.objects.order_by("pk"),
    row=lambda t, ctx: [t.pk, t.slug, *texts(t, "name")],
)


def _commitment_tags() -> models.QuerySet[Any]:
    through: Any = Commitment.tags.through  # Django's model for the many-to-many
    return through.objects.order_by("pk")


COMMITMENT_POLICY_AREAS = Table(
    name="commitment_policy_areas",
    title=_("Policy areas of the commitments"),
    description=_("Which policy areas each commitment belongs to (one row per pair)."),
    fields=[
        _id(_("Identifier of the pair.")),
        _ref("commitment_id", _("The commitment (commitments.id)."), required=True),
        _ref("policy_area_id", _("The policy area (policy_areas.id)."), required=True),
    ],
    query=_commitment_tags,
    row=lambda p, ctx: [p.pk, p.commitment_id, p.tag_id],
    foreign_keys=[("commitment_id", "commitments", "id"), ("policy_area_id", "policy_areas", "id")],
)


# Commitments ---------------------------------------------------------------------------


# The template's long texts are on the commitment's page, not in the table: not read.
_LONG_TEXTS = [
    f"{name}{suffix}"
    for name in (
        "problem",
        "causes",
        "done_so_far",
        "solution",
        "expected_results",
        "transparency",
        "accountability",
        "participation",
        "full_text",
    )
    for suffix in ("", *(f"_{code}" for code in LANGUAGES))
]


def _commitments() -> models.QuerySet[Commitment]:
    return Commitment.objects.for_list().defer(*_LONG_TEXTS).order_by("pk")


def _commitment_row(c: Commitment, ctx: Context) -> list[Any]:
    lead = c.lead_institution
    return [
        c.pk,
        c.plan_id,
        c.number,
        *texts(c, "title"),
        *texts(c, "summary"),
        c.theme_id,
        *(texts(c.theme, "title") if c.theme else ["", "", ""]),
        c.lead_institution_id,
        *(texts(lead, "name") if lead else ["", "", ""]),
        c.start_date,
        c.end_date,
        c.start_date_text,
        c.end_date_text,
        _percent(c.progress),  # type: ignore[attr-defined]
        c.completion_level,  # type: ignore[attr-defined]
        c.ogp_id,
        c.irm_completion,
        c.irm_potential_impact,
        c.irm_open_government,
        c.access_to_information,
        c.civic_participation,
        c.public_accountability,
        c.technology_innovation,
        ctx.page("commitment_detail", c.plan.slug, c.number),
    ]


COMMITMENTS = Table(
    name="commitments",
    title=_("Commitments"),
    description=_(
        "Every commitment of every plan, with its theme, lead institution, dates, "
        "progress and completion level."
    ),
    fields=[
        _id(_("Identifier of the commitment.")),
        _ref("plan_id", _("The plan (plans.id)."), required=True),
        Field("number", "integer", _("Number of the commitment in its plan."), required=True),
        *translated("title", _("Title")),
        *translated("summary", _("Brief description")),
        _ref("theme_id", _("The theme (themes.id), if any.")),
        *translated("theme_title", _("Title of the theme")),
        _ref("lead_institution_id", _("The lead institution (institutions.id), if any.")),
        *translated("lead_institution_name", _("Name of the lead institution")),
        Field("start_date", "date", _("Start date.")),
        Field("end_date", "date", _("End date.")),
        Field(
            "start_date_text",
            "string",
            _("Start date as the source wrote it, when it is not one day."),
        ),
        Field(
            "end_date_text", "string", _("End date as the source wrote it, when it is not one day.")
        ),
        Field(
            "progress",
            "number",
            _("Weighted mean of its activities' progress, in percent (see the methodology page)."),
        ),
        Field(
            "completion_level",
            "string",
            _("OGP completion level of that progress."),
            enum=[level for level, _label in CompletionLevel.choices],
        ),
        Field("ogp_id", "string", _("OGP's identifier of the commitment, if known.")),
        Field(
            "irm_completion",
            "string",
            _("Completion as OGP's Independent Reporting Mechanism assessed it, if imported."),
            enum=[level for level, _label in IrmCompletion.choices],
        ),
        Field("irm_potential_impact", "string", _("Potential impact (IRM), if imported.")),
        Field("irm_open_government", "string", _("Did it open government? (IRM), if imported.")),
        Field("access_to_information", "boolean", _("OGP value: access to information.")),
        Field("civic_participation", "boolean", _("OGP value: civic participation.")),
        Field("public_accountability", "boolean", _("OGP value: public accountability.")),
        Field(
            "technology_innovation",
            "boolean",
            _("OGP value: technology and innovation for transparency and accountability."),
        ),
        Field("url", "string", _("Address of the commitment's page.")),
    ],
    query=_commitments,
    row=_commitment_row,
    foreign_keys=[
        ("plan_id", "plans", "id"),
        ("theme_id", "themes", "id"),
        ("lead_institution_id", "institutions", "id"),
    ],
)


# Activities ----------------------------------------------------------------------------


def _activities() -> models.QuerySet[Activity]:
    return Activity.objects.order_by("pk")


def _activity_row(a: Activity, ctx: Context) -> list[Any]:
    return [
        a.pk,
        a.commitment_id,
        a.order,
        *texts(a, "title"),
        *texts(a, "expected_output"),
        a.start_date,
        a.end_date,
        a.weight,
        a.progress,
        a.is_grouping,
    ]


ACTIVITIES = Table(
    name="activities",
    title=_("Activities"),
    description=_(
        "The activities (milestones) of every commitment, with their dates, weight and progress."
    ),
    fields=[
        _id(_("Identifier of the activity.")),
        _ref("commitment_id", _("The commitment (commitments.id)."), required=True),
        Field("order", "integer", _("Position of the activity in its commitment.")),
        *translated("title", _("Title")),
        *translated("expected_output", _("Expected output")),
        Field("start_date", "date", _("Start date.")),
        Field("end_date", "date", _("End date.")),
        Field(
            "weight",
            "number",
            _("Relative weight of the activity in its commitment's progress."),
        ),
        Field("progress", "integer", _("Progress in percent (the last validated figure).")),
        Field(
            "is_grouping",
            "boolean",
            _("Stands for completed activities that the source document does not itemise."),
        ),
    ],
    query=_activities,
    row=_activity_row,
    foreign_keys=[("commitment_id", "commitments", "id")],
)


# Validated progress history ------------------------------------------------------------


def _updates() -> models.QuerySet[ProgressUpdate]:
    return (
        ProgressUpdate.objects.visible_to(public())
        .select_related("activity", "author__institution")
        # Of the activity and the author, only what the row shows (not their texts,
        # nor the account's password hash and e-mail address).
        .only(
            "activity__commitment",
            "author__institution__name_ar",
            "author__institution__name_fr",
            "author__institution__name_en",
            "progress",
            "previous_progress",
            "reported_on",
            "validated_at",
            "source",
            "language",
            *(f"narrative_{code}" for code in LANGUAGES),
        )
        .order_by("validated_at", "pk")
    )


def _update_row(u: ProgressUpdate, ctx: Context) -> list[Any]:
    institution = u.author.institution
    return [
        u.pk,
        u.activity_id,
        u.activity.commitment_id,
        u.progress,
        u.previous_progress,
        u.reported_on,
        u.validated_at,
        u.source,
        institution.pk if institution else None,
        *(texts(institution, "name") if institution else ["", "", ""]),
        u.language,
        *texts(u, "narrative"),
    ]


PROGRESS_UPDATES = Table(
    name="progress_updates",
    title=_("Validated progress history"),
    description=_(
        "Every progress figure validated by the secretariat, oldest first. Drafts, "
        "submitted and returned reports are not published. The reporter is given as "
        "their institution, not by name."
    ),
    fields=[
        _id(_("Identifier of the update.")),
        _ref("activity_id", _("The activity (activities.id)."), required=True),
        _ref("commitment_id", _("The activity's commitment (commitments.id)."), required=True),
        Field("progress", "integer", _("Progress in percent."), required=True),
        Field("previous_progress", "integer", _("The figure it replaced, in percent.")),
        Field("reported_on", "date", _("The day the figure describes.")),
        Field("validated_at", "datetime", _("When the secretariat validated it (UTC).")),
        Field(
            "source",
            "string",
            _("Where the figure comes from."),
            enum=[s for s, _label in UpdateSource.choices],
        ),
        _ref(
            "institution_id", _("Institution of the focal point who reported it (institutions.id).")
        ),
        *translated("institution_name", _("Name of that institution")),
        Field(
            "language",
            "string",
            _("Language the narrative was written in."),
            enum=list(LANGUAGES),
        ),
        *translated("narrative", _("Narrative")),
    ],
    query=_updates,
    row=_update_row,
    foreign_keys=[
        ("activity_id", "activities", "id"),
        ("commitment_id", "commitments", "id"),
        ("institution_id", "institutions", "id"),
    ],
)


# Meetings, snapshots, minutes ----------------------------------------------------------


def _meetings() -> models.QuerySet[Meeting]:
    return Meeting.objects.visible_to(public()).select_related("committee").order_by("pk")


def _utc(value: datetime.datetime | None) -> datetime.datetime | None:
    return value.astimezone(datetime.UTC) if value else None


def _meeting_row(m: Meeting, ctx: Context) -> list[Any]:
    return [
        m.pk,
        m.committee.slug,
        m.committee.kind,
        *texts(m.committee, "name"),
        m.committee.plan_id,
        m.starts_at,
        m.ends_at,
        m.mode,
        *texts(m, "place"),
        m.is_published,
        ctx.page("meeting_detail", m.pk),
    ]


MEETINGS = Table(
    name="meetings",
    title=_("Meetings"),
    description=_("The committees' announced meetings and those whose minutes are published."),
    fields=[
        _id(_("Identifier of the meeting.")),
        Field("committee", "string", _("Short name of the committee."), required=True),
        Field("committee_kind", "string", _("Kind of committee."), enum=["steering", "monitoring"]),
        *translated("committee_name", _("Name of the committee")),
        _ref("plan_id", _("The committee's plan (plans.id), if any.")),
        Field("starts_at", "datetime", _("Start (UTC)."), required=True),
        Field("ends_at", "datetime", _("End (UTC).")),
        Field(
            "mode",
            "string",
            _("In person, online or hybrid."),
            enum=[m for m, _label in Meeting.Mode.choices],
        ),
        *translated("place", _("Place")),
        Field("minutes_published", "boolean", _("Its minutes are published.")),
        Field("url", "string", _("Address of the meeting's page.")),
    ],
    query=_meetings,
    row=_meeting_row,
    foreign_keys=[("plan_id", "plans", "id")],
)


def _minutes() -> models.QuerySet[Meeting]:
    count = {"output_field": models.IntegerField()}
    return (
        Meeting.objects.with_published_minutes()
        .select_related("committee")
        .annotate(
            agenda_count=Subquery(
                AgendaItem.objects.filter(meeting=OuterRef("pk"))
                .values("meeting")
                .annotate(n=Count("pk"))
                .values("n"),
                **count,
            ),
            decisions_count=Subquery(
                Decision.objects.filter(meeting=OuterRef("pk"))
                .values("meeting")
                .annotate(n=Count("pk"))
                .values("n"),
                **count,
            ),
        )
        .order_by("pk")
    )


def _minutes_row(m: Meeting, ctx: Context) -> list[Any]:
    return [
        m.pk,
        m.committee.slug,
        m.starts_at,
        m.approved_at,
        m.published_at,
        m.agenda_count or 0,  # type: ignore[attr-defined]
        m.decisions_count or 0,  # type: ignore[attr-defined]
        ctx.page("minutes_page", m.pk),
        ctx.page("minutes_pdf", m.pk),
        ctx.page("minutes_docx", m.pk),
    ]


MINUTES = Table(
    name="minutes",
    title=_("Published minutes"),
    description=_(
        "The published minutes of the committees' meetings: dates, size and where to read them."
    ),
    fields=[
        Field("meeting_id", "integer", _("The meeting (meetings.id)."), required=True),
        Field("committee", "string", _("Short name of the committee."), required=True),
        Field("starts_at", "datetime", _("Start of the meeting (UTC).")),
        Field("approved_at", "datetime", _("When the committee approved the minutes (UTC).")),
        Field("published_at", "datetime", _("When the minutes were published (UTC).")),
        Field("agenda_items", "integer", _("Number of agenda items.")),
        Field("decisions", "integer", _("Number of agreed points.")),
        Field("url", "string", _("Address of the minutes (web page).")),
        Field("pdf_url", "string", _("Address of the minutes as PDF.")),
        Field("docx_url", "string", _("Address of the minutes as Word document.")),
    ],
    query=_minutes,
    row=_minutes_row,
    primary_key="meeting_id",
    foreign_keys=[("meeting_id", "meetings", "id")],
)


def _published_snapshots() -> models.QuerySet[Snapshot]:
    return Snapshot.objects.filter(meeting__in=Meeting.objects.with_published_minutes())


SNAPSHOTS = Table(
    name="snapshots",
    title=_("Meeting snapshots"),
    description=_(
        "Every figure of the plan as it stood at a meeting, frozen for its minutes "
        "(meetings with published minutes)."
    ),
    fields=[
        _id(_("Identifier of the snapshot.")),
        _ref("meeting_id", _("The meeting (meetings.id)."), required=True),
        _ref("plan_id", _("The plan (plans.id)."), required=True),
        Field("frozen_at", "datetime", _("When the figures were frozen (UTC).")),
        Field("plan_progress", "number", _("Progress of the plan that day, in percent.")),
    ],
    query=lambda: _published_snapshots().order_by("pk"),
    row=lambda s, ctx: [s.pk, s.meeting_id, s.plan_id, s.frozen_at, _percent(s.plan_progress)],
    foreign_keys=[("meeting_id", "meetings", "id"), ("plan_id", "plans", "id")],
)


def _snapshot_row_row(r: SnapshotRow, ctx: Context) -> list[Any]:
    return [
        r.pk,
        r.snapshot_id,
        r.commitment_id,
        r.number,
        *texts(r, "title"),
        _percent(r.progress),
        _percent(r.previous_progress),
        " ".join(r.flags or []),
        *texts(r, "note"),
    ]


SNAPSHOT_ROWS = Table(
    name="snapshot_rows",
    title=_("Meeting snapshots: commitments"),
    description=_("Each commitment as it stood at the meeting, with the note of the minutes."),
    fields=[
        _id(_("Identifier of the row.")),
        _ref("snapshot_id", _("The snapshot (snapshots.id)."), required=True),
        _ref("commitment_id", _("The commitment (commitments.id), if it still exists.")),
        Field("number", "integer", _("Number of the commitment."), required=True),
        *translated("title", _("Title, as it was that day")),
        Field("progress", "number", _("Progress that day, in percent.")),
        Field("previous_progress", "number", _("Progress at the previous meeting, in percent.")),
        Field("flags", "string", _("Follow-up flags that day (codes separated by spaces).")),
        *translated("note", _("Note of the minutes")),
    ],
    query=lambda: SnapshotRow.objects.filter(snapshot__in=_published_snapshots()).order_by("pk"),
    row=_snapshot_row_row,
    foreign_keys=[("snapshot_id", "snapshots", "id"), ("commitment_id", "commitments", "id")],
)


SNAPSHOT_ACTIVITIES = Table(
    name="snapshot_activities",
    title=_("Meeting snapshots: activities"),
    description=_("Each activity as it stood at the meeting."),
    fields=[
        _id(_("Identifier of the row.")),
        _ref("snapshot_row_id", _("The commitment's row (snapshot_rows.id)."), required=True),
        _ref("activity_id", _("The activity (activities.id), if it still exists.")),
        Field("order", "integer", _("Position of the activity in its commitment.")),
        *translated("title", _("Title, as it was that day")),
        Field("progress", "integer", _("Progress that day, in percent.")),
        Field(
            "is_grouping",
            "boolean",
            _("Stands for completed activities that the source document does not itemise."),
        ),
    ],
    query=lambda: SnapshotActivity.objects.filter(
        row__snapshot__in=_published_snapshots()
    ).order_by("pk"),
    row=lambda a, ctx: [
        a.pk,
        a.row_id,
        a.activity_id,
        a.order,
        *texts(a, "title"),
        a.progress,
        a.is_grouping,
    ],
    foreign_keys=[("snapshot_row_id", "snapshot_rows", "id"), ("activity_id", "activities", "id")],
)


TABLES: dict[str, Table] = {
    t.name: t
    for t in (
        PLANS,
        THEMES,
        INSTITUTIONS,
        COMMITMENTS,
        POLICY_AREAS,
        COMMITMENT_POLICY_AREAS,
        ACTIVITIES,
        PROGRESS_UPDATES,
        MEETINGS,
        SNAPSHOTS,
        SNAPSHOT_ROWS,
        SNAPSHOT_ACTIVITIES,
        MINUTES,
    )
}


# Writing -------------------------------------------------------------------------------


def text_value(value: Any) -> Any:
    """A cell as CSV and JSON write it: dates in ISO 8601, instants in UTC with ``Z``,
    booleans ``true``/``false``, weights as numbers, nothing as empty."""
    if value is None:
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, datetime.datetime):
        return _utc(value).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")  # type: ignore[union-attr]
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return float(value)
    return value


def _csv_cell(value: Any) -> Any:
    value = text_value(value)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return value


class _Line:
    """A file-like object whose ``write`` hands back the line (for csv.writer)."""

    def write(self, value: str) -> str:
        return value


def csv_lines(table: Table, context: Context) -> Iterator[bytes]:
    """The table as CSV (UTF-8, no byte-order mark, as the data package declares),
    one encoded line at a time."""
    writer = csv.writer(_Line(), lineterminator="\r\n")
    yield writer.writerow(table.headers).encode()
    for row in table.rows(context):
        yield writer.writerow(safe_row(_csv_cell(v) for v in row)).encode()


def json_chunks(table: Table, context: Context) -> Iterator[bytes]:
    """The table as a JSON array of objects (keys: the field names), one object at a
    time."""
    headers = table.headers
    first = True
    yield b"["
    for row in table.rows(context):
        record = dict(zip(headers, (safe_cell(text_value(v)) for v in row), strict=True))
        yield (b"\n" if first else b",\n") + json.dumps(record, ensure_ascii=False).encode()
        first = False
    yield b"\n]\n"


def _xlsx_value(value: Any) -> Any:
    # Excel knows no time zones: instants are written in UTC, as the schema says.
    if isinstance(value, datetime.datetime):
        return _utc(value).replace(tzinfo=None)  # type: ignore[union-attr]
    return value


def xlsx_file(table: Table, context: Context) -> Any:
    """The table as an Excel workbook, written row by row (write-only mode) into a
    temporary file; returns that file, rewound (it disappears once closed)."""
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet(table.name)
    ws.append(table.headers)
    for row in table.rows(context):
        ws.append(safe_row(_xlsx_value(v) for v in row))
    # Closed (and so deleted) by the response that streams it.
    out = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115
    wb.save(out)
    out.seek(0)
    return out


# The data package ----------------------------------------------------------------------


def datapackage(licence: dict[str, str], base_url: str = "") -> dict[str, Any]:
    """The Frictionless (tabular) data package: one CSV resource per table, each with
    its Table Schema; paths relative to the package, so the package and its files can
    be copied together."""
    return {
        "profile": "tabular-data-package",
        "name": "sharaka-open-data",
        "title": str(_("Open government action plans: open data")),
        "description": str(
            _(
                "Action plans of the Open Government Partnership, their commitments and "
                "activities, the validated progress history, the committees' public "
                "meetings, their snapshots and minutes."
            )
        ),
        "homepage": base_url + "/" if base_url else "",
        "created": text_value(timezone.now()),
        "licenses": [licence],
        "resources": [
            {
                "profile": "tabular-data-resource",
                "name": table.name,
                "title": str(table.title),
                "description": str(table.description),
                "path": f"{table.name}.csv",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "dialect": {"delimiter": ",", "lineTerminator": "\r\n"},
                "schema": table.schema(),
            }
            for table in TABLES.values()
        ],
    }
