"""Forms of progress tracking. They parse and check input; actions do the writing.

Nothing is sanitised on input: text is stored as typed and escaped on output.
"""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import URLValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.accounts.models import User
from apps.core.dates import end_of_day
from apps.core.files import max_files
from apps.core.forms import DateField, DateInput, FactDateField
from apps.core.languages import LANGUAGES as LANGS
from apps.core.once import OnceField
from apps.plans.models import Commitment
from apps.tracking.actions import Report, eligible_focal_points
from apps.tracking.evidence import ACCEPT, check_evidence_file, max_bytes
from apps.tracking.models import (
    NARRATIVE_MAX_LENGTH,
    FocalPointAssignment,
    ProgressUpdate,
    ended_plan_message,
    last_reporting_day,
)

MAX_LINKS = 10
TEXT_MAX_LENGTH = 5_000
SMALL = {"class": "form-control form-control-sm"}
LANGUAGE_NAMES = {"ar": _("Arabic"), "fr": _("French"), "en": _("English")}


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; each is checked by :func:`check_evidence_file`."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ACCEPT}))
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[tuple[UploadedFile, str]]:
        files = [f for f in (data if isinstance(data, list | tuple) else [data]) if f]
        if len(files) > max_files():
            raise ValidationError(
                _("At most %(n)s files per update."), code="too_many", params={"n": max_files()}
            )
        errors: list[ValidationError] = []
        checked: list[tuple[UploadedFile, str]] = []
        for upload in files:
            try:
                checked.append((upload, check_evidence_file(upload)))
            except ValidationError as error:
                errors.append(error)
        if errors:
            raise ValidationError(errors)
        return checked


def _text_field(label: Any, required: bool, max_length: int, rows: int = 5) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        max_length=max_length,
        strip=True,
        widget=forms.Textarea(attrs={"rows": rows, "class": "form-control"}),
    )


class ProgressUpdateForm(forms.Form):
    """A focal point's report on one activity, in the language of the page; the other
    languages are optional."""

    form_token = OnceField()

    progress = forms.IntegerField(
        label=_("New progress (%)"),
        min_value=0,
        max_value=100,
        widget=forms.NumberInput(attrs={"class": "form-control", "min": 0, "max": 100}),
    )
    reported_on = FactDateField(label=_("Reporting date"))
    attachments = MultipleFileField(label=_("Evidence files"), required=False)
    links = forms.CharField(
        label=_("Evidence links"),
        required=False,
        help_text=_("One address per line (https://…)."),
        widget=forms.Textarea(attrs={"rows": 2, "class": "form-control", "dir": "ltr"}),
    )

    def __init__(
        self,
        *args: Any,
        language: str,
        plan: Any,
        oversized: list[str] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.language = self._main_language(language if language in LANGS else "ar")
        self.oversized = oversized or []
        self.plan = plan
        self.fields["reported_on"].initial = last_reporting_day(plan)
        self.fields["reported_on"].plan = plan  # type: ignore[attr-defined]
        for lang in (self.language, *[code for code in LANGS if code != self.language]):
            main = lang == self.language
            label: Any = LANGUAGE_NAMES[lang]
            if main:
                label = (
                    _("Narrative")
                    if lang == language
                    else _("Narrative (%(language)s)") % {"language": label}
                )
            # No single language is required: one narrative in any language suffices
            # (checked in ``clean``), the others are translations.
            field = _text_field(label, False, NARRATIVE_MAX_LENGTH, rows=6 if main else 3)
            field.widget.attrs.update({"lang": lang, "dir": "rtl" if lang == "ar" else "ltr"})
            if main:
                field.help_text = _("One language is enough; the others are translations.")
            self.fields[f"narrative_{lang}"] = field
        self.fields["attachments"].widget.attrs["class"] = "form-control"
        self.fields["attachments"].help_text = _(
            "PDF, DOCX, XLSX, ODT or images; at most 10 MB each."
        )

    def _main_language(self, page_language: str) -> str:
        """The language of the big narrative box: the page's, unless the update being
        edited has no narrative in it but has one in another language (a returned update
        written in Arabic, edited from the French page, shows its Arabic narrative)."""
        given = [
            lang
            for lang in LANGS
            if str(
                (self.data if self.is_bound else self.initial).get(f"narrative_{lang}") or ""
            ).strip()
        ]
        if not given or page_language in given:
            return page_language
        original = self.initial.get("language")
        return original if original in given else given[0]

    @property
    def translation_fields(self) -> list[forms.BoundField]:
        return [self[f"narrative_{lang}"] for lang in LANGS if lang != self.language]

    @property
    def main_narrative(self) -> forms.BoundField:
        return self[f"narrative_{self.language}"]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not any(cleaned.get(f"narrative_{lang}") for lang in LANGS):
            self.add_error(
                f"narrative_{self.language}",
                ValidationError(
                    _("Write the narrative in at least one language."), code="required"
                ),
            )
        for name in self.oversized:
            # Dropped while uploading (apps.tracking.uploads): too large to keep.
            self.add_error(
                "attachments",
                ValidationError(
                    _("“%(name)s” is larger than %(max)s MB."),
                    code="size",
                    params={"name": name, "max": max_bytes() // (1024 * 1024)},
                ),
            )
        return cleaned

    @property
    def ended_notice(self) -> str:
        """What to say above the form when the plan has ended (empty while it runs)."""
        return ended_plan_message(self.plan) if self.plan.has_ended else ""

    def clean_reported_on(self) -> datetime.date:
        value: datetime.date = self.cleaned_data["reported_on"]
        if value > timezone.localdate():
            raise ValidationError(_("The reporting date cannot be in the future."))
        if value > last_reporting_day(self.plan):
            raise ValidationError(ended_plan_message(self.plan))
        return value

    def clean_links(self) -> list[str]:
        lines = [line.strip() for line in self.cleaned_data["links"].splitlines() if line.strip()]
        if len(lines) > MAX_LINKS:
            raise ValidationError(_("At most %(n)s links."), params={"n": MAX_LINKS})
        validate = URLValidator(schemes=["http", "https"])
        for line in lines:
            if len(line) > 1000:
                raise ValidationError(_("A link is too long."))
            try:
                validate(line)
            except ValidationError as error:
                raise ValidationError(
                    _("“%(link)s” is not a valid web address."), params={"link": line[:100]}
                ) from error
        return lines

    def report(self) -> Report:
        data = self.cleaned_data
        return Report(
            progress=data["progress"],
            reported_on=data["reported_on"],
            language=self.language,
            narratives={lang: data.get(f"narrative_{lang}", "") for lang in LANGS},
            files=data["attachments"],
            links=data["links"],
        )

    @classmethod
    def initial_from(cls, update: ProgressUpdate) -> dict[str, Any]:
        initial: dict[str, Any] = {
            "progress": update.progress,
            "reported_on": update.reported_on,
            "language": update.language,
        }
        initial.update(
            {f"narrative_{lang}": getattr(update, f"narrative_{lang}") for lang in LANGS}
        )
        return initial


class ReasonForm(forms.Form):
    """The reason given when returning an update or deciding a change request."""

    reason = _text_field(_("Reason"), True, TEXT_MAX_LENGTH, rows=2)


class ChangeRequestForm(forms.Form):
    form_token = OnceField()
    proposed_progress = forms.IntegerField(
        label=_("Proposed progress (%)"),
        min_value=0,
        max_value=100,
        widget=forms.NumberInput(attrs={"class": "form-control", "min": 0, "max": 100}),
    )
    justification = _text_field(_("Justification"), True, TEXT_MAX_LENGTH)


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("accept", _("Accept")), ("reject", _("Reject"))],
    )
    reason = _text_field(_("Reason"), True, TEXT_MAX_LENGTH, rows=2)


