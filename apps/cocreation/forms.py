"""The co-creation's forms: they parse and check; the actions write."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from apps.cocreation.actions import MAX_ATTACHMENTS, OGP_VALUES, ProposalDraft
from apps.cocreation.models import Opening, Phase, Process, Proposal, ProposalStatus, Region, Theme
from apps.core.content import localized
from apps.core.forms import PlanDateField
from apps.core.once import OnceField
from apps.tracking.forms import MultipleFileField

TEXT = {"class": "form-control"}
VALUE_LABELS = {
    "access_to_information": _("access to information"),
    "civic_participation": _("civic participation"),
    "public_accountability": _("public accountability"),
    "technology_innovation": _("technology and innovation for transparency and accountability"),
}


def _text(label: Any, max_length: int, required: bool = True, rows: int = 0) -> forms.CharField:
    widget: forms.Widget = (
        forms.Textarea(attrs={**TEXT, "rows": rows}) if rows else forms.TextInput(attrs=TEXT)
    )
    return forms.CharField(
        label=label, max_length=max_length, required=required, strip=True, widget=widget
    )


class LabelledChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        field = "title" if isinstance(obj, Theme) else "name"
        return str(localized(obj, field))


class ProposalForm(forms.Form):
    token = OnceField()
    author_name = _text(_("Public name"), 120)
    language = forms.ChoiceField(
        label=_("Language of your proposal"),
        choices=settings.LANGUAGES,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    title = _text(_("Title"), 200)
    problem = _text(_("The problem"), 5000, rows=4)
    solution = _text(_("Your proposed solution"), 5000, rows=4)
    expected_impact = _text(_("Expected impact"), 3000, required=False, rows=3)
    theme = LabelledChoice(
        label=_("Theme"),
        queryset=Theme.objects.none(),
        required=False,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    region = LabelledChoice(
        label=_("Region"),
        queryset=Region.objects.all(),
        required=False,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    values = forms.MultipleChoiceField(
        label=_("OGP values it serves"),
        choices=list(VALUE_LABELS.items()),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    attachments = MultipleFileField(
        label=_("Attachments (PDF, office documents, images)"), required=False
    )

    def __init__(self, *args: Any, process: Process, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        theme_field = self.fields["theme"]
        assert isinstance(theme_field, forms.ModelChoiceField)
        theme_field.queryset = Theme.objects.filter(process=process)
        self.fields["attachments"].widget.attrs["class"] = "form-control"

    def clean_attachments(self) -> list[Any]:
        files = self.cleaned_data.get("attachments") or []
        if len(files) > MAX_ATTACHMENTS:
            raise ValidationError(
                _("At most %(count)s attachments per proposal."),
                params={"count": MAX_ATTACHMENTS},
            )
        return list(files)

    def draft(self) -> ProposalDraft:
        data = self.cleaned_data
        return ProposalDraft(
            author_name=data["author_name"],
            language=data["language"],
            title=data["title"],
            problem=data["problem"],
            solution=data["solution"],
            expected_impact=data.get("expected_impact") or "",
            theme=data.get("theme"),
            region=data.get("region"),
            values=[v for v in data.get("values") or [] if v in OGP_VALUES],
            files=data.get("attachments") or [],
        )


class CommentForm(forms.Form):
    token = OnceField()
    body = _text(_("Your comment"), 3000, rows=3)
    author_name = _text(_("Public name"), 120, required=False)
    parent = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=1)


class ReasonForm(forms.Form):
    reason = _text(_("Public reason"), 300, rows=2)


class MergeForm(forms.Form):
    target = forms.IntegerField(
        label=_("Number of the proposal to merge into"),
        min_value=1,
        max_value=2**31 - 1,
        widget=forms.NumberInput(attrs=TEXT),
    )
    response = _text(_("Reasoned response (published)"), 3000, rows=3)

    def __init__(self, *args: Any, proposal: Proposal, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.proposal = proposal

    def clean_target(self) -> Proposal:
        number = self.cleaned_data["target"]
        target = Proposal.objects.filter(process_id=self.proposal.process_id, number=number).first()
        if target is None:
            raise ValidationError(_("There is no proposal with this number."))
        return target


class ProcessForm(forms.Form):
    slug = forms.SlugField(
        label=_("Short name (in the address)"),
        max_length=80,
        widget=forms.TextInput(attrs={**TEXT, "dir": "ltr"}),
    )
    year = forms.IntegerField(
        label=_("Year"), min_value=2000, max_value=2100, widget=forms.NumberInput(attrs=TEXT)
    )
    title_ar = _text(_("Title (Arabic)"), 300)
    title_fr = _text(_("Title (French)"), 300, required=False)
    title_en = _text(_("Title (English)"), 300, required=False)


class PhaseForm(forms.Form):
    planned_start = PlanDateField(label=_("Planned start"))
    planned_end = PlanDateField(label=_("Planned end"))
    openings = forms.MultipleChoiceField(
        label=_("What it opens"),
        choices=Opening.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("planned_start"), data.get("planned_end")
        if start and end and end < start:
            raise ValidationError(_("The end of the window must not be before its start."))
        return data

    @classmethod
    def initial_from(cls, phase: Phase) -> dict[str, Any]:
        return {
            "planned_start": phase.planned_start,
            "planned_end": phase.planned_end,
            "openings": [value for value, _label in Opening.choices if phase.opens(value)],
        }


class ThemeForm(forms.Form):
    title_ar = _text(_("Title (Arabic)"), 300)
    title_fr = _text(_("Title (French)"), 300, required=False)
    title_en = _text(_("Title (English)"), 300, required=False)
    description_ar = _text(_("Description (Arabic)"), 3000, required=False, rows=2)
    description_fr = _text(_("Description (French)"), 3000, required=False, rows=2)
    description_en = _text(_("Description (English)"), 3000, required=False, rows=2)


SORTS = {"newest": _("Newest"), "supports": _("Most supported")}


class ProposalFilter(forms.Form):
    """The list's filters; anything malformed is ignored (the full list shows)."""

    theme = forms.IntegerField(required=False, min_value=1, max_value=2**62)
    region = forms.IntegerField(required=False, min_value=1, max_value=2**62)
    status = forms.ChoiceField(
        required=False,
        choices=[("", "")] + [c for c in ProposalStatus.choices if c[0] != ProposalStatus.HIDDEN],
    )
    sort = forms.ChoiceField(required=False, choices=list(SORTS.items()))
    page = forms.IntegerField(required=False, min_value=1, max_value=10**6)

    def value(self, name: str) -> Any:
        if not self.is_valid():
            return self.cleaned_data.get(name) if hasattr(self, "cleaned_data") else None
        return self.cleaned_data.get(name)
