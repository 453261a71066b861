"""Addresses of the meetings, prioritisation, commitment cards and adoption pages
(included in the app's ``urls.py``, under ``cocreation:``)."""

from django.urls import path

from apps.cocreation import views_round as views

urlpatterns = [
    path("<slug:slug>/meetings/", views.meeting_list, name="meetings"),
    path("<slug:slug>/meetings/new/", views.meeting_form, name="meeting_new"),
    path("<slug:slug>/meetings/<int:pk>/", views.meeting_detail, name="meeting"),
    path("<slug:slug>/meetings/<int:pk>/edit/", views.meeting_form, name="meeting_edit"),
    path(
        "<slug:slug>/meetings/<int:pk>/register/", views.meeting_register, name="meeting_register"
    ),
    path("<slug:slug>/meetings/<int:pk>/cancel/", views.meeting_cancel, name="meeting_cancel"),
    path(
        "<slug:slug>/meetings/<int:pk>/attendance/",
        views.meeting_attendance,
        name="meeting_attendance",
    ),
    path("<slug:slug>/meetings/<int:pk>/capture/", views.meeting_capture, name="meeting_capture"),
    path("<slug:slug>/criteria/", views.criteria, name="criteria"),
    path("<slug:slug>/criteria/<int:pk>/", views.criteria, name="criterion_edit"),
    path("<slug:slug>/ranking/", views.ranking, name="ranking"),
    path("<slug:slug>/proposals/<int:number>/score/", views.proposal_score, name="score"),
    path("<slug:slug>/proposals/<int:number>/decide/", views.proposal_decide, name="decide"),
    path("<slug:slug>/cards/", views.card_list, name="cards"),
    path("<slug:slug>/cards/new/", views.card_new, name="card_new"),
    path("<slug:slug>/cards/<int:number>/", views.card_detail, name="card"),
    path("<slug:slug>/cards/<int:number>/edit/", views.card_edit, name="card_edit"),
    path(
        "<slug:slug>/cards/<int:number>/versions/<int:version>/",
        views.card_version,
        name="card_version",
    ),
    path("<slug:slug>/cards/<int:number>/comment/", views.card_comment, name="card_comment"),
    path("<slug:slug>/cards/<int:number>/submit/", views.card_submit, name="card_submit"),
    path("<slug:slug>/cards/<int:number>/validate/", views.card_validate, name="card_validate"),
    path("<slug:slug>/cards/<int:number>/return/", views.card_return, name="card_return"),
    path("<slug:slug>/adopt/", views.adopt, name="adopt"),
]
