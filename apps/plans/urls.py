from django.urls import path

from apps.plans import views

urlpatterns = [
    path("", views.home, name="home"),
    path("methodology/", views.methodology, name="methodology"),
    path("plans/", views.plan_list, name="plan_list"),
    path("plans/<slug:slug>/", views.plan_detail, name="plan_detail"),
    path(
        "plans/<slug:slug>/commitments/<int:number>/",
        views.commitment_detail,
        name="commitment_detail",
    ),
    path("institutions/", views.institution_list, name="institution_list"),
    path("institutions/<slug:slug>/", views.institution_detail, name="institution_detail"),
]
