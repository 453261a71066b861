from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

# What the secretariat administers in the admin site, beyond the permissions the apps
# declare themselves: the plans, institutions and committees. Users, progress updates
# and snapshots are not in the list: accounts are the administrators' business, and
# figures change only through the tracking workflow, which writes the audit trail.
SECRETARIAT_ADMINISTERS = {
    "plans": ["actionplan", "theme", "commitment", "activity"],
    "accounts": ["institution"],
    "committees": ["committee", "committeedocument", "member"],
}


class CoreConfig(AppConfig):
    name = "apps.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        import rules

        from apps.accounts.rules import is_secretariat

        for app, models in SECRETARIAT_ADMINISTERS.items():
            for model in models:
                for action in ("view", "add", "change", "delete"):
                    name = f"{app}.{action}_{model}"
                    if not rules.perm_exists(name):
                        rules.add_perm(name, is_secretariat)
            if not rules.perm_exists(app):  # the app shows on the admin index
                rules.add_perm(app, is_secretariat)
