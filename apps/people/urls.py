"""Pages of the people app: invitations, the secretariat's people pages, personal data."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = [
    # Invitations, the people pages and personal data add their paths here.
]

# Personal data: one's own data (read, download, erase) and the privacy page.
from django.urls import path  # noqa: E402

from apps.people import views_privacy  # noqa: E402

urlpatterns += [
    path("account/data/", views_privacy.personal_data, name="personal_data"),
    path(
        "account/data/download/",
        views_privacy.personal_data_download,
        name="personal_data_download",
    ),
    path("account/data/erase/", views_privacy.erase, name="personal_data_erase"),
    path("privacy/", views_privacy.privacy_page, name="privacy"),
]
