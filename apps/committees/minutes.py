"""Minutes generated from a meeting and its frozen snapshot: one document model, three
renderings (HTML page, PDF through WeasyPrint, DOCX through python-docx).

The structure is the seed's (the minutes of 28 March 2023): title, date, place,
participants (remote ones marked), bodies that did not attend, agenda, points discussed
(opening remarks, the progress table under the agenda item that shows it, the other
items' discussion), agreed points.
"""

from __future__ import annotations

import dataclasses
import datetime
import functools
import hashlib
import importlib.metadata
import io
import json
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from apps.committees import record
from apps.committees.charts import over_time_chart
from apps.committees.models import (
    ATTENDED,
    MEETING_ROWS,
    ActionItem,
    AttendanceStatus,
    Honorific,
    Meeting,
    MeetingStatus,
    MinutesRecord,
    Seat,
    Snapshot,
    SnapshotActivity,
    SnapshotRow,
)
from apps.committees.record import pick
from apps.core import release
from apps.core.charts import Chart, Point
from apps.core.content import as_written, interpolate
from apps.core.dates import format_date
from apps.core.renderings import Prepared, file_name, stored_or_render
from apps.plans.charts import levels_chart
from apps.plans.choices import CompletionLevel
from apps.plans.progress import completion_level
from apps.tracking.charts import lateness_chart
from apps.tracking.flags import Flag

# Isolates a left-to-right run (a number, a percentage) inside right-to-left text, so
# that "65%" is not shown as "%65": LEFT-TO-RIGHT ISOLATE … POP DIRECTIONAL ISOLATE.
LRI, PDI = "\u2066", "\u2069"


_PERCENTAGE = re.compile(r"\d+(?:[.,]\d+)?\s?%")


def percent_text(value: float | None) -> str:
    return "" if value is None else f"{round(value)}%"


def text_direction(text: str, default: str = "") -> str:
    """ "rtl" or "ltr" from the first strong character (HTML's ``dir="auto"`` rule), so
    Arabic content shown as the fallback in French minutes still reads right to left.
    WeasyPrint does not implement ``dir="auto"`` itself."""
    for char in text:
        kind = unicodedata.bidirectional(char)
        if kind in ("R", "AL"):
            return "rtl"
        if kind == "L":
            return "ltr"
    return default


def isolate_percentages(text: str) -> str:
    """Wrap every "20%" of ``text`` in LRI … PDI (see ``LRI``)."""
    return _PERCENTAGE.sub(lambda m: f"{LRI}{m.group(0)}{PDI}", text)


@dataclass
class MinutesActivity:
    title: str
    # None when the minutes print no figure: the seed lists activities without a
    # recorded percentage with no figure at all, and the live data stores them at 0.
    # An activity at 0% is therefore printed without a percentage, as the seed does.
    progress: int | None


@dataclass
class MinutesRow:
    number: int
    title: str
    progress: float
    activities: list[MinutesActivity]
    notes: list[str]
    delta: float | None = None
    flags: list[str] = field(default_factory=list)


@dataclass
class Participant:
    text: str  # "السيدة سارة العمراني، وزارة الانتقال الرقمي وإصلاح الإدارة"
    remote: bool
    # The same line for pages and the PDF, an Arabic name or body in French or English
    # minutes marked as Arabic (lang, dir).
    html: SafeString


@dataclass
class AttendanceLine:
    """A member as the minutes recorded them: name, institution, seat, role, attendance."""

    name: str
    honorific: str
    organisation: str
    seat: str
    role: str
    status: str

    def get_seat_display(self) -> str:
        return str(dict(Seat.choices).get(self.seat, self.seat))

    def get_status_display(self) -> str:
        return str(dict(AttendanceStatus.choices).get(self.status, self.status))


@dataclass
class MinutesActionItem:
    """An action item as the minutes show it (its status as at the meeting)."""

    pk: int
    title: str
    owner_name: str
    owner_institution: str
    due_date: datetime.date | None
    status: str
    commitment_number: int | None
    commitment: str

    @property
    def owner(self) -> str:
        return " — ".join(p for p in (self.owner_name, self.owner_institution) if p)

    def get_status_display(self) -> str:
        return str(dict(ActionItem.Status.choices).get(self.status, self.status))


@dataclass
class Section:
    title: str
    note: str
    blocks: list[dict[str, Any]]
    shows_progress: bool


