"""What every import answers, whatever it reads (the platform's plan sheet, OGP's
commitments dataset, Canada's tracker): one outcome per row (create, update, unchanged,
error), every error with its row, column and reason, and notes on what was mapped and
what could not be. The preview page, the result page and the management commands all
show this one report; an import job stores it as JSON.

An importer is a module listed in :data:`IMPORTERS` with a function::

    def run(path: Path, *, apply: bool, user: User, options: dict,
            progress: Callable[[int], None] | None = None) -> ImportReport

``progress``, when given, is called now and then with the number of rows read so far
(the import page shows it). ``apply=False`` is the preview: nothing is written.
``apply=True`` writes everything in one transaction, or nothing when any row has an
error. Running it twice on the same
file changes nothing the second time (every row ``unchanged``).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

# Kind of import → the module that runs it.
IMPORTERS = {
    "plan": "apps.exchange.plan_sheet",
    "ogp": "apps.exchange.ogp",
    "canada": "apps.exchange.canada",
}


class Outcome(models.TextChoices):
    CREATE = "create", _("New")
    UPDATE = "update", _("Updated")
    UNCHANGED = "unchanged", _("Unchanged")
    ERROR = "error", _("Error")


@dataclass
class RowError:
    """Why a row (or the whole file, row 0) cannot be imported. ``column`` is the
    column's name as the file wrote it ('' when the error is not about one cell)."""

    row: int
    column: str
    message: str


@dataclass
class RowResult:
    row: int
    outcome: str  # an Outcome value
    label: str  # what the row is, as a person reads it ("Commitment 3", "C01.1")
    errors: list[RowError] = field(default_factory=list)


@dataclass
class ImportReport:
    kind: str
    rows: list[RowResult] = field(default_factory=list)
    # Errors that are about the file, not a row (missing columns, unreadable file).
    file_errors: list[RowError] = field(default_factory=list)
    # What was mapped ("12 tags created") and what could not be ("'S II 2023' kept
    # as text"), in the user's language.
    notes: list[str] = field(default_factory=list)
    applied: bool = False

    @property
    def errors(self) -> Iterator[RowError]:
        yield from self.file_errors
        for row in self.rows:
            yield from row.errors

    @property
    def ok(self) -> bool:
        return not self.file_errors and not any(r.errors for r in self.rows)

    def counts(self) -> dict[str, int]:
        """Rows per outcome, every outcome present (0 when none)."""
        found = Counter(r.outcome for r in self.rows)
        return {o.value: found.get(o.value, 0) for o in Outcome}

    def add(self, row: int, outcome: str, label: str, errors: list[RowError] | None = None):
        result = RowResult(row, Outcome.ERROR if errors else outcome, label, errors or [])
        self.rows.append(result)
        return result

    def as_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ImportReport:
        return cls(
            kind=data["kind"],
            rows=[
                RowResult(r["row"], r["outcome"], r["label"], [RowError(**e) for e in r["errors"]])
                for r in data.get("rows", [])
            ],
            file_errors=[RowError(**e) for e in data.get("file_errors", [])],
            notes=list(data.get("notes", [])),
            applied=bool(data.get("applied")),
        )

    def lines(self) -> Iterator[str]:
        """The report as text: counts, errors (row, column, reason), notes. What the
        management commands print."""
        labels = dict(Outcome.choices)
        counts = self.counts()
        yield ", ".join(f"{labels[k]}: {n}" for k, n in counts.items())
        for e in self.errors:
            where = _("row %(row)s") % {"row": e.row} if e.row else _("file")
            column = f" [{e.column}]" if e.column else ""
            yield f"{where}{column}: {e.message}"
        yield from self.notes
        if self.applied:
            yield str(_("Applied."))
        elif self.ok:
            yield str(_("Nothing written (preview)."))
        else:
            yield str(_("Nothing written: correct the errors and import again."))
