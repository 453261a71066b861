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

# The secretariat's people pages (the list, a person's page and the changes to an account).
from django.urls import path  # noqa: E402

from apps.people import views as people_views  # noqa: E402

urlpatterns += [
    path("people/", people_views.people_page, name="people_list"),
    path("people/<int:pk>/", people_views.person_page, name="person_detail"),
    path("people/<int:pk>/edit/", people_views.person_edit, name="person_edit"),
    path("people/<int:pk>/deactivate/", people_views.person_deactivate, name="person_deactivate"),
    path("people/<int:pk>/reactivate/", people_views.person_reactivate, name="person_reactivate"),
    path(
        "people/<int:pk>/sessions/end/",
        people_views.person_end_sessions,
        name="person_end_sessions",
    ),
]

# Invitations (apps/people/views_invitations.py).
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

# Personal data: one's own data (read, download, erase) and the privacy page.
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
