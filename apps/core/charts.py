"""Charts as server-rendered SVG: data in, markup out, no JavaScript, no network.

Why SVG written by the server rather than a JavaScript library: the same markup is
shown by the pages and printed by WeasyPrint in the PDFs; it needs no script (the
Content-Security-Policy allows none inline, and a phone on a slow line loads nothing
more); right to left is a matter of mirroring coordinates, which we control; and the
text alternative is in the markup itself (``role="img"``, ``<title>``, ``<desc>``), with
the figures behind each chart given as a real table by ``partials/_chart.html``.

Rules every chart follows:

- **Right to left.** With ``rtl=True`` every x coordinate is mirrored: bars grow from
  the right, labels sit on the right, time runs from right to left. The ``<svg>``
  carries ``direction="rtl"`` so Arabic labels are laid out right to left; text anchors
  are *logical* (``start`` is the right edge in Arabic). Numbers are Western digits,
  like the rest of the pages, wrapped in LRI … PDI so "65%" never reads "%65".
- **Not colour alone.** Every bar is labelled with its name and its figure; the two
  kinds of points of a line chart differ in shape (circle, square) as well as colour.
  Colours reach at least 4.5:1 on white.
- **No style attribute** (strict CSP): presentation attributes only (``fill=``…).
- **Escaped.** Every label goes through :func:`django.utils.html.escape`.
"""

from __future__ import annotations

import datetime
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from django.utils.html import escape, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import ngettext

# Isolates a left-to-right run (a number, a percentage, a date) inside the labels.
LRI, PDI = "\u2066", "\u2069"

# Colours of at least 4.5:1 on white (WCAG 1.4.3 for the text beside them, 1.4.11 for
# the shapes), also distinct for the common colour-vision deficiencies by lightness.
INK = "#212529"
MUTED = "#5c636a"
GRID = "#c4c8cc"
COLOURS = {
    "not_started": "#5c636a",  # 6.0:1
    "limited": "#a84a00",  # 5.6:1
    "substantial": "#0b5cad",  # 6.6:1
    "complete": "#146c2e",  # 6.4:1
    "late": "#b02a37",  # 6.2:1
    "on_time": "#0f5e66",  # 7.2:1
    "line": "#0f5e66",
    "meeting": "#a84a00",
}

WIDTH = 600
FONT_SIZE = 13


# WeasyPrint lays out SVG text one character at a time, left to right: Arabic letters
# would neither join nor run right to left in the PDFs. For the documents, Arabic text
# is therefore given already shaped (Unicode presentation forms) and in visual order,
# with physical anchors (``visual=True``); the pages use the logical text.
def _forms() -> tuple[dict[str, tuple[str, ...]], dict[str, tuple[str, str]]]:
    forms: dict[str, tuple[str, ...]] = {}
    for code in range(0x0621, 0x064B):
        char = chr(code)
        try:
            name = unicodedata.name(char)
        except ValueError:
            continue
        found = []
        for suffix in ("ISOLATED", "FINAL", "INITIAL", "MEDIAL"):
            try:
                found.append(unicodedata.lookup(f"{name} {suffix} FORM"))
            except KeyError:
                break
        if found:
            forms[char] = tuple(found)
    forms["\u0640"] = ("\u0640",) * 4  # tatweel joins on both sides
    ligatures = {}
    for alef, name in (
        ("\u0627", ""),
        ("\u0623", " WITH HAMZA ABOVE"),
        ("\u0625", " WITH HAMZA BELOW"),
        ("\u0622", " WITH MADDA ABOVE"),
    ):
        base = f"ARABIC LIGATURE LAM WITH ALEF{name}"
        ligatures[alef] = (
            unicodedata.lookup(f"{base} ISOLATED FORM"),
            unicodedata.lookup(f"{base} FINAL FORM"),
        )
    return forms, ligatures


_FORMS, _LAM_ALEF = _forms()


def _joins_left(char: str | None) -> bool:
    """Whether ``char`` connects to the letter after it (dual-joining)."""
    return char is not None and len(_FORMS.get(char, ())) == 4


def shape_arabic(text: str) -> str:
    """Arabic letters replaced by their contextual presentation forms (logical order);
    diacritics are dropped (they would be drawn apart)."""
    letters = [c for c in text if not ("\u064b" <= c <= "\u065f" or c == "\u0670")]
    out: list[str] = []
    i = 0
    while i < len(letters):
        char = letters[i]
        before = letters[i - 1] if i else None
        joined_before = _joins_left(before) and char in _FORMS
        nxt = letters[i + 1] if i + 1 < len(letters) else None
        if char == "\u0644" and nxt in _LAM_ALEF:
            out.append(_LAM_ALEF[nxt][1 if joined_before else 0])
            i += 2
            continue
        forms = _FORMS.get(char)
        if not forms:
            out.append(char)
        else:
            joins_after = len(forms) == 4 and nxt in _FORMS
            index = (1 if joined_before else 0) + (2 if joins_after else 0)
            # isolated 0, final 1, initial 2, medial 3
            out.append(forms[index] if index < len(forms) else forms[1 if joined_before else 0])
        i += 1
    return "".join(out)


