"""A person's own data (see :mod:`apps.people.privacy`) and the privacy page.

Every page here is the signed-in person's own: no id in the address, so nobody reaches
another person's data."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.core.errors import ActionError, report_error
from apps.people import privacy


@login_required
def personal_data(request: HttpRequest) -> HttpResponse:
    """What the platform holds about the signed-in person, to read, download or erase."""
    return render(
        request,
        "people/personal_data.html",
        {
            "data": privacy.personal_data(request.user),
            "open_work": privacy.open_work(request.user),
        },
    )


@login_required
def personal_data_download(request: HttpRequest) -> HttpResponse:
    response = JsonResponse(
        privacy.personal_data(request.user),
        json_dumps_params={"ensure_ascii": False, "indent": 2},
    )
    response["Content-Disposition"] = 'attachment; filename="sharaka-my-data.json"'
    return response


@require_POST
@login_required
def erase(request: HttpRequest) -> HttpResponse:
    """Erase the signed-in person's account, confirmed with their password."""
    try:
        privacy.do_erase_person(acting_user=request.user, password=request.POST.get("password", ""))
    except ActionError as error:
        report_error(request, error)
        return redirect("personal_data")
    logout(request)
    messages.success(
        request,
        _("Your account was erased. What you did on the platform stays, under a pseudonym."),
    )
    return redirect("home")


def privacy_page(request: HttpRequest) -> HttpResponse:
    """What the platform collects about people, why, who sees it and for how long."""
    return render(
        request, "people/privacy.html", {"privacy_contact": settings.SHARAKA_PRIVACY_CONTACT}
    )
