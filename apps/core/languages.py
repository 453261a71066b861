"""The platform's languages, in one place.

Arabic first (the default, and the fallback of untranslated content), then French and
English: the interface's catalogs, content's columns (django-modeltranslation's
``title_ar``, ``title_fr``, ``title_en``) and the API's ``?lang=`` all take these codes,
read from ``settings.LANGUAGES``.
"""

from __future__ import annotations

from typing import Literal

from django.conf import settings
from django.utils import translation

# The codes as a type, for the API's schema; a test checks it matches the settings.
Lang = Literal["ar", "fr", "en"]

LANGUAGES: tuple[str, ...] = tuple(code for code, _name in settings.LANGUAGES)
DEFAULT_LANGUAGE: str = settings.LANGUAGE_CODE


def active_language() -> str:
    """The code of the language active now (a request's, an override's), the default
    outside any."""
    return (translation.get_language() or DEFAULT_LANGUAGE)[:2]
