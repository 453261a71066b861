from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import get_language_info
from django.utils.translation import gettext_lazy as _

from apps.committees.models import Meeting, Snapshot
from apps.core.dates import date_text
from apps.core.forms import FactDateField, PlanDateField
from apps.core.once import OnceField
from apps.plans.models import ActionPlan
from apps.reports.models import (
    COMMENT_MAX_LENGTH,
    CycleKind,
    FileFormat,
    ReportCycle,
    ReportFile,
    ReportVersion,
    Resolution,
    Section,
)
from apps.reports.publication import REFERENCE_MAX_LENGTH, approval_meetings


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

    planned_start = PlanDateField(label=_("Planned start"))
    planned_end = PlanDateField(label=_("Planned end"))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("planned_start"), data.get("planned_end")
        if start and end and end < start:
            self.add_error("planned_end", _("A stage cannot end before it starts."))
        return data


# Approval, publication, submission (apps/reports/publication.py) --------------------


class VersionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return _("Version %(number)s, generated on %(date)s") % {
            "number": obj.number,
            "date": date_text(obj.generated_at),
        }


class MeetingChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.committee} — {date_text(obj.starts_at)}"


class FileChoiceField(forms.ModelMultipleChoiceField):
    def clean(self, value: Any) -> Any:
        # An id past 64 bits overflows the database driver (a 500), not a choice.
        for pk in value if isinstance(value, list | tuple) else []:
            try:
                number = int(str(pk))
            except ValueError:
                continue  # not a number at all: the parent says it is not a choice
            if not -(2**63) <= number < 2**63:
                raise forms.ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": pk},
                )
        return super().clean(value)

    def label_from_instance(self, obj: Any) -> str:
        language = get_language_info(obj.language)["name_translated"]
        return f"{language} — {obj.get_format_display()}"


class ApprovalForm(forms.Form):
    """The version the steering committee approved and the meeting where it decided."""

    version = VersionChoiceField(ReportVersion.objects.none(), label=_("Version approved"))
    meeting = MeetingChoiceField(
        Meeting.objects.none(),
        label=_("Meeting of the steering committee where it was decided"),
    )

    def __init__(self, *args: Any, cycle: ReportCycle, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        versions = cycle.versions.order_by("-number")
        self.fields["version"].queryset = versions  # type: ignore[attr-defined]
        self.fields["meeting"].queryset = approval_meetings(cycle)  # type: ignore[attr-defined]


class PublishForm(forms.Form):
    confirm = forms.BooleanField(
        label=_(
            "I confirm: the approved version becomes public and the report can no longer change."
        )
    )


class SubmissionForm(forms.Form):
    """The report sent to the OGP Support Unit: when, under which reference, which files
    of the published version."""

    submitted_on = FactDateField(label=_("Sent on"))
    reference = forms.CharField(
        label=_("Reference given by the OGP Support Unit"), max_length=REFERENCE_MAX_LENGTH
    )
    # Not "files": a form's ``files`` are its uploads.
    files_sent = FileChoiceField(
        ReportFile.objects.none(),
        label=_("Files sent"),
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, version: ReportVersion | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["files_sent"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = (
            version.files.order_by("language", "format") if version else ReportFile.objects.none()
        )
        if version is not None and not self.is_bound:
            self.initial.setdefault(
                "files_sent",
                [f.pk for f in version.files.all() if f.format == FileFormat.PDF],
            )


class CommentForm(forms.Form):
    """A visitor's comment in the public consultation: who (a name, an e-mail address to
    verify, an optional organisation), about what (a part of the report or one of the
    plan's commitments) and the text."""

    token = OnceField()
    name = forms.CharField(
        label=_("Your name"),
        max_length=120,
        widget=forms.TextInput(attrs={"class": "form-control", "autocomplete": "name"}),
    )
    email = forms.EmailField(
        label=_("Your e-mail address"),
        widget=forms.EmailInput(
            attrs={"class": "form-control", "autocomplete": "email", "dir": "ltr"}
        ),
        help_text=_("We send you a link to publish the comment. It is never shown."),
    )
    organisation = forms.CharField(
        label=_("Organisation (optional)"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"class": "form-control", "autocomplete": "organization"}),
    )
    # A commitment's title is long: the select keeps to its column (its options wrap
    # in the list the browser opens).
    about = forms.ChoiceField(
        label=_("Your comment is about"),
        widget=forms.Select(attrs={"class": "form-select text-truncate"}),
    )
    body = forms.CharField(
        label=_("Your comment"),
        widget=forms.Textarea(attrs={"rows": 6, "class": "form-control", "dir": "auto"}),
        max_length=5000,
    )

    def __init__(self, *args: Any, commitments: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices: list[tuple[str, Any]] = [
            (key, label) for key, label in Section.choices if key != Section.COMMITMENT
        ]
        # The commitments between the participation and the lessons, as in the report.
        at = [key for key, _label in choices].index(Section.LESSONS)
        choices[at:at] = [(f"{Section.COMMITMENT}:{pk}", label) for pk, label in commitments]
        field = self.fields["about"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = choices
        self.commitment_ids = {pk for pk, _label in commitments}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for name in ("name", "organisation", "body"):
            if "\x00" in data.get(name, ""):
                self.add_error(name, _("The text contains a forbidden character."))
        about = data.get("about", "")
        section, _sep, pk = about.partition(":")
        data["section"] = section
        data["commitment_id"] = int(pk) if pk.isdigit() else None
        return data


class HideForm(forms.Form):
    reason = forms.CharField(
        label=_("Public reason for hiding"), max_length=500, widget=forms.TextInput()
    )


class RespondForm(forms.Form):
    response = forms.CharField(
        label=_("Reasoned response"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000
    )


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
