"""The secretariat's page of sign-in lockouts: the accounts and addresses locked out
after too many failed sign-ins, each with a button that unlocks it (``people.manage``;
``apps.people.lockouts``)."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from apps.core.errors import ActionError, report_error
from apps.people.lockouts import current_lockouts, do_unlock
from apps.tracking.views import forbidden


@login_required
def lockout_list(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("people.manage"):
        return forbidden(request, _("The people pages are for the secretariat."))
    if request.method == "POST":
        kind = request.POST.get("kind", "")[:10]
        key = request.POST.get("key", "")[:255]
        try:
            do_unlock(acting_user=request.user, kind=kind, key=key)
        except ActionError as error:
            report_error(request, error)
        else:
            messages.success(request, _("Unlocked: %(key)s can sign in again.") % {"key": key})
        return redirect("lockout_list")
    accounts, addresses = current_lockouts()
    return render(
        request,
        "people/lockouts.html",
        {
            "accounts": accounts,
            "addresses": addresses,
            "limit": settings.AXES_FAILURE_LIMIT,
            "minutes": settings.SHARAKA_LOGIN_COOLOFF_MINUTES,
        },
    )
