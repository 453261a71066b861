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

    def ready(self) -> None:
        # An account created through an invitation's link takes the invitation's role
        # (allauth's sign-up sends ``user_signed_up``; see apps.people.invitations).
        from allauth.account.signals import user_signed_up

        from apps.people.invitations import on_signed_up

        user_signed_up.connect(on_signed_up, dispatch_uid="people.invitation_signup")

        from apps.people.two_factor import register_facts

        # Whether a signed-in person must use a second factor, and has one, comes with
        # the person (asked on every page they open).
        register_facts()
