"""Pages of the self-assessment reports: the list, a cycle's timeline with its versions
and the state of its generation, the secretariat's forms, downloads and diffs."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import F
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.core.errors import ActionError, report_error
from apps.core.languages import LANGUAGES
from apps.reports import actions
from apps.reports import publication as publishing
from apps.reports.document import build_report, diff, untranslated
from apps.reports.forms import (
    ApprovalForm,
    CycleCreateForm,
    CycleForm,
    PublishForm,
    StageForm,
    SubmissionForm,
)
from apps.reports.gaps import gap_entries
from apps.reports.models import (
    FileFormat,
    Publication,
    ReportCycle,
    ReportFile,
    ReportVersion,
    Stage,
    StageKey,
)
from apps.reports.publication import SUBMISSION_LANGUAGE, recorded
from apps.reports.render import render_body


def _require(request: HttpRequest, perm: str, obj: Any) -> None:
    if not request.user.has_perm(perm, obj):
        raise PermissionDenied


def report_list(request: HttpRequest) -> HttpResponse:
    cycles = (
        ReportCycle.objects.select_related("plan")
        .annotate(published_at=F("publication__published_at"))
        .order_by("-year", "pk")
    )
    return render(
        request,
        "reports/report_list.html",
        {"cycles": cycles, "can_add": request.user.has_perm("reports.add_cycle")},
    )


def report_create(request: HttpRequest) -> HttpResponse:
    _require(request, "reports.add_cycle", None)
    form = CycleCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            cycle = actions.do_create_cycle(
                form.cleaned_data["plan"],
                form.cleaned_data["kind"],
                form.cleaned_data["year"],
                acting_user=request.user,
                token=form.cleaned_data["token"],
            )
        except ActionError as error:
            report_error(request, error)
        else:
            messages.success(request, _("The report cycle was created with its six stages."))
            return redirect(cycle)
    return render(request, "reports/report_create.html", {"form": form})


def report_stage_plan(request: HttpRequest, pk: int) -> HttpResponse:
    stage = get_object_or_404(Stage.objects.select_related("cycle"), pk=pk)
    _require(request, "reports.move_stage", stage.cycle)
    initial = {"planned_start": stage.planned_start, "planned_end": stage.planned_end}
    form = StageForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_plan_stage(
                stage,
                form.cleaned_data["planned_start"],
                form.cleaned_data["planned_end"],
                acting_user=request.user,
            )
        except ActionError as error:
            report_error(request, error)
        else:
            messages.success(request, _("The stage's window was saved."))
            return redirect(stage.cycle)
    return render(request, "reports/stage_form.html", {"form": form, "stage": stage})


def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    cycle = get_object_or_404(
        ReportCycle.objects.select_related("plan", "snapshot__meeting__committee").select_related(
            *END_OF_CYCLE
        ),
        pk=pk,
    )
    today = timezone.localdate()
    stages = list(cycle.stages.all())
    for stage in stages:
        stage.late = stage.is_late(today)  # type: ignore[attr-defined]
    current = next((s for s in stages if s.state == "started"), None)
    versions = list(cycle.versions.prefetch_related("files").order_by("-number"))
    for version in versions:
        version.downloads = {  # type: ignore[attr-defined]
            lang: sorted(
                (f for f in version.files.all() if f.language == lang), key=lambda f: f.format
            )
            for lang in LANGUAGES
        }
    job = cycle.jobs.select_related("version").order_by("-requested_at", "-pk").first()
    end = _end_of_cycle(request, cycle, versions, stages)
    shown = end["publication"].version if end["publication"] else None
    shown = shown or (versions[0] if versions else None)
    body = ""
    if shown is not None:
        body = render_body(build_report(shown.content, get_language() or "ar"))
    return render(
        request,
        "reports/report_detail.html",
        {
            "cycle": cycle,
            "stages": stages,
            # Not "current": base.html names the language menu's entry so.
            "current_stage": current,
            "versions": versions,
            "job": job,
            "running": job is not None and job.is_under_way,
            "body": body,
            "shown": shown,
            "can_manage": request.user.has_perm("reports.change_cycle", cycle),
            **end,
        },
    )


def report_edit(request: HttpRequest, pk: int) -> HttpResponse:
    cycle = get_object_or_404(ReportCycle, pk=pk)
    _require(request, "reports.change_cycle", cycle)
    initial: dict[str, Any] = {"snapshot": cycle.snapshot_id}
    initial.update({f"lessons_{lang}": cycle.lessons(lang) for lang in LANGUAGES})
    form = CycleForm(request.POST or None, initial=initial, plan_id=cycle.plan_id)
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_edit_cycle(
                cycle,
                acting_user=request.user,
                snapshot=form.cleaned_data["snapshot"],
                lessons={lang: form.cleaned_data[f"lessons_{lang}"] for lang in LANGUAGES},
            )
        except ActionError as error:
            report_error(request, error)
        else:
            messages.success(request, _("The report was saved."))
            return redirect(cycle)
    return render(request, "reports/report_form.html", {"form": form, "cycle": cycle})


@require_POST
def report_generate(request: HttpRequest, pk: int) -> HttpResponse:
    cycle = get_object_or_404(ReportCycle, pk=pk)
    _require(request, "reports.generate_report", cycle)
    try:
        actions.do_request_generation(cycle, acting_user=request.user)
    except ActionError as error:
        report_error(request, error)
    else:
        messages.success(request, _("The report is being generated; this page shows its progress."))
    return redirect(cycle)


def _stage_action(request: HttpRequest, pk: int, action: Any, done: str) -> HttpResponse:
    stage = get_object_or_404(Stage.objects.select_related("cycle"), pk=pk)
    _require(request, "reports.move_stage", stage.cycle)
    try:
        action(stage, acting_user=request.user)
    except ActionError as error:
        report_error(request, error)
    else:
        messages.success(request, done)
    return redirect(stage.cycle)


@require_POST
def report_stage_start(request: HttpRequest, pk: int) -> HttpResponse:
    return _stage_action(request, pk, actions.do_start_stage, _("The stage has started."))


@require_POST
def report_stage_complete(request: HttpRequest, pk: int) -> HttpResponse:
    return _stage_action(request, pk, actions.do_complete_stage, _("The stage is completed."))


def report_file(request: HttpRequest, pk: int) -> FileResponse:
    item = get_object_or_404(ReportFile.objects.select_related("version__cycle"), pk=pk)
    _require(request, "reports.view_cycle", item.version.cycle)
    try:
        handle = item.file.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    name = f"report-{item.version.cycle_id}-v{item.version.number}-{item.language}.{item.format}"
    return FileResponse(handle, as_attachment=item.format != "html", filename=name)


def report_diff(request: HttpRequest, pk: int) -> HttpResponse:
    cycle = get_object_or_404(ReportCycle, pk=pk)
    _require(request, "reports.view_cycle", cycle)
    versions = {v.number: v for v in ReportVersion.objects.filter(cycle=cycle)}
    try:
        old = versions[int(request.GET.get("from", ""))]
        new = versions[int(request.GET.get("to", ""))]
    except (KeyError, ValueError, OverflowError) as error:
        raise Http404 from error
    lines = diff(old.content, new.content, get_language() or "ar")
    return render(
        request,
        "reports/report_diff.html",
        {"cycle": cycle, "old": old, "new": new, "lines": lines},
    )


# Approval, publication, submission (apps/reports/publication.py) --------------------

# What the report's pages read of the end of the cycle, joined to the cycle.
END_OF_CYCLE = (
    "approval__meeting__committee",
    "approval__version",
    "publication__version",
    "submission",
)


def _end_of_cycle(
    request: HttpRequest, cycle: ReportCycle, versions: list[ReportVersion], stages: list[Stage]
) -> dict[str, Any]:
    """The state of approval, publication and submission, the secretariat's next form
    and the English gaps of the version that counts (published, else approved, else
    the latest)."""
    user = request.user
    approval = recorded(cycle, "approval")
    publication = recorded(cycle, "publication")
    submission = recorded(cycle, "submission")
    done = {s.key for s in stages if s.completed_on is not None}
    context: dict[str, Any] = {
        "approval": approval,
        "publication": publication,
        "submission": submission,
        "meeting_visible": approval is not None
        and user.has_perm("committees.view_meeting", approval.meeting),
        "ready_for_approval": {StageKey.REVIEW, StageKey.CONSULT} <= done,
        "submitted_files": list(submission.files.order_by("language", "format"))
        if submission
        else [],
        "approval_form": None,
        "publish_form": None,
        "submission_form": None,
        "gaps": [],
        "gaps_count": 0,
        "gaps_version": None,
    }
    if approval is None and versions and user.has_perm("reports.approve_report", cycle):
        context["approval_form"] = ApprovalForm(cycle=cycle)
    elif approval and not publication and user.has_perm("reports.publish_report", cycle):
        context["publish_form"] = PublishForm()
    elif publication and not submission and user.has_perm("reports.submit_report", cycle):
        context["submission_form"] = SubmissionForm(version=publication.version)
    counted = (publication or approval).version if (publication or approval) else None
    counted = counted or (versions[0] if versions else None)
    if counted is not None and not submission and user.has_perm("reports.submit_report", cycle):
        gaps = untranslated(counted.content, SUBMISSION_LANGUAGE)
        context["gaps"] = gap_entries(counted, gaps, SUBMISSION_LANGUAGE, plan_id=cycle.plan_id)
        context["gaps_count"] = len(gaps)
        context["gaps_version"] = counted
    return context


def _end_form(
    request: HttpRequest, cycle: ReportCycle, form: Any, step: str, status: int = 200
) -> HttpResponse:
    return render(
        request,
        "reports/end_of_cycle_form.html",
        {"cycle": cycle, "form": form, "step": step},
        status=status,
    )


def _cycle_for(request: HttpRequest, pk: int, perm: str) -> ReportCycle:
    cycle = get_object_or_404(ReportCycle.objects.select_related("plan"), pk=pk)
    _require(request, perm, cycle)
    return cycle


def report_approve(request: HttpRequest, pk: int) -> HttpResponse:
    """The steering committee's approval: the version and the meeting."""
    cycle = _cycle_for(request, pk, "reports.approve_report")
    form = ApprovalForm(request.POST or None, cycle=cycle)
    if request.method != "POST":
        return _end_form(request, cycle, form, "approve")
    if form.is_valid():
        try:
            publishing.do_record_approval(
                cycle,
                version=form.cleaned_data["version"],
                meeting=form.cleaned_data["meeting"],
                acting_user=request.user,
            )
        except ActionError as error:
            report_error(request, error)
        else:
            messages.success(request, _("The steering committee's approval is recorded."))
            return redirect(cycle)
    return _end_form(request, cycle, form, "approve", status=422)


