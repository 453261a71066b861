"""Pages of the people app: invitations, the secretariat's people pages, personal data."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = [
    # Invitations, the people pages and personal data add their paths here.
]
