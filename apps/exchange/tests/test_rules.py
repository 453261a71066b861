"""Who imports and exports: the secretariat (and the platform's own account) only."""

from __future__ import annotations

import pytest

from apps.accounts import system_user
from apps.plans.tests.factories import make_plan

pytestmark = pytest.mark.django_db

ALLOWED = {"secretariat", "superuser"}


@pytest.mark.parametrize(
    "persona",
    [
        "anonymous",
        "citizen",
        "focal_point_a",
        "committee_member",
        "committee_chair",
        "translator",
        "secretariat",
        "superuser",
    ],
)
def test_it_walks_every_role(personas, persona):
    user = personas[persona]
    plan = make_plan()
    assert user.has_perm("exchange.import") == (persona in ALLOWED)
    assert user.has_perm("exchange.export_plan", plan) == (persona in ALLOWED)


def test_the_platform_imports():
    assert system_user().has_perm("exchange.import")
