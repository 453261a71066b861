"""The platform's plan sheet: one row per activity, read and written as Excel or CSV.

Each row carries its plan, theme, commitment and activity (see :data:`COLUMNS`); the
headers are those of any of the three languages (or the column keys). What the sheet
says is what the plan holds once imported, with two rules a spreadsheet needs:

- **Same as above.** An empty cell of the plan, theme or commitment columns repeats the
  row above while the row is about the same plan (empty or same plan ID) and the same
  commitment (empty or same number): merged cells read as one value. A new commitment
  whose theme cells are empty is in the theme above, so a commitment without a theme
  comes before the themed ones of its plan (the export writes them first).
- **An empty cell leaves the value as it is.** An import never erases nor deletes: an
  activity or a commitment absent from the sheet stays (the report counts them), a
  value to clear is cleared in the administration. A new record takes the default.

Records are found by their keys: the plan by its ID (slug), the theme by its title in
the plan, the commitment by its number in the plan, the activity by its number in the
commitment, the institution by its ID, name (any language) or acronym. An unknown
institution is created only when the row gives its kind: a name typed differently
would otherwise become a second ministry, with no focal point and a split history; the
platform's export always gives the kind, so it imports into an empty database.

Everything is written through the apps' actions (audit rows; progress through
:func:`apps.tracking.actions.do_import_progress`, a validated update with source
"import"). The file is read twice, row by row (memory stays bounded): a check that
writes nothing (the preview), then, when applying and only if no row has an error, the
same rows again inside one transaction. A cell that starts with ``=`` is text: formulas
are never evaluated.
"""

from __future__ import annotations

import copy
import csv
import datetime
import decimal
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.accounts.models import Institution
from apps.core import bounds
from apps.core.actions import do_save_object
from apps.core.batch import batched
from apps.core.errors import ActionError
from apps.core.spreadsheets import FORMULA_STARTS, safe_row
from apps.exchange.report import ImportReport, Outcome, RowError
from apps.exchange.tabular import (
    TabularError,
    open_table,
    parse_date,
    parse_decimal,
    parse_percent,
    western_digits,
)
from apps.plans import actions as plan_actions
from apps.plans.choices import PlanStatus
from apps.plans.models import ActionPlan, Activity, Commitment, Theme
from apps.tracking.actions import do_import_progress

KIND = "plan"
EXTENSIONS = (".xlsx", ".csv")
LANGS = ("ar", "fr", "en")
# Progress is reported every this many rows.
PROGRESS_EVERY = 200
# The primary key of a record a check would create (it exists only in the file).
NEW = -1


@dataclass(frozen=True)
class Column:
    """A column of the sheet: its key, its header (``[ar]`` after a content column's
    header names its language) and the model field it fills."""

    key: str
    label: Any
    field: str
    language: str = ""

    def header(self) -> str:
        text = str(self.label)
        return f"{text} [{self.language}]" if self.language else text


def _content(key: str, label: Any, field: str) -> list[Column]:
    return [Column(f"{key}_{lang}", label, f"{field}_{lang}", lang) for lang in LANGS]


PLAN_COLUMNS = [
    Column("plan", gettext_lazy("Plan ID"), "slug"),
    *_content("plan_member", gettext_lazy("OGP member"), "member"),
    Column("plan_ordinal", gettext_lazy("Plan number"), "ordinal"),
    *_content("plan_title", gettext_lazy("Plan title"), "title"),
    Column("plan_start", gettext_lazy("Plan start"), "period_start"),
    Column("plan_end", gettext_lazy("Plan end"), "period_end"),
    Column("plan_status", gettext_lazy("Plan status"), "status"),
]
THEME_COLUMNS = [
    Column("theme_order", gettext_lazy("Theme number"), "order"),
    *_content("theme", gettext_lazy("Theme"), "title"),
]
COMMITMENT_COLUMNS = [
    Column("commitment", gettext_lazy("Commitment number"), "number"),
    *_content("commitment_title", gettext_lazy("Commitment title"), "title"),
    Column("commitment_start", gettext_lazy("Commitment start"), "start_date"),
    Column("commitment_end", gettext_lazy("Commitment end"), "end_date"),
]
INSTITUTION_COLUMNS = [
    Column("lead", gettext_lazy("Lead institution ID"), "slug"),
    *_content("lead_name", gettext_lazy("Lead institution"), "name"),
    Column("lead_acronym", gettext_lazy("Lead institution acronym"), "acronym"),
    Column("lead_kind", gettext_lazy("Lead institution kind"), "kind"),
]
ACTIVITY_COLUMNS = [
    Column("activity", gettext_lazy("Activity number"), "order"),
    *_content("activity_title", gettext_lazy("Activity title"), "title"),
    Column("weight", gettext_lazy("Weight"), "weight"),
    Column("activity_start", gettext_lazy("Activity start"), "start_date"),
    Column("activity_end", gettext_lazy("Activity end"), "end_date"),
    Column("progress", gettext_lazy("Progress (%)"), "progress"),
    Column("grouping", gettext_lazy("Groups completed activities"), "is_grouping"),
]
COLUMNS = PLAN_COLUMNS + THEME_COLUMNS + COMMITMENT_COLUMNS + INSTITUTION_COLUMNS + ACTIVITY_COLUMNS
BY_KEY = {c.key: c for c in COLUMNS}
REQUIRED = ("plan", "commitment", "commitment_title_ar", "activity_title_ar")
# Columns repeated from the row above ("same as above"), by group.
_PLAN_GROUP = [c.key for c in PLAN_COLUMNS]
_COMMITMENT_GROUP = [c.key for c in COMMITMENT_COLUMNS + INSTITUTION_COLUMNS + THEME_COLUMNS]
_THEME_GROUP = [c.key for c in THEME_COLUMNS]

