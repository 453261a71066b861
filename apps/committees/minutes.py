"""Minutes generated from a meeting and its frozen snapshot: one document model, three
renderings (HTML page, PDF through WeasyPrint, DOCX through python-docx).

The structure is the seed's (the minutes of 28 March 2023): title, date, place,
participants (remote ones marked), bodies that did not attend, agenda, points discussed
(opening remarks, the progress table under the agenda item that shows it, the other
items' discussion), agreed points.
"""

from __future__ import annotations

import hashlib
import io
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from apps.committees.models import (
    ActionItem,
    AttendanceStatus,
    Honorific,
    Meeting,
    Snapshot,
)
from apps.core.dates import format_date

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


@dataclass
class Participant:
    text: str  # "السيدة سارة العمراني، وزارة الانتقال الرقمي وإصلاح الإدارة"
    remote: bool


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
    rows: list[MinutesRow] = field(default_factory=list)
    decisions: list[str] = field(default_factory=list)
    action_items: list[ActionItem] = field(default_factory=list)
    carried_items: list[ActionItem] = field(default_factory=list)
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


def _person(honorific: str, name: str) -> str:
    labels = {Honorific.MR: pgettext("honorific", "Mr"), Honorific.MS: pgettext("honorific", "Ms")}
    title = labels.get(honorific)  # type: ignore[call-overload]
    return f"{title} {name}" if title else name


def build_minutes(meeting: Meeting, snapshot: Snapshot | None, language: str) -> Minutes:
    """The minutes in ``language`` (content falls back to Arabic where untranslated).

    ``meeting`` comes from ``Meeting.objects.for_page()`` and ``snapshot`` from
    ``Snapshot.objects.with_rows()``: building costs no further query but the carried
    action items.
    """
    with translation.override(language):
        participants = []
        attended_institutions = set()
        for attendance in meeting.attendances.all():
            if attendance.status not in (AttendanceStatus.PRESENT, AttendanceStatus.REMOTE):
                continue
            member = attendance.member
            attended_institutions.add(member.institution_id)
            person = _person(member.honorific, member.name)
            if attendance.status == AttendanceStatus.REMOTE:
                person = _("%(person)s (remote participation)") % {"person": person}
            text = (
                _("%(person)s, %(organisation)s") % {"person": person, "organisation": org}
                if (org := member.organisation)
                else person
            )
            participants.append(Participant(text, attendance.status == AttendanceStatus.REMOTE))
        absent = [
            inv.institution.name
            for inv in meeting.invitations.all()
            if inv.institution is not None and inv.institution_id not in attended_institutions
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
                    )
                )
        local_start = timezone.localtime(meeting.starts_at)
        minutes = Minutes(
            meeting=meeting,
            language=language,
            title=_("Minutes of the meeting of the %(committee)s")
            % {"committee": meeting.committee.name},
            date_text=format_date(local_start.date(), "full"),
            place=meeting.place,
            participants=participants,
            absent_bodies=absent,
            agenda=[
                Section(item.title, item.note, list(item.blocks or []), item.shows_progress)
                for item in meeting.agenda_items.all()
            ],
            opening_remarks=meeting.opening_remarks,
            rows=rows,
            decisions=[d.text for d in meeting.decisions.all()],
            action_items=list(meeting.action_items.all()),
            carried_items=list(ActionItem.objects.carried_to(meeting)),
            separator=pgettext("list separator", ";"),
            terminator=pgettext("list terminator", "."),
        )
    return minutes


def _context(minutes: Minutes) -> dict[str, Any]:
    return {"minutes": minutes, "labels": minutes.labels(), "LRI": LRI, "PDI": PDI}


def render_html(minutes: Minutes) -> str:
    """The body of the minutes, for the web page."""
    with translation.override(minutes.language):
        return render_to_string("committees/_minutes_body.html", _context(minutes))


PDF_CACHE_SECONDS = 24 * 3600


def render_pdf(minutes: Minutes) -> bytes:
    """The minutes as a PDF (A4, right to left in Arabic, table header on every page).

    Laying out a long table takes seconds, so the PDF is cached under the hash of the
    HTML it is made from: any change to the minutes gives new HTML, hence a new PDF.
    """
    from weasyprint import HTML

    with translation.override(minutes.language):
        html = render_to_string("committees/minutes_pdf.html", _context(minutes))
    key = "minutes-pdf:" + hashlib.sha256(html.encode()).hexdigest()
    pdf = cache.get(key)
    if pdf is None:
        pdf = bytes(HTML(string=html).write_pdf())
        cache.set(key, pdf, PDF_CACHE_SECONDS)
    return bytes(pdf)


def render_docx(minutes: Minutes) -> bytes:
    from apps.committees.docx_writer import write_minutes

    buffer = io.BytesIO()
    with translation.override(minutes.language):
        write_minutes(minutes, buffer)
    return buffer.getvalue()
