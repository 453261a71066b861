"""Forms of the secretariat's pages. Bad input is reported on the form, never a 500."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.accounts.models import Institution
from apps.committees.models import ActionItem, AttendanceStatus, Meeting, Member, SnapshotRow
from apps.core.forms import PlanDateField, PlanDateTimeField
from apps.plans.models import Commitment

MAX_TEXT = 5000


def _style(form: forms.BaseForm) -> None:
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.CheckboxInput):
            widget.attrs["class"] = "form-check-input"
        elif isinstance(widget, forms.Select):
            widget.attrs["class"] = "form-select"
        else:
            widget.attrs["class"] = "form-control"


class MeetingForm(forms.Form):
    """Date, place, mode and opening remarks of a meeting."""

    starts_at = PlanDateTimeField(label=_("Starts at"))
    ends_at = PlanDateTimeField(label=_("Ends at"), required=False)
    place = forms.CharField(label=_("Place"), max_length=300, required=False)
    mode = forms.ChoiceField(label=_("Mode"), choices=Meeting.Mode.choices)
    opening_remarks = forms.CharField(
        label=_("Opening remarks"),
        required=False,
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args: Any, plan: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # A meeting dated year 1 or 9999 is a typo, and one the calendar feed cannot
        # hold: its times are scheduled dates of the committee's plan (apps.core.bounds).
        for name in ("starts_at", "ends_at"):
            self.fields[name].plan = plan  # type: ignore[attr-defined]
        _style(self)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("starts_at"), data.get("ends_at")
        if start and end and end < start:
            self.add_error("ends_at", _("The meeting must not end before it starts."))
        return data


class InstitutionsField(forms.ModelMultipleChoiceField[Institution]):
    """Several institutions by id. An id too large for the database is an invalid
    choice: Django passes the list to an ``IN`` lookup, which (unlike ``=``) does not
    guard against integer overflow, and the driver fails (a 500)."""

    def _check_values(self, value: Any) -> Any:
        for pk in value:
            try:
                number = int(str(pk))
            except ValueError:
                continue  # Django reports it as an invalid value
            if not -(2**63) <= number < 2**63:
                raise forms.ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": str(pk)[:40]},
                )
        return super()._check_values(value)  # type: ignore[misc]


# The order of the columns of the attendance table: the common case first.
ATTENDANCE_CHOICES = [
    (status.value, status.label)
    for status in (
        AttendanceStatus.PRESENT,
        AttendanceStatus.REMOTE,
        AttendanceStatus.EXCUSED,
        AttendanceStatus.ABSENT,
    )
]


@dataclass
class MemberRow:
    member: Member
    field: forms.BoundField
    value: str


@dataclass
class InstitutionGroup:
    label: str
    choices: list[tuple[Institution, bool]]


class AttendanceForm(forms.Form):
    """One attendance choice per member of the committee (a row of radio buttons), and
    the invited institutions (checkboxes grouped by kind).

    A member whose attendance is not recorded yet has no choice made: saving asks for
    one, rather than recording "absent" for someone nobody looked at. The page's "mark
    everyone present" button fills every row with "present" (nothing is saved until
    "Save").
    """

    invited: forms.ModelMultipleChoiceField[Institution] = InstitutionsField(
        label=_("Invited institutions"),
        queryset=Institution.objects.order_by("kind", "name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Invited institutions none of whose people attend are listed as absent."),
    )

    def __init__(
        self, *args: Any, members: list[Member], initial_statuses: dict[int, str], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.members = members
        for member in members:
            self.fields[f"member_{member.pk}"] = forms.ChoiceField(
                label=f"{member.name} — {member.organisation}",
                choices=ATTENDANCE_CHOICES,
                initial=initial_statuses.get(member.pk),
                widget=forms.RadioSelect,
                error_messages={
                    "required": _("Choose present, remote, excused or absent for %(name)s.")
                    % {"name": member.name}
                },
            )

    def statuses(self) -> dict[int, str]:
        return {m.pk: self.cleaned_data[f"member_{m.pk}"] for m in self.members}

    def member_rows(self) -> list[MemberRow]:
        rows = []
        for member in self.members:
            field = self[f"member_{member.pk}"]
            rows.append(MemberRow(member, field, str(field.value() or "")))
        return rows

    def invited_groups(self) -> list[InstitutionGroup]:
        """The institutions, by kind, each with whether its box is ticked."""
        ticked = {str(pk) for pk in (self["invited"].value() or [])}
        labels = dict(Institution.Kind.choices)
        groups: dict[str, InstitutionGroup] = {}
        for institution in self.fields["invited"].queryset:  # type: ignore[attr-defined]
            group = groups.setdefault(
                institution.kind,
                InstitutionGroup(str(labels.get(institution.kind, institution.kind)), []),
            )
            group.choices.append((institution, str(institution.pk) in ticked))
        return [groups[kind] for kind in Institution.Kind.values if kind in groups]


class FreezeSnapshotForm(forms.Form):
    """Freezing cannot be undone: the secretariat confirms it knowingly."""

    confirm = forms.BooleanField(
        label=_(
            "I understand that the snapshot cannot be changed or frozen again once it is frozen."
        ),
        error_messages={"required": _("Tick the box to confirm that the snapshot is final.")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _style(self)


class SnapshotNotesForm(forms.Form):
    """The note of every row of the snapshot, in one language."""

    def __init__(self, *args: Any, rows: list[SnapshotRow], language: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.rows = rows
        for row in rows:
            self.fields[f"note_{row.number}"] = forms.CharField(
                label=f"{row.number}. {row.title}",
                required=False,
                max_length=MAX_TEXT,
                initial=getattr(row, f"note_{language}"),
                widget=forms.Textarea(attrs={"rows": 2}),
                help_text=row.suggested_note,
            )
        _style(self)

    def notes(self) -> dict[int, str]:
        return {r.number: self.cleaned_data[f"note_{r.number}"] for r in self.rows}


class AgendaItemForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=500)
    note = forms.CharField(label=_("Note"), max_length=500, required=False)
    presenter = forms.CharField(label=_("Presenter"), max_length=300, required=False)
    shows_progress = forms.BooleanField(label=_("Show the progress table here"), required=False)
    discussion = forms.CharField(
        label=_("Discussion"),
        required=False,
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "Paragraphs separated by a blank line. A paragraph whose lines all contain "
            "“|” becomes a table (first line: the headers)."
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _style(self)

    def clean_discussion(self) -> list[dict[str, Any]]:
        text = self.cleaned_data["discussion"].replace("\r\n", "\n")
        blocks: list[dict[str, Any]] = []
        for chunk in [c.strip() for c in text.split("\n\n") if c.strip()]:
            lines = chunk.splitlines()
            if all("|" in line for line in lines) and len(lines) >= 2:
                cells = [[c.strip() for c in line.split("|")] for line in lines]
                if any(len(row) != len(cells[0]) for row in cells):
                    raise forms.ValidationError(
                        _("Every row of a table needs one cell per column.")
                    )
                blocks.append({"kind": "table", "headers": cells[0], "rows": cells[1:]})
            else:
                blocks.append({"kind": "paragraph", "text": " ".join(lines)})
        return blocks


class DecisionForm(forms.Form):
    """An agreed point, with an optional action item following from it."""

    text = forms.CharField(
        label=_("Agreed point"), max_length=MAX_TEXT, widget=forms.Textarea(attrs={"rows": 3})
    )
    action = forms.CharField(label=_("Action item"), max_length=MAX_TEXT, required=False)
    owner_institution: forms.ModelChoiceField[Institution] = forms.ModelChoiceField(
        label=_("Owner institution"), queryset=Institution.objects.all(), required=False
    )
    owner_name = forms.CharField(label=_("Owner (person)"), max_length=200, required=False)
    due_date = PlanDateField(label=_("Due date"), required=False)
    commitment: forms.ModelChoiceField[Commitment] = forms.ModelChoiceField(
        label=_("Commitment"), queryset=Commitment.objects.none(), required=False
    )

    def __init__(self, *args: Any, meeting: Meeting, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        plan_id = meeting.committee.plan_id
        self.fields["due_date"].plan = meeting.committee.plan  # type: ignore[attr-defined]
        self.fields["commitment"].queryset = Commitment.objects.filter(  # type: ignore[attr-defined]
            plan_id=plan_id
        ).order_by("number")
        _style(self)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        details = ("owner_institution", "owner_name", "due_date", "commitment")
        if not data.get("action") and any(data.get(f) for f in details):
            self.add_error("action", _("Describe the action item, or leave its details empty."))
        return data

    def action_item(self) -> dict[str, Any] | None:
        data = self.cleaned_data
        if not data.get("action"):
            return None
        return {
            "title": data["action"],
            "owner_institution": data.get("owner_institution"),
            "owner_name": data.get("owner_name") or "",
            "due_date": data.get("due_date"),
            "commitment": data.get("commitment"),
        }


class ActionItemStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=ActionItem.Status.choices)
