from modeltranslation.translator import TranslationOptions, register

from apps.accounts.models import Institution


@register(Institution)
class InstitutionTranslation(TranslationOptions):
    fields = ("name", "acronym")
