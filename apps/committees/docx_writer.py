"""The minutes as a Word document (python-docx), right to left in Arabic.

Word needs to be told everything about right-to-left text: the section and each
paragraph are ``w:bidi``, Arabic runs are ``w:rtl`` with a complex-script font
(``w:rFonts w:cs``) and size (``w:szCs``), tables are ``w:bidiVisual`` (first column on
the right) and the progress table's header row is ``w:tblHeader`` (repeated on every
page). Percentages are isolated (LRI … PDI) so that they read "65%", not "%65".
"""

from __future__ import annotations

from typing import IO, Any

from django.utils.translation import get_language_bidi
from docx import Document
from docx.enum.table import WD_TABLE_DIRECTION
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from apps.committees.minutes import (
    LRI,
    PDI,
    Minutes,
    isolate_percentages,
    percent_text,
    text_direction,
)
from apps.core.content import Fallback, direction
from apps.core.dates import format_date

FONT = "Amiri"
SIZE = 12

# Element order of w:pPr and w:rPr in the schema (Word rejects misordered children).
_PPR = [
    "w:pStyle",
    "w:keepNext",
    "w:keepLines",
    "w:pageBreakBefore",
    "w:framePr",
    "w:widowControl",
    "w:numPr",
    "w:suppressLineNumbers",
    "w:pBdr",
    "w:shd",
    "w:tabs",
    "w:suppressAutoHyphens",
    "w:kinsoku",
    "w:wordWrap",
    "w:overflowPunct",
    "w:topLinePunct",
    "w:autoSpaceDE",
    "w:autoSpaceDN",
    "w:bidi",
    "w:adjustRightInd",
    "w:snapToGrid",
    "w:spacing",
    "w:ind",
    "w:contextualSpacing",
    "w:mirrorIndents",
    "w:suppressOverlap",
    "w:jc",
    "w:textDirection",
    "w:textAlignment",
    "w:textboxTightWrap",
    "w:outlineLvl",
    "w:divId",
    "w:cnfStyle",
    "w:rPr",
    "w:sectPr",
    "w:pPrChange",
]
_RPR = [
    "w:rStyle",
    "w:rFonts",
    "w:b",
    "w:bCs",
    "w:i",
    "w:iCs",
    "w:caps",
    "w:smallCaps",
    "w:strike",
    "w:dstrike",
    "w:outline",
    "w:shadow",
    "w:emboss",
    "w:imprint",
    "w:noProof",
    "w:snapToGrid",
    "w:vanish",
    "w:webHidden",
    "w:color",
    "w:spacing",
    "w:w",
    "w:kern",
    "w:position",
    "w:sz",
    "w:szCs",
    "w:highlight",
    "w:u",
    "w:effect",
    "w:bdr",
    "w:shd",
    "w:fitText",
    "w:vertAlign",
    "w:rtl",
    "w:cs",
    "w:em",
    "w:lang",
    "w:eastAsianLayout",
    "w:specVanish",
    "w:oMath",
]


def _child(parent: Any, tag: str, order: list[str]) -> Any:
    """The ``tag`` child of ``parent``, created in its schema position if missing."""
    existing = parent.find(qn(tag))
    if existing is not None:
        return existing
    element = OxmlElement(tag)
    parent.insert_element_before(element, *order[order.index(tag) + 1 :])
    return element


def _keep(source: str, text: str) -> str:
    """``text`` built from ``source``, still marked as a fallback when ``source`` was."""
    return Fallback(text, source.language) if isinstance(source, Fallback) else text


def _font(rpr: Any, *, size: float = SIZE, bold: bool = False, rtl: bool = False) -> None:
    fonts = _child(rpr, "w:rFonts", _RPR)
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attr), FONT)
    if bold:
        _child(rpr, "w:b", _RPR)
        _child(rpr, "w:bCs", _RPR)
    half_points = str(round(size * 2))
    _child(rpr, "w:sz", _RPR).set(qn("w:val"), half_points)
    _child(rpr, "w:szCs", _RPR).set(qn("w:val"), half_points)
    if rtl:
        _child(rpr, "w:rtl", _RPR)
    lang = _child(rpr, "w:lang", _RPR)
    lang.set(qn("w:bidi"), "ar-MA")