class HandOverForm(forms.Form):
    """The secretariat hands a commitment over to another focal point."""

    focal_point: forms.ModelChoiceField[User] = forms.ModelChoiceField(
        label=_("New focal point"),
        queryset=User.objects.none(),
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    started_on = FactDateField(label=_("From"))
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=500,
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )

    def __init__(self, *args: Any, commitment: Commitment, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The people who may answer for it, less the one who already does.
        self.fields["focal_point"].queryset = (  # type: ignore[attr-defined]
            eligible_focal_points(commitment)
            .exclude(
                pk__in=FocalPointAssignment.objects.current()
                .filter(commitment=commitment)
                .values("user")
            )
            .select_related("institution")
            .order_by("institution", "last_name", "username")
        )
        self.fields["focal_point"].label_from_instance = (  # type: ignore[attr-defined]
            lambda u: f"{u.get_full_name() or u.username} — {u.institution}"
        )
        self.fields["started_on"].initial = timezone.localdate()
        self.fields["started_on"].plan = commitment.plan  # type: ignore[attr-defined]


class PlanChoiceForm(forms.Form):
    plan = forms.SlugField(required=False)
    # The dashboard's flags as of the end of that day (today without it).
    as_of = DateField(required=False, input_formats=["%Y-%m-%d"])

    def as_of_instant(self) -> datetime.datetime | None:
        day = self.cleaned_data.get("as_of") if self.is_valid() else None
        if day is None or day >= timezone.localdate():
            return None
        return end_of_day(day)


class ChangeRequestPeriodForm(forms.Form):
    """Narrows the change requests to those proposed in a period (e.g. between two
    committee meetings; the meeting page links here with its dates)."""

    since = DateField(label=_("Proposed since"), required=False, widget=DateInput(SMALL))
    until = DateField(label=_("Proposed until"), required=False, widget=DateInput(SMALL))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("since") and data.get("until") and data["until"] < data["since"]:
            raise forms.ValidationError(_("The end of the period must not be before its start."))
        return data


class FollowForm(forms.Form):
    """A visitor's address, to follow a plan or a commitment (double opt-in)."""

    email = forms.CharField(
        label=_("Your e-mail address"),
        max_length=320,
        widget=forms.EmailInput(
            attrs={"class": "form-control", "autocomplete": "email", "dir": "ltr"}
        ),
        help_text=_(
            "We send a link to confirm it; nothing else is sent until you follow that link."
        ),
    )

    def clean_email(self) -> str:
        from apps.core.visitors import address_refusal, normalise_email

        email = normalise_email(self.cleaned_data["email"])
        refusal = address_refusal(email)
        if refusal is not None:
            raise ValidationError(refusal)
        return email
