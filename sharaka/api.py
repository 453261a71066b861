"""The public JSON API, /api/v1/ (OpenAPI at /api/v1/openapi.json)."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import ValidationError
from ninja.renderers import JSONRenderer

from apps.committees.api import router as committees_router
from apps.plans.api import router as plans_router
from apps.tracking.api import router as tracking_router


class UnicodeJSONRenderer(JSONRenderer):
    """JSON with Arabic text as is, not as \\u escapes."""

    json_dumps_params = {"ensure_ascii": False}


api = NinjaAPI(
    renderer=UnicodeJSONRenderer(),
    title="Sharaka API",
    version="1",
    description="Open data of the action plans: plans, commitments, activities, institutions.",
    urls_namespace="api",
)


@api.exception_handler(ValidationError)
def validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    return api.create_response(
        request, {"detail": "Invalid request parameters.", "errors": exc.errors}, status=422
    )


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return api.create_response(request, {"detail": "Not found."}, status=404)


api.add_router("/", plans_router)
api.add_router("/", tracking_router)
api.add_router("/", committees_router)
