from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.translations.models import TranslationState
from apps.translations.registry import TARGETS, kinds


def _language_choices() -> list[tuple[str, str]]:
    from django.conf import settings

    names = dict(settings.LANGUAGES)
    return [(code, str(names[code])) for code in TARGETS]


class CoverageFilter(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), required=False)
    language = forms.ChoiceField(label=_("Language"), required=False)
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All")), *TranslationState.choices],
    )
    completed = forms.BooleanField(label=_("Completed only (100 %)"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["kind"]).choices = [("", _("All"))] + [
            (label, kind.name_plural.capitalize()) for label, kind in kinds().items()
        ]
        cast(forms.ChoiceField, self.fields["language"]).choices = _language_choices()


class TranslationForm(forms.Form):
    field = forms.CharField(max_length=64)
    language = forms.ChoiceField()
    text = forms.CharField(required=False, strip=True, max_length=100_000)
    action = forms.ChoiceField(choices=[("save", "save"), ("review", "review")])

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["language"]).choices = _language_choices()
