from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.committees.models import Snapshot


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
