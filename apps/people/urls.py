from django.urls import path

app_name = "people"

urlpatterns: list = [
    # Invitations, the people pages and personal data add their paths here.
]
