"""Reading the cells of OGP's commitments dataset that are written for people: free-text
dates ("NA", "1/1/2019", "July 2019", "S II 2023"), value codes (1, 0, ND, NR), lists of
institutions, and the "Full Text" of a commitment, written after one of several
templates over the years ("Status quo or problem addressed:", "Main objective:",
"What is the public problem…?"). Pure functions: what cannot be read is said, never
guessed silently (the importer turns it into a note).
"""

from __future__ import annotations

import calendar
import datetime
import re
from dataclasses import dataclass

from apps.exchange.tabular import western_digits

# What the dataset writes for "no date".
_NO_DATE = {"", "na", "n/a", "n.a.", "nan", "none", "-", "--", "not applicable", "not available"}

_MONTHS = {
    name: number
    for number in range(1, 13)
    for name in (
        calendar.month_name[number].lower(),
        calendar.month_abbr[number].lower(),
        calendar.month_abbr[number].lower() + ".",
    )
}
_MONTHS["sept"] = 9
_MONTH = "|".join(sorted((re.escape(m) for m in _MONTHS), key=len, reverse=True))

_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T].*)?$")
_NUMERIC = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2}|\d{4})$")
_MONTH_YEAR = re.compile(rf"^({_MONTH})\s*,?\s*(\d{{4}})$", re.I)
_MONTH_DAY_YEAR = re.compile(rf"^({_MONTH})\s+(\d{{1,2}})(?:st|nd|rd|th)?\s*,?\s*(\d{{4}})$", re.I)
_DAY_MONTH_YEAR = re.compile(rf"^(\d{{1,2}})(?:st|nd|rd|th)?\s+({_MONTH})\s*,?\s*(\d{{4}})$", re.I)
_YEAR = re.compile(r"^(\d{4})$")
_QUARTER = re.compile(
    r"^(?:q\s*([1-4])|([1-4])\s*q)\s*[-/,]?\s*(\d{4})$|^(\d{4})\s*[-/,]?\s*q\s*([1-4])$", re.I
)
_ROMAN = {"i": 1, "ii": 2, "1": 1, "2": 2, "first": 1, "second": 2, "1st": 1, "2nd": 2}
_HALF = re.compile(
    r"^(?:(?:s|h|semester|sem\.?)\s*(i{1,2}|[12])|(first|second|1st|2nd)\s+"
    r"(?:half|semester)(?:\s+of)?)\s*[-/,]?\s*(\d{4})$",
    re.I,
)
# Excel's day numbers, as a CSV export of a workbook writes them (1955–2064).
_SERIAL = re.compile(r"^(\d{5})$")


@dataclass(frozen=True)
class ReadDate:
    """A date cell: ``date`` is the day (the period's first day for a start, its last for
    an end) or ``None``; ``text`` is the cell as written when it is not one day;
    ``kind`` is ``"day"``, ``"period"``, ``"empty"`` or ``"text"`` (not a date);
    ``month_first`` when a day and a month both up to 12 were read month first."""

    date: datetime.date | None
    text: str
    kind: str
    month_first: bool = False


def _year_ok(year: int) -> bool:
    return 1990 <= year <= 2100


def _period(start: datetime.date, end: datetime.date, *, is_end: bool, text: str) -> ReadDate:
    return ReadDate(end if is_end else start, text, "period")


def read_date(cell: str, *, is_end: bool = False) -> ReadDate:
    """Read an OGP date cell (see :class:`ReadDate`)."""
    text = " ".join(western_digits(cell).split())
    if text.lower() in _NO_DATE:
        return ReadDate(None, "", "empty")
    try:
        day = _day(text)
    except ValueError:
        return ReadDate(None, text[:100], "text")
    if day is not None:
        return day
    return _read_period(text, is_end=is_end) or ReadDate(None, text[:100], "text")


