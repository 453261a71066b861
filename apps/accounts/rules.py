"""Role predicates shared by every app's rules.py (django-rules).

The secretariat administers the plan; an active superuser counts as secretariat (and,
like everyone, obeys the four-eyes rules: see ``User.has_perm``), and so does the
platform's own account when it writes for the demo or a background task
(``apps.accounts.system_user``). Anonymous visitors are the public: they hold no role.
"""

from __future__ import annotations

from typing import Any

import rules

from apps.accounts.roles import Role


def _has_role(role: Role) -> Any:
    @rules.predicate(name=f"has_role_{role.value}")
    def predicate(user: Any) -> bool:
        if not getattr(user, "is_authenticated", False) or not user.is_active:
            return False
        return user.has_role(role)

    return predicate


@rules.predicate
def is_active_superuser(user: Any) -> bool:
    return bool(getattr(user, "is_superuser", False) and user.is_active)


@rules.predicate
def is_platform(user: Any) -> bool:
    """The platform's own account (the demo loader, background tasks)."""
    from apps.accounts.models import is_system_user

    return is_system_user(user)


is_secretariat = _has_role(Role.SECRETARIAT) | is_active_superuser | is_platform
is_focal_point = _has_role(Role.FOCAL_POINT)
is_committee_member = _has_role(Role.COMMITTEE_MEMBER)
is_translator = _has_role(Role.TRANSLATOR)


def let_the_secretariat_administer(app_label: str, model_names: list[str]) -> None:
    """Open the admin pages of these models of ``app_label`` to the secretariat.

    Django's admin asks for ``<app>.view_<model>`` (and ``add``, ``change``,
    ``delete``) and for ``<app>`` itself to list the app on its index. Each app names
    the models it lets the secretariat administer in its ``AppConfig.ready()``; a
    permission its ``rules.py`` declares itself keeps its own predicate.
    """
    for model in model_names:
        for action in ("view", "add", "change", "delete"):
            name = f"{app_label}.{action}_{model}"
            if not rules.perm_exists(name):
                rules.add_perm(name, is_secretariat)
    if not rules.perm_exists(app_label):
        rules.add_perm(app_label, is_secretariat)
