"""Shared test set-up and the personas every app's tests reuse."""

import os

import pytest

# Playwright's sync API runs an event loop in the test thread.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

PASSWORD = "correct horse battery staple"


@pytest.fixture
def ministry_a(db):
    from apps.accounts.models import Institution

    return Institution.objects.create(
        slug="ministry-a",
        kind="government",
        name_ar="وزارة أ",
        name_fr="Ministère A",
        name_en="Ministry A",
    )


@pytest.fixture
def ministry_b(db):
    from apps.accounts.models import Institution

    return Institution.objects.create(
        slug="ministry-b",
        kind="government",
        name_ar="وزارة ب",
        name_fr="Ministère B",
        name_en="Ministry B",
    )


@pytest.fixture
def secretariat(db):
    from apps.accounts.roles import Role
    from apps.accounts.tests.personas import make_user

    return make_user("secretariat", Role.SECRETARIAT)


@pytest.fixture
def focal_point_a(ministry_a):
    from apps.accounts.roles import Role
    from apps.accounts.tests.personas import make_user

    return make_user("focal_a", Role.FOCAL_POINT, institution=ministry_a)


@pytest.fixture
def focal_point_b(ministry_b):
    from apps.accounts.roles import Role
    from apps.accounts.tests.personas import make_user

    return make_user("focal_b", Role.FOCAL_POINT, institution=ministry_b, language="fr")


@pytest.fixture
def committee_member(db):
    from apps.accounts.roles import Role
    from apps.accounts.tests.personas import make_user

    return make_user("member", Role.COMMITTEE_MEMBER)


@pytest.fixture
def translator(db):
    from apps.accounts.roles import Role
    from apps.accounts.tests.personas import make_user

    return make_user("translator", Role.TRANSLATOR)


@pytest.fixture
def citizen(db):
    from apps.accounts.tests.personas import make_user

    return make_user("citizen")


@pytest.fixture
def superuser(ministry_a):
    """The demo's ``admin``: a superuser who also answers for ministry A (a focal point
    there) — Django's flags give them everything, the four-eyes rules do not."""
    from django.contrib.auth.models import Group

    from apps.accounts.models import User
    from apps.accounts.roles import Role

    user = User.objects.create_superuser(
        "admin", "admin@example.org", PASSWORD, institution=ministry_a
    )
    user.groups.add(Group.objects.get_or_create(name=Role.FOCAL_POINT.value)[0])
    return user