def report_publish(request: HttpRequest, pk: int) -> HttpResponse:
    """Publish the approved version, once confirmed."""
    cycle = _cycle_for(request, pk, "reports.publish_report")
    form = PublishForm(request.POST or None)
    if request.method != "POST":
        return _end_form(request, cycle, form, "publish")
    if form.is_valid():
        try:
            publishing.do_publish(cycle, acting_user=request.user)
        except ActionError as error:
            report_error(request, error)
        else:
            messages.success(request, _("The report is published."))
            return redirect("report_published", cycle.pk)
    return _end_form(request, cycle, form, "publish", status=422)


def report_submit(request: HttpRequest, pk: int) -> HttpResponse:
    """Record the submission to the OGP Support Unit."""
    cycle = _cycle_for(request, pk, "reports.submit_report")
    published = Publication.objects.filter(cycle=cycle).select_related("version").first()
    form = SubmissionForm(request.POST or None, version=published.version if published else None)
    if request.method != "POST":
        return _end_form(request, cycle, form, "submit")
    if form.is_valid():
        try:
            publishing.do_record_submission(
                cycle,
                submitted_on=form.cleaned_data["submitted_on"],
                reference=form.cleaned_data["reference"],
                files=form.cleaned_data["files_sent"],
                acting_user=request.user,
            )
        except ActionError as error:
            report_error(request, error)
        else:
            messages.success(request, _("The submission to the OGP Support Unit is recorded."))
            return redirect(cycle)
    return _end_form(request, cycle, form, "submit", status=422)


def report_published(request: HttpRequest, pk: int) -> HttpResponse:
    """The published report: when, approved where, and its files in every language."""
    cycle = get_object_or_404(ReportCycle.objects.select_related("plan", *END_OF_CYCLE), pk=pk)
    _require(request, "reports.view_cycle", cycle)
    published = recorded(cycle, "publication")
    if published is None:
        raise Http404
    approval = recorded(cycle, "approval")
    files = list(published.version.files.all())
    order = {FileFormat.PDF: 0, FileFormat.DOCX: 1, FileFormat.HTML: 2}
    downloads = [
        (
            lang,
            sorted((f for f in files if f.language == lang), key=lambda f: order.get(f.format, 9)),
        )
        for lang in LANGUAGES
    ]
    return render(
        request,
        "reports/report_published.html",
        {
            "cycle": cycle,
            "publication": published,
            "approval": approval,
            "submission": recorded(cycle, "submission"),
            "meeting_visible": approval is not None
            and request.user.has_perm("committees.view_meeting", approval.meeting),
            "downloads": downloads,
            "body": render_body(build_report(published.version.content, get_language() or "ar")),
        },
    )
