"""The secretariat's people pages: the list of accounts by institution and role, a
person's page, and the forms that change their roles and institution, deactivate or
reactivate their account and end their sessions. A view parses, checks ``people.manage``,
calls one action and renders; the list costs a fixed number of queries."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.accounts.models import User
from apps.committees.models import Member
from apps.core.errors import ActionError, report_error
from apps.core.models import AuditLog
from apps.people import actions
from apps.people.forms import AccountForm, DeactivateForm, PeopleFilterForm
from apps.people.queries import people, people_list, role_labels, with_pending_work
from apps.tracking.models import FocalPointAssignment, ProgressUpdate
from apps.tracking.views import forbidden

PAGE_SIZE = 50
HISTORY_SHOWN = 20


def _history_labels() -> dict[str, str]:
    return {
        "people.change_account": _("Roles or institution changed"),
        "people.deactivate_account": _("Account deactivated"),
        "people.reactivate_account": _("Account reactivated"),
        "people.end_sessions": _("Sessions ended"),
        "people.unlock_account": _("Sign-in unlocked"),
    }


def _refused(request: HttpRequest) -> HttpResponse | None:
    if request.user.has_perm("people.manage"):
        return None
    return forbidden(request, _("The people pages are for the secretariat."))


def _person(pk: int) -> User:
    return get_object_or_404(people().select_related("institution"), pk=pk)


def _posted(request: HttpRequest) -> Any:
    """The posted data (an empty post too: a form left blank is an error to show)."""
    return request.POST if request.method == "POST" else None


@login_required
def people_page(request: HttpRequest) -> HttpResponse:
    if refused := _refused(request):
        return refused
    form = PeopleFilterForm(request.GET or None)
    filters = form.filters()
    page = Paginator(people_list(filters), PAGE_SIZE).get_page(request.GET.get("page"))
    rows = list(page.object_list)
    for person in rows:
        person.role_names = role_labels(person)  # type: ignore[attr-defined]
    page.object_list = rows
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "people/people_list.html",
        {
            "page": page,
            "people": rows,
            "form": form,
            "query": query.urlencode(),
        },
    )


@login_required
def person_page(request: HttpRequest, pk: int) -> HttpResponse:
    if refused := _refused(request):
        return refused
    person = get_object_or_404(
        with_pending_work(people()).select_related("institution").prefetch_related("groups"),
        pk=pk,
    )
    from allauth.usersessions.models import UserSession

    today = timezone.localdate()
    seats = list(
        Member.objects.filter(user=person)
        .select_related("committee", "institution")
        .order_by("-term_start", "-pk")
    )
    current_seats = {m.pk for m in Member.objects.current(today).filter(user=person)}
    assignments = list(
        FocalPointAssignment.objects.filter(user=person)
        .select_related("commitment__plan")
        .order_by("-started_on", "-pk")
    )
    return render(
        request,
        "people/person_detail.html",
        {
            "person": person,
            "roles": role_labels(person),
            "seats": [(seat, seat.pk in current_seats) for seat in seats],
            "held": [a for a in assignments if a.is_current],
            "past": [a for a in assignments if not a.is_current],
            "pending": ProgressUpdate.objects.pending()
            .filter(author=person)
            .select_related("activity__commitment")
            .order_by("submitted_at", "pk"),
            "sessions": UserSession.objects.filter(user=person).count(),
            "history": _history(person),
            "is_self": person.pk == request.user.pk,
        },
    )


def _history(person: User) -> list[AuditLog]:
    labels = _history_labels()
    rows = list(
        AuditLog.objects.filter(target_type=User._meta.label_lower, target_id=person.pk)
        .select_related("actor")
        .order_by("-at", "-pk")[:HISTORY_SHOWN]
    )
    for row in rows:
        row.label = labels.get(row.action, row.action)  # type: ignore[attr-defined]
    return rows


def _report_done(request: HttpRequest, done: list[str], success: str) -> None:
    messages.success(request, success)
    for line in done:
        messages.info(request, line)


@login_required
def person_edit(request: HttpRequest, pk: int) -> HttpResponse:
    if refused := _refused(request):
        return refused
    person = _person(pk)
    form = AccountForm(_posted(request), person=person)
    if request.method == "POST" and form.is_valid():
        try:
            done = actions.do_change_account(
                person,
                acting_user=request.user,
                roles=form.cleaned_data["roles"],
                institution=form.cleaned_data["institution"],
                successors=form.successors(),
                seat=form.new_seat(),
            )
        except ActionError as error:
            report_error(request, error)
        else:
            _report_done(request, done, _("The account was changed."))
            return redirect("person_detail", pk=person.pk)
    return render(
        request,
        "people/person_edit.html",
        {"person": person, "form": form},
        status=400 if form.is_bound else 200,
    )


@login_required
def person_deactivate(request: HttpRequest, pk: int) -> HttpResponse:
    if refused := _refused(request):
        return refused
    person = _person(pk)
    form = DeactivateForm(_posted(request), person=person)
    if request.method == "POST" and form.is_valid():
        try:
            done = actions.do_deactivate(
                person, acting_user=request.user, successors=form.successors()
            )
        except ActionError as error:
            report_error(request, error)
        else:
            _report_done(request, done, _("The account was deactivated."))
            return redirect("person_detail", pk=person.pk)
    return render(
        request,
        "people/person_deactivate.html",
        {"person": person, "form": form, "is_self": person.pk == request.user.pk},
        status=400 if form.is_bound else 200,
    )


def _post_action(request: HttpRequest, pk: int, run: Any) -> HttpResponse:
    if refused := _refused(request):
        return refused
    person = _person(pk)
    try:
        success = run(person)
    except ActionError as error:
        report_error(request, error)
    else:
        messages.success(request, success)
    return redirect("person_detail", pk=person.pk)


@login_required
@require_POST
def person_reactivate(request: HttpRequest, pk: int) -> HttpResponse:
    def run(person: User) -> str:
        actions.do_reactivate(person, acting_user=request.user)
        return _(
            "The account was reactivated. Its roles are as they were; hand commitments "
            "over again if needed."
        )

    return _post_action(request, pk, run)


@login_required
@require_POST
def person_end_sessions(request: HttpRequest, pk: int) -> HttpResponse:
    def run(person: User) -> str:
        ended = actions.do_end_sessions(person, acting_user=request.user)
        return _("Sessions ended: %(count)s.") % {"count": ended}

    return _post_action(request, pk, run)
