"""Pages of the self-assessment reports: the list, a cycle's timeline with its versions
and the state of its generation, the secretariat's forms, downloads and diffs."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.core.errors import ActionError, report_error
from apps.core.languages import LANGUAGES
from apps.reports import actions, consultation
from apps.reports.document import build_report, diff
from apps.reports.forms import CycleCreateForm, CycleForm, StageForm
from apps.reports.models import ReportCycle, ReportFile, ReportVersion, Stage, StageKey
from apps.reports.render import render_body
from apps.reports.stages import is_open


def _require(request: HttpRequest, perm: str, obj: Any) -> None:
    if not request.user.has_perm(perm, obj):
        raise PermissionDenied


def report_list(request: HttpRequest) -> HttpResponse:
    cycles = ReportCycle.objects.select_related("plan").order_by("-year", "pk")
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
        ReportCycle.objects.select_related("plan", "snapshot__meeting__committee"), pk=pk
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
    body = ""
    if versions:
        body = render_body(build_report(versions[0].content, get_language() or "ar"))
    return render(
        request,
        "reports/report_detail.html",
        {
            "cycle": cycle,
            "stages": stages,
            "current": current,
            "versions": versions,
            "job": job,
            "running": job is not None and job.is_under_way,
            "body": body,
            "can_manage": request.user.has_perm("reports.change_cycle", cycle),
            "consultation": consultation.counts(cycle),
            "consultation_open": any(
                s.key == StageKey.CONSULT and is_open(s, today) for s in stages
            ),
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
