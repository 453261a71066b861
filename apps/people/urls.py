"""Pages of the people app: the secretariat's people pages and invitations, two-factor
sign-in required by role, a person's own data and the privacy page."""

from django.urls import path

from apps.people import lockout_views, two_factor_views, views_invitations, views_privacy
from apps.people import views as people_views

urlpatterns = [
    # The secretariat's people pages: the list, a person's page, changes to an account.
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
    # Invitations: the secretariat's page, and the link the invited person follows.
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
    # Two-factor sign-in, asked of those who validate, publish or administer.
    path(
        "accounts/two-factor/required/",
        two_factor_views.two_factor_required,
        name="two_factor_required",
    ),
    # Personal data: one's own data (read, download, erase) and the privacy page.
    path("account/data/", views_privacy.personal_data, name="personal_data"),
    path(
        "account/data/download/",
        views_privacy.personal_data_download,
        name="personal_data_download",
    ),
    path("account/data/erase/", views_privacy.erase, name="personal_data_erase"),
    path("privacy/", views_privacy.privacy_page, name="privacy"),
]

# The audit trail (the secretariat): the page and its exports.
from apps.people import audit_views  # noqa: E402

urlpatterns += [
    path("audit/", audit_views.audit_page, name="audit_log"),
    path("audit/audit.csv", audit_views.audit_export, {"fmt": "csv"}, name="audit_csv"),
    path("audit/audit.xlsx", audit_views.audit_export, {"fmt": "xlsx"}, name="audit_xlsx"),
]

# Sign-in lockouts (too many failed sign-ins): the secretariat's page, which unlocks.
urlpatterns += [
    path("people/lockouts/", lockout_views.lockout_list, name="lockout_list"),
]
