"""The secretariat's invitation form."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from apps.accounts.models import Institution
from apps.accounts.roles import Role
from apps.committees.models import Committee, Member, Seat
from apps.people.invitations import InvitationDraft

SELECT = {"class": "form-select"}
TEXT = {"class": "form-control"}


class InvitationForm(forms.Form):
    """Whom to invite, to what role, in which language. A focal point needs an
    institution; a committee member a committee and a seat (the action checks again)."""

    email = forms.EmailField(
        label=_("E-mail address"),
        max_length=254,
        widget=forms.EmailInput(attrs={**TEXT, "autocomplete": "off"}),
    )
    first_name = forms.CharField(
        label=_("First name"), max_length=150, widget=forms.TextInput(attrs=TEXT)
    )
    last_name = forms.CharField(
        label=_("Last name"), max_length=150, widget=forms.TextInput(attrs=TEXT)
    )
    role = forms.ChoiceField(
        label=_("Role"),
        choices=Role.choices,
        initial=Role.FOCAL_POINT,  # the usual invitation: a focal point an institution named
        widget=forms.Select(attrs=SELECT),
    )
    institution: forms.ModelChoiceField[Institution] = forms.ModelChoiceField(
        label=_("Institution"),
        queryset=Institution.objects.all(),
        required=False,
        help_text=_("Required for a focal point."),
        widget=forms.Select(attrs=SELECT),
    )
    committee: forms.ModelChoiceField[Committee] = forms.ModelChoiceField(
        label=_("Committee"),
        queryset=Committee.objects.all(),
        required=False,
        help_text=_("For a committee member: the committee, the seat and the role on it."),
        widget=forms.Select(attrs=SELECT),
    )
    seat = forms.ChoiceField(
        label=_("Seat"),
        choices=[("", "---------"), *Seat.choices],
        required=False,
        widget=forms.Select(attrs=SELECT),
    )
    member_role = forms.ChoiceField(
        label=_("Role on the committee"),
        choices=Member.Role.choices,
        initial=Member.Role.MEMBER,
        required=False,
        widget=forms.Select(attrs=SELECT),
    )
    language = forms.ChoiceField(
        label=_("Language"),
        choices=settings.LANGUAGES,
        help_text=_("The language of the mail and of the new account."),
        widget=forms.Select(attrs=SELECT),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        role = data.get("role")
        if role == Role.FOCAL_POINT and not data.get("institution") and "institution" in data:
            self.add_error("institution", _("A focal point answers for an institution: choose it."))
        if role == Role.COMMITTEE_MEMBER:
            if not data.get("committee") and "committee" in data:
                self.add_error("committee", _("Choose the committee."))
            if not data.get("seat") and "seat" in data:
                self.add_error("seat", _("Choose the seat."))
        return data

    def draft(self) -> InvitationDraft:
        data = self.cleaned_data
        member = data["role"] == Role.COMMITTEE_MEMBER
        return InvitationDraft(
            email=data["email"],
            first_name=data["first_name"],
            last_name=data["last_name"],
            role=data["role"],
            language=data["language"],
            institution=data.get("institution"),
            committee=data.get("committee") if member else None,
            seat=data.get("seat", "") if member else "",
            member_role=(data.get("member_role") or Member.Role.MEMBER) if member else "",
        )
