"""The API's OpenAPI document for schemathesis's contract tests.

schemathesis reads the document when pytest collects the tests, before any test
database exists; the served document reads the open-data licence from the database per
request (``sharaka/api.py``). The contract tests therefore load ninja's document itself,
built from the same routes and schemas, without the per-request ``info.license`` and
``servers`` (``test_api_document.py`` checks those on the served document), and call the
operations through the WSGI application."""

from __future__ import annotations

import json
from typing import Any

import schemathesis
from django.core.wsgi import get_wsgi_application

from apps.core.api import CheckedOpenAPISchema
from sharaka.api import api


def load_schema() -> Any:
    document = CheckedOpenAPISchema(api, api.get_root_path({}))
    schema = schemathesis.openapi.from_dict(json.loads(json.dumps(document, default=str)))
    schema.app = get_wsgi_application()
    schema.location = "/api/v1/openapi.json"
    return schema