# Columns holding numbers and dates: a formula there is an error, never evaluated.
_TYPED = {
    "plan_ordinal",
    "plan_start",
    "plan_end",
    "theme_order",
    "commitment",
    "commitment_start",
    "commitment_end",
    "activity",
    "activity_start",
    "activity_end",
    "weight",
    "progress",
}

YES = {"1", "yes", "oui", "نعم", "x", "true", "vrai"}
NO = {"0", "no", "non", "لا", "false", "faux"}


def _normal(text: str) -> str:
    return " ".join(text.replace("*", " ").split()).casefold()


def headers(language: str) -> list[str]:
    """The sheet's headers in ``language``."""
    with translation.override(language):
        return [c.header() for c in COLUMNS]


def _known_headers() -> dict[str, str]:
    """Every accepted header (normalised) → its column key."""
    known = {_normal(c.key): c.key for c in COLUMNS}
    for lang in LANGS:
        with translation.override(lang):
            known.update({_normal(c.header()): c.key for c in COLUMNS})
    return known


def _choice(text: str, choices: type[models.TextChoices]) -> str | None:
    """A choice's value from its value or its label in any language."""
    wanted = _normal(text)
    for value, label in choices.choices:
        if wanted == _normal(value):
            return str(value)
        for lang in LANGS:
            with translation.override(lang):
                if wanted == _normal(str(label)):
                    return str(value)
    return None


def _text(cell: str) -> str:
    """A text cell as the platform stores it: the apostrophe that kept a formula-like
    text from being one (:func:`apps.core.spreadsheets.safe_cell`) is removed."""
    if cell.startswith("'") and cell[1:].startswith(FORMULA_STARTS):
        return cell[1:]
    return cell


class _CellError(Exception):
    def __init__(self, key: str, message: str) -> None:
        super().__init__(message)
        self.key = key
        self.message = message


@dataclass
class _Values:
    """A row read: each group's fields (only the cells that hold something)."""

    plan: dict[str, Any] = field(default_factory=dict)
    theme: dict[str, Any] = field(default_factory=dict)
    commitment: dict[str, Any] = field(default_factory=dict)
    institution: dict[str, Any] = field(default_factory=dict)
    activity: dict[str, Any] = field(default_factory=dict)
    progress: int | None = None


@dataclass
class _Seen:
    """A plan, theme or commitment met on an earlier row: its primary key (``NEW``
    while it exists only in the file, in a check), what the row said and where."""

    pk: int
    values: dict[str, Any]
    row: int


class _Rollback(Exception):
    """Raised to undo a write pass that met an error."""


class _RowFailed(Exception):
    """A row that cannot be imported, and why."""

    def __init__(self, errors: list[RowError]) -> None:
        super().__init__(errors)
        self.errors = errors