@dataclass
class Minutes:
    meeting: Meeting
    language: str
    title: str
    date_text: str
    place: str
    participants: list[Participant]
    absent_bodies: list[str]
    agenda: list[Section]
    opening_remarks: str
    attendance: list[AttendanceLine] = field(default_factory=list)
    rows: list[MinutesRow] = field(default_factory=list)
    decisions: list[str] = field(default_factory=list)
    action_items: list[MinutesActionItem] = field(default_factory=list)
    carried_items: list[MinutesActionItem] = field(default_factory=list)
    # The plan's figure at each meeting up to this one (the chart of progress over time).
    history: list[tuple[datetime.date, float]] = field(default_factory=list)
    separator: str = ";"
    terminator: str = "."

    @property
    def has_snapshot(self) -> bool:
        return bool(self.rows)

    def labels(self) -> dict[str, str]:
        with translation.override(self.language):
            return {
                "date": _("Date of the meeting:"),
                "place": _("Place of the meeting:"),
                "participants": _("Participants:"),
                "absent": _("Bodies that did not attend the meeting:"),
                "agenda": _("Agenda of the meeting:"),
                "discussed": _("Points discussed:"),
                "opening": _("Opening remarks"),
                "agreed": _("Agreed points:"),
                "number": "#",
                "commitment": _("Commitments"),
                "progress": _("Completion rate of the commitments"),
                "pending": _("Pending activities"),
                "notes": _("Notes"),
                "all_done": _("All activities completed"),
                "action_items": _("Action items"),
                "carried": _("Action items carried over from earlier meetings"),
                "owner": _("Owner"),
                "due": _("Due date"),
                "status": _("Status"),
                "page": _("Page"),
                "draft": _("Draft minutes — not approved"),
            }


def _person(honorific: str, name: str) -> tuple[str, SafeString]:
    """The person as text and as HTML (see :class:`Participant`)."""
    labels = {Honorific.MR: pgettext("honorific", "Mr"), Honorific.MS: pgettext("honorific", "Ms")}
    title = labels.get(honorific)  # type: ignore[call-overload]
    if not title:
        return name, as_written(name)
    return f"{title} {name}", interpolate("%(title)s %(name)s", title=title, name=as_written(name))


def _frozen_content(meeting: Meeting) -> dict[str, Any] | None:
    """The record stored when the minutes were approved, if they were."""
    if meeting.status == MeetingStatus.DRAFT:
        return None
    try:
        stored: MinutesRecord = meeting.minutes_record
    except ObjectDoesNotExist:
        return None
    return stored.content


def minutes_content(meeting: Meeting, carried: list[ActionItem] | None = None) -> dict[str, Any]:
    """What the minutes say: fixed at approval, or the live rows while a draft
    (``carried``: the carried action items if the caller has read them already, see
    :func:`apps.committees.record.capture`)."""
    frozen = _frozen_content(meeting)
    return frozen if frozen is not None else record.capture(meeting, carried)


# The rows of a meeting that draft minutes read (:func:`apps.committees.record.capture`).
LIVE_ROWS = MEETING_ROWS


def rows_to_read(meeting: Meeting) -> tuple[str, ...]:
    """The rows of ``meeting`` (names of :func:`~apps.committees.models.meeting_rows`)
    its minutes read: none once fixed at approval (the record holds them all), the live
    rows of a draft. ``meeting`` comes with its ``minutes_record`` (``select_related``)."""
    return () if _frozen_content(meeting) is not None else LIVE_ROWS


def _action_item(data: dict[str, Any], language: str) -> MinutesActionItem:
    owner_institution = pick(data["owner_institution"], language) or ""
    commitment = data["commitment"]
    return MinutesActionItem(
        pk=data["id"],
        title=pick(data["title"], language),
        owner_name=data["owner_name"],
        owner_institution=owner_institution,
        due_date=datetime.date.fromisoformat(data["due_date"]) if data["due_date"] else None,
        status=data["status"],
        commitment_number=commitment["number"] if commitment else None,
        commitment=(
            f"{commitment['number']}. {pick(commitment['title'], language)}" if commitment else ""
        ),
    )


def build_minutes(
    meeting: Meeting,
    snapshot: Snapshot | None,
    language: str,
    *,
    carried: list[ActionItem] | None = None,
) -> Minutes:
    """The minutes in ``language`` (content falls back to Arabic where untranslated).

    Approved and published minutes come from what was fixed at approval
    (:class:`~apps.committees.models.MinutesRecord`), drafts from the live rows: both
    through :func:`build_minutes_from`, hence the same minutes for the same facts.
    ``meeting`` comes from ``Meeting.objects.for_page()`` (or with the rows
    :func:`rows_to_read` names) and ``snapshot`` from ``Snapshot.objects.with_rows()``:
    building costs no further query but, for a draft, the carried action items (unless
    given as ``carried``) and their statuses as at the meeting; with a snapshot, the
    plan's figure at earlier meetings.
    """
    return build_minutes_from(minutes_content(meeting, carried), meeting, snapshot, language)


