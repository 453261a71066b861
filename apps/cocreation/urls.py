from django.urls import include, path
from django.views.generic import RedirectView

from apps.cocreation import views

app_name = "cocreation"

urlpatterns = [
    path("", views.process_list, name="processes"),
    path("new/", views.process_new, name="process_new"),
    # A person's data is one page for the whole platform (apps/people, "My data"): the
    # co-creation's former addresses lead there.
    path("my-data/", RedirectView.as_view(pattern_name="personal_data", permanent=True)),
    path(
        "my-data/download/",
        RedirectView.as_view(pattern_name="personal_data_download", permanent=True),
    ),
    path("<slug:slug>/", views.process_detail, name="process"),
    path("<slug:slug>/statistics/", views.statistics, name="statistics"),
    path("<slug:slug>/proposals/", views.proposal_list, name="proposals"),
    path("<slug:slug>/proposals/new/", views.proposal_new, name="proposal_new"),
    path("<slug:slug>/proposals/<int:number>/", views.proposal_detail, name="proposal"),
    path("<slug:slug>/proposals/<int:number>/support/", views.proposal_support, name="support"),
    path("<slug:slug>/proposals/<int:number>/follow/", views.proposal_follow, name="follow"),
    path("<slug:slug>/proposals/<int:number>/comment/", views.proposal_comment, name="comment"),
    path("<slug:slug>/proposals/<int:number>/hide/", views.proposal_hide, name="hide"),
    path("<slug:slug>/proposals/<int:number>/restore/", views.proposal_restore, name="restore"),
    path("<slug:slug>/proposals/<int:number>/retain/", views.proposal_retain, name="retain"),
    path("<slug:slug>/proposals/<int:number>/merge/", views.proposal_merge, name="merge"),
    path(
        "<slug:slug>/proposals/<int:number>/comments/<int:pk>/hide/",
        views.comment_hide,
        name="comment_hide",
    ),
    path(
        "<slug:slug>/proposals/<int:number>/files/<int:pk>/",
        views.attachment,
        name="attachment",
    ),
    path("<slug:slug>/moderation/", views.moderation, name="moderation"),
    path("<slug:slug>/manage/", views.manage, name="manage"),
    path("<slug:slug>/phases/<int:order>/", views.phase_plan, name="phase_plan"),
    path("<slug:slug>/phases/<int:order>/start/", views.phase_start, name="phase_start"),
    path("<slug:slug>/phases/<int:order>/complete/", views.phase_complete, name="phase_complete"),
    path("<slug:slug>/themes/new/", views.theme_form, name="theme_new"),
    path("<slug:slug>/themes/<int:pk>/", views.theme_form, name="theme_edit"),
    path("<slug:slug>/themes/<int:pk>/agree/", views.theme_agree, name="theme_agree"),
    path("", include("apps.cocreation.urls_round")),
]