def _is_rtl(char: str) -> bool:
    return unicodedata.bidirectional(char) in ("R", "AL")


def visual_text(text: str) -> str:
    """``text`` shaped and in visual (left-to-right) order for a right-to-left line: runs
    of right-to-left letters reversed, the order of the runs reversed, left-to-right runs
    (numbers, Latin words) kept as they are. Enough for a chart's short labels."""
    text = text.replace(LRI, "").replace(PDI, "").replace("\u2068", "")
    if not any(_is_rtl(c) for c in text):
        return text
    shaped = shape_arabic(text)
    runs: list[tuple[bool, str]] = []
    for char in shaped:
        kind = unicodedata.bidirectional(char)
        rtl = kind in ("R", "AL") or (kind in ("WS", "ON", "CS") and (not runs or runs[-1][0]))
        if runs and runs[-1][0] == rtl:
            runs[-1] = (rtl, runs[-1][1] + char)
        else:
            runs.append((rtl, char))
    mirror = str.maketrans("()[]<>", ")(][><")
    return "".join(run[::-1].translate(mirror) if rtl else run for rtl, run in reversed(runs))


def number(value: float | int) -> str:
    """A figure as printed in a chart: rounded, isolated."""
    return f"{LRI}{round(value)}{PDI}"


def percent(value: float | int) -> str:
    return f"{LRI}{round(value)}%{PDI}"


@dataclass(frozen=True)
class Bar:
    """One bar: its label, its value and a colour key of :data:`COLOURS`."""

    label: str
    value: float
    colour: str = "on_time"


@dataclass(frozen=True)
class Point:
    """One point in time: a percentage, and its kind (``update`` or ``meeting``)."""

    day: datetime.date
    value: float
    kind: str = "update"
    label: str = ""  # the date as shown (and the meeting, for a meeting's point)


@dataclass
class Chart:
    """A chart ready for a template: the SVG and the table of the figures behind it."""

    key: str
    title: str
    svg: SafeString
    headers: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)
    empty: bool = False
    note: str = ""  # a sentence shown under the chart (what it counts, as of when)

    @property
    def size(self) -> int:
        return len(self.svg.encode())

    @property
    def body_html(self) -> SafeString:
        """The table's rows, each one's first cell its header: built here rather than by
        the template's nested loops (a plan page's charts have hundreds of rows)."""
        return format_html_join(
            "",
            '<tr><th scope="row">{}</th>{}</tr>',
            (
                (first, format_html_join("", "<td><bdi>{}</bdi></td>", ((c,) for c in rest)))
                for first, *rest in self.rows
            ),
        )


class _Frame:
    """Mirrors x coordinates for right-to-left charts."""

    def __init__(self, rtl: bool, visual: bool = False, width: int = WIDTH) -> None:
        self.rtl = rtl
        self.visual = visual and rtl
        self.width = width

    @property
    def direction(self) -> str:
        return "rtl" if self.rtl and not self.visual else "ltr"

    def text(self, x: float, y: float, text: str, *, anchor: str = "start", fill: str = INK) -> str:
        """A label at ``x``; ``anchor`` is logical (``start``: where reading starts)."""
        if self.visual:  # physical anchors, shaped text (see visual_text)
            anchor = {"start": "end", "end": "start"}.get(anchor, anchor)
            text = visual_text(text)
        return (
            f'<text x="{_f(x)}" y="{_f(y)}" text-anchor="{anchor}" fill="{fill}">'
            f"{escape(text)}</text>"
        )

    def x(self, x: float) -> float:
        return self.width - x if self.rtl else x

    def span(self, x: float, w: float) -> float:
        """The left edge of a rectangle that starts at logical ``x`` and is ``w`` wide."""
        return self.width - x - w if self.rtl else x


