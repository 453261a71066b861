"""Template helpers: numbers isolated for right-to-left text, progress bars."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from apps.core.dates import date_text, format_date

register = template.Library()


@register.filter
def percent(value: Any) -> SafeString:
    """`56` → `<bdi>56%</bdi>`: isolated so Arabic text does not show `%56`."""
    if value is None or value == "":
        return format_html('<bdi class="text-body-secondary">–</bdi>')
    return format_html("<bdi>{}%</bdi>", round(float(value)))


@register.filter
def when(value: Any, style: str = "date") -> SafeString:
    """A date isolated like a percentage: ``<bdi>2026-11-29</bdi>``, or with the month
    name in the reader's language with ``"long"`` / ``"full"`` (see apps/core/dates.py).
    No date gives a dash."""
    if value is None or value == "":
        return mark_safe('<bdi class="text-body-secondary">–</bdi>')  # noqa: S308 - a constant
    return format_html("<bdi>{}</bdi>", format_date(value, style))


@register.filter
def when_text(value: Any, style: str = "date") -> str:
    """The same date for plain text (mail, a page title): isolated with FSI … PDI."""
    return date_text(value, style)


@register.simple_tag
def progress_bar(value: Any, label: str = "") -> SafeString:
    """A bar from 0 to 100. Built here rather than by an inclusion tag: lists show one
    per row, and rendering a template per row cost more than the row's data."""
    # 0 to 100: the bar's width is one of the classes pct-0 … pct-100 of sharaka.css
    # (no style attribute: the Content-Security-Policy refuses them).
    pct = min(100, max(0, round(float(value or 0))))
    return format_html(
        '<div class="progress progress-sharaka" role="progressbar" aria-label="{}" '
        'aria-valuenow="{}" aria-valuemin="0" aria-valuemax="100">'
        '<div class="progress-bar bg-sharaka-bar pct-{}"><bdi>{}%</bdi></div></div>',
        label,
        pct,
        pct,
        pct,
    )


@register.simple_tag(takes_context=True)
def url_with(context: dict[str, Any], **changes: Any) -> str:
    """The current query string with some parameters changed (empty value removes it)."""
    query = context["request"].GET.copy()
    for key, value in changes.items():
        if value in (None, ""):
            query.pop(key, None)
        else:
            query[key] = value
    encoded = query.urlencode()
    return f"?{encoded}" if encoded else "?"


@register.simple_tag(takes_context=True)
def url_with_page(context: dict[str, Any], param: str, number: int) -> str:
    """The current query string on page ``number`` of the list ``param`` names (page 1
    is the address without the parameter)."""
    return url_with(context, **{param: "" if number == 1 else number})


@register.filter
def page_range(paginator: Any, number: int) -> Any:
    """The page numbers to offer around page ``number``: the first and last, two on each
    side, an ellipsis (``paginator.ELLIPSIS``) for the others."""
    return paginator.get_elided_page_range(number, on_each_side=2, on_ends=1)


@register.simple_tag(takes_context=True)
def language_url(context: dict[str, Any], lang: str) -> str:
    """The current page in another language (keeps the query string)."""
    from django.urls import translate_url

    request = context["request"]
    url = translate_url(request.get_full_path(), lang)
    return str(url)


@register.filter
def tr(value: Any, field: str | None = None) -> SafeString:
    """Content in the reader's language: ``{{ activity|tr:"title" }}`` (or ``{{ text|tr }}``
    for text already picked). Where Arabic stands in for a missing translation it is
    wrapped in ``<span lang="ar" dir="rtl">`` (see apps/core/content.py)."""
    from apps.core.content import localized, marked

    if field is None:
        return marked(value)
    return marked(localized(value, field))


@register.filter
def written(value: Any) -> SafeString:
    """Text as its author wrote it, marked as Arabic in a French or English page:
    ``{{ member.name|written }}`` (see apps/core/content.as_written)."""
    from apps.core.content import as_written

    return as_written(value)


@register.filter
def lang_attr(value: Any) -> SafeString:
    """` lang="ar"` for a block of text that fell back to Arabic (paragraphs a span
    cannot wrap), nothing otherwise: ``<div{{ text|lang_attr }}>``."""
    from apps.core.content import Fallback

    if isinstance(value, Fallback):
        return format_html(' lang="{}"', value.language)
    return mark_safe("")  # noqa: S308 - a constant
