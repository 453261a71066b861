"""The Content-Security-Policy (django-csp, ``CONTENT_SECURITY_POLICY`` in settings) and
the Permissions-Policy header.

Every page of the platform runs under the strict policy: our own scripts, stylesheets,
images and fonts only (and ``data:`` images: the authenticator's QR code), no inline
script, ``style`` attribute, ``<style>`` element or event handler, no eval. That
includes the Django admin and Swagger UI (``/api/v1/docs``): their pages hold no inline
code and their scripts style through the CSSOM, which the policy allows.
``sharaka/tests/test_csp.py`` checks the pages' HTML, ``test_csp_browser.py`` that
Chromium reports no violation. The one exception is per view: a report's standalone HTML
file, styled by its own ``<style>`` element, is served with a policy of its own that
allows that style and nothing else, in a sandbox (``apps/reports/views.py``).
A view that needs more says so with django-csp's decorators (``csp_update``), never by
loosening the setting.
"""

from __future__ import annotations

from csp.middleware import CSPMiddleware
from django.conf import settings
from django.http import HttpRequest
from django.http.response import HttpResponseBase


class SharakaCSPMiddleware(CSPMiddleware):
    def process_response(
        self, request: HttpRequest, response: HttpResponseBase
    ) -> HttpResponseBase:
        response = super().process_response(request, response)
        policy = settings.SHARAKA_PERMISSIONS_POLICY
        if policy and "Permissions-Policy" not in response:
            response["Permissions-Policy"] = policy
        return response
