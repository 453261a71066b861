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

from typing import Any

from django.utils import translation
from django.utils.html import format_html
from django.utils.safestring import SafeString

from apps.core.languages import DEFAULT_LANGUAGE, LANGUAGES

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


def active_language() -> str:
    return (translation.get_language() or DEFAULT_LANGUAGE)[:2]


def localized(obj: Any, field: str, language: str | None = None) -> str:
    """``obj.<field>`` in ``language`` (the active one by default); where that column is
    empty, the first filled one of Arabic, French, English as a :class:`Fallback`.
    A field without columns per language is returned as it is."""
    language = language or active_language()
    if not hasattr(obj, f"{field}_{DEFAULT_LANGUAGE}"):
        value = getattr(obj, field, "")
        return "" if value is None else value
    value = getattr(obj, f"{field}_{language}", None)
    if value not in (None, ""):
        return str(value)
    for other in (DEFAULT_LANGUAGE, *LANGUAGES):
        value = getattr(obj, f"{field}_{other}", None)
        if value not in (None, ""):
            return Fallback(str(value), other)
    return ""


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
