"""Pages of progress tracking. A view parses input, checks permission, calls one action
and renders; every list costs a fixed number of queries."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.core.errors import ActionError, report_error
from apps.core.files import serve_file
from apps.core.languages import active_language
from apps.core.links import INT, link_format
from apps.core.models import AuditLog
from apps.plans.models import ActionPlan, Activity, Commitment
from apps.tracking import actions
from apps.tracking.contacts import contact_of, sees_the_person, with_contacts
from apps.tracking.dashboard import build, to_excel
from apps.tracking.forms import (
    ChangeRequestForm,
    ChangeRequestPeriodForm,
    DecisionForm,
    HandOverForm,
    PlanChoiceForm,
    ProgressUpdateForm,
    ReasonForm,
)
from apps.tracking.models import (
    ChangeRequest,
    ChangeRequestStatus,
    Evidence,
    FocalPointAssignment,
    ProgressUpdate,
    UpdateStatus,
)
from apps.tracking.staleness import reference_for, with_activity_flags, with_commitment_flags
from apps.tracking.uploads import with_evidence_upload_limit

QUEUE_PAGE_SIZE = 50
# Commitments (with their activities) a focal point's page shows at once.
MY_PAGE_SIZE = 20
# Rows of each of the dashboard's lists shown at once.
DASHBOARD_PAGE_SIZE = 50


def forbidden(request: HttpRequest, message: str = "") -> HttpResponse:
    """A 403 page that says why, in the user's language (an action's refusal is already
    among the page's messages, see ``report_error``)."""
    return render(request, "tracking/forbidden.html", {"message": message}, status=403)


def _plan_from(request: HttpRequest) -> ActionPlan | None:
    """The plan named by ``?plan=``, the current one without it; None (a 404) for a
    value that is no slug (a NUL byte would be a database error on PostgreSQL)."""
    form = PlanChoiceForm(request.GET)
    if not form.is_valid():
        return None
    slug = form.cleaned_data["plan"]
    if slug:
        return ActionPlan.objects.filter(slug=slug[:80]).first()
    return ActionPlan.objects.current()


# Focal points -------------------------------------------------------------------------


@login_required
def my_commitments(request: HttpRequest) -> HttpResponse:
    """The commitments assigned to the focal point, their activities and flags."""
    if not request.user.has_perm("tracking.view_my_commitments"):
        return forbidden(request, _("This page is for focal points."))
    commitment_ids = FocalPointAssignment.objects.current().filter(
        user_id=int(request.user.pk or 0)
    )
    plans = list(
        ActionPlan.objects.filter(commitments__in=commitment_ids.values("commitment")).distinct()[
            :2
        ]
    )
    # Meeting dates are per plan; across several plans the fixed N-days rule applies.
    ref = reference_for(plans[0] if len(plans) == 1 else None)
    commitments = with_commitment_flags(
        Commitment.objects.for_list().filter(pk__in=commitment_ids.values("commitment")), ref
    ).prefetch_related(
        Prefetch(
            "activities",
            queryset=with_activity_flags(Activity.objects.order_by("order", "pk"), ref),
        )
    )
    open_updates = (
        ProgressUpdate.objects.filter(author_id=request.user.pk)
        .exclude(status=UpdateStatus.VALIDATED)
        .select_related("activity__commitment__plan")
        .order_by("-updated_at")[:50]
    )
    # A page of commitments at a time (``?page=``); the activities of that page only.
    page = Paginator(commitments.order_by("plan", "number"), MY_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "tracking/my_commitments.html",
        {"commitments": page.object_list, "page": page, "open_updates": open_updates},
    )


def _activity(pk: int) -> Activity:
    return get_object_or_404(
        Activity.objects.select_related("commitment__plan", "commitment__lead_institution"), pk=pk
    )


@with_evidence_upload_limit
@login_required
def report_progress(request: HttpRequest, pk: int) -> HttpResponse:
    activity = _activity(pk)
    if not request.user.has_perm("tracking.report_progress", activity):
        return forbidden(request, _("You may only report on the commitments assigned to you."))
    form = ProgressUpdateForm(
        request.POST or None,
        request.FILES or None,
        language=active_language(),
        plan=activity.commitment.plan,
        oversized=getattr(request, "oversized_uploads", []),
    )
    if request.method == "POST" and form.is_valid():
        try:
            update = actions.do_record_progress(
                activity,
                form.report(),
                acting_user=request.user,
                submit="submit" in request.POST,
                token=form.cleaned_data["form_token"],
            )
        except ActionError as error:
            report_error(request, error)
            return _form_page(request, activity, form, None, status=403)
        if update.is_submitted:
            messages.success(request, _("Your update was submitted to the secretariat."))
        else:
            messages.success(request, _("Your draft was saved."))
        return redirect(update)
    return _form_page(request, activity, form, None, status=400 if form.is_bound else 200)