def _f(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _svg(
    key: str, title: str, desc: str, height: float, body: list[str], frame: _Frame
) -> SafeString:
    key = escape(key)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart-svg" viewBox="0 0 {WIDTH} '
        f'{_f(height)}" width="{WIDTH}" height="{_f(height)}" role="img" '
        f'aria-labelledby="chart-{key}-title chart-{key}-desc" '
        f'direction="{frame.direction}" font-size="{FONT_SIZE}" '
        f'data-chart="{key}" data-direction="{"rtl" if frame.rtl else "ltr"}">',
        f'<title id="chart-{key}-title">{escape(title)}</title>',
        f'<desc id="chart-{key}-desc">{escape(desc)}</desc>',
        *body,
        "</svg>",
    ]
    return mark_safe("".join(parts))  # noqa: S308 - every label above is escaped


def _empty(key: str, title: str, message: str, frame: _Frame) -> Chart:
    body = [frame.text(frame.x(8), 24, message, fill=MUTED)]
    return Chart(key, title, _svg(key, title, message, 40, body, frame), empty=True)


def bar_chart(
    key: str,
    title: str,
    bars: Sequence[Bar],
    *,
    rtl: bool,
    visual: bool = False,
    category: str,
    value_header: str,
    empty_message: str,
    unit: str = "",
) -> Chart:
    """Horizontal bars, one per category, each labelled with its name and its value
    (and its share of the total). ``unit`` follows the value in the description."""
    total = sum(b.value for b in bars)
    frame = _Frame(rtl, visual)
    if not bars or total <= 0:
        return _empty(key, title, empty_message, frame)
    label_w, gap, value_w = 190.0, 10.0, 90.0
    row_h, bar_h, top = 30.0, 20.0, 6.0
    plot_x = label_w + gap
    plot_w = WIDTH - plot_x - value_w
    biggest = max(b.value for b in bars)
    body = [
        f'<line x1="{_f(frame.x(plot_x))}" y1="{_f(top - 2)}" x2="{_f(frame.x(plot_x))}" '
        f'y2="{_f(top + row_h * len(bars))}" stroke="{INK}" stroke-width="1"/>'
    ]
    rows = []
    descriptions = []
    for i, bar in enumerate(bars):
        y = top + i * row_h
        w = plot_w * bar.value / biggest if biggest else 0
        share = 100 * bar.value / total
        body.append(
            f'<g class="chart-bar" data-value="{_f(bar.value)}">'
            + frame.text(frame.x(label_w), y + bar_h / 2 + 4.5, bar.label, anchor="end", fill=INK)
            + f'<rect x="{_f(frame.span(plot_x, w))}" y="{_f(y)}" width="{_f(w)}" '
            f'height="{_f(bar_h)}" fill="{COLOURS.get(bar.colour, COLOURS["on_time"])}"/>'
            + frame.text(
                frame.x(plot_x + w + 6),
                y + bar_h / 2 + 4.5,
                f"{LRI}{round(bar.value)} ({round(share)}%){PDI}",
                fill=INK,
            )
            + "</g>"
        )
        rows.append([bar.label, str(round(bar.value)), f"{round(share)}%"])
        descriptions.append(f"{bar.label}: {round(bar.value)}{unit}")
    height = top + row_h * len(bars) + 4
    desc = "; ".join(descriptions)
    return Chart(
        key,
        title,
        _svg(key, title, desc, height, body, frame),
        headers=[category, value_header, "%"],
        rows=rows,
    )


# The most points a line shows (and rows its table lists): beyond, one per period.
MAX_LINE_POINTS = 120