def build_minutes_from(
    content: dict[str, Any], meeting: Meeting, snapshot: Snapshot | None, language: str
) -> Minutes:
    """The minutes in ``language`` from a document of :mod:`apps.committees.record`."""
    if content.get("schema") != record.SCHEMA:
        raise ValueError(f"Unknown minutes record schema: {content.get('schema')!r}")
    with translation.override(language):
        participants = []
        attendance = []
        attended_institutions = set()
        for member in content["members"]:
            organisation = pick(member["organisation"], language)
            attendance.append(
                AttendanceLine(
                    name=member["name"],
                    honorific=member["honorific"],
                    organisation=organisation,
                    seat=member["seat"],
                    role=member["role"],
                    status=member["attendance"],
                )
            )
            if member["attendance"] not in ATTENDED:
                continue
            attended_institutions.add(member["institution"])
            person, person_html = _person(member["honorific"], member["name"])
            remote = member["attendance"] == AttendanceStatus.REMOTE
            if remote:
                template = _("%(person)s (remote participation)")
                person_html = interpolate(template, person=person_html)
                person = template % {"person": person}
            text, html = person, person_html
            if organisation:
                template = _("%(person)s, %(organisation)s")
                text = template % {"person": person, "organisation": organisation}
                organisation_html = as_written(organisation)
                html = interpolate(template, person=person_html, organisation=organisation_html)
            participants.append(Participant(text, remote, html))
        absent = [
            pick(invitation["name"], language)
            for invitation in content["invited"]
            if invitation["institution"] not in attended_institutions
        ]
        rows = []
        if snapshot is not None:
            for row in snapshot.rows.all():
                activities = [
                    MinutesActivity(a.title, a.progress or None) for a in row.pending_activities
                ]
                rows.append(
                    MinutesRow(
                        number=row.number,
                        title=row.title,
                        progress=row.progress,
                        activities=activities,
                        notes=row.note_lines,
                        delta=row.delta,
                        flags=list(row.flags),
                    )
                )
        starts_at = datetime.datetime.fromisoformat(content["starts_at"])
        local_start = timezone.localtime(starts_at)
        minutes = Minutes(
            meeting=meeting,
            language=language,
            title=_("Minutes of the meeting of the %(committee)s")
            % {"committee": pick(content["committee"]["name"], language)},
            date_text=format_date(local_start.date(), "full"),
            place=pick(content["place"], language),
            participants=participants,
            absent_bodies=absent,
            agenda=[
                Section(
                    pick(item["title"], language),
                    pick(item["note"], language),
                    list(pick(item["blocks"], language) or []),
                    item["shows_progress"],
                )
                for item in content["agenda"]
            ],
            opening_remarks=pick(content["opening_remarks"], language),
            attendance=attendance,
            rows=rows,
            history=plan_history(snapshot) if snapshot is not None else [],
            decisions=[pick(d["text"], language) for d in content["decisions"]],
            action_items=[_action_item(i, language) for i in content["action_items"]],
            carried_items=[_action_item(i, language) for i in content["carried_items"]],
            separator=pgettext("list separator", ";"),
            terminator=pgettext("list terminator", "."),
        )
    return minutes


def plan_history(snapshot: Snapshot) -> list[tuple[datetime.date, float]]:
    """The plan's figure at each meeting up to ``snapshot``'s, as frozen (one query)."""
    frozen = (
        Snapshot.objects.filter(
            plan_id=snapshot.plan_id, meeting__starts_at__lte=snapshot.meeting.starts_at
        )
        .order_by("meeting__starts_at")
        .values_list("meeting__starts_at", "plan_progress")
    )
    return [(timezone.localtime(at).date(), figure) for at, figure in frozen]


def minutes_charts(minutes: Minutes, *, visual: bool = False) -> list[Chart]:
    """The charts of the minutes, from what the minutes hold (no query): commitments by
    completion level and late or on time at the meeting (the flags its snapshot froze),
    and the plan's figure at each meeting so far. ``visual``: Arabic labels shaped for
    WeasyPrint (the PDF)."""
    if not minutes.rows:
        return []
    with translation.override(minutes.language):
        late = sum(1 for row in minutes.rows if Flag.OVERDUE in row.flags)
        complete = sum(
            1
            for row in minutes.rows
            if Flag.OVERDUE not in row.flags
            and completion_level(row.progress) == CompletionLevel.COMPLETE
        )
        return [
            levels_chart(
                (completion_level(row.progress) for row in minutes.rows),
                key="minutes-levels",
                visual=visual,
            ),
            lateness_chart(
                late,
                len(minutes.rows) - late - complete,
                complete,
                key="minutes-late",
                visual=visual,
            ),
            over_time_chart(
                "minutes-over-time",
                _("Progress of the plan over time"),
                [Point(day, figure, "meeting") for day, figure in minutes.history],
                visual=visual,
            ),
        ]


