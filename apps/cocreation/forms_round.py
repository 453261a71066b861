"""Forms of the meetings, the prioritisation, the commitment cards and the adoption: they
parse and check; the actions (meetings, prioritisation, cards, adoption) write."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from apps.accounts.models import Institution
from apps.cocreation.actions import OGP_VALUES, ProposalDraft
from apps.cocreation.adoption import PlanData
from apps.cocreation.cards import TEXT_FIELDS, CardContent, MilestoneData
from apps.cocreation.forms import TEXT, VALUE_LABELS, LabelledChoice, _text
from apps.cocreation.meetings import MeetingData, Registrant
from apps.cocreation.models import (
    DECISIONS,
    SCORE_MAX,
    SCORE_MIN,
    CommitmentCard,
    Criterion,
    Gender,
    MeetingFormat,
    MeetingKind,
    MeetingRegistration,
    MeetingScope,
    OrganisationKind,
    ParticipatoryMeeting,
    Phase,
    Process,
    Proposal,
    ProposalStatus,
    Region,
    Theme,
)
from apps.core.content import localized
from apps.core.forms import PlanDateField, PlanDateTimeField

SELECT = {"class": "form-select"}


class InstitutionChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(localized(obj, "name"))


class InstitutionsChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(localized(obj, "name"))


class RegistrationsChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name)


class ProposalsChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"#{obj.number} {obj.title}"


class PhaseChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.get_key_display())


# Meetings -----------------------------------------------------------------------------------


class MeetingForm(forms.Form):
    title_ar = _text(_("Title (Arabic)"), 300)
    title_fr = _text(_("Title (French)"), 300, required=False)
    title_en = _text(_("Title (English)"), 300, required=False)
    kind = forms.ChoiceField(
        label=_("Kind"), choices=MeetingKind.choices, widget=forms.Select(SELECT)
    )
    scope = forms.ChoiceField(
        label=_("Scope"), choices=MeetingScope.choices, widget=forms.Select(SELECT)
    )
    format = forms.ChoiceField(
        label=_("Format"), choices=MeetingFormat.choices, widget=forms.Select(SELECT)
    )
    phase = PhaseChoice(
        label=_("Phase"), queryset=Phase.objects.none(), required=False, widget=forms.Select(SELECT)
    )
    starts_at = PlanDateTimeField(label=_("Starts at"))
    ends_at = PlanDateTimeField(label=_("Ends at"), required=False)
    place = _text(_("Place"), 300, required=False)
    link = forms.URLField(
        label=_("Online link"),
        assume_scheme="https",
        required=False,
        max_length=200,
        widget=forms.URLInput(attrs={**TEXT, "dir": "ltr"}),
    )
    capacity = forms.IntegerField(
        label=_("Capacity (empty: no limit)"),
        required=False,
        min_value=1,
        max_value=100000,
        widget=forms.NumberInput(attrs=TEXT),
    )
    region = LabelledChoice(
        label=_("Region"),
        queryset=Region.objects.all(),
        required=False,
        widget=forms.Select(SELECT),
    )
    theme = LabelledChoice(
        label=_("Theme"), queryset=Theme.objects.none(), required=False, widget=forms.Select(SELECT)
    )
    outputs = _text(_("Outputs (summary of the meeting)"), 5000, required=False, rows=3)

    def __init__(self, *args: Any, process: Process, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        phase = self.fields["phase"]
        theme = self.fields["theme"]
        assert isinstance(phase, forms.ModelChoiceField)
        assert isinstance(theme, forms.ModelChoiceField)
        phase.queryset = Phase.objects.filter(process=process).order_by("order")
        theme.queryset = Theme.objects.filter(process=process).order_by("order", "pk")

    @staticmethod
    def initial_from(meeting: ParticipatoryMeeting) -> dict[str, Any]:
        names = ["kind", "scope", "format", "starts_at", "ends_at", "place", "link", "capacity"]
        initial = {name: getattr(meeting, name) for name in names}
        initial.update(
            {f"title_{lang}": getattr(meeting, f"title_{lang}") for lang in ["ar", "fr", "en"]}
        )
        initial.update(
            phase=meeting.phase_id,
            region=meeting.region_id,
            theme=meeting.theme_id,
            outputs=meeting.outputs,
        )
        return initial

    def data_object(self) -> MeetingData:
        data = self.cleaned_data
        return MeetingData(
            kind=data["kind"],
            scope=data["scope"],
            format=data["format"],
            titles={lang: data.get(f"title_{lang}") or "" for lang in ("ar", "fr", "en")},
            starts_at=data["starts_at"],
            ends_at=data.get("ends_at"),
            place=data.get("place") or "",
            link=data.get("link") or "",
            capacity=data.get("capacity"),
            phase=data.get("phase"),
            region=data.get("region"),
            theme=data.get("theme"),
            outputs=data.get("outputs") or "",
        )


class RegistrationForm(forms.Form):
    name = _text(_("Your name"), 200)
    organisation = _text(_("Seat or organisation you speak for"), 300, required=False)
    organisation_kind = forms.ChoiceField(
        label=_("Kind of organisation"),
        choices=OrganisationKind.choices,
        widget=forms.Select(SELECT),
    )
    region = LabelledChoice(
        label=_("Region"),
        queryset=Region.objects.all(),
        required=False,
        widget=forms.Select(SELECT),
    )
    gender = forms.ChoiceField(
        label=_("Gender (optional)"),
        choices=[("", _("Prefer not to say")), *Gender.choices],
        required=False,
        widget=forms.Select(SELECT),
    )

    def registrant(self) -> Registrant:
        data = self.cleaned_data
        return Registrant(
            name=data["name"],
            organisation=data.get("organisation") or "",
            organisation_kind=data["organisation_kind"],
            region=data.get("region"),
            gender=data.get("gender") or "",
        )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.prefix == "walk_in":  # the secretariat registers someone else
            self.fields["name"].label = _("Name of the participant")
            gender = self.fields["gender"]
            assert isinstance(gender, forms.ChoiceField)
            gender.choices = [("", _("Not given")), *Gender.choices]


class CaptureForm(forms.Form):
    """An idea raised at a meeting, typed by the secretariat."""

    language = forms.ChoiceField(
        label=_("Language of the idea"), choices=settings.LANGUAGES, widget=forms.Select(SELECT)
    )
    title = _text(_("Title"), 200)
    problem = _text(_("The problem"), 5000, rows=3)
    solution = _text(_("Proposed solution"), 5000, rows=3)
    expected_impact = _text(_("Expected impact"), 3000, required=False, rows=2)
    theme = LabelledChoice(
        label=_("Theme"), queryset=Theme.objects.none(), required=False, widget=forms.Select(SELECT)
    )
    credited = RegistrationsChoice(
        label=_("Raised by"),
        queryset=MeetingRegistration.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    values = forms.MultipleChoiceField(
        label=_("OGP values it serves"),
        choices=list(VALUE_LABELS.items()),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, meeting: ParticipatoryMeeting, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        theme = self.fields["theme"]
        credited = self.fields["credited"]
        assert isinstance(theme, forms.ModelChoiceField)
        assert isinstance(credited, forms.ModelMultipleChoiceField)
        theme.queryset = Theme.objects.filter(process_id=meeting.process_id)
        credited.queryset = MeetingRegistration.objects.filter(meeting=meeting).order_by("name")

    def draft(self) -> ProposalDraft:
        data = self.cleaned_data
        return ProposalDraft(
            author_name="",
            language=data["language"],
            title=data["title"],
            problem=data["problem"],
            solution=data["solution"],
            expected_impact=data.get("expected_impact") or "",
            theme=data.get("theme"),
            values=[v for v in data.get("values") or [] if v in OGP_VALUES],
        )


# Prioritisation -------------------------------------------------------------------------------


class CriterionForm(forms.Form):
    name_ar = _text(_("Name (Arabic)"), 200)
    name_fr = _text(_("Name (French)"), 200, required=False)
    name_en = _text(_("Name (English)"), 200, required=False)
    weight = forms.DecimalField(
        label=_("Weight"),
        min_value=Decimal(0),
        max_value=Decimal(1000),
        max_digits=6,
        decimal_places=2,
        initial=1,
        widget=forms.NumberInput(attrs={**TEXT, "step": "0.5"}),
    )


SCORE_CHOICES = [("", "—")] + [(str(v), str(v)) for v in range(SCORE_MIN, SCORE_MAX + 1)]


class ScoreForm(forms.Form):
    """One select per criterion (0–5); criteria left empty are not scored."""

    note = _text(_("Note (for the committee)"), 2000, required=False, rows=2)

    def __init__(
        self, *args: Any, criteria: list[Criterion], initial_scores: dict[int, int], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        for criterion in criteria:
            self.fields[f"criterion_{criterion.pk}"] = forms.TypedChoiceField(
                label=f"{localized(criterion, 'name')} (×{criterion.weight.normalize():f})",
                choices=SCORE_CHOICES,
                coerce=int,
                empty_value=None,
                required=False,
                initial=initial_scores.get(criterion.pk),
                widget=forms.Select(SELECT),
            )
        self.order_fields([f"criterion_{c.pk}" for c in criteria] + ["note"])

    def values(self) -> dict[int, int]:
        return {
            c.pk: self.cleaned_data[f"criterion_{c.pk}"]
            for c in self.criteria
            if self.cleaned_data.get(f"criterion_{c.pk}") is not None
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.criteria and not any(
            data.get(f"criterion_{c.pk}") is not None for c in self.criteria
        ):
            raise ValidationError(_("Give a score for at least one criterion."))
        return data


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[(str(d), ProposalStatus(d).label) for d in DECISIONS],
        widget=forms.RadioSelect,
    )
    response = _text(_("Reasoned response (published)"), 5000, rows=4)
    lead_institution = InstitutionChoice(
        label=_("Lead institution (if accepted)"),
        queryset=Institution.objects.order_by("kind", "name"),
        required=False,
        widget=forms.Select(SELECT),
    )
    merged_into = forms.IntegerField(
        label=_("Number of the proposal it is merged into (if merged)"),
        required=False,
        min_value=1,
        max_value=2**31 - 1,
        widget=forms.NumberInput(attrs=TEXT),
    )

    def __init__(self, *args: Any, proposal: Proposal, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.proposal = proposal

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        decision = data.get("decision")
        if decision == ProposalStatus.ACCEPTED and not data.get("lead_institution"):
            self.add_error("lead_institution", _("An accepted proposal needs a lead institution."))
        if decision == ProposalStatus.MERGED:
            number = data.get("merged_into")
            target = None
            if number:
                target = Proposal.objects.filter(
                    process_id=self.proposal.process_id, number=number
                ).first()
            if target is None:
                self.add_error("merged_into", _("There is no proposal with this number."))
            data["target"] = target
        return data


# Commitment cards ------------------------------------------------------------------------------


class CardCreateForm(forms.Form):
    proposals = ProposalsChoice(
        label=_("Accepted proposals it drafts (one, or a cluster)"),
        queryset=Proposal.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    lead_institution = InstitutionChoice(
        label=_("Lead institution (empty: the one the committee named)"),
        queryset=Institution.objects.order_by("kind", "name"),
        required=False,
        widget=forms.Select(SELECT),
    )
    title = _text(_("Title (empty: the first proposal's)"), 500, required=False)

    def __init__(self, *args: Any, process: Process, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["proposals"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = (
            Proposal.objects.filter(process=process, status=ProposalStatus.ACCEPTED)
            .exclude(cards__isnull=False)
            .order_by("number")
        )


TEXT_LABELS = {
    "title": _("Title"),
    "summary": _("Brief description"),
    "problem": _("Problem addressed: what is the problem?"),
    "causes": _("Causes of the problem"),
    "done_so_far": _("What has been done so far to solve it"),
    "solution": _("Proposed solution"),
    "expected_results": _("Expected results"),
    "transparency": _("How it promotes transparency"),
    "accountability": _("How it promotes accountability"),
    "participation": _("How it promotes participation"),
    "other_stakeholders": _("Other stakeholders (civil society, private sector…)"),
}


class CardForm(forms.Form):
    """The card's template fields; the milestones come in a formset beside it."""

    values = forms.MultipleChoiceField(
        label=_("OGP values"),
        choices=list(VALUE_LABELS.items()),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    start_date = PlanDateField(label=_("Start date"), required=False)
    end_date = PlanDateField(label=_("End date"), required=False)
    supporting_institutions = InstitutionsChoice(
        label=_("Supporting institutions (government, civil society)"),
        queryset=Institution.objects.order_by("kind", "name"),
        required=False,
        widget=forms.SelectMultiple(attrs={**SELECT, "size": 6}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in TEXT_FIELDS:
            self.fields[name] = _text(
                TEXT_LABELS[name],
                500 if name == "title" else 8000,
                name == "title",
                rows=0 if name == "title" else 3,
            )
        self.order_fields([*TEXT_FIELDS, "values", "start_date", "end_date"])

    @staticmethod
    def initial_from(card: CommitmentCard) -> dict[str, Any]:
        initial: dict[str, Any] = {name: getattr(card, name) for name in TEXT_FIELDS}
        initial["values"] = [name for name in OGP_VALUES if getattr(card, name)]
        initial["start_date"], initial["end_date"] = card.start_date, card.end_date
        initial["supporting_institutions"] = list(
            card.supporting_institutions.values_list("pk", flat=True)
        )
        return initial

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            raise ValidationError(_("The end date must not be before the start date."))
        return data


class MilestoneForm(forms.Form):
    title = _text(_("Milestone"), 600, required=False)
    expected_output = _text(_("Expected output"), 3000, required=False, rows=0)
    due_date = PlanDateField(label=_("Expected completion date"), required=False)
    stakeholders = _text(_("Stakeholders"), 1000, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("title") and (
            data.get("expected_output") or data.get("due_date") or data.get("stakeholders")
        ):
            self.add_error("title", _("Every milestone needs a title."))
        return data


MilestoneFormSet = forms.formset_factory(MilestoneForm, extra=2, max_num=30, validate_max=True)


def card_content(form: CardForm, milestones: Any) -> CardContent:
    data = form.cleaned_data
    return CardContent(
        texts={name: data.get(name) or "" for name in TEXT_FIELDS},
        values=[v for v in data.get("values") or [] if v in OGP_VALUES],
        start_date=data.get("start_date"),
        end_date=data.get("end_date"),
        supporting_institutions=list(data.get("supporting_institutions") or []),
        milestones=[
            MilestoneData(
                title=m.cleaned_data["title"],
                expected_output=m.cleaned_data.get("expected_output") or "",
                due_date=m.cleaned_data.get("due_date"),
                stakeholders=m.cleaned_data.get("stakeholders") or "",
            )
            for m in milestones.forms
            if getattr(m, "cleaned_data", None) and m.cleaned_data.get("title")
        ],
    )


class CardCommentForm(forms.Form):
    body = _text(_("Your comment"), 3000, rows=3)


class ReturnForm(forms.Form):
    reason = _text(_("What the card needs (written on it)"), 3000, rows=2)


# Adoption -------------------------------------------------------------------------------------


class AdoptionForm(forms.Form):
    title_ar = _text(_("Title of the plan (Arabic)"), 300)
    title_fr = _text(_("Title of the plan (French)"), 300, required=False)
    title_en = _text(_("Title of the plan (English)"), 300, required=False)
    slug = forms.SlugField(
        label=_("Short name (in the address)"),
        max_length=80,
        widget=forms.TextInput(attrs={**TEXT, "dir": "ltr"}),
    )
    ordinal = forms.IntegerField(
        label=_("Rank of the plan (1st, 2nd, 3rd…)"),
        min_value=1,
        max_value=100,
        widget=forms.NumberInput(attrs=TEXT),
    )
    period_start = PlanDateField(label=_("Period start"))
    period_end = PlanDateField(label=_("Period end"))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("period_start"), data.get("period_end")
        if start and end and end < start:
            raise ValidationError(_("The end of the period must not be before its start."))
        return data

    @staticmethod
    def initial_for(process: Process) -> dict[str, Any]:
        year = process.year + 1
        previous = process.previous_plan
        return {
            "title_ar": process.title_ar,
            "title_fr": process.title_fr,
            "title_en": process.title_en,
            "slug": f"{process.slug}-plan"[:80],
            "ordinal": (previous.ordinal + 1) if previous else 1,
            "period_start": datetime.date(year, 1, 1),
            "period_end": datetime.date(year + 1, 12, 31),
        }

    def plan(self, process: Process) -> PlanData:
        data = self.cleaned_data
        return PlanData(
            slug=data["slug"],
            ordinal=data["ordinal"],
            titles={lang: data.get(f"title_{lang}") or "" for lang in ("ar", "fr", "en")},
            period_start=data["period_start"],
            period_end=data["period_end"],
            member=(process.previous_plan.member if process.previous_plan else process.member),
        )
