"""The public search page, ``/<lang>/search/?q=``: a fixed number of queries."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from apps.search.results import MAX_QUERY_LENGTH, run


def _page_number(value: str | None) -> int:
    try:
        return max(1, min(int(value or 1), 10**6))
    except ValueError:
        return 1


def search(request: HttpRequest) -> HttpResponse:
    raw = request.GET.get("q", "")
    result = run(raw, request.GET.get("kind", ""), _page_number(request.GET.get("page")))
    return render(
        request,
        "search/results.html",
        {"search": result, "asked": bool(raw.strip()), "max_length": MAX_QUERY_LENGTH},
    )
