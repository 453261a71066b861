"""Form pieces every app shares.

Date inputs: ``<input type="date">`` and ``type="datetime-local"`` only accept an ISO
value (``2026-11-29``, ``2026-11-29T10:30``); the browser then shows it in the reader's
own format. Django's own widgets write the value in the active language's format
(``29/11/2026`` in French), which the browser rejects: the field shows empty and the
form comes back with "this field is required". Every date field of every app uses the
fields below (a test walks every form to check it).

Dates that are saved use the bounded ones (:mod:`apps.core.bounds`): ``FactDateField``
for something that happened, ``PlanDateField`` for something scheduled.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from apps.core import bounds

ISO_DATE = "%Y-%m-%d"
ISO_DATETIME = "%Y-%m-%dT%H:%M"


class DateInput(forms.DateInput):
    """The browser's date picker, with its value in ISO form in every language."""

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs={"class": "form-control", **(attrs or {})}, format=ISO_DATE)


class DateTimeInput(forms.DateTimeInput):
    """The browser's date-and-time picker, with its value in ISO form in every language."""

    input_type = "datetime-local"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs={"class": "form-control", **(attrs or {})}, format=ISO_DATETIME)


class DateField(forms.DateField):
    """A date typed with the browser's picker (ISO value; Django also parses ISO)."""

    widget = DateInput


class DateTimeField(forms.DateTimeField):
    """A date and time typed with the browser's picker (ISO value)."""

    widget = DateTimeInput


class _Bounded:
    """A date field bounded by :mod:`apps.core.bounds`; a form sets ``plan`` on the field
    (``self.fields[name].plan = plan``) when the date belongs to one."""

    plan: Any = None
    check: Any = None

    def validate(self, value: Any) -> None:
        super().validate(value)  # type: ignore[misc]
        message = type(self).check(value, self.plan) if value is not None else None
        if message:
            raise ValidationError(message, code="out_of_range")


class FactDateField(_Bounded, DateField):
    """The date of something that happened: never in the future, not before the floor."""

    check = staticmethod(bounds.fact_error)


class PlanDateField(_Bounded, DateField):
    """A scheduled date: within the plan's period plus a margin."""

    check = staticmethod(bounds.plan_error)


class FactDateTimeField(_Bounded, DateTimeField):
    """The date and time of something that happened (bounded by its day)."""

    check = staticmethod(bounds.fact_error)


class PlanDateTimeField(_Bounded, DateTimeField):
    """A scheduled date and time (bounded by its day)."""

    check = staticmethod(bounds.plan_error)
