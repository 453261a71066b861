"""The co-creation's pages: public (the process, its phases and themes, proposals,
statistics), participants' (submit, comment, support, follow, their own data) and the
secretariat's (process, phases, themes, moderation). Each view parses, checks the
permission, calls one action and renders."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Prefetch, QuerySet
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
)
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_ratelimit.core import is_ratelimited

from apps.cocreation import actions
from apps.cocreation.forms import (
    SORTS,
    CommentForm,
    MergeForm,
    PhaseForm,
    ProcessForm,
    ProposalFilter,
    ProposalForm,
    ReasonForm,
    ThemeForm,
)
from apps.cocreation.meetings import participation_figures
from apps.cocreation.models import (
    LISTED,
    Comment,
    Follow,
    Opening,
    Phase,
    Process,
    Proposal,
    ProposalAttachment,
    ProposalStatus,
    Region,
    Support,
    Theme,
)
from apps.cocreation.statistics import process_statistics
from apps.core.errors import ActionError, report_error
from apps.core.files import serve_file
from apps.tracking.uploads import with_evidence_upload_limit

PAGE_SIZE = 20


def _process(slug: str) -> Process:
    return get_object_or_404(Process.objects.with_phases(), slug=slug)


def _proposal(process: Process, number: int) -> Proposal:
    proposal = get_object_or_404(
        Proposal.objects.select_related(
            "theme", "region", "merged_into__process", "lead_institution", "meeting"
        ),
        process=process,
        number=number,
    )
    proposal.process = process  # the one with its phases prefetched
    return proposal


def _limited(request: HttpRequest, kind: str) -> bool:
    """Whether ``request`` passes the rate of ``kind`` per account or per address (both
    are counted)."""
    per_account, per_address = settings.SHARAKA_COCREATION_RATES[kind]
    by_account = is_ratelimited(
        request, group=f"cocreation.{kind}", key="user_or_ip", rate=per_account, increment=True
    )
    by_address = is_ratelimited(
        request, group=f"cocreation.{kind}.ip", key="ip", rate=per_address, increment=True
    )
    return bool(by_account or by_address)


def _too_many(request: HttpRequest) -> HttpResponse:
    return render(request, "cocreation/too_many.html", status=429)


def _back(proposal: Proposal) -> HttpResponse:
    return redirect(proposal.get_absolute_url())


# Public pages -----------------------------------------------------------------------------


def process_list(request: HttpRequest) -> HttpResponse:
    processes = Process.objects.with_phases().order_by("-year", "-pk")
    return render(request, "cocreation/process_list.html", {"processes": processes})


def _timeline(process: Process) -> list[Phase]:
    today = timezone.localdate()
    phases = process.ordered_phases()
    for phase in phases:
        phase.late = phase.is_late(today)  # type: ignore[attr-defined]
    return phases


def process_detail(request: HttpRequest, slug: str) -> HttpResponse:
    process = _process(slug)
    themes = Theme.objects.filter(process=process).order_by("order", "pk")
    return render(
        request,
        "cocreation/process_detail.html",
        {
            "process": process,
            "phases": _timeline(process),
            "open_phase": process.open_phase(),
            "themes": themes,
            "today": timezone.localdate(),
            "proposals_count": Proposal.objects.filter(process=process, status__in=LISTED).count(),
            "can_propose": request.user.has_perm("cocreation.propose", process),
            "can_manage": request.user.has_perm("cocreation.manage_process", process),
        },
    )


def _filtered(process: Process, filters: ProposalFilter) -> tuple[QuerySet[Proposal], str]:
    proposals = Proposal.objects.filter(process=process).for_list()
    filters.is_valid()
    data = getattr(filters, "cleaned_data", {})
    status = data.get("status")
    proposals = proposals.filter(status=status) if status else proposals.listed()
    if data.get("theme"):
        proposals = proposals.filter(theme_id=data["theme"])
    if data.get("region"):
        proposals = proposals.filter(region_id=data["region"])
    sort = data.get("sort") or "newest"
    if sort == "supports":
        proposals = proposals.order_by("-supports_count", "-id")
    else:
        proposals = proposals.order_by("-created_at", "-id")
    return proposals, sort


def proposal_list(request: HttpRequest, slug: str) -> HttpResponse:
    """The proposals of a process: filters by theme, region and status, sorted by date
    or by supports, paginated; a fixed number of queries whatever the number of rows."""
    process = _process(slug)
    filters = ProposalFilter(request.GET)
    proposals, sort = _filtered(process, filters)
    page = Paginator(proposals, PAGE_SIZE).get_page(
        (getattr(filters, "cleaned_data", {}) or {}).get("page") or 1
    )
    rows = list(page.object_list)
    supported: set[int] = set()
    if request.user.is_authenticated and rows:
        supported = set(
            Support.objects.filter(
                account=request.user, proposal_id__in=[p.pk for p in rows]
            ).values_list("proposal_id", flat=True)
        )
    return render(
        request,
        "cocreation/proposal_list.html",
        {
            "process": process,
            "page": page,
            "proposals": rows,
            "supported": supported,
            "filters": getattr(filters, "cleaned_data", {}),
            "themes": list(Theme.objects.filter(process=process).order_by("order", "pk")),
            "regions": list(Region.objects.all()),
            "statuses": [c for c in ProposalStatus.choices if c[0] != ProposalStatus.HIDDEN],
            "sorts": SORTS,
            "sort": sort,
            "can_propose": request.user.has_perm("cocreation.propose", process),
        },
    )


def proposal_detail(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    process = _process(slug)
    proposal = _proposal(process, number)
    return _render_proposal(request, proposal)


def _render_proposal(
    request: HttpRequest, proposal: Proposal, status: int = 200, **forms: Any
) -> HttpResponse:
    user = request.user
    comments = list(
        Comment.objects.filter(proposal=proposal, parent__isnull=True)
        .prefetch_related(Prefetch("replies", queryset=Comment.objects.order_by("created_at")))
        .order_by("created_at", "pk")
    )
    supports = follows = False
    if user.is_authenticated:
        supports = Support.objects.filter(proposal=proposal, account=user).exists()
        follows = Follow.objects.filter(proposal=proposal, account=user).exists()
    moderator = user.has_perm("cocreation.moderate", proposal)
    cards = list(
        proposal.cards.select_related("commitment__plan", "lead_institution").order_by("number")
    )
    merged_here = list(proposal.merged_proposals.select_related("process").order_by("number"))
    return render(
        request,
        "cocreation/proposal_detail.html",
        {
            "process": proposal.process,
            "proposal": proposal,
            "comments": comments,
            "attachments": list(proposal.attachments.all()),
            "supports": supports,
            "follows": follows,
            "cards": cards,
            "merged_here": merged_here,
            "can_comment": user.has_perm("cocreation.comment", proposal),
            "can_support": user.has_perm("cocreation.support", proposal),
            "can_follow": user.has_perm("cocreation.follow", proposal),
            "moderator": moderator,
            "comment_form": forms.get("comment_form") or CommentForm(),
            "hide_form": forms.get("hide_form") or ReasonForm(),
            "merge_form": forms.get("merge_form") or MergeForm(proposal=proposal),
            "is_hidden": proposal.status == ProposalStatus.HIDDEN,
            "is_merged": proposal.status == ProposalStatus.MERGED,
        },
        status=status,
    )


def attachment(request: HttpRequest, slug: str, number: int, pk: int) -> HttpResponseBase:
    """A proposal's attachment (a hidden proposal's, to the secretariat only)."""
    process = _process(slug)
    proposal = _proposal(process, number)
    if proposal.status == ProposalStatus.HIDDEN and not request.user.has_perm(
        "cocreation.moderate", proposal
    ):
        raise Http404
    item = get_object_or_404(ProposalAttachment, proposal=proposal, pk=pk)
    return serve_file(
        request,
        item.file,
        filename=item.original_name or "attachment",
        content_type=item.content_type,
        private=proposal.status == ProposalStatus.HIDDEN,
    )


def statistics(request: HttpRequest, slug: str) -> HttpResponse:
    process = _process(slug)
    return render(
        request,
        "cocreation/statistics.html",
        {
            "process": process,
            "stats": process_statistics(process),
            "figures": participation_figures(process),
        },
    )


# Participants -------------------------------------------------------------------------------


@login_required
@with_evidence_upload_limit
def proposal_new(request: HttpRequest, slug: str) -> HttpResponse:
    process = _process(slug)
    open_now = process.opens(Opening.PROPOSING)
    if request.method == "POST":
        if not request.user.has_perm("cocreation.propose", process):
            if not open_now:
                messages.error(
                    request, _("Proposals are not open: no phase under way takes proposals.")
                )
                return redirect(process.get_absolute_url())
            raise PermissionDenied
        if _limited(request, "proposal"):
            return _too_many(request)
        form = ProposalForm(request.POST, request.FILES, process=process)
        for name in getattr(request, "oversized_uploads", []):
            form.add_error(
                "attachments",
                _("“%(name)s” is larger than the limit.") % {"name": name},
            )
        if form.is_valid():
            try:
                proposal = actions.do_submit_proposal(
                    process,
                    form.draft(),
                    acting_user=request.user,
                    token=form.cleaned_data.get("token"),
                )
            except ActionError as error:
                form.add_error(None, report_error(request, error))
            else:
                messages.success(request, _("Your proposal was published. Thank you."))
                return redirect(proposal.get_absolute_url())
        status = 400
    else:
        name = request.user.get_full_name() if request.user.is_authenticated else ""
        form = ProposalForm(
            process=process,
            initial={"language": (request.LANGUAGE_CODE or "ar")[:2], "author_name": name},
        )
        status = 200
    return render(
        request,
        "cocreation/proposal_form.html",
        {"process": process, "form": form, "open_now": open_now},
        status=status,
    )


@require_POST
@login_required
def proposal_support(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    process = _process(slug)
    proposal = _proposal(process, number)
    if _limited(request, "support"):
        return _too_many(request)
    try:
        if request.POST.get("withdraw"):
            actions.do_withdraw_support(proposal, acting_user=request.user)
        else:
            actions.do_support(proposal, acting_user=request.user)
    except ActionError as error:
        report_error(request, error)
    return _back(proposal)


@require_POST
@login_required
def proposal_follow(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    process = _process(slug)
    proposal = _proposal(process, number)
    try:
        if request.POST.get("unfollow"):
            actions.do_unfollow(proposal, acting_user=request.user)
        else:
            actions.do_follow(proposal, acting_user=request.user)
    except ActionError as error:
        report_error(request, error)
    return _back(proposal)


@require_POST
@login_required
def proposal_comment(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    process = _process(slug)
    proposal = _proposal(process, number)
    if _limited(request, "comment"):
        return _too_many(request)
    form = CommentForm(request.POST)
    if not form.is_valid():
        return _render_proposal(request, proposal, status=400, comment_form=form)
    parent = None
    if form.cleaned_data.get("parent"):
        parent = Comment.objects.filter(proposal=proposal, pk=form.cleaned_data["parent"]).first()
        if parent is None:
            raise Http404
    try:
        actions.do_comment(
            proposal,
            form.cleaned_data["body"],
            acting_user=request.user,
            author_name=form.cleaned_data.get("author_name") or "",
            parent=parent,
            token=form.cleaned_data.get("token"),
        )
    except ActionError as error:
        report_error(request, error)
    return _back(proposal)


# Moderation (secretariat) -------------------------------------------------------------------


def _moderated(request: HttpRequest, slug: str, number: int) -> Proposal:
    process = _process(slug)
    proposal = _proposal(process, number)
    if not request.user.has_perm("cocreation.moderate", proposal):
        raise PermissionDenied
    return proposal


@require_POST
def proposal_hide(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    proposal = _moderated(request, slug, number)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        return _render_proposal(request, proposal, status=400, hide_form=form)
    try:
        actions.do_hide_proposal(
            proposal, reason=form.cleaned_data["reason"], acting_user=request.user
        )
    except ActionError as error:
        report_error(request, error)
    return _back(proposal)


@require_POST
def proposal_restore(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    proposal = _moderated(request, slug, number)
    try:
        actions.do_restore_proposal(proposal, acting_user=request.user)
    except ActionError as error:
        report_error(request, error)
    return _back(proposal)


@require_POST
def proposal_retain(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    proposal = _moderated(request, slug, number)
    try:
        actions.do_retain_proposal(proposal, acting_user=request.user)
    except ActionError as error:
        report_error(request, error)
    return _back(proposal)


@require_POST
def proposal_merge(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    proposal = _moderated(request, slug, number)
    form = MergeForm(request.POST, proposal=proposal)
    if not form.is_valid():
        return _render_proposal(request, proposal, status=400, merge_form=form)
    try:
        target = actions.do_merge_proposal(
            proposal,
            form.cleaned_data["target"],
            response=form.cleaned_data["response"],
            acting_user=request.user,
        )
    except ActionError as error:
        form.add_error(None, report_error(request, error))
        return _render_proposal(request, proposal, status=400, merge_form=form)
    messages.success(request, _("The proposal was merged."))
    return _back(target)


@require_POST
def comment_hide(request: HttpRequest, slug: str, number: int, pk: int) -> HttpResponse:
    proposal = _moderated(request, slug, number)
    comment = get_object_or_404(Comment, proposal=proposal, pk=pk)
    form = ReasonForm(request.POST)
    if form.is_valid():
        try:
            actions.do_hide_comment(
                comment, reason=form.cleaned_data["reason"], acting_user=request.user
            )
        except ActionError as error:
            report_error(request, error)
    else:
        messages.error(request, _("Hiding a comment needs a public reason."))
    return _back(proposal)


def moderation(request: HttpRequest, slug: str) -> HttpResponse:
    """The secretariat's list: every proposal, hidden ones included, newest first."""
    process = _process(slug)
    if not request.user.has_perm("cocreation.moderate", process):
        raise PermissionDenied
    page = Paginator(
        Proposal.objects.filter(process=process).for_list().order_by("-created_at", "-id"),
        50,
    ).get_page(request.GET.get("page"))
    return render(request, "cocreation/moderation.html", {"process": process, "page": page})


