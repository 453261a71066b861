"""Template filters of the minutes: numbers kept left to right inside Arabic text."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

from apps.committees.minutes import isolate_percentages, percent_text, text_direction

register = template.Library()


@register.filter
def isolated(text: Any) -> str:
    """Text whose percentages ("20%") are isolated, so they do not read "%20" in Arabic.

    WeasyPrint ignores ``unicode-bidi: isolate`` (``<bdi>``), so the isolation is done
    with the Unicode characters LRI … PDI, which browsers, Pango and Word all honour.
    """
    return isolate_percentages(str(text or ""))


@register.filter
def minutes_percent(value: Any) -> SafeString:
    """`65` → `<bdi>⁦65%⁩</bdi>` (isolated for browsers and for WeasyPrint)."""
    return format_html("<bdi>{}</bdi>", isolate_percentages(percent_text(value)))


@register.filter
def text_dir(text: Any) -> str:
    """The ``dir`` of a piece of content: "rtl" for Arabic, "ltr" for Latin text."""
    return text_direction(str(text or ""), "auto")
