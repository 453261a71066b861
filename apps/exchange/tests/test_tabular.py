"""Reading the tables people send: encodings, Excel, values written the way people write
them, and files that are not tables."""

from __future__ import annotations

import datetime
import decimal
from pathlib import Path

import pytest
from django.utils import translation
from openpyxl import Workbook

from apps.exchange.tabular import (
    TabularError,
    open_table,
    parse_date,
    parse_decimal,
    parse_percent,
)

ROWS = [
    ["رقم الالتزام", "العنوان", "التقدم"],
    ["1", "تعزيز الشفافية\nالمالية", "60 %"],
    ["2", "الحق في الحصول على المعلومات", "٦٠٪"],
]


def _csv(tmp_path: Path, encoding: str, delimiter: str = ",") -> Path:
    lines = []
    for row in ROWS:
        lines.append(delimiter.join(f'"{cell}"' if "\n" in cell else cell for cell in row))
    path = tmp_path / f"plan-{encoding}.csv"
    text = "\r\n".join(lines) + "\r\n"
    if encoding == "cp1256":
        text = text.replace("٦٠٪", "60")  # Windows-1256 has no Arabic-Indic digits
    path.write_bytes(text.encode(encoding))
    return path


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "cp1256"])
def test_csv_in_the_encodings_spreadsheets_save(tmp_path, encoding):
    table = open_table(_csv(tmp_path, encoding))
    assert table.headers == ROWS[0]
    rows = list(table.rows)
    # A field spanning two lines is one cell; row numbers are the spreadsheet's.
    assert rows[0] == (2, ["1", "تعزيز الشفافية\nالمالية", "60 %"])
    assert [number for number, _cells in rows] == [2, 3]


def test_semicolon_separated_csv(tmp_path):
    table = open_table(_csv(tmp_path, "utf-8", delimiter=";"))
    assert table.headers == ROWS[0]
    assert len(list(table.rows)) == 2


def test_excel_row_by_row_with_typed_cells(tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.append(["number", "title", "weight", "start"])
    ws.append([1, '=HYPERLINK("http://x")', 1.5, datetime.datetime(2024, 7, 1)])  # noqa: DTZ001 (Excel has no time zones)
    ws.append([None, None, None, None])  # an empty row is skipped
    ws.append([2.0, "Budget", 2, datetime.date(2024, 9, 30)])
    path = tmp_path / "plan.xlsx"
    wb.save(path)
    table = open_table(path)
    assert table.headers == ["number", "title", "weight", "start"]
    # A formula reads as its last computed value: none here (openpyxl computes nothing),
    # so the cell is empty; it is never evaluated nor kept as a formula.
    assert list(table.rows) == [
        (2, ["1", "", "1.5", "2024-07-01"]),
        (4, ["2", "Budget", "2", "2024-09-30"]),
    ]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "The file is empty."),
        (b"PK\x03\x04 not really a zip", "The Excel file cannot be read"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1old", "old Excel file (.xls)"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "The file is not text"),
        (b",,,\r\n1,2,3\r\n", "The first row holds no column names."),
    ],
)
def test_files_that_are_not_tables_are_refused_clearly(tmp_path, content, message):
    path = tmp_path / "upload.csv"
    path.write_bytes(content)
    with translation.override("en"), pytest.raises(TabularError) as error:
        open_table(path)
    assert message in str(error.value)


def test_a_refusal_speaks_the_users_language(tmp_path):
    path = tmp_path / "upload.xlsx"
    path.write_bytes(b"PK\x03\x04 broken")
    with translation.override("ar"), pytest.raises(TabularError) as error:
        open_table(path)
    assert "تعذّرت قراءة ملف Excel" in str(error.value)


@pytest.mark.parametrize(
    ("text", "value"),
    [("60", 60), ("60 %", 60), ("٦٠٪", 60), ("۶۰", 60), ("0", 0), ("100%", 100), ("", None)],
)
def test_percentages_as_people_write_them(text, value):
    assert parse_percent(text) == value


@pytest.mark.parametrize("text", ["101", "-1", "60.5", "sixty", "=1+1", "1e3"])
def test_percentages_out_of_range_or_not_numbers_are_errors(text):
    with pytest.raises(TabularError):
        parse_percent(text)


@pytest.mark.parametrize(
    ("text", "value"),
    [("1,5", "1.5"), ("1.5", "1.5"), ("١٫٥", "1.5"), ("1,000.5", "1000.5"), ("2", "2")],
)
def test_decimals_with_either_separator(text, value):
    assert parse_decimal(text) == decimal.Decimal(value)


@pytest.mark.parametrize("text", ["NaN", "Infinity", "1.2.3"])
def test_decimals_that_are_not_numbers(text):
    with pytest.raises(TabularError):
        parse_decimal(text)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("2024-07-01", datetime.date(2024, 7, 1)),
        ("01/07/2024", datetime.date(2024, 7, 1)),
        ("1.7.2024", datetime.date(2024, 7, 1)),
        ("٢٠٢٤-٠٧-٠١", datetime.date(2024, 7, 1)),
        ("", None),
    ],
)
def test_dates_iso_or_day_first(text, value):
    assert parse_date(text) == value


@pytest.mark.parametrize("text", ["31/02/2024", "July 2019", "S II 2023"])
def test_dates_that_are_not_dates(text):
    with pytest.raises(TabularError):
        parse_date(text)


@pytest.mark.parametrize("lang", ["ar", "fr", "en"])
@pytest.mark.parametrize("text", ["9999-12-31", "01/01/0001", "0001-01-01"])
def test_dates_from_another_era_are_refused_naming_the_range(lang, text):
    # A plan sheet's dates and its reporting date are bounded (apps.core.bounds).
    from django.utils import translation

    from apps.core import bounds

    day = datetime.date.fromisoformat(text) if "-" in text else datetime.date(1, 1, 1)
    with translation.override(lang):
        with pytest.raises(TabularError) as scheduled:
            parse_date(text)
        assert str(scheduled.value) == bounds.plan_error(day)
        with pytest.raises(TabularError) as happened:
            parse_date(text, fact=True)
        assert str(happened.value) == bounds.fact_error(day)
