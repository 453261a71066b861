"""Reading the tables people send: CSV in whatever encoding their spreadsheet saved it
(UTF-8 with or without BOM, UTF-16, Windows-1256 for Arabic…) and Excel workbooks, row by
row so that memory stays bounded, and the cell values they write ("60 %", "٦٠٪",
"1,5", "2019-07-01", "01/07/2019").

Every problem is a :class:`TabularError` whose message is in the user's language; the
importers turn it into a row-level error or a refusal of the whole file.
"""

from __future__ import annotations

import codecs
import csv
import datetime
import decimal
import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from django.utils.translation import gettext as _

from apps.core import bounds

# A field may span lines (OGP's "Full Text"), but no real cell is this long.
MAX_FIELD = 1_000_000
# How much of a CSV file the encoding is guessed from.
SNIFF_BYTES = 256 * 1024

# Arabic-Indic (٠-٩) and Eastern Arabic-Indic (۰-۹) digits, the Arabic percent sign,
# decimal and thousands separators: valid input, read as their Western equivalents.
_DIGITS = str.maketrans(
    "٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹٪٫٬",
    "01234567890123456789%.,",
)


class TabularError(ValueError):
    """A file or a cell that cannot be read; ``str(error)`` is the user's message."""


@dataclass(frozen=True)
class Table:
    """A table's header row and an iterator over its data rows. ``rows`` yields
    ``(row_number, cells)``: the number is the one a spreadsheet shows (the header is
    row 1), cells are strings (empty for an empty cell), padded to the header's width."""

    headers: list[str]
    rows: Iterator[tuple[int, list[str]]]


def western_digits(text: str) -> str:
    """``text`` with Arabic-Indic digits and separators as Western ones."""
    return text.translate(_DIGITS)


def cell_text(value: Any) -> str:
    """A cell's value as text: numbers without a spurious ``.0``, dates as ISO."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime):
        if value.time() == datetime.time(0):
            return value.date().isoformat()
        return value.isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value).strip()


def parse_decimal(text: str) -> decimal.Decimal | None:
    """``"1,5"``, ``"1.5"``, ``"١٫٥"`` → ``Decimal("1.5")``; empty → ``None``."""
    text = western_digits(text).strip().replace("\u00a0", "").replace(" ", "")
    if not text:
        return None
    # "1,5" is French for 1.5; in "1,000.5" the comma separates thousands.
    decimal_comma = "," in text and "." not in text
    text = text.replace(",", ".") if decimal_comma else text.replace(",", "")
    try:
        value = decimal.Decimal(text)
    except decimal.InvalidOperation:
        raise TabularError(_("“%(value)s” is not a number.") % {"value": text[:40]}) from None
    if not value.is_finite():
        raise TabularError(_("“%(value)s” is not a number.") % {"value": text[:40]})
    return value


def parse_percent(text: str) -> int | None:
    """A progress percentage, a whole number from 0 to 100: ``"60"``, ``"60 %"``,
    ``"٦٠٪"``; empty → ``None``. Anything else, or out of range, is a
    :class:`TabularError`."""
    text = western_digits(text).strip().rstrip("%").strip()
    if not text:
        return None
    value = parse_decimal(text)
    assert value is not None
    if value != value.to_integral_value():
        raise TabularError(_("A percentage is a whole number from 0 to 100."))
    if not 0 <= value <= 100:
        raise TabularError(
            _("%(value)s is outside 0–100.") % {"value": format(value.normalize(), "f")}
        )
    return int(value)


_DMY = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})$")


def parse_date(text: str, *, fact: bool = False) -> datetime.date | None:
    """An ISO date (``2019-07-01``) or a day-first one (``01/07/2019``, the way Arabic
    and French spreadsheets write them); empty → ``None``. The date is bounded
    (:mod:`apps.core.bounds`): a scheduled date by default, the date of something that
    happened with ``fact``."""
    day = _parse_date(western_digits(text).strip())
    message = (bounds.fact_error if fact else bounds.plan_error)(day)
    if message:
        raise TabularError(message)
    return day


def _parse_date(text: str) -> datetime.date | None:
    if not text:
        return None
    try:
        return datetime.date.fromisoformat(text[:10])
    except ValueError:
        pass
    match = _DMY.match(text)
    if match:
        day, month, year = (int(g) for g in match.groups())
        try:
            return datetime.date(year, month, day)
        except ValueError:
            pass
    raise TabularError(
        _("“%(value)s” is not a date (write it as 2024-07-01).") % {"value": text[:40]}
    )


def open_table(path: Path | str, *, name: str = "") -> Table:
    """The table in the file at ``path``; its kind is found from its content (an Excel
    workbook is a zip archive), falling back to ``name``'s extension only for the
    message. Raises :class:`TabularError` for a file that is neither."""
    path = Path(path)
    with path.open("rb") as f:
        head = f.read(8)
    if head.startswith(b"PK\x03\x04"):
        return _xlsx(path)
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise TabularError(
            _("This is an old Excel file (.xls). Save it as .xlsx or CSV and try again.")
        )
    return _csv(path)


def _xlsx(path: Path) -> Table:
    from openpyxl import load_workbook

    # A formula cell reads as the value the spreadsheet last computed (what its author
    # saw), never as a formula to evaluate. The file object (not the path) lets an .xlsx
    # uploaded under another name be read by its content.
    handle = path.open("rb")
    try:
        wb = load_workbook(handle, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError) as exc:
        handle.close()
        raise TabularError(
            _("The Excel file cannot be read (it may be damaged or not an .xlsx file).")
        ) from exc

    def close() -> None:
        wb.close()
        handle.close()

    ws = wb.worksheets[0] if wb.worksheets else None
    if ws is None:
        close()
        raise TabularError(_("The Excel file has no sheet."))
    rows = ws.iter_rows(values_only=True)
    try:
        header_row = next(rows)
    except StopIteration:
        close()
        raise TabularError(_("The file is empty.")) from None
    except Exception as exc:  # openpyxl raises many kinds on a damaged sheet
        close()
        raise TabularError(_("The Excel file cannot be read (it may be damaged).")) from exc
    headers = [cell_text(v) for v in header_row]
    while headers and not headers[-1]:
        headers.pop()
    if not any(headers):
        close()
        raise TabularError(_("The first row holds no column names."))

    def data() -> Iterator[tuple[int, list[str]]]:
        width = len(headers)
        try:
            for number, values in enumerate(rows, start=2):
                cells = [cell_text(v) for v in values[:width]]
                cells += [""] * (width - len(cells))
                if any(cells):
                    yield number, cells
        except TabularError:
            raise
        except Exception as exc:
            raise TabularError(_("The Excel file cannot be read (it may be damaged).")) from exc
        finally:
            close()

    return Table(headers, data())


def detect_encoding(sample: bytes) -> str:
    """The encoding of a CSV file from its first bytes: a byte-order mark decides,
    then UTF-8 if it decodes, then charset-normalizer's best guess."""
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    try:
        sample.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError as exc:
        # A sample cut in the middle of a character is still UTF-8.
        if exc.start >= len(sample) - 3:
            return "utf-8"
    from charset_normalizer import from_bytes

    best = from_bytes(sample).best()
    if best is None:
        raise TabularError(_("The file is not text: upload a CSV or an Excel (.xlsx) file."))
    return best.encoding


