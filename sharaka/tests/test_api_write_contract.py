"""The write endpoints against their own OpenAPI description (schemathesis, every
check), with a focal point's token: every answer is declared, JSON as described, valid
input is accepted or refused with a declared reason, invalid input refused."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from apps.accounts import tokens
from sharaka.tests.contract import load_schema

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


@pytest.fixture
def _keep_the_test_connection():
    """The WSGI application closes the database connection after each request, as a
    server should; Django's test client stops it from doing so (the test's transaction
    lives on that connection), and so must this test."""
    from django.core import signals
    from django.db import close_old_connections

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def auth_header(_keep_the_test_connection, ministry_a, focal_point_a, secretariat):
    """A focal point's token, and an activity assigned to them (the generated ids may
    hit it)."""
    from django.core.cache import cache

    from apps.tracking.tests.factories import assign, make_activity

    cache.clear()
    activity = make_activity(ministry_a, progress=20)
    assign(activity.commitment, focal_point_a, secretariat)
    _row, clear = tokens.create_token(focal_point_a, "contract")
    return {"Authorization": f"Bearer {clear}"}


schema = load_schema().include(tag="write")


@schema.parametrize()
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
def test_the_write_api_keeps_its_contract(case, auth_header):
    # Every other check runs. A report's date is bounded by its plan's period and today
    # (apps/core/bounds.py), which a JSON schema cannot say: a schema-valid date from
    # another era is refused with a declared 422, by design.
    case.call_and_validate(headers=auth_header, excluded_checks=[positive_data_acceptance])
