"""Public pages of tracking under the plans' paths: the follows and the feeds."""

from django.urls import path

from apps.tracking import feeds, follow_views

urlpatterns = [
    path("plans/<slug:slug>/feed/", feeds.PlanFeed(), name="plan_feed"),
    path(
        "plans/<slug:slug>/commitments/<int:number>/feed/",
        feeds.CommitmentFeed(),
        name="commitment_feed",
    ),
    path("plans/<slug:slug>/follow/", follow_views.plan_follow, name="plan_follow"),
    path(
        "plans/<slug:slug>/commitments/<int:number>/follow/",
        follow_views.commitment_follow,
        name="commitment_follow",
    ),
    path("follow/confirm/<str:token>/", follow_views.follow_confirm, name="follow_confirm"),
    path(
        "follow/unsubscribe/<str:token>/",
        follow_views.follow_unsubscribe,
        name="follow_unsubscribe",
    ),
]
