"""The API's OpenAPI document (what a client generator reads) and its CORS headers."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured
from ninja import Router, Schema

from apps.core.api import SharakaAPI, responses

pytestmark = pytest.mark.django_db


@pytest.fixture
def document(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    return response.json()


def _operations(document):
    for path, methods in document["paths"].items():
        for method, operation in methods.items():
            yield path, method, operation


def test_it_states_the_licence_of_the_open_data_and_its_server(client, settings):
    settings.SITE_URL = "https://sharaka.example.org"
    document = client.get("/api/v1/openapi.json").json()
    assert document["info"]["license"] == {
        "name": "Creative Commons Attribution 4.0 International",
        "identifier": "CC-BY-4.0",
    }
    assert document["servers"] == [
        {"url": "https://sharaka.example.org", "description": "This Sharaka instance"}
    ]
    settings.SHARAKA_OPEN_DATA_LICENSE = "ODbL-1.0"
    info = client.get("/api/v1/openapi.json").json()["info"]
    assert info["license"]["identifier"] == "ODbL-1.0"


def test_every_operation_declares_its_errors(document):
    """422 wherever a parameter can be refused, 404 wherever the path names an object
    (with the error bodies of apps/core/api.py for the read endpoints), 401 wherever a
    token is needed."""
    missing = []
    for path, method, operation in _operations(document):
        declared = operation["responses"]
        if operation["parameters"] and "422" not in declared:
            missing.append(f"{method} {path}: 422")
        if "{" in path and "404" not in declared:
            missing.append(f"{method} {path}: 404")
        if operation.get("security"):
            if "401" not in declared:
                missing.append(f"{method} {path}: 401")
            continue
        for code in ("404", "422"):
            if code in declared:
                schema = declared[code]["content"]["application/json"]["schema"]
                assert schema["$ref"].split("/")[-1] in {"ErrorOut", "InvalidOut"}
    assert missing == []


def test_operation_ids_are_unique(document):
    ids = [operation["operationId"] for _path, _method, operation in _operations(document)]
    assert len(ids) == len(set(ids))


def test_the_commitment_schema_is_the_one_with_weight_and_dates(document):
    """Two different schemas were both named ActivityOut; the document published the
    one without ``weight``."""
    activity = document["components"]["schemas"]["ActivityOut"]["properties"]
    assert {"weight", "start_date", "end_date", "progress"} <= set(activity)


def test_two_different_schemas_under_one_name_are_refused():
    """What keeps the names unique: building the document fails on a clash."""

    def make(fields):
        return type("ThingOut", (Schema,), {"__annotations__": fields})

    first, second = make({"a": int}), make({"b": str})
    router = Router()

    @router.get("first", response=responses(first))
    def get_first(request):
        return {"a": 1}

    @router.get("second", response=responses(second))
    def get_second(request):
        return {"b": ""}

    api = SharakaAPI(title="clash", urls_namespace="clash-test")
    api.add_router("/", router)
    with pytest.raises(ImproperlyConfigured, match="ThingOut"):
        api.get_openapi_schema(path_prefix="/")


def test_the_public_api_is_open_to_other_origins_for_get(client, db):
    response = client.get("/api/v1/plans", HTTP_ORIGIN="https://journal.example")
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Credentials" not in response
    preflight = client.options(
        "/api/v1/plans",
        HTTP_ORIGIN="https://journal.example",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
    )
    assert preflight["Access-Control-Allow-Methods"] == "GET, OPTIONS"


def test_pages_are_not_open_to_other_origins(client, db):
    response = client.get("/en/", HTTP_ORIGIN="https://journal.example")
    assert response.status_code == 200
    assert "Access-Control-Allow-Origin" not in response
