from __future__ import annotations

from typing import Any

from allauth.account.models import EmailAddress
from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm, SetPasswordForm
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from apps.accounts.models import User
from apps.core.once import OnceField


class ProfileForm(forms.ModelForm[User]):
    """What a person may change about themselves: name, mail and preferred language
    (the language of the mail the platform sends them)."""

    class Meta:
        model = User
        fields = ["first_name", "last_name", "email", "preferred_language"]
        widgets = {
            "first_name": forms.TextInput(attrs={"class": "form-control"}),
            "last_name": forms.TextInput(attrs={"class": "form-control"}),
            "email": forms.EmailInput(attrs={"class": "form-control", "dir": "ltr"}),
            "preferred_language": forms.Select(attrs={"class": "form-select"}),
        }


def _bootstrap(form: forms.Form) -> None:
    for field in form.fields.values():
        css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
        field.widget.attrs.setdefault("class", css)


class LoginForm(AuthenticationForm):
    """One sign-in for everyone: a username (staff) or the e-mail address a citizen
    registered with (allauth's backend takes either). A citizen whose address is not yet
    verified is asked to follow the link sent to them first."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _bootstrap(self)
        self.fields["username"].label = _("Username or e-mail address")

    def confirm_login_allowed(self, user: Any) -> None:
        super().confirm_login_allowed(user)
        addresses = EmailAddress.objects.filter(user=user)
        if addresses.exists() and not addresses.filter(verified=True).exists():
            raise forms.ValidationError(
                _("Confirm your e-mail address first: follow the link we sent you."),
                code="unverified",
            )


class ResetForm(PasswordResetForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _bootstrap(self)

    def send_mail(self, *args: Any, **kwargs: Any) -> None:
        """The reset mail goes out in the person's preferred language."""
        context = kwargs.get("context") or args[2]
        with translation.override(getattr(context["user"], "preferred_language", None)):
            super().send_mail(*args, **kwargs)


class NewPasswordForm(SetPasswordForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _bootstrap(self)


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
