from django.urls import path

from apps.translations import views

app_name = "translations"

urlpatterns = [
    path("", views.coverage, name="coverage"),
    path("<str:kind>/<int:pk>/", views.edit, name="edit"),
]
