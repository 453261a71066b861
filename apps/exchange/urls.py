"""Pages of the exchange app: imports (secretariat) and the public open-data page."""

from django.urls import path

from apps.exchange import canada_views, opendata_views, views

urlpatterns: list = [
    path("imports/", views.imports, name="import_list"),
    path("imports/<int:pk>/", views.import_job, name="import_job"),
    path("imports/<int:pk>/file/", views.import_file, name="import_file"),
    path("imports/<int:pk>/apply/", views.import_apply, name="import_apply"),
    path("imports/plan-template/", views.plan_template, name="plan_template"),
    path("plans/<slug:slug>/sheet/", views.plan_export, name="plan_export"),
    # Canada's tracker format (apps/exchange/canada.py).
    path(
        "exchange/canada/<slug:slug>/",
        canada_views.canada_export,
        name="exchange_canada_export",
    ),
    # Open data: the page, in the reader's language.
    path("open-data/", opendata_views.open_data, name="open_data"),
]

# Open data: the package and its files, the same in every language (no language
# prefix; included by sharaka/urls.py under ``open-data/``).
open_data_files = [
    path("datapackage.json", opendata_views.open_data_package, name="open_data_package"),
    path("<slug:table>.<slug:fmt>", opendata_views.open_data_file, name="open_data_file"),
]
