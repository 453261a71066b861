"""The Content-Security-Policy (django-csp, ``CONTENT_SECURITY_POLICY`` in settings) with
its few exceptions, and the Permissions-Policy header.

Every page of the platform runs under the strict policy: our own scripts and
stylesheets only, no inline script, style attribute, ``<style>`` element or event
handler, no eval (``sharaka/tests/test_csp.py`` checks the templates' output, the browser
test the pages themselves). Two parts we do not write are given a relaxed policy by
path, and only for styles, never for scripts:

- the Django admin (``/<lang>/admin/``): its change list writes a ``<style>`` element and
  the widgets of django-modeltranslation and the admin write ``style`` attributes;
- Swagger UI (``/api/v1/docs``): its React code renders SVG and elements with ``style``
  attributes.

A report's standalone HTML file (shown in the browser, with its own ``<style>``) has
its own policy on its view (``apps/reports/views.py``).
"""

from __future__ import annotations

import re
from typing import Any

from csp.constants import UNSAFE_INLINE
from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings
from django.http import HttpRequest
from django.http.response import HttpResponseBase

# Path → directives added to the policy (django-csp's "update").
RELAXED: list[tuple[re.Pattern[str], dict[str, Any]]] = [
    (re.compile(r"^/[a-z]{2}(-[a-z]+)?/admin/"), {"style-src": [UNSAFE_INLINE]}),
    (re.compile(r"^/api/v1/docs"), {"style-src": [UNSAFE_INLINE]}),
]


def relaxation(path: str) -> dict[str, Any] | None:
    """The directives a path adds to the strict policy, if any."""
    for pattern, update in RELAXED:
        if pattern.match(path):
            return update
    return None


class SharakaCSPMiddleware(CSPMiddleware):
    def get_policy_parts(
        self,
        request: HttpRequest,
        response: HttpResponseBase,
        report_only: bool = False,
    ) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        if not report_only and parts.update is None and parts.config is None:
            parts.update = relaxation(request.path_info)
        return parts

    def process_response(
        self, request: HttpRequest, response: HttpResponseBase
    ) -> HttpResponseBase:
        response = super().process_response(request, response)
        policy = settings.SHARAKA_PERMISSIONS_POLICY
        if policy and "Permissions-Policy" not in response:
            response["Permissions-Policy"] = policy
        return response