def _form_page(
    request: HttpRequest,
    activity: Activity,
    form: ProgressUpdateForm,
    update: ProgressUpdate | None,
    status: int,
) -> HttpResponse:
    return render(
        request,
        "tracking/report_form.html",
        {"activity": activity, "form": form, "update": update},
        status=status,
    )


def _update(pk: int) -> ProgressUpdate:
    return get_object_or_404(ProgressUpdate.objects.for_list(), pk=pk)


def update_detail(request: HttpRequest, pk: int) -> HttpResponse:
    update = _update(pk)
    if not request.user.has_perm("tracking.view_update", update):
        raise Http404
    return render(
        request,
        "tracking/update_detail.html",
        {
            "update": update,
            # Its author as the plan lets the visitor see a focal point (contacts.py);
            # who validated it, to those who work with the secretariat.
            "author": contact_of(
                update.author, update.activity.commitment.plan, viewer=request.user
            ),
            "sees_people": sees_the_person(request.user),
            "can_edit": request.user.has_perm("tracking.change_update", update),
            "can_validate": update.is_submitted
            and request.user.has_perm("tracking.validate_update", update),
            "reason_form": ReasonForm(),
            "trail": list(
                AuditLog.objects.filter(target_type=update._meta.label_lower, target_id=update.pk)
                .select_related("actor")
                .order_by("-at", "-id")
            ),
        },
    )


@with_evidence_upload_limit
@login_required
def edit_update(request: HttpRequest, pk: int) -> HttpResponse:
    update = _update(pk)
    if not request.user.has_perm("tracking.change_update", update):
        return forbidden(request, _("This update can no longer be changed."))
    form = ProgressUpdateForm(
        request.POST or None,
        request.FILES or None,
        language=active_language(),
        plan=update.activity.commitment.plan,
        initial=ProgressUpdateForm.initial_from(update),
        oversized=getattr(request, "oversized_uploads", []),
    )
    if request.method == "POST" and form.is_valid():
        remove = _evidence_ids(request.POST.getlist("remove_evidence"))
        try:
            update = actions.do_edit_update(
                update,
                form.report(),
                acting_user=request.user,
                submit="submit" in request.POST,
                remove_evidence=remove,
            )
        except ActionError as error:
            report_error(request, error)
            return _form_page(request, update.activity, form, update, status=403)
        messages.success(
            request,
            _("Your update was submitted to the secretariat.")
            if update.is_submitted
            else _("Your draft was saved."),
        )
        return redirect(update)
    return _form_page(request, update.activity, form, update, 400 if form.is_bound else 200)


def _evidence_ids(values: list[str]) -> list[int]:
    """The evidence ticked for removal; anything but a plain id is ignored (``"²"`` passes
    ``str.isdigit`` but not ``int``, and 30 digits overflow the database's integer)."""
    return [int(v) for v in values if v.isascii() and v.isdigit() and len(v) <= 18]


@login_required
@require_POST
def submit_update(request: HttpRequest, pk: int) -> HttpResponse:
    update = _update(pk)
    try:
        actions.do_submit_update(update, acting_user=request.user)
    except ActionError as error:
        report_error(request, error)
        return forbidden(request)
    messages.success(request, _("Your update was submitted to the secretariat."))
    return redirect(update)


def evidence_file(request: HttpRequest, pk: int) -> HttpResponseBase:
    """Evidence files are served only to those who may see their update
    (``tracking.view_update``: a validated update's to everyone, a draft's to its author
    only); to anyone else, a 404."""
    evidence = get_object_or_404(Evidence.objects.select_related("update"), pk=pk)
    if not evidence.file or not request.user.has_perm("tracking.view_update", evidence.update):
        raise Http404
    return serve_file(
        request,
        evidence.file,
        filename=evidence.original_name or "evidence",
        content_type=evidence.content_type,
        private=not evidence.update.is_validated,
    )


# Secretariat ----------------------------------------------------------------------------