class PlanSheetImport:
    """One pass over the sheet: reads, checks and (``write``) writes every row."""

    def __init__(self, *, user: Any, write: bool, options: dict[str, Any]) -> None:
        self.user = user
        self.write = write
        self.report = ImportReport(kind=KIND)
        reported_on = options.get("reported_on")
        self.reported_on = (
            parse_date(str(reported_on), fact=True) if reported_on else None
        ) or timezone.localdate()
        self.language = translation.get_language() or "ar"
        self.plans: dict[str, _Seen] = {}
        self.periods: dict[str, SimpleNamespace] = {}
        self.themes: dict[tuple[str, str], _Seen] = {}
        self.commitments: dict[tuple[str, int], _Seen] = {}
        self.failed: dict[tuple[str, int], int] = {}
        self.activity_rows: dict[tuple[str, int, int], int] = {}
        # The activities of the commitment of the rows being read (one at a time).
        self.current: tuple[int, Commitment, dict[int, list[Activity]]] | None = None
        self._load_institutions()

    # Institutions ---------------------------------------------------------------------

    def _load_institutions(self) -> None:
        self.institutions: dict[str, int] = {}
        self.institution_names: dict[str, int] = {}
        for inst in Institution.objects.all():
            self.institutions[inst.slug] = inst.pk
            for name in (
                inst.name_ar,  # type: ignore[attr-defined]
                inst.name_fr,  # type: ignore[attr-defined]
                inst.name_en,  # type: ignore[attr-defined]
                inst.acronym,
            ):
                if name:
                    self.institution_names.setdefault(_normal(name), inst.pk)

    def _institution(self, number: int, values: dict[str, Any]) -> int | None:
        """The primary key of the lead institution the row names (``NEW`` for one this
        check would create), None when it names none."""
        if not values:
            return None
        slug = values.get("slug", "")
        names = [values.get(f"name_{lang}", "") for lang in LANGS] + [values.get("acronym", "")]
        found = self.institutions.get(slug) if slug else None
        if found is None and not slug:
            found = next(
                (
                    self.institution_names[_normal(n)]
                    for n in names
                    if _normal(n) in self.institution_names
                ),
                None,
            )
        if found is not None:
            return found
        named = [f"lead_name_{lang}" for lang in LANGS if values.get(f"name_{lang}")]
        column = "lead" if slug else (named + ["lead_acronym"])[0]
        name = next(n for n in names if n) if any(names) else slug
        if "kind" not in values:
            raise self._fail(
                number,
                column,
                _(
                    "No institution “%(name)s” on the platform. Add it in the "
                    "administration (Institutions) first, or give its kind in the "
                    "column “%(column)s” for the import to create it."
                )
                % {"name": name[:80], "column": BY_KEY["lead_kind"].header()},
            )
        slug = slug or self._free_slug(name)
        fields = {k: v for k, v in values.items() if k != "slug"}
        fields.setdefault("name_ar", name)
        self._changed(number, None, Institution, {"slug": slug, **fields}, INSTITUTION_COLUMNS, [])
        self.report.notes.append(
            _("Institution “%(name)s” (%(slug)s) created.")
            % {"name": fields["name_ar"], "slug": slug}
        )
        pk = NEW
        if self.write:
            pk = do_save_object(Institution(slug=slug), acting_user=self.user, fields=fields).pk
        # Later rows find it as they find the others (by ID, name or acronym).
        self.institutions[slug] = pk
        for text in names:
            if text:
                self.institution_names.setdefault(_normal(text), pk)
        return pk

    def _free_slug(self, name: str) -> str:
        """An ID for a new institution, from its name (``institution`` for a name in
        Arabic letters only), not taken yet."""
        base = slugify(name)[:70] or "institution"
        slug, n = base, 1
        while slug in self.institutions or Institution.objects.filter(slug=slug).exists():
            n += 1
            slug = f"{base}-{n}"
        return slug

    # Errors ---------------------------------------------------------------------------

    def _error(self, row: int, key: str, message: str) -> RowError:
        column = BY_KEY[key].header() if key in BY_KEY else ""
        return RowError(row, column, str(message))

    def _validation(
        self, row: int, error: ValidationError, columns: Iterable[Column]
    ) -> list[RowError]:
        by_field = {c.field: c.key for c in columns}
        found = []
        for name, messages in error.message_dict.items():
            key = by_field.get(name) or by_field.get(f"{name}_ar", "")
            for message in messages:
                found.append(self._error(row, key, message))
        return found

    def _period(self, values: _Values) -> SimpleNamespace:
        """The row's plan period as this import leaves it: the sheet's, else the
        platform's (one query per plan)."""
        slug = values.plan["slug"]
        if slug not in self.periods:
            seen = self.plans.get(slug)
            said = seen.values if seen else values.plan
            row = ActionPlan.objects.filter(slug=slug).values("period_start", "period_end").first()
            current: dict[str, Any] = dict(row) if row else {}
            self.periods[slug] = SimpleNamespace(
                **{
                    name: said.get(name, current.get(name))
                    for name in ("period_start", "period_end")
                }
            )
        return self.periods[slug]

    def _check_dates(
        self, number: int, changed: dict[str, Any], values: _Values, columns: Iterable[Column]
    ) -> None:
        """A commitment's or activity's dates within its plan's period and margins (the
        one rule, apps/core/bounds.py), as the row's errors."""
        by_field = {c.field: c.key for c in columns}
        period = self._period(values)
        errors = [
            self._error(number, by_field.get(name, ""), message)
            for name in ("start_date", "end_date")
            if name in changed and (message := bounds.plan_error(changed[name], period))
        ]
        if errors:
            raise _RowFailed(errors)

    # Reading a row --------------------------------------------------------------------

    def read(self, number: int, cells: dict[str, str]) -> tuple[_Values, list[RowError]]:
        values = _Values()
        errors: list[RowError] = []
        groups = (
            (PLAN_COLUMNS, values.plan),
            (THEME_COLUMNS, values.theme),
            (COMMITMENT_COLUMNS, values.commitment),
            (INSTITUTION_COLUMNS, values.institution),
            (ACTIVITY_COLUMNS, values.activity),
        )
        for columns, target in groups:
            for column in columns:
                cell = cells.get(column.key, "")
                if not cell:
                    continue
                try:
                    value = self._value(column, cell)
                except (_CellError, TabularError) as error:
                    errors.append(self._error(number, column.key, str(error)))
                    continue
                if column.key == "progress":
                    values.progress = value
                else:
                    target[column.field] = value
        return values, errors

    def _value(self, column: Column, cell: str) -> Any:
        """A cell's value as the model stores it; a :class:`_CellError` or
        :class:`TabularError` says why it cannot be."""
        key = column.key
        if key in _TYPED and cell.startswith("="):
            raise _CellError(key, self._formula(cell))
        if key in ("plan_ordinal", "theme_order", "commitment", "activity"):
            number = parse_decimal(cell)
            if number is None or number != number.to_integral_value() or not 1 <= number <= 32767:
                if key in ("theme_order", "activity") and number == 0:
                    return 0
                raise _CellError(
                    key, _("“%(value)s” is not a whole number from 1.") % {"value": cell[:40]}
                )
            return int(number)
        if key in (
            "plan_start",
            "plan_end",
            "commitment_start",
            "commitment_end",
            "activity_start",
            "activity_end",
        ):
            return parse_date(cell)
        if key == "weight":
            weight = parse_decimal(cell)
            assert weight is not None
            if weight < 0 or weight != weight.quantize(decimal.Decimal("0.01")) or weight >= 100000:
                raise _CellError(
                    key, _("A weight is a number from 0 to 99999.99, with at most two decimals.")
                )
            return weight.quantize(decimal.Decimal("0.01"))
        if key == "progress":
            return parse_percent(cell)
        if key == "grouping":
            word = _normal(western_digits(cell))
            if word in YES:
                return True
            if word in NO:
                return False
            raise _CellError(key, _("Write yes or no (or 1 or 0)."))
        if key == "plan_status":
            status = _choice(cell, PlanStatus)
            if status is None:
                raise _CellError(key, self._one_of(cell, PlanStatus))
            return status
        if key == "lead_kind":
            kind = _choice(cell, Institution.Kind)
            if kind is None:
                raise _CellError(key, self._one_of(cell, Institution.Kind))
            return kind
        if key == "plan":
            slug = _text(cell)
            if slugify(slug) != slug or len(slug) > 80:
                raise _CellError(
                    key,
                    _("“%(value)s” is not a plan ID: lower-case letters, digits and hyphens.")
                    % {"value": slug[:40]},
                )
            return slug
        return _text(cell)

    def _formula(self, cell: str) -> str:
        return _("“%(value)s” is a formula: formulas are not evaluated, type the value itself.") % {
            "value": cell[:40]
        }

    def _one_of(self, cell: str, choices: type[models.TextChoices]) -> str:
        return _("“%(value)s” is not one of: %(choices)s.") % {
            "value": cell[:40],
            "choices": ", ".join(str(label) for _v, label in choices.choices),
        }

    # One row ------------------------------------------------------------------------

    def row(self, number: int, cells: dict[str, str]) -> None:
        """Read, check and (when writing) write one row; add its outcome to the report."""
        values, errors = self.read(number, cells)
        commitment_number = values.commitment.get("number")
        label = self._label(commitment_number, values.activity.get("order"), bool(values.activity))
        for key in ("plan", "commitment"):
            if not cells.get(key) and not any(e.column == BY_KEY[key].header() for e in errors):
                errors.append(self._error(number, key, _("This cell is required.")))
        if errors:
            self.report.add(number, Outcome.ERROR, label, errors)
            return
        changes: list[str] = []
        try:
            plan_pk, plan_new = self._plan(number, values, changes)
            theme_pk = self._theme(number, plan_pk, values, changes)
            commitment_pk, commitment_new = self._commitment(
                number, plan_pk, theme_pk, values, changes
            )
            activity_new = bool(values.activity) and self._activity(
                number, commitment_pk, values, changes
            )
        except _RowFailed as failure:
            self.report.add(number, Outcome.ERROR, label, failure.errors)
            return
        if plan_new or commitment_new or activity_new:
            outcome = Outcome.CREATE
        elif changes:
            outcome = Outcome.UPDATE
            label = f"{label} ({', '.join(dict.fromkeys(changes))})"
        else:
            outcome = Outcome.UNCHANGED
        self.report.add(number, outcome, label)

    def _label(self, commitment: int | None, activity: int | None, has_activity: bool) -> str:
        if has_activity:
            return _("Commitment %(number)s, activity %(order)s") % {
                "number": commitment if commitment is not None else "?",
                "order": activity if activity is not None else "?",
            }
        return _("Commitment %(number)s") % {
            "number": commitment if commitment is not None else "?"
        }

    def _fail(self, number: int, key: str, message: str) -> _RowFailed:
        return _RowFailed([self._error(number, key, message)])

    def _names(self, changed: Iterable[str], columns: list[Column]) -> list[str]:
        by_field = {c.field: c for c in columns} | {c.key: c for c in columns}
        return [by_field[f].header() for f in changed if f in by_field]

    def _changed(
        self,
        number: int,
        obj: models.Model | None,
        model: type[models.Model],
        fields: dict[str, Any],
        columns: list[Column],
        exclude: list[str],
    ) -> dict[str, Any]:
        """The fields that differ from ``obj`` (all of them for a new record), checked
        as the model checks them, on a copy: nothing is changed here."""
        if obj is None:
            changed = dict(fields)
            candidate = model(**changed)
        else:
            changed = {k: v for k, v in fields.items() if getattr(obj, k) != v}
            candidate = copy.copy(obj)
            for k, v in changed.items():
                setattr(candidate, k, v)
        try:
            candidate.clean_fields(exclude=exclude)
            candidate.clean()
        except ValidationError as error:
            raise _RowFailed(self._validation(number, error, columns)) from None
        return changed

    def _conflict(
        self, number: int, seen: _Seen, values: dict[str, Any], columns: list[Column], what: str
    ) -> None:
        """A plan, theme or commitment met again must say the same as the first time."""
        keys = dict.fromkeys([*seen.values, *values])
        differ = [k for k in keys if seen.values.get(k) != values.get(k)]
        if not differ:
            return
        names = ", ".join(self._names(differ, columns)) or ", ".join(differ)
        raise _RowFailed(
            [
                RowError(
                    number,
                    names,
                    _(
                        "%(what)s is also on row %(row)s with other values (%(columns)s): "
                        "two of them cannot share a number."
                    )
                    % {"what": what, "row": seen.row, "columns": names},
                )
            ]
        )

    # Plan, theme, commitment, activity ------------------------------------------------

    def _plan(self, number: int, values: _Values, changes: list[str]) -> tuple[int, bool]:
        """The plan's primary key and whether this row creates it."""
        fields = values.plan
        slug = fields["slug"]
        seen = self.plans.get(slug)
        if seen is not None:
            self._conflict(number, seen, fields, PLAN_COLUMNS, _("Plan %(slug)s") % {"slug": slug})
            return seen.pk, False
        plan = ActionPlan.objects.filter(slug=slug).first()
        if plan is None:
            needed = ("member_ar", "ordinal", "title_ar", "period_start", "period_end")
            missing = self._names([k for k in needed if k not in fields], PLAN_COLUMNS)
            if missing:
                raise _RowFailed(
                    [
                        RowError(
                            number,
                            ", ".join(missing),
                            _(
                                "There is no plan %(slug)s yet: fill in these columns to "
                                "create it: %(columns)s."
                            )
                            % {"slug": slug, "columns": ", ".join(missing)},
                        )
                    ]
                )
            if ActionPlan.objects.filter(
                member_ar=fields["member_ar"], ordinal=fields["ordinal"]
            ).exists():
                raise self._fail(
                    number, "plan_ordinal", _("This member already has a plan with this number.")
                )
        changed = self._changed(number, plan, ActionPlan, fields, PLAN_COLUMNS, [])
        if plan is not None:
            changes += self._names(changed, PLAN_COLUMNS)
        pk = plan.pk if plan is not None else NEW
        if self.write and changed:
            pk = do_save_object(plan or ActionPlan(), acting_user=self.user, fields=changed).pk
        self.plans[slug] = _Seen(pk, fields, number)
        return pk, plan is None

    def _theme(self, number: int, plan_pk: int, values: _Values, changes: list[str]) -> int | None:
        """The theme's primary key; None when the row names no theme (the commitment's
        stays as it is)."""
        fields = values.theme
        titles = [(k, v) for k, v in fields.items() if k.startswith("title_")]
        if not titles:
            if fields:
                raise self._fail(number, "theme_ar", _("A theme needs a title."))
            return None
        lang_field, title = titles[0]
        key = (values.plan["slug"], f"{lang_field}:{title}")
        seen = self.themes.get(key)
        if seen is not None:
            what = _("Theme “%(title)s”") % {"title": title}
            self._conflict(number, seen, fields, THEME_COLUMNS, what)
            return seen.pk
        theme = None
        if plan_pk != NEW:
            theme = (
                Theme.objects.filter(plan_id=plan_pk, **{lang_field: title})
                .order_by("order", "pk")
                .first()
            )
        if theme is None and "title_ar" not in fields:
            raise self._fail(number, "theme_ar", _("A new theme needs its Arabic title."))
        changed = self._changed(number, theme, Theme, fields, THEME_COLUMNS, ["plan"])
        if theme is not None:
            changes += self._names(changed, THEME_COLUMNS)
        pk = theme.pk if theme is not None else NEW
        if self.write and changed:
            if theme is None and "order" not in changed:
                top = Theme.objects.filter(plan_id=plan_pk).aggregate(top=models.Max("order"))
                changed["order"] = (top["top"] or 0) + 1
            pk = do_save_object(
                theme or Theme(plan_id=plan_pk), acting_user=self.user, fields=changed
            ).pk
        self.themes[key] = _Seen(pk, fields, number)
        return pk

    def _commitment(
        self, number: int, plan_pk: int, theme_pk: int | None, values: _Values, changes: list[str]
    ) -> tuple[int, bool]:
        """The commitment's primary key and whether this row creates it."""
        fields = dict(values.commitment)
        key = (values.plan["slug"], fields["number"])
        what = _("Commitment %(number)s") % {"number": fields["number"]}
        said = {**fields, **{f"lead_{k}": v for k, v in values.institution.items()}}
        if theme_pk is not None:
            said["theme"] = theme_pk
        if key in self.failed:
            raise self._fail(
                number,
                "commitment",
                _("%(what)s has errors on row %(row)s.") % {"what": what, "row": self.failed[key]},
            )
        seen = self.commitments.get(key)
        if seen is not None:
            self._conflict(number, seen, said, COMMITMENT_COLUMNS + INSTITUTION_COLUMNS, what)
            return seen.pk, False
        try:
            pk, created = self._first_commitment(number, plan_pk, theme_pk, values, changes)
        except _RowFailed:
            self.failed[key] = number
            raise
        self.commitments[key] = _Seen(pk, said, number)
        return pk, created

    def _first_commitment(
        self, number: int, plan_pk: int, theme_pk: int | None, values: _Values, changes: list[str]
    ) -> tuple[int, bool]:
        fields = dict(values.commitment)
        commitment = None
        if plan_pk != NEW:
            commitment = Commitment.objects.filter(plan_id=plan_pk, number=fields["number"]).first()
        if commitment is None and "title_ar" not in fields:
            raise self._fail(
                number, "commitment_title_ar", _("A new commitment needs its Arabic title.")
            )
        lead = self._institution(number, values.institution)
        exclude = ["plan", "theme", "lead_institution"]
        changed = self._changed(number, commitment, Commitment, fields, COMMITMENT_COLUMNS, exclude)
        self._check_dates(number, changed, values, COMMITMENT_COLUMNS)
        new_theme = theme_pk is not None and (commitment is None or commitment.theme_id != theme_pk)
        new_lead = lead is not None and (
            commitment is None or commitment.lead_institution_id != lead
        )
        if commitment is not None:
            changes += self._names(changed, COMMITMENT_COLUMNS)
            if new_theme:
                changes.append(BY_KEY["theme_ar"].header())
            if new_lead:
                changes.append(str(BY_KEY["lead_name_ar"].label))
        if not self.write:
            return (commitment.pk if commitment else NEW), commitment is None
        if new_theme and theme_pk is not None:
            changed["theme"] = Theme.objects.get(pk=theme_pk)
        institution = Institution.objects.get(pk=lead) if new_lead and lead is not None else None
        if commitment is None:
            plan = ActionPlan.objects.get(pk=plan_pk)
            created = plan_actions.do_create_commitment(
                plan, acting_user=self.user, lead_institution=institution, **changed
            )
            return created.pk, True
        if changed:
            commitment = plan_actions.do_edit_commitment(
                commitment, acting_user=self.user, **changed
            )
        if new_lead:
            plan_actions.do_change_lead_institution(commitment, institution, acting_user=self.user)
        return commitment.pk, False

    def _activities(self, commitment_pk: int) -> tuple[Commitment, dict[int, list[Activity]]]:
        """The commitment and its activities by number (loaded once per commitment)."""
        if self.current is None or self.current[0] != commitment_pk:
            commitment = Commitment.objects.get(pk=commitment_pk)
            by_order: dict[int, list[Activity]] = {}
            for activity in Activity.objects.filter(commitment_id=commitment_pk).order_by(
                "order", "pk"
            ):
                by_order.setdefault(activity.order, []).append(activity)
            self.current = (commitment_pk, commitment, by_order)
        return self.current[1], self.current[2]

    def _activity(
        self, number: int, commitment_pk: int, values: _Values, changes: list[str]
    ) -> bool:
        """Whether this row creates the activity."""
        fields = dict(values.activity)
        commitment_number = values.commitment["number"]
        if "order" not in fields:
            raise self._fail(number, "activity", _("This cell is required."))
        order = fields["order"]
        key = (values.plan["slug"], commitment_number, order)
        if key in self.activity_rows:
            raise self._fail(
                number,
                "activity",
                _(
                    "Activity %(order)s of commitment %(number)s is also on row %(row)s: "
                    "each activity has its own number."
                )
                % {"order": order, "number": commitment_number, "row": self.activity_rows[key]},
            )
        self.activity_rows[key] = number
        activity = None
        if commitment_pk != NEW:
            commitment, by_order = self._activities(commitment_pk)
            found = by_order.get(order, [])
            if len(found) > 1:
                raise self._fail(
                    number,
                    "activity",
                    _(
                        "On the platform, two activities of commitment %(number)s have the "
                        "number %(order)s: number them apart in the administration first."
                    )
                    % {"order": order, "number": commitment_number},
                )
            activity = found[0] if found else None
        if activity is None and "title_ar" not in fields:
            raise self._fail(
                number, "activity_title_ar", _("A new activity needs its Arabic title.")
            )
        changed = self._changed(
            number, activity, Activity, fields, ACTIVITY_COLUMNS, ["commitment"]
        )
        self._check_dates(number, changed, values, ACTIVITY_COLUMNS)
        progress = values.progress
        new_progress = progress is not None and progress != (activity.progress if activity else 0)
        if activity is not None:
            changes += self._names(changed, ACTIVITY_COLUMNS)
            if new_progress:
                changes.append(BY_KEY["progress"].header())
        if not self.write:
            return activity is None
        created = activity is None
        if activity is None:
            activity = plan_actions.do_add_activity(commitment, acting_user=self.user, **changed)
            by_order[order] = [activity]
        elif changed:
            activity = plan_actions.do_edit_activity(activity, acting_user=self.user, **changed)
            by_order[order] = [activity]
        if new_progress:
            assert progress is not None
            do_import_progress(
                activity,
                progress=progress,
                reported_on=self.reported_on,
                acting_user=self.user,
                language=self.language,
            )
        return created

    # The whole file -------------------------------------------------------------------

    def rows(
        self,
        table_rows: Iterator[tuple[int, list[str]]],
        index: dict[str, int],
        progress: Callable[[int], None] | None,
    ) -> None:
        """Every row, with the "same as above" rule applied to its cells."""
        above: dict[str, str] = {}
        count = 0
        for number, cells in table_rows:
            row = {key: cells[i] for key, i in index.items()}
            same_plan = not row.get("plan") or row.get("plan") == above.get("plan")
            if same_plan:
                for key in _PLAN_GROUP:
                    row[key] = row.get(key) or above.get(key, "")
                same_commitment = not row.get("commitment") or row.get("commitment") == above.get(
                    "commitment"
                )
                if same_commitment:
                    for key in _COMMITMENT_GROUP:
                        row[key] = row.get(key) or above.get(key, "")
                elif not any(row.get(key) for key in _THEME_GROUP):
                    for key in _THEME_GROUP:
                        row[key] = above.get(key, "")
            above = row
            self.row(number, row)
            count += 1
            if progress is not None and count % PROGRESS_EVERY == 0:
                progress(count)
        if progress is not None:
            progress(count)

    def notes(self) -> None:
        """What the file left as it was: the plans' activities it does not list."""
        for slug, seen in self.plans.items():
            if seen.pk == NEW:
                continue
            left = 0
            activities = Activity.objects.filter(commitment__plan_id=seen.pk).values_list(
                "commitment__number", "order"
            )
            for commitment_number, order in activities.iterator(chunk_size=5000):
                if (slug, commitment_number, order) not in self.activity_rows:
                    left += 1
            if left:
                self.report.notes.append(
                    _(
                        "Plan %(slug)s: %(count)s activities of the platform are not in the "
                        "file; they stay as they are."
                    )
                    % {"slug": slug, "count": left}
                )


