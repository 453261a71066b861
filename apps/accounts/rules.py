"""Role predicates shared by every app's rules.py (django-rules).

The secretariat administers the plan; a superuser counts as secretariat. Anonymous
visitors are the public: they hold no role.
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


is_secretariat = _has_role(Role.SECRETARIAT) | rules.is_superuser
is_focal_point = _has_role(Role.FOCAL_POINT)
is_committee_member = _has_role(Role.COMMITTEE_MEMBER)
is_translator = _has_role(Role.TRANSLATOR)
