"""Each permission of the reports walked for every persona."""

from __future__ import annotations

import pytest
import rules

from apps.accounts.tests.personas import PERSONAS

pytestmark = pytest.mark.django_db

SECRETARIAT = {"secretariat", "superuser"}


def allowed(personas, perm):
    return {name for name in PERSONAS if personas[name].has_perm(perm, None)}


@pytest.mark.parametrize(
    "perm",
    [
        "reports.add_cycle",
        "reports.change_cycle",
        "reports.move_stage",
        "reports.generate_report",
        "reports.approve_report",
        "reports.publish_report",
        "reports.submit_report",
        "reports.moderate_consultation",
    ],
)
def test_only_the_secretariat_manages_reports(personas, perm):
    assert allowed(personas, perm) == SECRETARIAT


def test_everyone_sees_a_report(personas):
    assert allowed(personas, "reports.view_cycle") == set(PERSONAS)


def test_every_permission_of_the_app_is_walked():
    walked = {
        "reports.view_cycle",
        "reports.add_cycle",
        "reports.change_cycle",
        "reports.move_stage",
        "reports.generate_report",
        "reports.approve_report",
        "reports.publish_report",
        "reports.submit_report",
        "reports.moderate_consultation",
        # walked in test_review.py
        "reports.view_review",
        "reports.comment_review",
        "reports.resolve_review",
    }
    registered = {name for name in rules.permissions.permissions if name.startswith("reports.")}
    assert registered == walked
