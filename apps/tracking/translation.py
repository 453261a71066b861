"""Content in Arabic, French and English, as in the other apps (django-modeltranslation).

A focal point writes the narrative of an update in one language, a translator adds the
others: it reads in the active language, else in the first one given (Arabic, French,
English). Were simple-history to track these models, it would be registered here, after
modeltranslation's ``@register``.
"""

from modeltranslation.translator import TranslationOptions, register

from apps.core.languages import LANGUAGES
from apps.tracking.models import ProgressUpdate


@register(ProgressUpdate)
class ProgressUpdateTranslation(TranslationOptions):
    fields = ("narrative",)
    fallback_languages = {"default": LANGUAGES}