def _day(text: str) -> ReadDate | None:
    """A cell that names one day; ``None`` if it does not; ``ValueError`` for an
    impossible day (31/02/2019)."""
    if m := _ISO.match(text):
        year, month, day = (int(g) for g in m.groups())
        return ReadDate(datetime.date(year, month, day), "", "day") if _year_ok(year) else None
    if m := _NUMERIC.match(text):
        a, b, year = (int(g) for g in m.groups())
        year += 2000 if year < 100 else 0
        if not _year_ok(year):
            return None
        if a > 12:  # day first
            return ReadDate(datetime.date(year, b, a), "", "day")
        # OGP is based in Washington: its sheets write the month first.
        return ReadDate(datetime.date(year, a, b), "", "day", month_first=b <= 12 and a != b)
    if m := _MONTH_DAY_YEAR.match(text):
        month, day, year = _MONTHS[m.group(1).lower()], int(m.group(2)), int(m.group(3))
        return ReadDate(datetime.date(year, month, day), "", "day") if _year_ok(year) else None
    if m := _DAY_MONTH_YEAR.match(text):
        day, month, year = int(m.group(1)), _MONTHS[m.group(2).lower()], int(m.group(3))
        return ReadDate(datetime.date(year, month, day), "", "day") if _year_ok(year) else None
    if m := _SERIAL.match(text):
        number = int(m.group(1))
        if 20000 <= number <= 60000:
            return ReadDate(datetime.date(1899, 12, 30) + datetime.timedelta(number), "", "day")
    return None


def _read_period(text: str, *, is_end: bool) -> ReadDate | None:
    if m := _MONTH_YEAR.match(text):
        month, year = _MONTHS[m.group(1).lower()], int(m.group(2))
        if _year_ok(year):
            last = calendar.monthrange(year, month)[1]
            start, end = datetime.date(year, month, 1), datetime.date(year, month, last)
            return _period(start, end, is_end=is_end, text=text)
    if m := _YEAR.match(text):
        year = int(m.group(1))
        if _year_ok(year):
            start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
            return _period(start, end, is_end=is_end, text=text)
    if m := _QUARTER.match(text):
        quarter = int(m.group(1) or m.group(2) or m.group(5))
        year = int(m.group(3) or m.group(4))
        if _year_ok(year):
            first = 3 * quarter - 2
            last = calendar.monthrange(year, first + 2)[1]
            start, end = datetime.date(year, first, 1), datetime.date(year, first + 2, last)
            return _period(start, end, is_end=is_end, text=text)
    if m := _HALF.match(text):
        half = _ROMAN[(m.group(1) or m.group(2)).lower()]
        year = int(m.group(3))
        if _year_ok(year):
            if half == 1:
                start, end = datetime.date(year, 1, 1), datetime.date(year, 6, 30)
            else:
                start, end = datetime.date(year, 7, 1), datetime.date(year, 12, 31)
            return _period(start, end, is_end=is_end, text=text)
    return None


# Value codes ---------------------------------------------------------------------------

_YES = {"1", "yes", "y", "x", "true", "✓", "✔"}
_NO = {"0", "no", "n", "false", ""}
# "No data" / "not relevant" (or "not reviewed"): OGP's codes for a value it did not mark.
_NOT_CODED = {"nd", "nr", "n/d", "n/r"}


def read_flag(cell: str) -> tuple[bool, str]:
    """A 1/0 cell: ``(value, how)`` where ``how`` is ``"yes"``, ``"no"``, ``"not_coded"``
    (ND, NR: read as no) or ``"unknown"`` (read as no)."""
    text = cell.strip().lower()
    if text in _YES:
        return True, "yes"
    if text in _NO:
        return False, "no"
    if text in _NOT_CODED:
        return False, "not_coded"
    return False, "unknown"


def is_flag(cell: str) -> bool:
    """Whether ``cell`` reads as a 1/0 code (so its column may hold tags)."""
    text = cell.strip().lower()
    return text in _YES or text in _NO or text in _NOT_CODED


# Institutions ---------------------------------------------------------------------------

_NO_INSTITUTION = {"", "na", "n/a", "none", "-", "--", "not applicable", "not available", "nan"}
_SPLIT = re.compile(r"\s*(?:;|\n|\r|\|| • |•)\s*")


def read_institutions(cell: str) -> list[str]:
    """Institution names from a cell listing them (one per line, or separated by ``;``).
    Commas are left alone: they are part of many names ("Ministry of Justice, Legislation
    and…")."""
    names: list[str] = []
    for part in _SPLIT.split(cell):
        name = part.strip(" \t-–*·")
        if name.lower() not in _NO_INSTITUTION and name not in names:
            names.append(name)
    return names


# Full text ----------------------------------------------------------------------------

