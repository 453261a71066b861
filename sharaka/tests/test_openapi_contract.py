"""The API answers what its OpenAPI document says, checked by schemathesis.

Every operation of /api/v1/openapi.json is called through the WSGI application with
generated requests (the document's examples, boundary values and invalid values of each
parameter, then random valid ones) against the demo data of the robustness walk, and
every schemathesis check runs on each answer: no server error, only declared status
codes, content types and headers, bodies matching their schema, invalid data refused,
valid data accepted, unsupported methods answered 405 with ``Allow``… Endpoints that
need a token (the write API) are called without one and must declare their 401/403.

The examples are bounded (``MAX_EXAMPLES`` random ones per operation, on top of the
boundary cases) and the data is built once for the module, so that the run takes
seconds per database.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from django.test import override_settings
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from schemathesis.checks import CHECKS, is_check_class, load_all_checks

from apps.accounts.models import Institution
from apps.accounts.roles import Role
from apps.accounts.tests.personas import make_user
from sharaka.tests.contract import load_schema
from sharaka.tests.test_robustness import World, _build_world

pytestmark = [pytest.mark.django_db]

MAX_EXAMPLES = 15
# The requests sent, by operation: the report's numbers and a check that every
# operation was exercised.
CALLS: dict[str, int] = {}


def _ministry(letter: str) -> Institution:
    return Institution.objects.create(
        slug=f"ministry-{letter.lower()}",
        kind="government",
        name_ar=f"وزارة {letter}",
        name_fr=f"Ministère {letter}",
        name_en=f"Ministry {letter}",
    )


@pytest.fixture(scope="module")
def world(django_db_setup: Any, django_db_blocker: Any, tmp_path_factory: Any) -> Iterator[World]:
    """The robustness walk's data, built once and rolled back after the module.

    Requests go through the WSGI handler, which closes the database connection after
    each one (and with it the test's transaction): like Django's test client, the
    module keeps it open."""
    media = tmp_path_factory.mktemp("media")
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield from _world(media, django_db_blocker)
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def _world(media: Any, django_db_blocker: Any) -> Iterator[World]:
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media), transaction.atomic():
        ministry_a, ministry_b = _ministry("A"), _ministry("B")
        personas = {
            "secretariat": make_user("secretariat", Role.SECRETARIAT),
            "focal_point_a": make_user("focal_a", Role.FOCAL_POINT, institution=ministry_a),
            "focal_point_b": make_user("focal_b", Role.FOCAL_POINT, institution=ministry_b),
        }
        yield _build_world(personas, ministry_a, ministry_b)
        transaction.set_rollback(True)


# Read at collection, before any database exists (see sharaka/tests/contract.py).
schema = load_schema()
load_all_checks()
# Every check schemathesis has, named rather than left to its configuration's defaults.
ALL_CHECKS = [check for check in CHECKS.get_all() if not is_check_class(check)]


@schema.parametrize()
@hypothesis_settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_the_api_answers_as_its_openapi_document_says(case: Any, world: World) -> None:
    CALLS[case.operation.label] = CALLS.get(case.operation.label, 0) + 1
    case.call_and_validate(checks=ALL_CHECKS)


def test_every_operation_was_called_with_every_check() -> None:
    """(Runs after the contract test, in file order.)"""
    names = {check.__name__ for check in ALL_CHECKS}
    assert names >= {
        "not_a_server_error",
        "status_code_conformance",
        "content_type_conformance",
        "response_headers_conformance",
        "response_schema_conformance",
        "negative_data_rejection",
        "positive_data_acceptance",
        "unsupported_method",
        "use_after_free",
        "ensure_resource_availability",
        "missing_required_header",
        "allow_header_conformance",
        "ignored_auth",
        "object_level_authorization",
    }
    operations = {result.ok().label for result in schema.get_all_operations()}
    assert set(CALLS) == operations
    print(f"\nschemathesis: {sum(CALLS.values())} requests over {len(CALLS)} operations")
