from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from apps.accounts.models import User


def system_user() -> User:
    """The platform's own account, for writes no person makes (see ``models.system_user``)."""
    from apps.accounts.models import system_user as get

    return get()
