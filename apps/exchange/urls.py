"""Pages of the exchange app: imports (secretariat) and the public open-data page."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
