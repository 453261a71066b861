"""The secretariat's audit trail page (``/<lang>/audit/``): every audit row, newest
first, filtered by who, what and when, paginated in a fixed number of queries, and the
filtered rows exported as CSV or Excel (cells that would be formulas neutralised)."""

from __future__ import annotations

import csv
import datetime
import io
import json
from typing import Any

from django import forms
from django.apps import apps
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.accounts.models import User
from apps.core.forms import DateField
from apps.core.models import AuditLog
from apps.core.spreadsheets import safe_row
from apps.tracking.views import forbidden

PAGE_SIZE = 50
SELECT = {"class": "form-select"}
TEXT = {"class": "form-control"}


class AuditFilterForm(forms.Form):
    """Who, what and when (each optional; a bad value is shown on the form)."""

    who = forms.ModelChoiceField(
        label=gettext_lazy("Who"),
        queryset=User.objects.order_by("username"),
        required=False,
        widget=forms.Select(attrs=SELECT),
    )
    action = forms.CharField(
        label=gettext_lazy("Action (beginning)"),
        required=False,
        max_length=80,
        widget=forms.TextInput(attrs={**TEXT, "dir": "ltr", "placeholder": "tracking."}),
    )
    target = forms.ChoiceField(
        label=gettext_lazy("Record type"), required=False, widget=forms.Select(attrs=SELECT)
    )
    since = DateField(label=gettext_lazy("From"), required=False)
    until = DateField(label=gettext_lazy("To"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        labels = sorted(m._meta.label_lower for m in apps.get_models())
        target = self.fields["target"]
        assert isinstance(target, forms.ChoiceField)
        target.choices = [("", "—"), *((label, label) for label in labels)]
        for name in ("since", "until"):
            self.fields[name].widget.attrs.setdefault("class", "form-control")

    def rows(self) -> QuerySet[AuditLog]:
        rows = AuditLog.objects.select_related("actor").order_by("-at", "-id")
        if not self.is_bound or not self.is_valid():
            return rows
        data = self.cleaned_data
        if data.get("who"):
            rows = rows.filter(actor=data["who"])
        if data.get("action"):
            rows = rows.filter(action__startswith=data["action"])
        if data.get("target"):
            rows = rows.filter(target_type=data["target"])
        tz = timezone.get_current_timezone()
        if data.get("since"):
            start = datetime.datetime.combine(data["since"], datetime.time.min, tzinfo=tz)
            rows = rows.filter(at__gte=start)
        if data.get("until"):
            end = datetime.datetime.combine(
                data["until"] + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz
            )
            rows = rows.filter(at__lt=end)
        return rows


def _refused(request: HttpRequest) -> HttpResponse | None:
    if request.user.has_perm("people.manage"):
        return None
    return forbidden(request, _("The audit trail is for the secretariat."))


@login_required
def audit_page(request: HttpRequest) -> HttpResponse:
    if refused := _refused(request):
        return refused
    form = AuditFilterForm(request.GET or None)
    page = Paginator(form.rows(), PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "people/audit.html",
        {"form": form, "page": page, "rows": list(page.object_list), "query": query.urlencode()},
    )


def _columns() -> list[str]:
    return [
        _("When"),
        _("Who"),
        _("Action"),
        _("Record type"),
        _("Record"),
        _("Before"),
        _("After"),
    ]


def _cells(row: AuditLog) -> list[Any]:
    return safe_row(
        [
            row.at.isoformat(),
            row.actor.username if row.actor else "",
            row.action,
            row.target_type,
            row.target_id,
            json.dumps(row.before, ensure_ascii=False, sort_keys=True),
            json.dumps(row.after, ensure_ascii=False, sort_keys=True),
        ]
    )


@login_required
def audit_export(request: HttpRequest, fmt: str) -> HttpResponse:
    """The filtered rows as ``audit.csv`` or ``audit.xlsx``."""
    if refused := _refused(request):
        return refused
    rows = AuditFilterForm(request.GET or None).rows().iterator(chunk_size=2000)
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(_columns())
        for row in rows:
            writer.writerow(_cells(row))
        response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    else:
        from openpyxl import Workbook

        book = Workbook(write_only=True)
        sheet = book.create_sheet(_("Audit trail"))
        sheet.append(_columns())
        for row in rows:
            sheet.append(_cells(row))
        buffer = io.BytesIO()
        book.save(buffer)
        response = HttpResponse(
            buffer.getvalue(),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Content-Disposition"] = f'attachment; filename="audit.{fmt}"'
    return response
