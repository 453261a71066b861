"""The translators' pages: the coverage of each language per kind of content, and the
side-by-side editor of one object. Each page costs a fixed number of queries."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from apps.core.errors import ActionError, report_error
from apps.tracking.views import forbidden as tracking_forbidden
from apps.translations import actions
from apps.translations.backends import get_backend, suggestion
from apps.translations.forms import CoverageFilter, TranslationForm
from apps.translations.models import TranslationState
from apps.translations.registry import SOURCE, TARGETS, Kind, kind_of, kinds
from apps.translations.status import Entry, counts, entries

LIST_LIMIT = 200


def forbidden(request: HttpRequest) -> HttpResponse:
    return tracking_forbidden(request, _("Translations are for translators and the secretariat."))


def _completed_ids(kind: Kind) -> set[int]:
    return set(kind.model._default_manager.filter(progress__gte=100).values_list("pk", flat=True))


@login_required
def coverage(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("translations.view_coverage"):
        return forbidden(request)
    form = CoverageFilter(request.GET or None)
    chosen: dict[str, Any] = form.cleaned_data if form.is_valid() else {}
    language = chosen.get("language") or TARGETS[-1]
    all_kinds = kinds()
    table = []
    listed: list[Entry] = []
    for label, kind in all_kinds.items():
        row: dict[str, Any] = {"kind": kind, "languages": []}
        for lang in TARGETS:
            found = entries(kind, lang)
            row["languages"].append(
                {"language": lang, "counts": counts(found), "total": len(found)}
            )
            if lang == language and chosen.get("kind") in ("", None, label):
                listed += _filtered(kind, found, chosen)
        table.append(row)
    missing = {
        lang: sum(
            cell["counts"][TranslationState.MISSING]
            for row in table
            for cell in row["languages"]
            if cell["language"] == lang
        )
        for lang in TARGETS
    }
    return render(
        request,
        "translations/coverage.html",
        {
            "form": form,
            "table": table,
            "targets": TARGETS,
            "missing": missing,
            "entries": listed[:LIST_LIMIT],
            "entries_count": len(listed),
            "limit": LIST_LIMIT,
            "language": language,
        },
    )


def _filtered(kind: Kind, found: list[Entry], chosen: dict[str, Any]) -> list[Entry]:
    if chosen.get("status"):
        found = [e for e in found if e.state == chosen["status"]]
    if chosen.get("completed"):
        if not kind.has_progress:
            return []
        done = _completed_ids(kind)
        found = [e for e in found if e.object_id in done]
    return found


@login_required
def edit(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    found = kind_of(kind)
    if found is None:
        raise Http404
    obj = get_object_or_404(found.model._default_manager, pk=pk)
    if not request.user.has_perm("translations.edit_translation", obj):
        return forbidden(request)
    raw = request.POST.get("language") or request.GET.get("language")
    language = raw if raw in TARGETS else TARGETS[0]
    if request.method == "POST":
        form = TranslationForm(request.POST)
        if not form.is_valid() or form.cleaned_data["field"] not in found.fields:
            return _render(request, found, obj, language, status=400)
        data = form.cleaned_data
        try:
            if data["action"] == "review":
                actions.do_review_translation(
                    obj, data["field"], data["language"], acting_user=request.user
                )
                messages.success(request, _("The translation is reviewed."))
            else:
                actions.do_save_translation(
                    obj, data["field"], data["language"], data["text"], acting_user=request.user
                )
                messages.success(request, _("The translation is saved as a draft."))
        except ActionError as error:
            report_error(request, error)
            return _render(request, found, obj, data["language"], status=400)
        url = reverse("translations:edit", args=[found.label, obj.pk])
        return redirect(f"{url}?{urlencode({'language': data['language']})}#{data['field']}")
    return _render(request, found, obj, language)


def _render(
    request: HttpRequest, kind: Kind, obj: Any, language: str, status: int = 200
) -> HttpResponse:
    rows = entries(kind, language, kind.model._default_manager.filter(pk=obj.pk))
    backend = get_backend()
    fields = [
        {
            "entry": entry,
            "may_review": bool(entry.text)
            and not entry.is_reviewed
            and request.user.has_perm("translations.review_translation", entry.row),
            "suggestion": ""
            if entry.is_reviewed
            else suggestion(backend, entry.source, SOURCE, language),
        }
        for entry in rows
    ]
    return render(
        request,
        "translations/edit.html",
        {
            "kind": kind,
            "obj": obj,
            "language": language,
            "source": SOURCE,
            "targets": TARGETS,
            "fields": fields,
        },
        status=status,
    )
