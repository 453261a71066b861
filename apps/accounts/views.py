"""The signed-in person's own pages."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import translate_url
from django.utils import translation
from django.utils.translation import gettext as _

from apps.accounts.forms import ProfileForm
from apps.accounts.models import User


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    form = ProfileForm(request.POST or None, instance=user)
    if request.method == "POST" and form.is_valid():
        form.save()
        lang = form.cleaned_data["preferred_language"]
        with translation.override(lang):
            messages.success(request, _("Your profile was saved."))
        # Show the site in the language just chosen.
        return redirect(translate_url(request.path, lang))
    return render(
        request,
        "accounts/profile.html",
        {"form": form, "roles": user.role_labels()},
        status=400 if form.is_bound else 200,
    )


class LoginView(auth_views.LoginView):
    """Signing in takes the person to the site in their preferred language."""

    def get_success_url(self) -> str:
        url = super().get_success_url()
        lang = getattr(self.request.user, "preferred_language", "")
        return str(translate_url(url, lang)) if lang else url
