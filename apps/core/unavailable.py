"""The answer when the database cannot be reached: a 503 page in the visitor's
language, which itself needs no database (no session, no user, no context
processors), with a Retry-After. Any other uncaught error keeps Django's 500 page.
Installed as ``handler500`` (sharaka/urls.py): Django calls it for an exception raised
by a view or by a middleware, while the exception is being handled."""

from __future__ import annotations

import logging
import sys

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.template import loader
from django.utils import translation
from django.views import defaults

logger = logging.getLogger(__name__)
RETRY_AFTER_SECONDS = 30


def server_error(request: HttpRequest) -> HttpResponse:
    error = sys.exc_info()[1]
    if isinstance(error, OperationalError | InterfaceError):
        return database_unavailable(request)
    return defaults.server_error(request)


def database_unavailable(request: HttpRequest) -> HttpResponse:
    logger.error("Database unavailable: %s %s", request.method, request.path)
    language = (
        translation.get_language_from_path(request.path_info)
        or translation.get_language()
        or settings.LANGUAGE_CODE
    )
    with translation.override(language):
        html = loader.get_template("503.html").render(
            {"language": language, "rtl": translation.get_language_bidi()}
        )
    response = HttpResponse(html, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response