def _columns(table_headers: list[str], report: ImportReport) -> dict[str, int] | None:
    """Column key → index in the file; None (and file errors) when columns are missing
    or repeated."""
    known = _known_headers()
    index: dict[str, int] = {}
    unknown = []
    for i, header in enumerate(table_headers):
        key = known.get(_normal(header))
        if key is None:
            if header:
                unknown.append(header)
            continue
        if key in index:
            report.file_errors.append(
                RowError(
                    0, header, _("The column “%(column)s” is there twice.") % {"column": header}
                )
            )
        index[key] = i
    missing = [BY_KEY[k].header() for k in REQUIRED if k not in index]
    if missing:
        report.file_errors.append(
            RowError(
                0,
                ", ".join(missing),
                _("Columns missing: %(columns)s. Start from the template the platform offers.")
                % {"columns": ", ".join(f"“{m}”" for m in missing)},
            )
        )
    if unknown:
        report.notes.append(
            _("Columns not recognised, left out: %(columns)s.")
            % {"columns": ", ".join(f"“{u[:60]}”" for u in unknown[:20])}
        )
    return None if report.file_errors else index


def _pass(
    path: Path,
    *,
    write: bool,
    user: Any,
    options: dict[str, Any],
    progress: Callable[[int], None] | None,
) -> ImportReport:
    sheet = PlanSheetImport(user=user, write=write, options=options)
    report = sheet.report
    try:
        table = open_table(path)
        index = _columns(table.headers, report)
        if index is not None:
            sheet.rows(table.rows, index, progress)
    except TabularError as error:
        report.file_errors.append(RowError(0, "", str(error)))
    if report.ok and not write:
        sheet.notes()
    return report


