"""Template helpers of the plans' pages: ``{% load plans %}``."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

from apps.plans.choices import CompletionLevel

register = template.Library()

_LEVEL_CLASSES = {
    CompletionLevel.NOT_STARTED: "text-bg-secondary",
    CompletionLevel.LIMITED: "text-bg-warning",
    CompletionLevel.SUBSTANTIAL: "text-bg-info",
    CompletionLevel.COMPLETE: "text-bg-success",
}


@register.filter
def level_badge(level: Any) -> SafeString:
    """A coloured badge with the translated OGP completion level."""
    try:
        choice = CompletionLevel(str(level))
    except ValueError:
        return format_html("")
    return format_html(
        '<span class="badge {}" data-level="{}">{}</span>',
        _LEVEL_CLASSES[choice],
        choice.value,
        choice.label,
    )
