from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.accounts.models import Institution
from apps.plans.choices import CompletionLevel
from apps.plans.models import ActionPlan, Theme


class CommitmentFilterForm(forms.Form):
    """Filters of the plan page. Unknown values are reported, never a server error."""

    theme: forms.ModelChoiceField[Theme] = forms.ModelChoiceField(
        label=_("Theme"), queryset=Theme.objects.none(), required=False, empty_label=_("All")
    )
    institution: forms.ModelChoiceField[Institution] = forms.ModelChoiceField(
        label=_("Lead institution"),
        queryset=Institution.objects.none(),
        required=False,
        to_field_name="slug",
        empty_label=_("All"),
    )
    level = forms.ChoiceField(
        label=_("Completion level"),
        choices=[("", _("All")), *CompletionLevel.choices],
        required=False,
    )

    def __init__(self, *args: Any, plan: ActionPlan, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-select"
        self.fields["theme"].queryset = plan.themes.all()  # type: ignore[attr-defined]
        self.fields["institution"].queryset = Institution.objects.filter(  # type: ignore[attr-defined]
            led_commitments__plan=plan
        ).distinct()
