"""Bootstrap's look for forms the platform does not define (django-allauth's)."""

from __future__ import annotations

from typing import Any

from django import forms, template
from django.utils.safestring import SafeString

register = template.Library()


def _css(widget: forms.Widget) -> str:
    if isinstance(widget, forms.CheckboxInput | forms.RadioSelect):
        return "form-check-input"
    if isinstance(widget, forms.Select):
        return "form-select"
    return "form-control"


@register.filter
def is_checkbox(field: Any) -> bool:
    return isinstance(field.field.widget, forms.CheckboxInput)


@register.filter
def bootstrap(field: Any) -> SafeString:
    """The field's widget with Bootstrap's class (and marked invalid when it is)."""
    css = _css(field.field.widget)
    if field.errors:
        css += " is-invalid"
    attrs = {"class": f"{field.field.widget.attrs.get('class', '')} {css}".strip()}
    if field.errors:
        attrs["aria-invalid"] = "true"
    return field.as_widget(attrs=attrs)