def _context(minutes: Minutes, *, visual: bool = False) -> dict[str, Any]:
    return {
        "minutes": minutes,
        "labels": minutes.labels(),
        "LRI": LRI,
        "PDI": PDI,
        "charts": minutes_charts(minutes, visual=visual),
    }


def render_html(minutes: Minutes) -> str:
    """The body of the minutes, for the web page."""
    with translation.override(minutes.language):
        return render_to_string("committees/_minutes_body.html", _context(minutes))


def prepare_pdf(minutes: Minutes) -> Prepared:
    """The minutes as a PDF (A4, right to left in Arabic, table header on every page),
    named after their HTML and the version of WeasyPrint that lays it out."""
    with translation.override(minutes.language):
        html = render_to_string("committees/minutes_pdf.html", _context(minutes, visual=True))
    # The version read without importing WeasyPrint (seconds): requests only name the PDF.
    source = f"weasyprint {importlib.metadata.version('weasyprint')}\n{html}".encode()

    def render() -> bytes:
        from weasyprint import HTML

        return bytes(HTML(string=html).write_pdf())

    return Prepared(file_name("minutes", source, "pdf"), render)


@functools.cache
def _docx_writer_version() -> str:
    from apps.committees import docx_writer

    return hashlib.sha256(Path(docx_writer.__file__).read_bytes()).hexdigest()


def prepare_docx(minutes: Minutes) -> Prepared:
    """The minutes as a DOCX, named after what they say and the writer's code."""
    from apps.committees.docx_writer import write_minutes

    # What the document says: every field but the meeting (its repr follows the active
    # language), whose draft mark is all the writer reads.
    said = [getattr(minutes, f.name) for f in dataclasses.fields(minutes) if f.name != "meeting"]
    source = "\n".join(
        [_docx_writer_version(), str(minutes.meeting.is_draft), repr(minutes.labels()), repr(said)]
    ).encode()

    def render() -> bytes:
        buffer = io.BytesIO()
        with translation.override(minutes.language):
            write_minutes(minutes, buffer)
        return buffer.getvalue()

    return Prepared(file_name("minutes", source, "docx"), render)


@functools.cache
def code_version() -> str:
    """What the documents' layout depends on besides the data: the running code
    (:func:`apps.core.release.code_version`) and the versions of WeasyPrint and
    python-docx (a deploy that changes any lays the documents out again)."""
    digest = hashlib.sha256(release.code_version().encode())
    for package in ("weasyprint", "python-docx"):
        digest.update(f"{package} {importlib.metadata.version(package)}\n".encode())
    return digest.hexdigest()


def document_name(meeting: Meeting, language: str, extension: str) -> str:
    """The storage name of the minutes' ``extension`` document in ``language``, from
    what the minutes are made of, read without building them (a stored document is
    served in a few queries whatever the size of the meeting): the content
    (:func:`minutes_content`, fixed at approval), the frozen rows of the snapshot with
    their activities (and their translations, which may be added later), the plan's
    figure at earlier meetings, the draft mark, and the code (:func:`code_version`).
    ``meeting`` comes from ``Meeting.objects.for_page()``, or with the rows
    :func:`rows_to_read` names."""
    # Translated fields read in the active language (modeltranslation's base field, a
    # draft's live names): the same here for the request and for the worker.
    with translation.override(language):
        rows = list(
            SnapshotRow.objects.filter(snapshot__meeting=meeting)
            .order_by("number")
            .values_list(*(f.attname for f in SnapshotRow._meta.concrete_fields))
        )
        activities = list(
            SnapshotActivity.objects.filter(row__snapshot__meeting=meeting)
            .order_by("row_id", "order", "pk")
            .values_list(*(f.attname for f in SnapshotActivity._meta.concrete_fields))
        )
        history = list(
            Snapshot.objects.filter(
                plan__snapshots__meeting=meeting, meeting__starts_at__lte=meeting.starts_at
            )
            .order_by("meeting__starts_at", "pk")
            .values_list("meeting__starts_at", "plan_progress")
        )
        content = minutes_content(meeting)
    source = json.dumps(
        [
            code_version(),
            settings.TIME_ZONE,
            language,
            meeting.is_draft,
            content,
            rows,
            activities,
            history,
        ],
        default=str,
        sort_keys=True,
    ).encode()
    return file_name("minutes", source, extension)


PREPARERS: dict[str, Callable[[Minutes], Prepared]] = {"pdf": prepare_pdf, "docx": prepare_docx}


def render_pdf(minutes: Minutes) -> bytes:
    """The PDF, laid out here if it is not stored yet (pages ask for it in the
    background: :func:`apps.core.renderings.request_rendering`)."""
    return stored_or_render(prepare_pdf(minutes))


def render_docx(minutes: Minutes) -> bytes:
    return stored_or_render(prepare_docx(minutes))
