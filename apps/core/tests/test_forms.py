"""Every date field of every app's forms gives the browser an ISO value, whatever the
language of the page (``29/11/2026`` in an ``<input type="date">`` shows as empty)."""

from __future__ import annotations

import datetime
import importlib
import inspect
import pkgutil

import pytest
from django import forms
from django.utils import translation

import apps
from apps.core.forms import DateInput, DateTimeInput


def all_forms() -> list[type[forms.BaseForm]]:
    found = []
    for info in pkgutil.iter_modules(apps.__path__):
        try:
            module = importlib.import_module(f"apps.{info.name}.forms")
        except ModuleNotFoundError:
            continue
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, forms.BaseForm) and cls.__module__ == module.__name__:
                found.append(cls)
    return found


def test_the_walk_finds_the_forms_with_dates():
    names = {cls.__name__ for cls in all_forms()}
    assert {"ProgressUpdateForm", "HandOverForm", "MeetingForm"} <= names


@pytest.mark.parametrize("form", all_forms(), ids=lambda cls: f"{cls.__module__}.{cls.__name__}")
def test_every_date_field_uses_the_shared_iso_widget(form):
    for name, field in form.base_fields.items():
        if isinstance(field, forms.DateTimeField):
            assert isinstance(field.widget, DateTimeInput), name
        elif isinstance(field, forms.DateField):
            assert isinstance(field.widget, DateInput), name


@pytest.mark.parametrize("lang", ["ar", "fr", "en"])
def test_the_widgets_write_iso_values_in_every_language(lang):
    with translation.override(lang):
        assert 'value="2026-11-29"' in DateInput().render("d", datetime.date(2026, 11, 29))
        moment = datetime.datetime(2026, 11, 29, 9, 5, tzinfo=datetime.UTC)
        assert 'value="2026-11-29T09:05"' in DateTimeInput().render("t", moment)
        assert forms.DateField(widget=DateInput()).clean("2026-11-29") == datetime.date(
            2026, 11, 29
        )
