from django.urls import path

from apps.committees import views

urlpatterns = [
    path("committees/", views.committee_list, name="committee_list"),
    path("committees/<slug:slug>/", views.committee_detail, name="committee_detail"),
    path(
        "committees/<slug:slug>/guide/v<int:version>/",
        views.committee_document,
        name="committee_document",
    ),
    path(
        "committees/<slug:slug>/guide/v<int:version>/file/",
        views.committee_document_file,
        name="committee_document_file",
    ),
    path("committees/<slug:slug>/meetings/new/", views.meeting_create, name="meeting_create"),
    path("meetings/", views.meeting_list, name="meeting_list"),
    path("meetings.ics", views.meetings_ics, name="meetings_ics"),
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting_detail"),
    path("meetings/<int:pk>/edit/", views.meeting_edit, name="meeting_edit"),
    path("meetings/<int:pk>/attendance/", views.meeting_attendance, name="meeting_attendance"),
    path("meetings/<int:pk>/agenda/new/", views.agenda_item_create, name="agenda_item_create"),
    path("meetings/<int:pk>/decisions/new/", views.decision_create, name="decision_create"),
    path("meetings/<int:pk>/announce/", views.meeting_announce, name="meeting_announce"),
    path("meetings/<int:pk>/snapshot/freeze/", views.snapshot_freeze, name="snapshot_freeze"),
    path("meetings/<int:pk>/snapshot/notes/", views.snapshot_notes, name="snapshot_notes"),
    path("meetings/<int:pk>/approve/", views.minutes_approve, name="minutes_approve"),
    path("meetings/<int:pk>/publish/", views.minutes_publish, name="minutes_publish"),
    path("meetings/<int:pk>/minutes/", views.minutes_page, name="minutes_page"),
    path("meetings/<int:pk>/minutes.pdf", views.minutes_pdf, name="minutes_pdf"),
    path("meetings/<int:pk>/minutes.docx", views.minutes_docx, name="minutes_docx"),
    path("action-items/<int:pk>/status/", views.action_item_status, name="action_item_status"),
]