@login_required
def validation_queue(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("tracking.view_validation_queue"):
        return forbidden(request, _("The validation queue is for the secretariat."))
    pending = ProgressUpdate.objects.pending().for_list().order_by("submitted_at", "pk")
    page = Paginator(pending, QUEUE_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "tracking/queue.html",
        {"page": page, "updates": page.object_list, "reason_form": ReasonForm()},
    )


def _decided(request: HttpRequest, update: ProgressUpdate, error: str = "") -> HttpResponse:
    """After validating or returning: the queue row (htmx) or back to where we were."""
    if getattr(request, "htmx", False):
        update = _update(update.pk)
        # The row and, out of band, the queue's count, which the decision changed.
        return render(
            request,
            "tracking/_queue_row.html",
            {
                "u": update,
                "error": error,
                "done": not error,
                "reason_form": ReasonForm(),
                "pending_count": ProgressUpdate.objects.pending().count(),
            },
        )
    next_url = request.POST.get("next", "")
    # Django's own check (as for login's next=): "/\\evil.example" is another site to
    # some browsers, though it starts with one slash.
    local = next_url.startswith("/") and url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return redirect(next_url if local else update)


@login_required
@require_POST
def validate_update(request: HttpRequest, pk: int) -> HttpResponse:
    update = _update(pk)
    if not request.user.has_perm("tracking.view_validation_queue"):
        return forbidden(request, _("Only the secretariat validates updates."))
    try:
        actions.do_validate_update(update, acting_user=request.user)
    except ActionError as error:
        return _decided(request, update, report_error(request, error))
    messages.success(request, _("The update was validated and the figure published."))
    return _decided(request, update)


@login_required
@require_POST
def return_update(request: HttpRequest, pk: int) -> HttpResponse:
    update = _update(pk)
    if not request.user.has_perm("tracking.view_validation_queue"):
        return forbidden(request, _("Only the secretariat returns updates."))
    form = ReasonForm(request.POST)
    if not form.is_valid():
        return _decided(
            request,
            update,
            report_error(request, ActionError(_("Say why the update is returned."))),
        )
    try:
        actions.do_return_update(
            update, acting_user=request.user, reason=form.cleaned_data["reason"]
        )
    except ActionError as error:
        return _decided(request, update, report_error(request, error))
    messages.success(request, _("The update was returned to its author."))
    return _decided(request, update)


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("tracking.view_dashboard"):
        return forbidden(request, _("The dashboard is for the secretariat."))
    plan = _plan_from(request)
    if plan is None:
        raise Http404
    board = build(plan, as_of=PlanChoiceForm(request.GET).as_of_instant())
    # The counts are the whole plan's; the lists show a page each (``?stale=``,
    # ``?unassigned=``), their rows' addresses built from one reversed pattern.
    stale = Paginator(board.stale, DASHBOARD_PAGE_SIZE).get_page(request.GET.get("stale"))
    unassigned = Paginator(board.without_focal_point, DASHBOARD_PAGE_SIZE).get_page(
        request.GET.get("unassigned")
    )
    commitment_url = link_format("commitment_detail", plan.slug, INT)
    hand_over_url = link_format("tracking:hand_over", INT)
    rows: list[Any] = [*stale.object_list, *unassigned.object_list]
    for c in rows:
        c.url = commitment_url.format(c.number)
        c.hand_over_url = hand_over_url.format(c.pk)
    return render(
        request,
        "tracking/dashboard.html",
        {
            "board": board,
            "plan": plan,
            "plans": ActionPlan.objects.order_by("-period_start"),
            "stale_page": stale,
            "unassigned_page": unassigned,
            # A role's permission (tracking/rules.py): the same for every row.
            "can_hand_over": request.user.has_perm("tracking.hand_over"),
        },
    )


@login_required
def dashboard_export(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("tracking.view_dashboard"):
        return forbidden(request, _("The dashboard is for the secretariat."))
    plan = _plan_from(request)
    if plan is None:
        raise Http404
    as_of = PlanChoiceForm(request.GET).as_of_instant()
    content = to_excel(build(plan, as_of=as_of, pending_limit=None))
    response = HttpResponse(
        content,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    name = f"sharaka-{plan.slug}-{timezone.localdate():%Y-%m-%d}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
def hand_over(request: HttpRequest, pk: int) -> HttpResponse:
    commitment: Commitment = get_object_or_404(
        Commitment.objects.select_related("plan", "lead_institution").prefetch_related(
            "supporting_institutions"
        ),
        pk=pk,
    )
    if not request.user.has_perm("tracking.hand_over", commitment):
        return forbidden(request, _("Only the secretariat hands a commitment over."))
    form = HandOverForm(request.POST or None, commitment=commitment)
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_hand_over(
                commitment,
                form.cleaned_data["focal_point"],
                acting_user=request.user,
                on=form.cleaned_data["started_on"],
                note=form.cleaned_data["note"],
            )
        except ActionError as error:
            report_error(request, error)
        else:
            messages.success(request, _("The commitment was handed over."))
            return redirect(commitment)
    history = with_contacts(
        list(
            FocalPointAssignment.objects.filter(commitment=commitment)
            .select_related("user__institution", "assigned_by")
            .order_by("-started_on", "-pk")
        ),
        commitment.plan,
        viewer=request.user,
    )
    return render(
        request,
        "tracking/hand_over.html",
        {"commitment": commitment, "form": form, "history": history},
        status=400 if form.is_bound else 200,
    )


# Change requests ------------------------------------------------------------------------


@login_required
def change_request_list(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("tracking.view_change_requests"):
        return forbidden(request, _("Change requests are for the committee and the secretariat."))
    requests = ChangeRequest.objects.for_list().order_by("-created_at", "-pk")
    period = ChangeRequestPeriodForm(request.GET or None)
    if period.is_valid():
        if period.cleaned_data["since"]:
            requests = requests.filter(created_at__date__gte=period.cleaned_data["since"])
        if period.cleaned_data["until"]:
            requests = requests.filter(created_at__date__lte=period.cleaned_data["until"])
    pending = requests.filter(status=ChangeRequestStatus.PENDING)
    decided = requests.exclude(status=ChangeRequestStatus.PENDING)
    # Each list a page at a time (``?pending=``, ``?page=``), the period kept.
    pending_page = Paginator(pending, QUEUE_PAGE_SIZE).get_page(request.GET.get("pending"))
    page = Paginator(decided, QUEUE_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "tracking/change_requests.html",
        {
            "pending": pending_page.object_list,
            "pending_page": pending_page,
            "page": page,
            "decision_form": DecisionForm(),
            "period": period,
        },
    )


@login_required
def propose_change(request: HttpRequest, pk: int) -> HttpResponse:
    activity = _activity(pk)
    if not request.user.has_perm("tracking.propose_change", activity):
        return forbidden(request, _("Only committee members and the secretariat propose changes."))
    form = ChangeRequestForm(request.POST or None)
    status = 400 if form.is_bound else 200
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_propose_change(
                activity,
                acting_user=request.user,
                progress=form.cleaned_data["proposed_progress"],
                justification=form.cleaned_data["justification"],
                token=form.cleaned_data["form_token"],
            )
        except ActionError as error:
            report_error(request, error)
            status = 403
        else:
            messages.success(request, _("Your change request was recorded."))
            return redirect("tracking:change_requests")
    return render(
        request,
        "tracking/change_request_form.html",
        {"activity": activity, "form": form},
        status=status,
    )


@login_required
@require_POST
def decide_change(request: HttpRequest, pk: int) -> HttpResponse:
    change = get_object_or_404(ChangeRequest.objects.for_list(), pk=pk)
    if not request.user.has_perm("tracking.view_change_requests"):
        return forbidden(request, _("Change requests are for the committee and the secretariat."))
    form = DecisionForm(request.POST)
    error = ""
    if not form.is_valid():
        error = report_error(request, ActionError(_("Choose accept or reject and give a reason.")))
    else:
        try:
            if form.cleaned_data["decision"] == "accept":
                actions.do_accept_change(
                    change, acting_user=request.user, reason=form.cleaned_data["reason"]
                )
            else:
                actions.do_reject_change(
                    change, acting_user=request.user, reason=form.cleaned_data["reason"]
                )
        except ActionError as exc:
            error = report_error(request, exc)
    change = get_object_or_404(ChangeRequest.objects.for_list(), pk=pk)
    if getattr(request, "htmx", False):
        context: dict[str, Any] = {"r": change, "error": error, "decision_form": DecisionForm()}
        return render(request, "tracking/_change_request_row.html", context)
    if not error:
        messages.success(request, _("The decision was recorded."))
    return redirect("tracking:change_requests")
