"""The accounts' own writes: a person's profile."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import transaction

from apps.accounts.models import User
from apps.core.actions import apply_changes
from apps.core.models import AuditLog


@transaction.atomic
def do_update_profile(user: User, *, acting_user: Any, fields: Mapping[str, Any]) -> User:
    """Change one's own names and preferred language; the audit row keeps every field
    that changed, before and after. (The e-mail address changes through allauth's
    e-mail page: password asked, new address confirmed by a link.)"""
    locked = User.objects.select_for_update().get(pk=user.pk)
    before, after = apply_changes(locked, fields)
    if after:
        locked.save(update_fields=list(after))
        AuditLog.record(
            actor=acting_user,
            action="accounts.change_profile",
            target=locked,
            before=before,
            after=after,
        )
    return locked