def thin(points: Sequence[Point], limit: int) -> tuple[list[Point], int]:
    """At most ``limit + 1`` of ``points`` (sorted by day or not): the first, then the
    last of each period of ``days`` days, periods counted from the first day and as
    long as needed to fit. Returns the points kept and the period's length in days.
    The last point of a period is the figure that stood at its end: the line keeps
    its shape, only the steps within a period are left out."""
    ordered = sorted(points, key=lambda p: p.day)
    first = ordered[0].day
    span = (ordered[-1].day - first).days + 1
    days = max(1, -(-span // limit))  # ceiling division
    last_of: dict[int, Point] = {}
    for point in ordered:
        last_of[(point.day - first).days // days] = point
    kept = list(last_of.values())
    if kept[0] is not ordered[0]:
        kept.insert(0, ordered[0])
    return kept, days


def line_chart(
    key: str,
    title: str,
    points: Sequence[Point],
    *,
    rtl: bool,
    visual: bool = False,
    date_header: str,
    kind_header: str,
    value_header: str,
    kind_labels: dict[str, str],
    empty_message: str,
    height: float = 220.0,
    day_text: Callable[[datetime.date], str] | None = None,
    max_points: int = MAX_LINE_POINTS,
) -> Chart:
    """Percentages over time (0–100 %): a line through the ``update`` points and a
    square for each ``meeting`` point; time runs right to left in Arabic.
    ``kind_labels`` names each kind of point in the legend and the table;
    ``day_text(day)`` formats a date (default ISO). Beyond ``max_points`` updates the
    line keeps the last figure of each period (see :func:`thin`), so the chart and its
    table stay the same size whatever the number of updates."""
    frame = _Frame(rtl, visual)
    if not points:
        return _empty(key, title, empty_message, frame)
    updates = [p for p in points if p.kind == "update"]
    note = ""
    if len(updates) > max_points:
        kept, days = thin(updates, max_points)
        points = [p for p in points if p.kind != "update"] + kept
        note = ngettext(
            "One figure a day is shown: the last one of the day.",
            "One figure every %(days)s days is shown: the last one of each period.",
            days,
        ) % {"days": days}

    def fmt(day: datetime.date) -> str:
        return day_text(day) if day_text is not None else day.isoformat()

    points = sorted(points, key=lambda p: (p.day, p.kind))
    left, right, top, bottom = 48.0, 16.0, 12.0, 52.0
    plot_w, plot_h = WIDTH - left - right, height - top - bottom
    first, last = points[0].day, points[-1].day
    span = (last - first).days

    def px(day: datetime.date) -> float:
        logical = left + (plot_w * (day - first).days / span if span else plot_w / 2)
        return frame.x(logical)

    def py(value: float) -> float:
        return top + plot_h * (1 - max(0.0, min(100.0, value)) / 100)

    body = []
    for tick in (0, 25, 50, 75, 100):
        y = py(tick)
        body.append(
            f'<line x1="{_f(frame.x(left))}" y1="{_f(y)}" x2="{_f(frame.x(left + plot_w))}" '
            f'y2="{_f(y)}" stroke="{INK if tick == 0 else GRID}" stroke-width="1"/>'
        )
        body.append(frame.text(frame.x(left - 6), y + 4.5, percent(tick), anchor="end", fill=MUTED))
    ticks = [first] if not span else [first, last]
    for i, day in enumerate(ticks):
        anchor = "middle" if not span else ("start" if i == 0 else "end")
        body.append(frame.text(px(day), top + plot_h + 18, fmt(day), anchor=anchor, fill=MUTED))
    # A solid line through the updates, a dashed one through the meetings' figures.
    for kind, colour, dash in (
        ("update", COLOURS["line"], ""),
        ("meeting", COLOURS["meeting"], ' stroke-dasharray="6 4"'),
    ):
        line = [p for p in points if p.kind == kind]
        if len(line) > 1:
            coords = " ".join(f"{_f(px(p.day))},{_f(py(p.value))}" for p in line)
            body.append(
                f'<polyline points="{coords}" fill="none" stroke="{colour}" '
                f'stroke-width="2"{dash} stroke-linejoin="round"/>'
            )
    for p in points:
        if p.kind == "meeting":
            body.append(
                f'<rect class="chart-point" data-kind="meeting" x="{_f(px(p.day) - 5)}" '
                f'y="{_f(py(p.value) - 5)}" width="10" height="10" '
                f'fill="{COLOURS["meeting"]}" stroke="#fff" stroke-width="1"/>'
            )
        else:
            body.append(
                f'<circle class="chart-point" data-kind="update" cx="{_f(px(p.day))}" '
                f'cy="{_f(py(p.value))}" r="3.5" fill="{COLOURS["line"]}"/>'
            )
    # The legend: a shape and its name, for every kind of point shown.
    kinds = [k for k in ("update", "meeting") if any(p.kind == k for p in points)]
    y = height - 10
    x = left
    for kind in kinds:
        label = kind_labels.get(kind, kind)
        if kind == "meeting":
            shape = (
                f'<rect x="{_f(frame.span(x, 10))}" y="{_f(y - 9)}" width="10" height="10" '
                f'fill="{COLOURS["meeting"]}"/>'
            )
        else:
            shape = (
                f'<circle cx="{_f(frame.x(x + 5))}" cy="{_f(y - 4)}" r="4" '
                f'fill="{COLOURS["line"]}"/>'
            )
        body.append(shape + frame.text(frame.x(x + 16), y, label, fill=INK))
        x += 16 + 8 * len(label) + 24
    last_point = points[-1]
    desc = f"{fmt(first)} – {fmt(last)}: {percent(points[0].value)} → {percent(last_point.value)}"
    rows = [
        [
            fmt(p.day),
            kind_labels.get(p.kind, p.kind) + (f" ({p.label})" if p.label else ""),
            f"{round(p.value)}%",
        ]
        for p in points
    ]
    return Chart(
        key,
        title,
        _svg(key, title, desc, height, body, frame),
        headers=[date_header, kind_header, value_header],
        rows=rows,
        note=note,
    )