class _Writer:
    def __init__(self, minutes: Minutes) -> None:
        self.minutes = minutes
        self.rtl = get_language_bidi()
        self.doc = Document()
        section = self.doc.sections[0]
        section.page_height, section.page_width = Cm(29.7), Cm(21)
        for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
            setattr(section, side, Cm(2))
        if self.rtl:
            _child(section._sectPr, "w:bidi", _SECTPR)
        normal = self.doc.styles["Normal"]
        _font(normal.element.get_or_add_rPr(), rtl=self.rtl)
        if self.rtl:
            _child(normal.element.get_or_add_pPr(), "w:bidi", _PPR)
        self._footer()

    def _footer(self) -> None:
        paragraph = self.doc.sections[0].footer.paragraphs[0]
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        field = OxmlElement("w:fldSimple")
        field.set(qn("w:instr"), "PAGE")
        run = OxmlElement("w:r")
        text = OxmlElement("w:t")
        text.text = "1"
        run.append(text)
        field.append(run)
        paragraph._p.append(field)

    def paragraph(
        self,
        text: str = "",
        *,
        style: str | None = None,
        bold: bool = False,
        size: float = SIZE,
        center: bool = False,
        container: Any = None,
    ) -> Any:
        target = container if container is not None else self.doc
        paragraph = target.add_paragraph(style=style)
        # Each paragraph takes the direction of its own text (Arabic content falls back
        # into French or English minutes), the document's when it has no letter.
        rtl = text_direction(text, "rtl" if self.rtl else "ltr") == "rtl"
        _child(paragraph._p.get_or_add_pPr(), "w:bidi", _PPR).set(qn("w:val"), "1" if rtl else "0")
        if center:
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        if text:
            self.run(paragraph, text, bold=bold, size=size)
        return paragraph

    def run(self, paragraph: Any, text: str, *, bold: bool = False, size: float = SIZE) -> Any:
        rtl = text_direction(text, "rtl" if self.rtl else "ltr") == "rtl"
        if isinstance(text, Fallback):
            rtl = direction(text.language) == "rtl"
        run = paragraph.add_run(isolate_percentages(text) if rtl else str(text))
        _font(run._r.get_or_add_rPr(), size=size, bold=bold, rtl=rtl)
        if isinstance(text, Fallback) and rtl:
            # Content that fell back to Arabic (w:rtl above): spoken as Arabic too.
            _child(run._r.get_or_add_rPr(), "w:lang", _RPR).set(qn("w:val"), "ar-MA")
        return run

    def number_run(self, paragraph: Any, text: str) -> Any:
        """A number or a percentage, isolated left to right inside Arabic text."""
        # Isolated whatever the document's language: Arabic paragraphs appear in French
        # or English minutes too, where content falls back to Arabic.
        run = paragraph.add_run(f"{LRI}{text}{PDI}")
        _font(run._r.get_or_add_rPr())
        return run

    def heading(self, text: str, size: float = 13) -> None:
        paragraph = self.paragraph(text, bold=True, size=size)
        paragraph.paragraph_format.space_before = Pt(8)
        paragraph.paragraph_format.keep_with_next = True

    def bullets(self, items: list[str], container: Any = None) -> None:
        for item in items:
            self.paragraph(item, style="List Bullet", container=container)

    def table(self, headers: list[str], widths: list[float]) -> Any:
        table = self.doc.add_table(rows=1, cols=len(headers))
        table.style = "Table Grid"
        table.autofit = False
        if self.rtl:
            table.table_direction = WD_TABLE_DIRECTION.RTL
        for column, width in zip(table.columns, widths, strict=True):
            column.width = Cm(width)  # w:gridCol, which LibreOffice follows
        header = table.rows[0]
        _child(header._tr.get_or_add_trPr(), "w:tblHeader", _TRPR)
        for cell, text, width in zip(header.cells, headers, widths, strict=True):
            cell.width = Cm(width)
            cell.paragraphs[0]._p.getparent().remove(cell.paragraphs[0]._p)
            self.paragraph(text, bold=True, container=cell)
        return table

    def row(self, table: Any, widths: list[float]) -> list[Any]:
        cells = table.add_row().cells
        for cell, width in zip(cells, widths, strict=True):
            cell.width = Cm(width)
            # Start empty: callers add right-to-left paragraphs.
            cell.paragraphs[0]._p.getparent().remove(cell.paragraphs[0]._p)
        return list(cells)

    def write(self) -> None:
        m = self.minutes
        labels = m.labels()
        if m.meeting.is_draft:
            self.paragraph(labels["draft"], bold=True, center=True)
        self.paragraph(m.title, bold=True, size=16, center=True)
        self.heading(labels["date"])
        self.paragraph(m.date_text)
        self.heading(labels["place"])
        self.paragraph(_keep(m.place, f"{m.place}{m.terminator}") if m.place else "")
        self.heading(labels["participants"])
        count = len(m.participants)
        self.bullets(
            [
                p.text + (m.terminator if i == count - 1 else m.separator)
                for i, p in enumerate(m.participants)
            ]
        )
        if m.absent_bodies:
            self.heading(labels["absent"])
            last = len(m.absent_bodies) - 1
            self.bullets(
                [
                    name + (m.terminator if i == last else m.separator)
                    for i, name in enumerate(m.absent_bodies)
                ]
            )
        self.heading(labels["agenda"])
        self.bullets([_keep(s.title, f"{s.title} {s.note}".strip()) for s in m.agenda])
        self.heading(labels["discussed"])
        if m.opening_remarks:
            self.heading(labels["opening"], size=12)
            for text in m.opening_remarks.split("\n\n"):
                self.paragraph(text.strip())
        for section in m.agenda:
            self.heading(section.title, size=12)
            if section.shows_progress and m.rows:
                self.progress_table(labels)
            self.blocks(section.blocks)
        if m.carried_items:
            self.heading(labels["carried"], size=12)
            self.action_table(m.carried_items, labels)
        if m.decisions:
            self.heading(labels["agreed"])
            self.bullets(m.decisions)
        if m.action_items:
            self.heading(labels["action_items"], size=12)
            self.action_table(m.action_items, labels)

    def progress_table(self, labels: dict[str, str]) -> None:
        widths = [0.9, 4.2, 2.0, 6.4, 3.5]
        table = self.table(
            [
                labels["number"],
                labels["commitment"],
                labels["progress"],
                labels["pending"],
                labels["notes"],
            ],
            widths,
        )
        for row in self.minutes.rows:
            number, title, progress, pending, notes = self.row(table, widths)
            self.number_run(self.paragraph(container=number), str(row.number))
            self.paragraph(row.title, container=title)
            self.number_run(self.paragraph(container=progress), percent_text(row.progress))
            if not row.activities:
                self.paragraph("• " + labels["all_done"], container=pending)
            for activity in row.activities:
                paragraph = self.paragraph("• " + activity.title, container=pending)
                if activity.progress is not None:
                    self.run(paragraph, " ")
                    self.number_run(paragraph, percent_text(activity.progress))
            for note in row.notes:
                self.paragraph(("• " if len(row.notes) > 1 else "") + note, container=notes)
            if not row.notes:
                self.paragraph(container=notes)

    def blocks(self, blocks: list[dict[str, Any]]) -> None:
        for block in blocks:
            if block["kind"] == "paragraph":
                self.paragraph(block["text"])
            elif block["kind"] == "list":
                self.bullets(block["items"])
            elif block["kind"] == "table":
                columns = len(block["headers"])
                widths = [17.0 / columns] * columns
                table = self.table(block["headers"], widths)
                for values in block["rows"]:
                    for cell, value in zip(self.row(table, widths), values, strict=True):
                        self.paragraph(value, container=cell)
                self.paragraph()

    def action_table(self, items: list[Any], labels: dict[str, str]) -> None:
        widths = [8.0, 4.0, 2.5, 2.5]
        table = self.table(
            [labels["action_items"], labels["owner"], labels["due"], labels["status"]], widths
        )
        for item in items:
            action, owner, due, status = self.row(table, widths)
            self.paragraph(item.title, container=action)
            self.paragraph(item.owner, container=owner)
            paragraph = self.paragraph(container=due)
            if item.due_date:
                self.number_run(paragraph, format_date(item.due_date))
            self.paragraph(str(item.get_status_display()), container=status)


_SECTPR = [
    "w:headerReference",
    "w:footerReference",
    "w:footnotePr",
    "w:endnotePr",
    "w:type",
    "w:pgSz",
    "w:pgMar",
    "w:paperSrc",
    "w:pgBorders",
    "w:lnNumType",
    "w:pgNumType",
    "w:cols",
    "w:formProt",
    "w:vAlign",
    "w:noEndnote",
    "w:titlePg",
    "w:textDirection",
    "w:bidi",
    "w:rtlGutter",
    "w:docGrid",
    "w:printerSettings",
    "w:sectPrChange",
]
_TRPR = [
    "w:cnfStyle",
    "w:divId",
    "w:gridBefore",
    "w:gridAfter",
    "w:wBefore",
    "w:wAfter",
    "w:cantSplit",
    "w:trHeight",
    "w:tblHeader",
    "w:tblCellSpacing",
    "w:jc",
    "w:hidden",
    "w:ins",
    "w:del",
    "w:trPrChange",
]


def write_minutes(minutes: Minutes, stream: IO[bytes]) -> None:
    writer = _Writer(minutes)
    writer.write()
    writer.doc.core_properties.title = minutes.title
    writer.doc.core_properties.language = minutes.language
    writer.doc.save(stream)
