"""handler500: a database that cannot be reached answers 503 in the language of the
address (without touching the database); any other error keeps the 500 page. The same
with a real outage: sharaka/tests/test_production.py (PostgreSQL pass)."""

from __future__ import annotations

import pytest
from django.db import InterfaceError, OperationalError
from django.test import RequestFactory

from apps.core.unavailable import server_error


@pytest.mark.parametrize(
    ("path", "text"),
    [
        ("/ar/plans/", "منصة شراكة غير متاحة مؤقتًا"),
        ("/fr/tracking/my/", "La base de données est injoignable"),
        ("/en/", "Sharaka is briefly unavailable"),
    ],
)
@pytest.mark.parametrize("error", [OperationalError, InterfaceError])
def test_a_database_error_answers_503_in_the_addresss_language(path, text, error):
    request = RequestFactory().post(path)
    try:
        raise error("connection refused")
    except error:
        response = server_error(request)
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    html = response.content.decode()
    assert text in html and f'lang="{path[1:3]}"' in html
    assert ('dir="rtl"' in html) == (path.startswith("/ar/"))


def test_any_other_error_keeps_the_500_page():
    request = RequestFactory().get("/fr/")
    try:
        raise ValueError("a bug")
    except ValueError:
        response = server_error(request)
    assert response.status_code == 500
