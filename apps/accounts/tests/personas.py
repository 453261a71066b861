"""The people every test reuses (as in Healthchecks' owner / teammate / stranger)."""

from __future__ import annotations

from django.contrib.auth.models import Group

from apps.accounts.models import Institution, User
from apps.accounts.roles import Role

PASSWORD = "correct horse battery staple"


def make_user(
    username: str, *roles: Role, institution: Institution | None = None, language: str = "ar"
) -> User:
    user = User.objects.create_user(
        username=username,
        email=f"{username}@example.org",
        password=PASSWORD,
        institution=institution,
        preferred_language=language,
    )
    for role in roles:
        user.groups.add(Group.objects.get_or_create(name=role.value)[0])
    return user


# Every persona the root conftest offers through ``personas[name]``, in one place.
PERSONAS = (
    "anonymous",
    "citizen",
    "focal_point_a",
    "focal_point_b",
    "committee_member",
    "committee_chair",
    "translator",
    "secretariat",
    "superuser",
)
