from django.urls import path

from apps.tracking import views

app_name = "tracking"

urlpatterns = [
    path("my/", views.my_commitments, name="my_commitments"),
    path("activities/<int:pk>/report/", views.report_progress, name="report_progress"),
    path("activities/<int:pk>/propose/", views.propose_change, name="propose_change"),
    path("updates/<int:pk>/", views.update_detail, name="update_detail"),
    path("updates/<int:pk>/edit/", views.edit_update, name="edit_update"),
    path("updates/<int:pk>/submit/", views.submit_update, name="submit_update"),
    path("updates/<int:pk>/validate/", views.validate_update, name="validate_update"),
    path("updates/<int:pk>/return/", views.return_update, name="return_update"),
    path("evidence/<int:pk>/", views.evidence_file, name="evidence_file"),
    path("queue/", views.validation_queue, name="queue"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("dashboard.xlsx", views.dashboard_export, name="dashboard_export"),
    path("commitments/<int:pk>/hand-over/", views.hand_over, name="hand_over"),
    path("change-requests/", views.change_request_list, name="change_requests"),
    path("change-requests/<int:pk>/decide/", views.decide_change, name="decide_change"),
]
