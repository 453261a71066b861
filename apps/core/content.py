"""Content in the reader's language, and Arabic marked as Arabic where it falls back.

Content has one column per language (django-modeltranslation: ``title_ar``,
``title_fr``, ``title_en``). A French or English reader sees the Arabic text where no
translation exists; that text is wrapped in ``<span lang="ar" dir="rtl">`` so that it
reads right to left and a screen reader speaks it as Arabic. One place does it: the
``tr`` template filter (``{{ activity|tr:"title" }}``), which uses :func:`localized`;
code that picks a language itself (the minutes' record) returns a :class:`Fallback`,
which the same filter and the DOCX writer recognise.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, cast

from django.utils.html import conditional_escape, escape, format_html
from django.utils.safestring import SafeString, mark_safe

from apps.core.languages import DEFAULT_LANGUAGE, LANGUAGES, active_language

RTL_LANGUAGES = {"ar"}


class Fallback(str):
    """Text shown in another language than the reader's (``language``)."""

    language: str

    def __new__(cls, value: str, language: str = DEFAULT_LANGUAGE) -> Fallback:
        text = super().__new__(cls, value)
        text.language = language
        return text


def direction(language: str) -> str:
    return "rtl" if language in RTL_LANGUAGES else "ltr"


EMPTY: tuple[Any, ...] = (None, "", [])


def in_language(values: Mapping[str, Any] | None, language: str) -> Any:
    """The value for ``language`` of ``{language: value}``; where it is empty, the first
    filled one of Arabic, French, English (text as a :class:`Fallback`). The one rule of
    content in the reader's language: live columns (:func:`localized`) and the frozen
    minutes' record alike. Nothing filled: ``""``."""
    if not values:
        return ""
    value = values.get(language)
    if value not in EMPTY:
        return value
    for other in (DEFAULT_LANGUAGE, *LANGUAGES):
        value = values.get(other)
        if value not in EMPTY:
            return Fallback(value, other) if isinstance(value, str) else value
    return ""


def localized(obj: Any, field: str, language: str | None = None) -> str:
    """``obj.<field>`` in ``language`` (the active one by default), by the rule of
    :func:`in_language`. A field without columns per language is returned as it is."""
    language = language or active_language()
    if not hasattr(obj, f"{field}_{DEFAULT_LANGUAGE}"):
        value = getattr(obj, field, "")
        return "" if value is None else value
    columns = {}
    for lang in LANGUAGES:
        value = getattr(obj, f"{field}_{lang}", None)
        columns[lang] = None if value is None else str(value)
    return cast(str, in_language(columns, language))


def marked(value: Any) -> SafeString:
    """Escaped text; a fallback wrapped in a span with its language and direction."""
    if isinstance(value, Fallback):
        return format_html(
            '<span lang="{}" dir="{}">{}</span>',
            value.language,
            direction(value.language),
            str(value),
        )
    return format_html("{}", "" if value is None else value)


_ARABIC_LETTER = re.compile("[\u0620-\u064a\u0671-\u06d3]")
_LATIN_LETTER = re.compile("[A-Za-z\u00c0-\u024f]")


def as_written(value: Any) -> SafeString:
    """Text kept as its author wrote it (a name, a note, a reason), escaped; Arabic text in
    a French or English page is marked ``<bdi lang="ar" dir="rtl">`` so that screen readers
    and the layout read it as Arabic. Text mixing both scripts is left as it is."""
    text = "" if value is None else str(value)
    if active_language() != "ar" and _ARABIC_LETTER.search(text) and not _LATIN_LETTER.search(text):
        return format_html('<bdi lang="ar" dir="rtl">{}</bdi>', text)
    return format_html("{}", text)


def interpolate(template: str, **parts: Any) -> SafeString:
    """``template % parts`` as HTML: the (translated) template is escaped, and so is each
    part unless it is already HTML (a name marked by :func:`as_written`)."""
    escaped = {name: conditional_escape(part) for name, part in parts.items()}
    return mark_safe(escape(template) % escaped)  # noqa: S308 - every piece escaped here
