from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlansConfig(AppConfig):
    name = "apps.plans"
    label = "plans"
    verbose_name = _("Action plans")

    def ready(self) -> None:
        from apps.accounts.rules import let_the_secretariat_administer
        from apps.plans import charts  # noqa: F401 - registers the plan's own charts

        let_the_secretariat_administer(
            "plans", ["actionplan", "theme", "commitment", "activity", "tag"]
        )
