"""Pages of the exchange app: imports (secretariat) and the public open-data page."""

from django.urls import path

from apps.exchange import canada_views

urlpatterns: list = [
    # Canada's tracker format (apps/exchange/canada.py).
    path(
        "exchange/canada/<slug:slug>/",
        canada_views.canada_export,
        name="exchange_canada_export",
    ),
]
