from django.urls import path

from apps.reports import consultation_views as consult
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
    # The public consultation (part 6).
    path("reports/<int:pk>/consultation/", consult.report_consultation, name="report_consultation"),
    path(
        "reports/<int:pk>/consultation/sent/",
        consult.report_consultation_sent,
        name="report_consultation_sent",
    ),
    path(
        "reports/consultation/verify/<str:token>/",
        consult.report_consultation_verify,
        name="report_consultation_verify",
    ),
    path(
        "reports/<int:pk>/consultation/moderate/",
        consult.report_consultation_moderate,
        name="report_consultation_moderate",
    ),
    path(
        "reports/<int:pk>/consultation/comments/<int:comment>/hide/",
        consult.report_comment_hide,
        name="report_comment_hide",
    ),
    path(
        "reports/<int:pk>/consultation/comments/<int:comment>/respond/",
        consult.report_comment_respond,
        name="report_comment_respond",
    ),
    path(
        "reports/<int:pk>/consultation/comments.csv",
        consult.report_consultation_csv,
        name="report_consultation_csv",
    ),
    path(
        "reports/<int:pk>/consultation/comments.xlsx",
        consult.report_consultation_xlsx,
        name="report_consultation_xlsx",
    ),
]

urlpatterns += [
    path("reports/<int:pk>/approve/", views.report_approve, name="report_approve"),
    path("reports/<int:pk>/publish/", views.report_publish, name="report_publish"),
    path("reports/<int:pk>/submit/", views.report_submit, name="report_submit"),
    path("reports/<int:pk>/published/", views.report_published, name="report_published"),
]
