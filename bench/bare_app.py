"""A bare one-view Django app: the yardstick of the throughput rows of
``bench_scale.py`` (served by gunicorn like the platform, in the same run)."""

from __future__ import annotations

from django.conf import settings

settings.configure(
    DEBUG=False,
    SECRET_KEY="bench-only",
    ALLOWED_HOSTS=["*"],
    ROOT_URLCONF=__name__,
    MIDDLEWARE=[],
    INSTALLED_APPS=[],
)

from django.core.wsgi import get_wsgi_application  # noqa: E402
from django.http import HttpRequest, HttpResponse  # noqa: E402
from django.urls import path  # noqa: E402


def hello(request: HttpRequest) -> HttpResponse:
    return HttpResponse("<!doctype html><title>ok</title><p>ok</p>")


urlpatterns = [path("", hello)]
application = get_wsgi_application()
