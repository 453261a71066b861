from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.plans.choices import CompletionLevel
from apps.plans.extensions import RowFlag
from apps.plans.models import Commitment

# How the plan page may order its commitments (``?sort=``): plan order by default.
SORTS = [
    ("", _("Plan order")),
    ("late", _("Late first")),
    ("progress", _("Least advanced first")),
    ("-progress", _("Most advanced first")),
]


class RowChoiceField(forms.ChoiceField):
    """A choice among objects the page already holds (its rows' themes or
    institutions): no query to list them nor to check the value chosen, which cleans
    to the object itself."""

    def __init__(self, *, key: str, **kwargs: Any) -> None:
        super().__init__(required=False, **kwargs)
        self.key = key
        self.objects: dict[str, Any] = {}

    def offer(self, objects: Sequence[Any]) -> None:
        self.objects = {str(getattr(o, self.key)): o for o in objects}
        self.choices = [("", _("All")), *((k, str(o)) for k, o in self.objects.items())]

    def clean(self, value: Any) -> Any:
        value = super().clean(value)
        return self.objects.get(value) if value else None


class CommitmentFilterForm(forms.Form):
    """Filters and order of the plan page. Unknown values are reported and ignored (the
    others still apply), never a server error. The themes and lead institutions offered
    are those of the plan's commitments (``rows``, the page's list); the flags are those
    the page's providers know (``flags``)."""

    theme = RowChoiceField(key="pk", label=_("Theme"))
    institution = RowChoiceField(key="slug", label=_("Lead institution"))
    level = forms.ChoiceField(
        label=_("Completion level"),
        choices=[("", _("All")), *CompletionLevel.choices],
        required=False,
    )
    flag = forms.ChoiceField(label=_("Flag"), required=False)
    sort = forms.ChoiceField(label=_("Order"), choices=SORTS, required=False)

    def __init__(
        self,
        *args: Any,
        rows: Sequence[Commitment],
        flags: Sequence[RowFlag] = (),
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        if flags:
            self.fields["flag"].choices = [("", _("All")), *((f.code, f.label) for f in flags)]  # type: ignore[attr-defined]
        else:  # no flag on this plan (an ended one, or no provider): nothing to choose
            del self.fields["flag"]
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-select"
        themes = {c.theme_id: c.theme for c in rows if c.theme is not None}
        institutions = {c.lead_institution_id: c.lead_institution for c in rows}
        self.fields["theme"].offer(sorted(themes.values(), key=lambda t: (t.order, t.pk)))  # type: ignore[attr-defined]
        self.fields["institution"].offer(  # type: ignore[attr-defined]
            sorted(
                (i for i in institutions.values() if i is not None),
                key=lambda i: (i.kind, str(i)),
            )
        )
