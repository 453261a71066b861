"""What every spreadsheet the platform writes shares: cells that cannot become formulas.

A text cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is
read by Excel and LibreOffice as a formula (CSV injection: a profile name
``=HYPERLINK(…)`` would become a live link in the secretariat's export). Such text is
written with a leading apostrophe, as OWASP advises; numbers, dates and empty cells are
written as they are. Every CSV, Excel and ODS export calls :func:`safe_cell` /
:func:`safe_row`.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """``value`` as a spreadsheet may hold it: text that would start a formula is
    prefixed with an apostrophe; anything else is returned unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def safe_row(values: Iterable[Any]) -> list[Any]:
    """Every cell of a row through :func:`safe_cell`."""
    return [safe_cell(v) for v in values]