def run(
    path: Path,
    *,
    apply: bool,
    user: Any,
    options: dict[str, Any],
    progress: Callable[[int], None] | None = None,
) -> ImportReport:
    """Import a plan sheet (see the module's docstring). ``apply=False`` checks every
    row and writes nothing; ``apply=True`` checks, then writes all rows in one
    transaction, or nothing when any row has an error."""
    report = _pass(Path(path), write=False, user=user, options=options, progress=progress)
    if not apply or not report.ok:
        return report
    counts = report.counts()
    if not counts[Outcome.CREATE] and not counts[Outcome.UPDATE]:
        report.applied = True  # every row unchanged: nothing to write
        return report
    try:
        with transaction.atomic(), batched():
            written = _pass(Path(path), write=True, user=user, options=options, progress=progress)
            if not written.ok:
                raise _Rollback
    except _Rollback:
        return written
    except (ActionError, ValidationError) as error:
        reason = "; ".join(error.messages) if isinstance(error, ValidationError) else str(error)
        report.file_errors.append(
            RowError(0, "", _("Nothing was written: %(reason)s") % {"reason": reason})
        )
        return report
    written.notes = report.notes
    written.applied = True
    return written


# Writing the sheet ---------------------------------------------------------------------


def _yes_no(value: bool) -> str:
    return str(_("yes") if value else _("no"))


