"""Reader for the progress table of the seed minutes (28 March 2023).

The seed is text extracted from a PDF: table rows are tab-separated, some in plan
order (number, commitment, %, pending activities, notes) and some reversed (notes,
pending activities, %, commitment, number); a row without a number continues the
previous commitment's list of pending activities. An activity listed without a
percentage has none recorded (``None``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

SEED_PATH = Path(__file__).parent / "demo" / "seed_minutes_2023-03-28.txt"

_BULLETS = re.compile(r"[●•]")
_TAGS = re.compile(r"<[^>]+>")
_TRAILING_PERCENT = re.compile(r"\s*(\d{1,3})\s*%\s*$")
_TABLE_START = "ملاحظات\t"
_TABLE_END = "تقرير التقييم الذاتي لخطة العمل الوطنية للحكومة المنفتحة"


@dataclass
class SeedActivity:
    title: str
    progress: int | None


@dataclass
class SeedRow:
    number: int
    title: str
    progress: int
    pending: list[SeedActivity] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def _items(cell: str) -> list[str]:
    text = _TAGS.sub(" ", cell)
    parts = [" ".join(p.split()) for p in _BULLETS.split(text)]
    return [p for p in parts if p]


def _activities(cell: str) -> list[SeedActivity]:
    result = []
    for item in _items(cell):
        match = _TRAILING_PERCENT.search(item)
        if match:
            result.append(SeedActivity(item[: match.start()].strip(), int(match.group(1))))
        else:
            result.append(SeedActivity(item, None))
    return result


def read_progress_table(text: str | None = None) -> list[SeedRow]:
    """Return the 22 rows of the seed's progress table in plan order."""
    if text is None:
        text = SEED_PATH.read_text(encoding="utf-8")
    start = text.index(_TABLE_START)
    end = text.index(_TABLE_END, start)
    rows: list[SeedRow] = []
    for line in text[start:end].splitlines():
        if "\t" not in line:
            continue
        cells = [c.strip() for c in line.split("\t")]
        while cells and cells[-1] == "" and not re.fullmatch(r"\d{1,2}", cells[0]):
            cells.pop()
        if re.fullmatch(r"\d{1,2}", cells[0]):
            number, title, percent, pending, *rest = cells + [""] * 5
            notes = rest[0]
        elif re.fullmatch(r"\d{1,2}", cells[-1]):
            notes, pending, percent, title, number = ([""] * 5 + cells)[-5:]
        else:
            if rows and any(_BULLETS.search(c) for c in cells):
                rows[-1].pending.extend(_activities(" ".join(cells)))
            continue
        rows.append(
            SeedRow(
                number=int(number),
                title=" ".join(title.split()),
                progress=int(percent.rstrip("%").strip()),
                pending=[a for a in _activities(pending) if a.title != "كل الأنشطة منجزة"],
                notes=_items(notes),
            )
        )
    return rows
