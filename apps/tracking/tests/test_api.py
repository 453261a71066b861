"""Tracking's part of the API: the OpenAPI document of the flags endpoint."""

from __future__ import annotations

import pytest
from django.utils import translation

pytestmark = pytest.mark.django_db


def _flags_description(client) -> str:
    schema = client.get("/api/v1/openapi.json").json()
    [path] = [path for url, path in schema["paths"].items() if url.endswith("/flags")]
    return str(path["get"]["description"])


def test_the_openapi_document_explains_the_flags_as_they_stand(client, monkeypatch):
    """The flags' help texts are read when the document is asked for (in English), not
    frozen when the module was imported."""
    from apps.tracking import flags

    assert "- `overdue`: The end date has passed" in _flags_description(client)
    monkeypatch.setitem(flags._HELP, flags.Flag.OVERDUE, "Past its end date, not complete.")
    with translation.override("fr"):
        description = _flags_description(client)
    assert "- `overdue`: Past its end date, not complete." in description
    assert "- `no_progress`: The figure has not changed since" in description