def _csv(path: Path) -> Table:
    with path.open("rb") as f:
        sample = f.read(SNIFF_BYTES)
    if not sample.strip():
        raise TabularError(_("The file is empty."))
    if b"\x00" in sample and not sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise TabularError(_("The file is not text: upload a CSV or an Excel (.xlsx) file."))
    encoding = detect_encoding(sample)
    text = sample.decode(encoding, errors="replace")
    # The delimiter is the one the header row uses most (column names hold none; the
    # sniffer, reading data rows, is misled by text holding semicolons or tabs), and
    # the quoting is a spreadsheet's ("a ""b"" c"), which the sniffer misreads too.
    header_line = text.lstrip("\ufeff").split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=header_line.count)
    if not header_line.count(delimiter):
        delimiter = ","
    handle: IO[str] = io.TextIOWrapper(path.open("rb"), encoding=encoding, newline="")
    csv.field_size_limit(MAX_FIELD)
    reader = csv.reader(handle, csv.excel, delimiter=delimiter)
    try:
        header_row = next(reader)
    except StopIteration:
        handle.close()
        raise TabularError(_("The file is empty.")) from None
    except (csv.Error, UnicodeDecodeError) as exc:
        handle.close()
        raise TabularError(_("The CSV file cannot be read: %(reason)s") % {"reason": exc}) from exc
    headers = [h.strip().lstrip("\ufeff") for h in header_row]
    while headers and not headers[-1]:
        headers.pop()
    if not any(headers):
        handle.close()
        raise TabularError(_("The first row holds no column names."))

    def data() -> Iterator[tuple[int, list[str]]]:
        width = len(headers)
        try:
            for number, values in enumerate(reader, start=2):
                cells = [v.strip() for v in values[:width]]
                cells += [""] * (width - len(cells))
                if any(cells):
                    yield number, cells
        except (csv.Error, UnicodeDecodeError) as exc:
            raise TabularError(
                _("The CSV file cannot be read after line %(line)s: %(reason)s")
                % {"line": reader.line_num, "reason": exc}
            ) from exc
        finally:
            handle.close()

    return Table(headers, data())
