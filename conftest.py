"""Shared test set-up and the one set of personas every app's tests use.

Each persona is a fixture (``secretariat``, ``focal_point_a`` …); ``personas`` maps
their names to them, creating only the ones a test asks for. Tests that walk every role
name the personas they walk (``PERSONAS`` lists them all).
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from typing import Any

import pytest

# Playwright's sync API runs an event loop in the test thread.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from apps.accounts.tests.browser import browser  # noqa: E402,F401 - Chromium, for every browser test
from apps.accounts.tests.personas import PERSONAS  # noqa: E402


def _ministry(letter: str, arabic_letter: str) -> Any:
    from apps.accounts.models import Institution

    return Institution.objects.create(
        slug=f"ministry-{letter.lower()}",
        kind="government",
        name_ar=f"وزارة {arabic_letter}",
        name_fr=f"Ministère {letter}",
        name_en=f"Ministry {letter}",
    )


@pytest.fixture
def ministry_a(db):
    return _ministry("A", "أ")


@pytest.fixture
def ministry_b(db):
    return _ministry("B", "ب")


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
def committee_chair(db):
    """A committee member who will chair: tests that need the chair's seat give it with
    ``make_member(committee, user=committee_chair, role=Member.Role.CHAIR)``."""
    from apps.accounts.roles import Role
    from apps.accounts.tests.personas import make_user

    return make_user("chair", Role.COMMITTEE_MEMBER)


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
    from apps.accounts.roles import Role
    from apps.accounts.tests.personas import make_user

    user = make_user("admin", Role.FOCAL_POINT, institution=ministry_a)
    user.is_superuser = user.is_staff = True
    user.save(update_fields=["is_superuser", "is_staff"])
    return user


@pytest.fixture
def anonymous():
    from django.contrib.auth.models import AnonymousUser

    return AnonymousUser()


class Personas(Mapping[str, Any]):
    """``personas["secretariat"]`` is the ``secretariat`` fixture, created on first use."""

    def __init__(self, request: pytest.FixtureRequest) -> None:
        self._request = request

    def __getitem__(self, name: str) -> Any:
        if name not in PERSONAS:
            raise KeyError(name)
        return self._request.getfixturevalue(name)

    def __iter__(self) -> Iterator[str]:
        return iter(PERSONAS)

    def __len__(self) -> int:
        return len(PERSONAS)


@pytest.fixture
def personas(request):
    return Personas(request)


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the site's default language: a request served in French or
    English by an earlier test leaves its language active in the thread."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> Any:
    """Files of each test in its own folder: stored renderings (``apps.core.renderings``)
    or uploads of one test are not found by the next."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Each test starts with an empty cache: allauth counts sign-ins and failed attempts
    per address there (every test signs in from 127.0.0.1), as the site's other rate
    limits do."""
    from django.core.cache import cache

    cache.clear()
    yield
