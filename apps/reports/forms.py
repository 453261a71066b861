from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.committees.models import Snapshot
from apps.core.forms import DateField
from apps.core.once import OnceField
from apps.plans.models import ActionPlan
from apps.reports.models import COMMENT_MAX_LENGTH, CycleKind, Resolution, Section


class CycleForm(forms.Form):
    """The snapshot the figures come from and the lessons learned (plain text)."""

    snapshot = forms.ModelChoiceField(
        Snapshot.objects.none(), label=_("Snapshot the figures come from"), required=False
    )
    lessons_ar = forms.CharField(
        label=_("Lessons learned (Arabic)"), widget=forms.Textarea, required=False, max_length=20000
    )
    lessons_fr = forms.CharField(
        label=_("Lessons learned (French)"), widget=forms.Textarea, required=False, max_length=20000
    )
    lessons_en = forms.CharField(
        label=_("Lessons learned (English)"),
        widget=forms.Textarea,
        required=False,
        max_length=20000,
    )

    def __init__(self, *args: Any, plan_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["snapshot"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = (
            Snapshot.objects.filter(plan_id=plan_id)
            .select_related("meeting", "meeting__committee")
            .order_by("-meeting__starts_at")
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for lang in ("ar", "fr", "en"):
            value = data.get(f"lessons_{lang}", "")
            if "\x00" in value:
                self.add_error(f"lessons_{lang}", _("The text contains a forbidden character."))
        return data


class CycleCreateForm(forms.Form):
    """A new report cycle: the plan, the kind and the year its stages are planned in."""

    token = OnceField()
    plan: forms.ModelChoiceField[ActionPlan] = forms.ModelChoiceField(
        ActionPlan.objects.order_by("-period_start"), label=_("Plan")
    )
    kind = forms.ChoiceField(choices=CycleKind.choices, label=_("Kind of report"))
    year = forms.IntegerField(label=_("Year of the report"), min_value=2000, max_value=2100)


class StageForm(forms.Form):
    """A stage's planned window."""

    planned_start = DateField(label=_("Planned start"))
    planned_end = DateField(label=_("Planned end"))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("planned_start"), data.get("planned_end")
        if start and end and end < start:
            self.add_error("planned_end", _("A stage cannot end before it starts."))
        return data


class ReviewCommentForm(forms.Form):
    """A committee member's comment on one section (or one commitment) of the report."""

    token = OnceField()
    section = forms.ChoiceField(choices=Section.choices, widget=forms.HiddenInput)
    commitment = forms.IntegerField(
        required=False, widget=forms.HiddenInput, min_value=1, max_value=2**31 - 1
    )
    body = forms.CharField(
        label=_("Your comment"),
        widget=forms.Textarea(attrs={"rows": 3, "class": "form-control", "dir": "auto"}),
        max_length=COMMENT_MAX_LENGTH,
    )


class ResolveReviewForm(forms.Form):
    """The secretariat's resolution of a committee comment, with its response."""

    resolution = forms.ChoiceField(
        label=_("Resolution"),
        choices=[(r.value, r.label) for r in (Resolution.ACCEPTED, Resolution.ANSWERED)],
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
    )
    response = forms.CharField(
        label=_("Response"),
        widget=forms.Textarea(attrs={"rows": 2, "class": "form-control", "dir": "auto"}),
        max_length=COMMENT_MAX_LENGTH,
    )
