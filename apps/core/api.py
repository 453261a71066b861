"""What every app's API shares: the JSON renderer, error bodies, pagination and the
``?lang=`` parameter. Each app's ``api.py`` has its own ``Router``; ``sharaka/api.py``
mounts them on one :class:`SharakaAPI`.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from ninja import Field, NinjaAPI, Schema
from ninja.conf import settings as ninja_settings
from ninja.errors import ValidationError
from ninja.pagination import LimitOffsetPagination
from ninja.renderers import JSONRenderer

from apps.core.languages import Lang

# An offset past this is refused (422): a larger one overflows the databases' 64-bit
# OFFSET (a 500 from the driver), and no list is that long.
MAX_OFFSET = 2**62


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


class UnicodeJSONRenderer(JSONRenderer):
    """JSON with Arabic text as is, not as \\u escapes."""

    json_dumps_params = {"ensure_ascii": False}


class SharakaAPI(NinjaAPI):
    """A ninja API with Sharaka's renderer and error bodies: 404 ``{"detail": "Not
    found."}``, 422 ``{"detail": "Invalid request parameters.", "errors": [...]}``."""

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