def _label_of(choices: type[models.TextChoices], value: str) -> str:
    return str(dict(choices.choices).get(value, value))


def plan_rows(plan: ActionPlan) -> Iterator[list[Any]]:
    """The plan's rows, in the order of :data:`COLUMNS`: the commitments without a
    theme first, then theme by theme, by number; each activity by number; a commitment
    without activities has a row of its own."""
    plan_cells = [
        plan.slug,
        *(getattr(plan, f"member_{lang}") or "" for lang in LANGS),
        plan.ordinal,
        *(getattr(plan, f"title_{lang}") or "" for lang in LANGS),
        plan.period_start,
        plan.period_end,
        _label_of(PlanStatus, plan.status),
    ]
    commitments = (
        Commitment.objects.filter(plan=plan)
        .select_related("theme", "lead_institution")
        .order_by(models.F("theme__order").asc(nulls_first=True), "theme_id", "number")
    )
    activities = (
        Activity.objects.filter(commitment__plan=plan)
        .order_by(
            models.F("commitment__theme__order").asc(nulls_first=True),
            "commitment__theme_id",
            "commitment__number",
            "order",
            "pk",
        )
        .iterator(chunk_size=2000)
    )
    following = next(activities, None)
    for commitment in commitments.iterator(chunk_size=500):
        theme = commitment.theme
        lead = commitment.lead_institution
        theme_cells = (
            [theme.order, *(getattr(theme, f"title_{lang}") or "" for lang in LANGS)]
            if theme
            else [""] * len(THEME_COLUMNS)
        )
        lead_cells = (
            [
                lead.slug,
                *(getattr(lead, f"name_{lang}") or "" for lang in LANGS),
                lead.acronym,
                _label_of(Institution.Kind, lead.kind),
            ]
            if lead
            else [""] * len(INSTITUTION_COLUMNS)
        )
        commitment_cells = [
            *theme_cells,
            commitment.number,
            *(getattr(commitment, f"title_{lang}") or "" for lang in LANGS),
            commitment.start_date,
            commitment.end_date,
            *lead_cells,
        ]
        empty = True
        while following is not None and following.commitment_id == commitment.pk:
            activity, following = following, next(activities, None)
            empty = False
            yield [
                *plan_cells,
                *commitment_cells,
                activity.order,
                *(getattr(activity, f"title_{lang}") or "" for lang in LANGS),
                activity.weight,
                activity.start_date,
                activity.end_date,
                activity.progress,
                _yes_no(activity.is_grouping),
            ]
        if empty:
            yield [*plan_cells, *commitment_cells, *[""] * len(ACTIVITY_COLUMNS)]


def write_xlsx(out: IO[bytes], rows: Iterable[list[Any]]) -> None:
    """The sheet as an Excel workbook, written row by row (write-only: memory stays
    bounded), right to left in Arabic."""
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet(str(_("Plan"))[:31])
    ws.sheet_view.rightToLeft = translation.get_language_bidi()
    ws.append(headers(translation.get_language() or "ar"))
    for row in rows:
        ws.append(safe_row(row))
    wb.save(out)


def write_csv(out: IO[str], rows: Iterable[list[Any]]) -> None:
    """The sheet as CSV (UTF-8 with its byte-order mark: Excel then reads Arabic)."""
    out.write("\ufeff")
    writer = csv.writer(out)
    writer.writerow(headers(translation.get_language() or "ar"))
    for row in rows:
        writer.writerow(safe_row(_csv_cell(v) for v in row))


def _csv_cell(value: Any) -> Any:
    if isinstance(value, decimal.Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return "" if value is None else value
