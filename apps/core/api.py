"""What every app's API shares: the JSON renderer, error bodies, pagination and the
``?lang=`` parameter. Each app's ``api.py`` has its own ``Router``; ``sharaka/api.py``
mounts them on one :class:`SharakaAPI`.

Every endpoint declares each status it can answer (``responses``): 200, 422 for a bad
parameter, 404 where a path names an object. ``tests/test_api_contract.py`` checks the
declarations; schemathesis checks the answers (``sharaka/tests/test_openapi_contract.py``).
"""

from __future__ import annotations

import datetime
import re
from typing import Annotated, Any

from django.core.exceptions import ImproperlyConfigured
from django.http import Http404, HttpRequest, HttpResponse
from ninja import Field, NinjaAPI, Schema
from ninja.conf import settings as ninja_settings
from ninja.errors import ValidationError
from ninja.openapi.schema import OpenAPISchema
from ninja.pagination import LimitOffsetPagination
from ninja.renderers import JSONRenderer
from pydantic import BeforeValidator

from apps.core.languages import Lang

# An offset past this is refused (422): a larger one overflows the databases' 64-bit
# OFFSET (a 500 from the driver), and no list is that long.
MAX_OFFSET = 2**62
# The largest id a path or a filter accepts (a larger one overflows the databases'
# 64-bit integers): a 404 or an empty list beyond it, never a 500.
MAX_ID = 2**62


_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _iso_date(value: Any) -> Any:
    """Only YYYY-MM-DD: pydantic would also read ``0`` or ``1e9`` as Unix time."""
    if isinstance(value, str) and not _ISO_DATE.fullmatch(value):
        raise ValueError("Expected a date as YYYY-MM-DD.")
    if isinstance(value, int | float):
        raise ValueError("Expected a date as YYYY-MM-DD.")
    return value


# A date parameter: ``2024-06-30``, nothing else.
IsoDate = Annotated[datetime.date, BeforeValidator(_iso_date)]


class Pagination(LimitOffsetPagination):
    """ninja's ``limit``/``offset`` (``NINJA_PAGINATION_*`` settings), with the offset
    bounded too. Lists answer ``{"items": [...], "count": N}``."""

    class Input(Schema):
        limit: int = Field(
            ninja_settings.PAGINATION_PER_PAGE, ge=1, le=ninja_settings.PAGINATION_MAX_LIMIT
        )
        offset: int = Field(0, ge=0, le=MAX_OFFSET)


class LangQuery(Schema):
    """``?lang=``: the language of the text fields of the answer."""

    lang: Lang = Field("ar", description="Language of the text fields: ar (default), fr, en.")


class ErrorOut(Schema):
    """The body of every error answer: what went wrong, in English."""

    detail: str = Field(..., examples=["Not found."])


class InvalidOut(ErrorOut):
    """A 422: the parameters that were refused and why (pydantic's error list)."""

    errors: list[dict[str, Any]]


def responses(ok: Any, *, not_found: bool = False) -> dict[int, Any]:
    """The responses of a read endpoint: ``ok`` (200), 422 for a bad parameter and,
    when the path names an object that may not exist, 404."""
    declared: dict[int, Any] = {200: ok, 422: InvalidOut}
    if not_found:
        declared[404] = ErrorOut
    return declared


class UnicodeJSONRenderer(JSONRenderer):
    """JSON with Arabic text as is, not as \\u escapes."""

    json_dumps_params = {"ensure_ascii": False}


class CheckedOpenAPISchema(OpenAPISchema):
    """ninja's OpenAPI document, refusing two different schemas under one name: ninja
    keeps the last one it meets, so the document would describe one of them wrongly
    (two ``ActivityOut`` once published the one without ``weight``)."""

    def add_schema_definitions(self, definitions: dict[str, Any]) -> None:
        clashes: set[str] = getattr(self, "clashes", set())
        for name, definition in definitions.items():
            if name in self.schemas and self.schemas[name] != definition:
                clashes.add(name)
        self.clashes = clashes
        super().add_schema_definitions(definitions)


def duplicate_schema_names(schema: OpenAPISchema) -> set[str]:
    return set(getattr(schema, "clashes", set()))


class SharakaAPI(NinjaAPI):
    """A ninja API with Sharaka's renderer and error bodies: 404 ``{"detail": "Not
    found."}``, 422 ``{"detail": "Invalid request parameters.", "errors": [...]}``; its
    OpenAPI document refuses two schemas under one name and adds ``info`` and
    ``servers`` read when it is asked for (``document_extra``)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("renderer", UnicodeJSONRenderer())
        super().__init__(**kwargs)
        self.add_exception_handler(ValidationError, self._invalid)
        self.add_exception_handler(Http404, self._not_found)

    def _invalid(self, request: HttpRequest, exc: Any) -> HttpResponse:
        return self.create_response(
            request, {"detail": "Invalid request parameters.", "errors": exc.errors}, status=422
        )

    def _not_found(self, request: HttpRequest, exc: Any) -> HttpResponse:
        return self.create_response(request, {"detail": "Not found."}, status=404)

    def document_extra(self) -> dict[str, Any]:
        """Top-level entries of the OpenAPI document computed per request (``info``
        entries are merged into ``info``). Override to add the licence, servers…"""
        return {}

    def get_openapi_schema(
        self, *, path_prefix: str | None = None, path_params: dict[str, Any] | None = None
    ) -> OpenAPISchema:
        if path_prefix is None:
            path_prefix = self.get_root_path(path_params or {})
        schema = CheckedOpenAPISchema(self, path_prefix)
        clashes = duplicate_schema_names(schema)
        if clashes:
            raise ImproperlyConfigured(
                "Two different API schemas share a name: " + ", ".join(sorted(clashes))
            )
        extra = self.document_extra()
        schema["info"].update(extra.pop("info", {}))
        schema.update(extra)
        return schema
