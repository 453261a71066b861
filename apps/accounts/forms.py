from __future__ import annotations

from typing import Any

from allauth.account import forms as allauth_forms
from allauth.mfa.base import forms as mfa_forms
from django import forms
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _

from apps.accounts.models import User
from apps.core.once import OnceField


class ProfileForm(forms.ModelForm[User]):
    """What a person may change about themselves here: name and preferred language (the
    language of the mail the platform sends them). The e-mail address changes on
    allauth's e-mail page, which asks for the password and confirms the new address."""

    class Meta:
        model = User
        fields = ["first_name", "last_name", "preferred_language"]
        widgets = {
            "first_name": forms.TextInput(attrs={"class": "form-control"}),
            "last_name": forms.TextInput(attrs={"class": "form-control"}),
            "preferred_language": forms.Select(attrs={"class": "form-select"}),
        }


class LoginForm(allauth_forms.LoginForm):
    """allauth's sign-in, for everyone: a username (staff) or the e-mail address a
    citizen registered with."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["login"].label = _("Username or e-mail address")
        self.fields["login"].widget.attrs["autocomplete"] = "username"
        # An e-mail address has at most 254 characters (a username 150): a longer
        # value is refused before any look-up.
        self.fields["login"].max_length = 254
        self.fields["login"].widget.attrs["maxlength"] = "254"
        self.fields["login"].validators.append(MaxLengthValidator(254))


class AddEmailForm(allauth_forms.AddEmailForm):
    """allauth's new address form (the person is signed in and has just given their
    password): an address of another account, in any case, is refused in words rather
    than silently (allauth stays quiet to strangers, who never reach this form)."""

    def clean_email(self) -> str:
        value = super().clean_email()
        if User.objects.filter(email__iexact=value).exclude(pk=self.user.pk).exists():
            raise forms.ValidationError(
                _("This e-mail address is already used by another account."),
                code="email_taken",
            )
        from allauth.account.models import EmailAddress

        others = EmailAddress.objects.filter(email__iexact=value).exclude(user_id=self.user.pk)
        if others.exists():
            raise forms.ValidationError(
                _("This e-mail address is already used by another account."),
                code="email_taken",
            )
        return value

    def save(self, request: Any) -> Any:
        from allauth.account.models import EmailAddress

        # allauth takes an unverified address of the account for the one being changed
        # to, and would drop it: the current address (the secretariat's, or one reached
        # by an invitation's link) is recorded as verified and primary first.
        user = self.user
        if user.email:
            current = EmailAddress.objects.filter(user_id=user.pk, email__iexact=user.email)
            if not current.exists():
                EmailAddress.objects.create(
                    user=user, email=user.email, primary=True, verified=True
                )
            else:
                current.update(verified=True, primary=True)
        return super().save(request)


class ApiTokenForm(forms.Form):
    """A new API token: a name to recognise it by, and how long it lasts."""

    EXPIRY_CHOICES = [
        ("30", _("30 days")),
        ("90", _("90 days")),
        ("365", _("One year")),
        ("", _("Never (until revoked)")),
    ]

    form_token = OnceField()
    name = forms.CharField(
        label=_("Token name"),
        max_length=100,
        help_text=_("What the token is for, e.g. “monthly reporting script”."),
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )
    expires_in = forms.ChoiceField(
        label=_("Expires after"),
        choices=EXPIRY_CHOICES,
        required=False,
        initial="90",
        widget=forms.Select(attrs={"class": "form-select"}),
    )

    def expires_in_days(self) -> int | None:
        value = self.cleaned_data.get("expires_in") or ""
        return int(value) if value else None


class TwoFactorCodeForm(mfa_forms.AuthenticateForm):
    """allauth's two-factor code at sign-in, refused while the account or the address is
    locked out (``apps.accounts.lockout``): the code is no way around the lock. A wrong
    code counts as a failed sign-in (``apps.accounts.lockout.count_failed_code``)."""

    def clean_code(self) -> str:
        from allauth.account.adapter import get_adapter
        from allauth.core import context

        from apps.accounts.lockout import is_locked

        request = context.request
        if is_locked(request, self.user.get_username()):
            request.axes_locked_out = True
            raise get_adapter().validation_error("too_many_login_attempts")
        return str(super().clean_code())
