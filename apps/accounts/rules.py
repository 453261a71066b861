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
