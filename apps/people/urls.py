"""Pages of the people app: invitations, the secretariat's people pages, personal data."""

from django.urls import URLPattern, path

from apps.people import two_factor_views

urlpatterns: list[URLPattern] = [
    # Invitations, the people pages and personal data add their paths here.
    path(
        "accounts/two-factor/required/",
        two_factor_views.two_factor_required,
        name="two_factor_required",
    ),
]
