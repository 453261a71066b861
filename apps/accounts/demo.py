"""The demo's accounts (``manage.py load_demo``, run by ``make run``): their password is
public, and they are exempt from two-factor sign-in so that the demo stays one click
away (``apps/people/two_factor.py``). The mark is a group that only the demo loader
gives; a real account never holds it (never load the demo on a production server)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import Group

DEMO_GROUP = "demo-account"


def mark_demo_account(user: Any) -> None:
    """Mark ``user`` as one of the demo's accounts (the demo loader only)."""
    user.groups.add(Group.objects.get_or_create(name=DEMO_GROUP)[0])
    user.forget_access()


def is_demo_account(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and user.has_role(DEMO_GROUP)
