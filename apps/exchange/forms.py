"""Forms of the import pages."""

from __future__ import annotations

from pathlib import PurePath
from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from apps.core.forms import FactDateField
from apps.core.once import OnceField
from apps.exchange.actions import importer, is_available
from apps.exchange.models import ImportKind

DEFAULT_EXTENSIONS = (".csv", ".xlsx")


def extensions(kind: str) -> tuple[str, ...]:
    """The file extensions the importer of ``kind`` reads: its module's ``EXTENSIONS``
    (CSV and Excel when it says nothing)."""
    if not is_available(kind):
        return DEFAULT_EXTENSIONS
    return tuple(getattr(importer(kind), "EXTENSIONS", DEFAULT_EXTENSIONS))


class UploadForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("What the file holds"),
        choices=ImportKind.choices,
        initial=ImportKind.PLAN,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    file = forms.FileField(
        label=_("File"), widget=forms.ClearableFileInput(attrs={"class": "form-control"})
    )
    plan = forms.SlugField(
        label=_("Plan ID"),
        required=False,
        max_length=80,
        help_text=_("For a file that does not name its plan (Canada's tracker)."),
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )
    reported_on = FactDateField(
        label=_("Progress reported on"),
        required=False,
        help_text=_("The date the progress figures of the file are as of (today if empty)."),
    )
    token = OnceField()

    def clean_kind(self) -> str:
        kind = self.cleaned_data["kind"]
        if not is_available(kind):
            raise forms.ValidationError(_("This kind of import is not available yet."))
        return str(kind)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        upload = data.get("file")
        kind = data.get("kind")
        if upload is None or kind is None:
            return data
        limit = settings.SHARAKA_IMPORT_MAX_BYTES
        if upload.size > limit:
            self.add_error(
                "file",
                _("The file is larger than %(size)s MB.") % {"size": limit // (1024 * 1024)},
            )
        elif not upload.size:
            self.add_error("file", _("The file is empty."))
        suffix = PurePath(upload.name or "").suffix.lower()
        accepted = extensions(kind)
        if suffix not in accepted:
            self.add_error(
                "file",
                _("This kind of import reads %(extensions)s files, not “%(suffix)s”.")
                % {"extensions": ", ".join(accepted), "suffix": suffix or "?"},
            )
        return data

    def options(self) -> dict[str, Any]:
        """The importer's options (see ``report.IMPORTERS``): what the form was given."""
        options: dict[str, Any] = {}
        if self.cleaned_data.get("plan"):
            options["plan"] = self.cleaned_data["plan"]
        if self.cleaned_data.get("reported_on"):
            options["reported_on"] = self.cleaned_data["reported_on"].isoformat()
        return options


class ApplyForm(forms.Form):
    token = OnceField()
