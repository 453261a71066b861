"""Form pieces every app shares.

Date inputs: ``<input type="date">`` and ``type="datetime-local"`` only accept an ISO
value (``2026-11-29``, ``2026-11-29T10:30``); the browser then shows it in the reader's
own format. Django's own widgets write the value in the active language's format
(``29/11/2026`` in French), which the browser rejects: the field shows empty and the
form comes back with "this field is required". Every date field of every app uses the
fields below (a test walks every form to check it).
"""

from __future__ import annotations

from typing import Any

from django import forms

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
