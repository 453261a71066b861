"""Forms of the secretariat's people pages: the list's filters, a person's roles and
institution (with a successor per commitment they hold) and the deactivation."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.accounts.models import Institution, User
from apps.accounts.roles import Role
from apps.committees.models import Committee, Member, Seat
from apps.core.languages import active_language
from apps.people.actions import NewSeat, held_assignments, roles_of, successor_choices
from apps.people.queries import NO_INSTITUTION, NO_ROLE, Filters, Status
from apps.tracking.models import FocalPointAssignment

SELECT = {"class": "form-select"}


def _institutions() -> Any:
    return Institution.objects.order_by("kind", f"name_{active_language()}", "pk")


class PeopleFilterForm(forms.Form):
    """The people list's filters (every one optional; a bad value is an error shown
    on the form, and the list is shown unfiltered)."""

    q = forms.CharField(
        label=_("Name or e-mail"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"class": "form-control", "type": "search"}),
    )
    institution = forms.ChoiceField(
        label=_("Institution"), required=False, widget=forms.Select(attrs=SELECT)
    )
    role = forms.ChoiceField(label=_("Role"), required=False, widget=forms.Select(attrs=SELECT))
    status = forms.ChoiceField(
        label=_("Accounts"),
        required=False,
        choices=[
            (Status.ACTIVE, _("Active accounts")),
            (Status.INACTIVE, _("Deactivated accounts")),
            (Status.ALL, _("All accounts")),
        ],
        widget=forms.Select(attrs=SELECT),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["institution"].choices = [  # type: ignore[attr-defined]
            ("", _("All institutions")),
            *((str(i.pk), i.name) for i in _institutions()),
            (NO_INSTITUTION, _("No institution")),
        ]
        self.fields["role"].choices = [  # type: ignore[attr-defined]
            ("", _("All roles")),
            *Role.choices,
            (NO_ROLE, _("No role (citizens)")),
        ]

    def clean_q(self) -> str:
        # A NUL byte is a database error on PostgreSQL: nobody's name has one.
        return str(self.cleaned_data["q"]).replace("\x00", "").strip()

    def filters(self) -> Filters:
        if not self.is_valid():
            return Filters()
        data = self.cleaned_data
        return Filters(
            institution=data["institution"],
            role=data["role"],
            status=data["status"] or Status.ACTIVE,
            q=data["q"],
        )


def _person_label(user: User) -> str:
    return f"{user.get_full_name() or user.get_username()} — {user.institution or ''}"


class SuccessorsMixin:
    """A successor field per commitment the person holds (``successor_<commitment id>``),
    offering the commitment's other eligible focal points."""

    fields: dict[str, forms.Field]
    cleaned_data: dict[str, Any]

    def add_successors(self, person: User, *, help_text: Any) -> None:
        self.assignments: list[FocalPointAssignment] = held_assignments(person)
        for assignment in self.assignments:
            commitment = assignment.commitment
            field: forms.ModelChoiceField[User] = forms.ModelChoiceField(
                label=_("Who takes over commitment %(commitment)s")
                % {"commitment": f"{commitment.number}. {commitment.title}"},
                queryset=successor_choices(commitment, person),
                required=False,
                empty_label=_("— nobody —"),
                help_text=help_text,
                widget=forms.Select(attrs=SELECT),
            )
            field.label_from_instance = _person_label  # type: ignore[method-assign,assignment]
            self.fields[f"successor_{commitment.pk}"] = field

    def successors(self) -> dict[int, User]:
        chosen = {}
        for assignment in self.assignments:
            user = self.cleaned_data.get(f"successor_{assignment.commitment_id}")
            if user is not None:
                chosen[assignment.commitment_id] = user
        return chosen

    def successor_fields(self) -> list[Any]:
        return [self[f"successor_{a.commitment_id}"] for a in self.assignments]  # type: ignore[index]


class AccountForm(SuccessorsMixin, forms.Form):
    """A person's roles and institution; a committee seat when they join a committee; a
    successor for each commitment they could no longer answer for."""

    roles = forms.MultipleChoiceField(
        label=_("Roles"),
        choices=Role.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
    )
    institution: forms.ModelChoiceField[Institution] = forms.ModelChoiceField(
        label=_("Institution"),
        queryset=Institution.objects.none(),
        required=False,
        empty_label=_("— none —"),
        widget=forms.Select(attrs=SELECT),
    )
    committee: forms.ModelChoiceField[Committee] = forms.ModelChoiceField(
        label=_("Committee of the new seat"),
        queryset=Committee.objects.order_by("kind", "name", "pk"),
        required=False,
        help_text=_("When they become a committee member: the committee they sit on."),
        widget=forms.Select(attrs=SELECT),
    )
    seat = forms.ChoiceField(
        label=_("Seat"),
        choices=[("", "—"), *Seat.choices],
        required=False,
        widget=forms.Select(attrs=SELECT),
    )
    seat_role = forms.ChoiceField(
        label=_("Their role on the committee"),
        choices=Member.Role.choices,
        initial=Member.Role.MEMBER,
        required=False,
        widget=forms.Select(attrs=SELECT),
    )

    def __init__(self, *args: Any, person: User, **kwargs: Any) -> None:
        kwargs.setdefault(
            "initial",
            {"roles": sorted(roles_of(person)), "institution": person.institution_id},
        )
        super().__init__(*args, **kwargs)
        self.fields["institution"].queryset = _institutions()  # type: ignore[attr-defined]
        self.add_successors(
            person,
            help_text=_(
                "Needed if, after the change, they may no longer answer for it (another "
                "institution, or no longer a focal point)."
            ),
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("committee") and not data.get("seat"):
            self.add_error("seat", _("Choose the seat on the committee."))
        if data.get("seat") and not data.get("committee"):
            self.add_error("committee", _("Choose the committee of the seat."))
        return data

    def new_seat(self) -> NewSeat | None:
        committee = self.cleaned_data.get("committee")
        if committee is None:
            return None
        return NewSeat(
            committee=committee,
            seat=self.cleaned_data["seat"],
            role=self.cleaned_data.get("seat_role") or Member.Role.MEMBER,
        )


class DeactivateForm(SuccessorsMixin, forms.Form):
    """Turning an account off, confirmed; the commitments the person holds go to the
    successor chosen or wait for a hand-over."""

    confirm = forms.BooleanField(
        label=_("I understand: they can no longer sign in, and their sessions end now."),
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )

    def __init__(self, *args: Any, person: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["confirm"].error_messages["required"] = _(
            "Tick the box to confirm the deactivation."
        )
        self.add_successors(
            person,
            help_text=_("Left empty, the commitment waits for a hand-over on the dashboard."),
        )