# Headings of OGP's commitment templates → the commitment's field (``None``: a section
# kept in the full text only). Compared lower-case, letters and spaces only; a heading
# of three words or more also matches the start of a longer question.
HEADINGS: dict[str, str | None] = {
    # 2014–2019 template
    "status quo or problem addressed": "problem",
    "status quo": "problem",
    "problem addressed": "problem",
    "main objective": "solution",
    "objective": "solution",
    "objectives": "solution",
    "brief description of commitment": "summary",
    "brief description of the commitment": "summary",
    "brief description": "summary",
    "description": "summary",
    "commitment description": "summary",
    "description of commitment": "summary",
    "ogp challenge addressed": None,
    "ogp challenges addressed": None,
    "relevance": None,
    "ambition": None,
    "milestones": None,
    "additional information": None,
    # 2020+ template
    "problem definition": "problem",
    "what is the public problem": "problem",
    "what problem does the commitment aim to address": "problem",
    "what are the causes of the problem": "causes",
    "what are the causes": "causes",
    "causes of the problem": "causes",
    "what is the commitment": "summary",
    "what has been done so far": "done_so_far",
    "what has been done so far to solve the problem": "done_so_far",
    "what solution are you proposing": "solution",
    "proposed solution": "solution",
    "how will the commitment contribute to solve the public problem": "solution",
    "what results do we want to achieve by implementing this commitment": "expected_results",
    "what results do we want to achieve": "expected_results",
    "expected results": "expected_results",
    "expected outcomes": "expected_results",
    "commitment analysis": None,
    "analysis of the commitment": None,
    "how will the commitment promote transparency": "transparency",
    "how will the commitment promote accountability": "accountability",
    "how will the commitment promote participation": "participation",
    "how will the commitment help foster accountability": "accountability",
    "how will the commitment improve participation": "participation",
    "why is this commitment relevant to ogp values": None,
    "planned milestones": None,
}
_LONG = sorted((h for h in HEADINGS if len(h.split()) >= 3), key=len, reverse=True)
_LEAD = re.compile(r"^\s*(?:[-•*·]|\(?[0-9ivx]{1,4}[.)]|[a-h][.)])?\s*")
_LETTERS = re.compile(r"[^a-z ]+")


def _heading_key(text: str) -> str:
    return " ".join(_LETTERS.sub(" ", text.lower()).split())


def _match_heading(text: str, *, prefix_ok: bool) -> str | None:
    key = _heading_key(text)
    if key in HEADINGS:
        return key
    if prefix_ok:
        for heading in _LONG:
            if key.startswith(heading + " "):
                return heading
    return None


@dataclass
class FullText:
    """The template's sections found in a "Full Text" (field → text), whether any was
    found, and the headings met that have no field (kept in the full text only)."""

    fields: dict[str, str]
    structured: bool
    unmapped: list[str]


def read_full_text(text: str) -> FullText:
    """Split a commitment's full text at the template's headings. A text with no heading
    is its brief description as a whole."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").strip()
    sections: dict[str, list[str]] = {}
    unmapped: list[str] = []
    preamble: list[str] = []
    current: list[str] | None = None
    found = False
    for line in text.split("\n"):
        body = _LEAD.sub("", line, count=1).strip()
        heading = None
        rest = ""
        if ":" in body[:160]:
            head, rest = body.split(":", 1)
            heading = _match_heading(head, prefix_ok=True)
        if heading is None:
            # A heading alone on its line (its text follows on the next lines).
            alone = body.rstrip("?").strip()
            if len(alone) <= 160:
                heading = _match_heading(alone, prefix_ok=body.endswith("?"))
            rest = ""
        if heading is None:
            (current if current is not None else preamble).append(line)
            continue
        found = True
        field = HEADINGS[heading]
        if field is None:
            unmapped.append(heading)
            current = []  # kept in the full text only
        else:
            current = sections.setdefault(field, [])
            if current:
                current.append("")
        if rest.strip():
            current.append(rest.strip())
    fields = {f: "\n".join(lines).strip() for f, lines in sections.items()}
    fields = {f: v for f, v in fields.items() if v}
    intro = "\n".join(preamble).strip()
    if not found:
        return FullText({"summary": text} if text else {}, False, [])
    if intro and "summary" not in fields:
        fields["summary"] = intro
    return FullText(fields, True, unmapped)
