"""The public open-data page and its downloads (see :mod:`apps.exchange.opendata`).

The page is under the language prefix (``/<lang>/open-data/``); the files and the data
package are not (``/open-data/…``): their field names and codes are the same in every
language, so one address serves everyone and the package's relative paths hold.
"""

from __future__ import annotations

import json

from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    StreamingHttpResponse,
)
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_safe

from apps.exchange.models import OpenDataSettings
from apps.exchange.opendata import (
    FORMATS,
    MEDIA_TYPES,
    TABLES,
    Context,
    csv_lines,
    datapackage,
    json_chunks,
    xlsx_file,
)

# The files change with every validated figure; a short cache spares the database
# when a portal harvests them.
CACHE_CONTROL = "public, max-age=300"


def _context(request: HttpRequest) -> Context:
    return Context(base_url=request.build_absolute_uri("/").rstrip("/"))


@require_safe
def open_data(request: HttpRequest) -> HttpResponse:
    """The list of tables, each in three formats, the data package and its licence."""
    return render(
        request,
        "exchange/open_data.html",
        {
            "tables": list(TABLES.values()),
            "formats": FORMATS,
            "licence": OpenDataSettings.load(),
            "package_url": reverse("open_data_package"),
        },
    )


@require_safe
def open_data_package(request: HttpRequest) -> HttpResponse:
    """``datapackage.json``: the tables' schemas and the licence the secretariat chose."""
    package = datapackage(OpenDataSettings.load().licence(), _context(request).base_url)
    response = HttpResponse(
        json.dumps(package, ensure_ascii=False, indent=2),
        content_type="application/json",
    )
    response["Cache-Control"] = CACHE_CONTROL
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_safe
def open_data_file(request: HttpRequest, table: str, fmt: str) -> HttpResponseBase:
    """One table in one format, streamed as it is read."""
    found = TABLES.get(table)
    if found is None or fmt not in FORMATS:
        raise Http404
    context = _context(request)
    response: HttpResponseBase
    if fmt == "xlsx":
        response = FileResponse(xlsx_file(found, context), content_type=MEDIA_TYPES[fmt])
    elif fmt == "json":
        response = StreamingHttpResponse(json_chunks(found, context), content_type=MEDIA_TYPES[fmt])
    else:
        response = StreamingHttpResponse(csv_lines(found, context), content_type=MEDIA_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{table}.{fmt}"'
    response["Cache-Control"] = CACHE_CONTROL
    response["Access-Control-Allow-Origin"] = "*"
    return response
