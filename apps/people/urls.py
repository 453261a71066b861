"""Pages of the people app: invitations, the secretariat's people pages, personal data."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = [
    # Invitations, the people pages and personal data add their paths here.
]

# Invitations (apps/people/views_invitations.py).
from django.urls import path  # noqa: E402

from apps.people import views_invitations  # noqa: E402

urlpatterns += [
    path("people/invitations/", views_invitations.invitation_list, name="invitation_list"),
    path(
        "people/invitations/<int:pk>/resend/",
        views_invitations.invitation_resend,
        name="invitation_resend",
    ),
    path(
        "people/invitations/<int:pk>/withdraw/",
        views_invitations.invitation_withdraw,
        name="invitation_withdraw",
    ),
    path(
        "people/invitations/accept/<str:key>/",
        views_invitations.invitation_accept,
        name="invitation_accept",
    ),
]
