"""Pages of the exchange app: the secretariat's imports (upload, preview, apply,
result, past imports), the plan sheet's template and a plan's export. Each page costs a
fixed number of queries: a job's report is one JSON field, paginated in Python."""

from __future__ import annotations

import io
import tempfile
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.core.errors import ActionError, report_error
from apps.core.files import serve_file
from apps.core.languages import active_language
from apps.exchange import actions, plan_sheet
from apps.exchange.forms import ApplyForm, UploadForm
from apps.exchange.models import ImportJob
from apps.exchange.report import Outcome
from apps.plans.models import ActionPlan

ROWS_PER_PAGE = 100
ERRORS_SHOWN = 500
FORMATS = ("xlsx", "csv")


def forbidden(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "exchange/forbidden.html",
        {"message": _("Only the secretariat imports and exports plans.")},
        status=403,
    )


@login_required
def imports(request: HttpRequest) -> HttpResponse:
    """The upload form and the past imports."""
    if not request.user.has_perm("exchange.import"):
        return forbidden(request)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            job = actions.do_upload_import(
                form.cleaned_data["kind"],
                form.cleaned_data["file"],
                acting_user=request.user,
                language=active_language(),
                options=form.options(),
                token=form.cleaned_data["token"],
            )
        except ActionError as error:
            report_error(request, error)
        else:
            return redirect(job)
    jobs = ImportJob.objects.select_related("created_by").defer("preview", "result")[:50]
    return render(
        request,
        "exchange/imports.html",
        {"form": form, "jobs": jobs, "formats": FORMATS},
        status=400 if form.errors else 200,
    )


@login_required
def import_job(request: HttpRequest, pk: int) -> HttpResponse:
    """One import: its progress while checked or applied (the page looks again by
    itself), then its preview with the apply button, or its result."""
    if not request.user.has_perm("exchange.import"):
        return forbidden(request)
    job = get_object_or_404(ImportJob.objects.select_related("created_by", "applied_by"), pk=pk)
    report = job.report()
    context: dict[str, Any] = {"job": job, "report": report}
    if report is not None:
        counts = report.counts()
        errors = list(report.errors)
        rows = Paginator(report.rows, ROWS_PER_PAGE).get_page(request.GET.get("page"))
        labels = dict(Outcome.choices)
        context.update(
            counts=[(label, counts[value], value) for value, label in Outcome.choices],
            errors=errors[:ERRORS_SHOWN],
            errors_left=max(0, len(errors) - ERRORS_SHOWN),
            rows=rows,
            shown=[(r.row, r.outcome, labels.get(r.outcome, ""), r.label) for r in rows],
            apply_form=ApplyForm() if job.is_previewed and report.ok else None,
        )
    return render(request, "exchange/import_job.html", context)


def import_file(request: HttpRequest, pk: int) -> HttpResponseBase:
    """The file uploaded for an import, to those who import (``exchange.import``); to
    anyone else, a 404: nobody else knows it exists."""
    if not request.user.has_perm("exchange.import"):
        raise Http404
    job = get_object_or_404(ImportJob, pk=pk)
    return serve_file(request, job.file, filename=job.file_name or "import")


@login_required
@require_POST
def import_apply(request: HttpRequest, pk: int) -> HttpResponse:
    if not request.user.has_perm("exchange.import"):
        return forbidden(request)
    job = get_object_or_404(ImportJob, pk=pk)
    form = ApplyForm(request.POST)
    if not form.is_valid():
        return redirect(job)
    try:
        actions.do_apply_import(job, acting_user=request.user, token=form.cleaned_data["token"])
    except ActionError as error:
        report_error(request, error)
    return redirect(job)


def _file(fmt: str, name: str, write: Any) -> FileResponse:
    """A sheet written to a temporary file (Excel's write-only mode needs one; memory
    stays bounded), streamed from there."""
    # Closed by the response once sent.
    out = tempfile.TemporaryFile()  # noqa: SIM115
    if fmt == "xlsx":
        write(out)
    else:
        text = io.TextIOWrapper(out, encoding="utf-8", newline="", write_through=True)
        write(text)
        text.flush()
        text.detach()
    out.seek(0)
    content_type = (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        if fmt == "xlsx"
        else "text/csv; charset=utf-8"
    )
    return FileResponse(out, as_attachment=True, filename=name, content_type=content_type)


def _format(request: HttpRequest) -> str | None:
    fmt = request.GET.get("format", "xlsx")
    return fmt if fmt in FORMATS else None


@login_required
def plan_template(request: HttpRequest) -> HttpResponseBase:
    """The plan sheet's headers in the reader's language, nothing else."""
    if not request.user.has_perm("exchange.import"):
        return forbidden(request)
    fmt = _format(request)
    if fmt is None:
        return HttpResponse(status=404)
    writer = plan_sheet.write_xlsx if fmt == "xlsx" else plan_sheet.write_csv
    name = f"sharaka-plan-template-{active_language()}.{fmt}"
    return _file(fmt, name, lambda out: writer(out, []))


@login_required
def plan_export(request: HttpRequest, slug: str) -> HttpResponseBase:
    """The plan's sheet: what an import reads back into the same plan."""
    plan = get_object_or_404(ActionPlan, slug=slug)
    if not request.user.has_perm("exchange.export_plan", plan):
        return forbidden(request)
    fmt = _format(request)
    if fmt is None:
        return HttpResponse(status=404)
    actions.do_export_plan(plan, fmt, acting_user=request.user)
    writer = plan_sheet.write_xlsx if fmt == "xlsx" else plan_sheet.write_csv
    name = f"sharaka-{plan.slug}-{timezone.localdate():%Y-%m-%d}.{fmt}"
    return _file(fmt, name, lambda out: writer(out, plan_sheet.plan_rows(plan)))