# The process and its phases (secretariat) -------------------------------------------------


def _managed(request: HttpRequest, slug: str) -> Process:
    process = _process(slug)
    if not request.user.has_perm("cocreation.manage_process", process):
        raise PermissionDenied
    return process


def process_new(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("cocreation.manage_process"):
        raise PermissionDenied
    form = ProcessForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            process = actions.do_create_process(
                slug=data["slug"],
                year=data["year"],
                titles={lang: data.get(f"title_{lang}") or "" for lang in ("ar", "fr", "en")},
                acting_user=request.user,
            )
        except ActionError as error:
            form.add_error(None, report_error(request, error))
        else:
            return redirect("cocreation:manage", process.slug)
    return render(
        request,
        "cocreation/process_form.html",
        {"form": form},
        status=400 if form.is_bound else 200,
    )


def manage(request: HttpRequest, slug: str) -> HttpResponse:
    process = _managed(request, slug)
    return render(
        request,
        "cocreation/manage.html",
        {
            "process": process,
            "phases": _timeline(process),
            "themes": Theme.objects.filter(process=process).order_by("order", "pk"),
            "today": timezone.localdate(),
        },
    )


def _phase(process: Process, order: int) -> Phase:
    for phase in process.ordered_phases():
        if phase.order == order:
            phase.process = process
            return phase
    raise Http404


def phase_plan(request: HttpRequest, slug: str, order: int) -> HttpResponse:
    process = _managed(request, slug)
    phase = _phase(process, order)
    form = PhaseForm(request.POST or None, initial=PhaseForm.initial_from(phase))
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_plan_phase(
                phase,
                planned_start=form.cleaned_data["planned_start"],
                planned_end=form.cleaned_data["planned_end"],
                openings=form.cleaned_data["openings"],
                acting_user=request.user,
            )
        except ActionError as error:
            form.add_error(None, report_error(request, error))
        else:
            return redirect("cocreation:manage", process.slug)
    return render(
        request,
        "cocreation/phase_form.html",
        {"process": process, "phase": phase, "form": form},
        status=400 if form.is_bound else 200,
    )


@require_POST
def phase_start(request: HttpRequest, slug: str, order: int) -> HttpResponse:
    process = _managed(request, slug)
    try:
        actions.do_start_phase(_phase(process, order), acting_user=request.user)
    except ActionError as error:
        report_error(request, error)
    return redirect("cocreation:manage", process.slug)


@require_POST
def phase_complete(request: HttpRequest, slug: str, order: int) -> HttpResponse:
    process = _managed(request, slug)
    try:
        actions.do_complete_phase(_phase(process, order), acting_user=request.user)
    except ActionError as error:
        report_error(request, error)
    return redirect("cocreation:manage", process.slug)


def theme_form(request: HttpRequest, slug: str, pk: int | None = None) -> HttpResponse:
    process = _managed(request, slug)
    theme = get_object_or_404(Theme, process=process, pk=pk) if pk is not None else None
    initial = {}
    if theme is not None:
        initial = {
            f"{field}_{lang}": getattr(theme, f"{field}_{lang}")
            for field in ("title", "description")
            for lang in ("ar", "fr", "en")
        }
    form = ThemeForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            actions.do_save_theme(
                process,
                titles={lang: data.get(f"title_{lang}") or "" for lang in ("ar", "fr", "en")},
                descriptions={
                    lang: data.get(f"description_{lang}") or "" for lang in ("ar", "fr", "en")
                },
                theme=theme,
                acting_user=request.user,
            )
        except ActionError as error:
            form.add_error(None, report_error(request, error))
        else:
            return redirect("cocreation:manage", process.slug)
    return render(
        request,
        "cocreation/theme_form.html",
        {"process": process, "theme": theme, "form": form},
        status=400 if form.is_bound else 200,
    )


@require_POST
def theme_agree(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    process = _managed(request, slug)
    theme = get_object_or_404(Theme, process=process, pk=pk)
    try:
        actions.do_agree_theme(theme, acting_user=request.user)
    except ActionError as error:
        report_error(request, error)
    return redirect("cocreation:manage", process.slug)
