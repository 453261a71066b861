from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeopleConfig(AppConfig):
    """Invitations, the secretariat's people pages and personal data. Last in
    ``PROJECT_APPS``: a person's work spans every app (assignments, updates, seats,
    proposals), so this app may read them all and none imports it."""

    name = "apps.people"
    label = "people"
    verbose_name = _("People")
    default_auto_field = "django.db.models.BigAutoField"
