"""The secretariat's download of a plan's progress in Canada's tracker shape: one CSV
or Excel file per reporting period (see :func:`apps.exchange.canada.export_rows`)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from apps.exchange import canada
from apps.plans.models import ActionPlan
from apps.tracking.views import forbidden

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@login_required
@require_GET
def canada_export(request: HttpRequest, slug: str) -> HttpResponse:
    """Without ``period``: the page listing the periods to download; with ``period``
    (and ``format`` csv or xlsx): the file."""
    plan = get_object_or_404(ActionPlan, slug=slug)
    if not request.user.has_perm("exchange.export_canada", plan):
        return forbidden(request, _("Exports in the tracker's format are for the secretariat."))
    periods = canada.periods_of(plan)
    if not periods:
        raise Http404
    period = request.GET.get("period", "")
    if not period:
        return render(request, "exchange/canada_export.html", {"plan": plan, "periods": periods})
    fmt = request.GET.get("format", "csv")
    if period not in periods or fmt not in ("csv", "xlsx"):
        raise Http404
    name = f"{plan.slug}-{period}.{fmt}"
    if fmt == "xlsx":
        response = HttpResponse(canada.export_xlsx(plan, period), content_type=XLSX)
    else:
        # With a byte-order mark, so that Excel reads the French accents.
        body = "\ufeff" + canada.export_csv(plan, period)
        response = HttpResponse(body.encode("utf-8"), content_type="text/csv; charset=utf-8")
    canada.record_export(plan, period, fmt, user=request.user)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
