"""One report, three renderings: HTML (the page and the downloadable file), PDF through
WeasyPrint (from the same HTML body), DOCX through python-docx, right to left in Arabic
(the section, each paragraph ``w:bidi``, Arabic runs ``w:rtl``, tables ``w:bidiVisual``:
the helpers of the minutes' writer). Content is escaped text everywhere."""

from __future__ import annotations

import functools
import hashlib
import importlib.metadata
import io
from pathlib import Path
from typing import Any

from django.template.loader import render_to_string
from django.utils import translation
from docx import Document
from docx.enum.table import WD_TABLE_DIRECTION
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn

from apps.committees.docx_writer import _PPR, _SECTPR, _child, _font
from apps.committees.minutes import LRI, PDI, isolate_percentages, text_direction
from apps.core.charts import Chart
from apps.core.renderings import Prepared, file_name, stored_or_render
from apps.plans.charts import levels_chart
from apps.reports.document import Report


def report_charts(report: Report, *, visual: bool = False) -> list[Chart]:
    """The commitments by completion level at the report's snapshot (from the report's
    own figures). ``visual``: Arabic labels shaped for WeasyPrint (the PDF)."""
    if not report.levels:
        return []
    with translation.override(report.language):
        return [levels_chart(report.levels, key="report-levels", visual=visual)]


def _context(report: Report, *, visual: bool = False) -> dict[str, Any]:
    return {
        "report": report,
        "labels": report.labels,
        "LRI": LRI,
        "PDI": PDI,
        "charts": report_charts(report, visual=visual),
    }


def render_body(report: Report) -> str:
    """The report's body, for the page."""
    with translation.override(report.language):
        return render_to_string("reports/_report_body.html", _context(report))


def render_html(report: Report, *, visual: bool = False) -> bytes:
    """A standalone HTML document (the downloadable file, and the PDF's source: there
    ``visual``, the charts' Arabic labels shaped for WeasyPrint)."""
    with translation.override(report.language):
        return render_to_string(
            "reports/report_document.html", _context(report, visual=visual)
        ).encode()


def prepare_pdf(report: Report) -> Prepared:
    """The report as a PDF, named after its HTML and the version of WeasyPrint."""
    html = render_html(report, visual=True)
    source = f"weasyprint {importlib.metadata.version('weasyprint')}\n".encode() + html

    def render() -> bytes:
        from weasyprint import HTML

        return bytes(HTML(string=html.decode()).write_pdf())

    return Prepared(file_name("report", source, "pdf"), render)


def render_pdf(report: Report) -> bytes:
    """The PDF: laid out once per content, kept in the media storage shared by every
    worker (:mod:`apps.core.renderings`); generations run in the worker."""
    return stored_or_render(prepare_pdf(report))


class _DocxWriter:
    def __init__(self, report: Report) -> None:
        self.report = report
        self.rtl = translation.get_language_bidi()
        self.document = Document()
        section = self.document.sections[0]
        if self.rtl:
            _child(section._sectPr, "w:bidi", _SECTPR)

    def paragraph(self, text: str, *, size: float = 12, bold: bool = False) -> None:
        text = isolate_percentages(text)
        rtl = text_direction(text, "rtl" if self.rtl else "ltr") == "rtl"
        paragraph = self.document.add_paragraph()
        ppr = paragraph._p.get_or_add_pPr()
        if rtl:
            _child(ppr, "w:bidi", _PPR)
            paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        run = paragraph.add_run(text)
        _font(run._r.get_or_add_rPr(), size=size, bold=bold, rtl=rtl)

    def heading(self, text: str, level: int = 1) -> None:
        self.paragraph(text, size=16 if level == 1 else 13, bold=True)

    def table(self, header: list[str], rows: list[list[str]]) -> None:
        table = self.document.add_table(rows=1, cols=len(header))
        table.style = "Table Grid"
        if self.rtl:
            table.table_direction = WD_TABLE_DIRECTION.RTL  # w:bidiVisual
        for cell, text in zip(table.rows[0].cells, header, strict=True):
            self._cell(cell, text, bold=True)
        trpr = table.rows[0]._tr.get_or_add_trPr()
        trpr.append(trpr.makeelement(qn("w:tblHeader"), {}))
        for values in rows:
            cells = table.add_row().cells
            for cell, text in zip(cells, values, strict=True):
                self._cell(cell, text)

    def _cell(self, cell: Any, text: str, bold: bool = False) -> None:
        text = isolate_percentages(text)
        paragraph = cell.paragraphs[0]
        rtl = text_direction(text, "rtl" if self.rtl else "ltr") == "rtl"
        if rtl:
            _child(paragraph._p.get_or_add_pPr(), "w:bidi", _PPR)
        run = paragraph.add_run(text)
        _font(run._r.get_or_add_rPr(), size=10, bold=bold, rtl=rtl)

    def write(self) -> None:
        report, labels = self.report, self.report.labels
        self.heading(report.title)
        self.heading(labels["introduction"], 2)
        self.paragraph(report.introduction)
        for extra in report.sections:
            self.heading(extra.title, 2)
            for text in extra.paragraphs:
                self.paragraph(text)
            if extra.facts:
                self.table(["", ""], [[label, value] for label, value in extra.facts])
            for table in extra.tables:
                if table.title:
                    self.heading(table.title, 3)
                self.table(table.header, table.rows)
        self.heading(labels["participation"], 2)
        self.table(["", ""], [[label, value] for label, value in report.participation])
        # The charts' figures (a DOCX carries their tables, not the drawings).
        for chart in report_charts(self.report):
            self.heading(chart.title, 3)
            self.table(chart.headers, chart.rows)
        self.heading(labels["commitments"], 2)
        for c in report.commitments:
            self.heading(f"{c.number}. {c.title}", 3)
            for key, value in (
                ("dates", c.dates),
                ("lead", c.lead),
                ("supporting", c.supporting),
                ("problem", c.problem),
                ("description", c.description),
                ("values", "، ".join(c.values) if self.rtl else ", ".join(c.values)),
                ("level", c.level),
                ("progress", c.progress),
                ("results", c.results),
                ("open_government", c.open_government),
                ("evidence", " ".join(c.evidence) or labels["none"]),
                ("next_steps", "; ".join(text for text, _ in c.next_steps) or labels["none"]),
            ):
                self.paragraph(f"{labels[key]}: {value or labels['none']}", size=11)
        self.heading(labels["lessons"], 2)
        for line in (report.lessons or labels["none"]).splitlines():
            self.paragraph(line)
        self.heading(labels["annex"], 2)
        self.table(
            ["#", labels["activity"], labels["progress"]],
            [[str(a.commitment), a.title, a.progress] for a in report.activities],
        )


@functools.cache
def _writer_version() -> str:
    """The DOCX writers' code: a change of it lays the documents out again."""
    from apps.committees import docx_writer

    code = Path(__file__).read_bytes() + Path(docx_writer.__file__).read_bytes()
    return hashlib.sha256(code).hexdigest()


def prepare_docx(report: Report) -> Prepared:
    """The report as a DOCX, named after what it says and the writers' code."""

    def write() -> bytes:
        buffer = io.BytesIO()
        with translation.override(report.language):
            writer = _DocxWriter(report)
            writer.write()
            writer.document.save(buffer)
        return buffer.getvalue()

    source = f"{_writer_version()}\n{report!r}".encode()
    return Prepared(file_name("report", source, "docx"), write)


def render_docx(report: Report) -> bytes:
    return stored_or_render(prepare_docx(report))
