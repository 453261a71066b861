from django.urls import path

from apps.accounts import views

urlpatterns = [
    path("profile/", views.profile, name="profile"),
    path("profile/tokens/", views.create_api_token, name="api_token_create"),
    path("profile/tokens/<int:pk>/revoke/", views.revoke_api_token, name="api_token_revoke"),
    path("profile/sessions/<int:pk>/end/", views.end_session, name="session_end"),
    path("profile/sessions/end-others/", views.end_other_sessions, name="sessions_end_others"),
]
