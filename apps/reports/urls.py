from django.urls import path

from apps.reports import views

urlpatterns = [
    path("reports/", views.report_list, name="report_list"),
    path("reports/new/", views.report_create, name="report_create"),
    path("reports/<int:pk>/", views.report_detail, name="report_detail"),
    path("reports/<int:pk>/edit/", views.report_edit, name="report_edit"),
    path("reports/<int:pk>/generate/", views.report_generate, name="report_generate"),
    path("reports/<int:pk>/diff/", views.report_diff, name="report_diff"),
    path("reports/<int:pk>/review/", views.report_review, name="report_review"),
    path(
        "reports/<int:pk>/review/comment/",
        views.report_review_comment,
        name="report_review_comment",
    ),
    path(
        "reports/review/<int:pk>/resolve/",
        views.report_review_resolve,
        name="report_review_resolve",
    ),
    path("reports/stages/<int:pk>/plan/", views.report_stage_plan, name="report_stage_plan"),
    path("reports/stages/<int:pk>/start/", views.report_stage_start, name="report_stage_start"),
    path(
        "reports/stages/<int:pk>/complete/",
        views.report_stage_complete,
        name="report_stage_complete",
    ),
    path("reports/files/<int:pk>/", views.report_file, name="report_file"),
]

urlpatterns += [
    path("reports/<int:pk>/approve/", views.report_approve, name="report_approve"),
    path("reports/<int:pk>/publish/", views.report_publish, name="report_publish"),
    path("reports/<int:pk>/submit/", views.report_submit, name="report_submit"),
    path("reports/<int:pk>/published/", views.report_published, name="report_published"),
]
