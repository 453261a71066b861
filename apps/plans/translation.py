"""Content in Arabic, French and English (Arabic is the default and the fallback).

django-simple-history is registered here, after modeltranslation's ``@register``, so
that the historical models get the translated columns too.
"""

from modeltranslation.translator import TranslationOptions, register
from simple_history import register as register_history

from apps.plans.models import ActionPlan, Activity, Commitment, Tag, Theme


@register(ActionPlan)
class ActionPlanTranslation(TranslationOptions):
    fields = ("member", "title")


@register(Theme)
class ThemeTranslation(TranslationOptions):
    fields = ("title",)


@register(Commitment)
class CommitmentTranslation(TranslationOptions):
    fields = (
        "title",
        "summary",
        "problem",
        "causes",
        "done_so_far",
        "solution",
        "expected_results",
        "transparency",
        "accountability",
        "participation",
        "full_text",
    )


@register(Tag)
class TagTranslation(TranslationOptions):
    fields = ("name",)


@register(Activity)
class ActivityTranslation(TranslationOptions):
    fields = ("title", "expected_output")


register_history(Commitment)
register_history(Activity)
