from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.accounts.models import Institution
from apps.plans.choices import CompletionLevel
from apps.plans.extensions import RowFlag
from apps.plans.models import ActionPlan, Theme

# How the plan page may order its commitments (``?sort=``): plan order by default.
SORTS = [
    ("", _("Plan order")),
    ("late", _("Late first")),
    ("progress", _("Least advanced first")),
    ("-progress", _("Most advanced first")),
]


class CommitmentFilterForm(forms.Form):
    """Filters and order of the plan page. Unknown values are reported and ignored (the
    others still apply), never a server error. The flags are those the page's providers
    know (``flags``)."""

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
    flag = forms.ChoiceField(label=_("Flag"), required=False)
    sort = forms.ChoiceField(label=_("Order"), choices=SORTS, required=False)

    def __init__(
        self, *args: Any, plan: ActionPlan, flags: Sequence[RowFlag] = (), **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        if flags:
            self.fields["flag"].choices = [("", _("All")), *((f.code, f.label) for f in flags)]  # type: ignore[attr-defined]
        else:  # no flag on this plan (an ended one, or no provider): nothing to choose
            del self.fields["flag"]
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-select"
        self.fields["theme"].queryset = plan.themes.all()  # type: ignore[attr-defined]
        self.fields["institution"].queryset = Institution.objects.filter(  # type: ignore[attr-defined]
            led_commitments__plan=plan
        ).distinct()
