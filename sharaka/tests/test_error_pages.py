"""Error pages speak the page's language and keep the site's navigation."""

from __future__ import annotations

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "lang, title",
    [("ar", "الصفحة غير موجودة"), ("fr", "Page introuvable"), ("en", "Page not found")],
)
def test_a_missing_page_says_so_in_the_pages_language(lang, title):
    response = Client().get(f"/{lang}/plans/no-such-plan/")
    html = response.content.decode()
    assert response.status_code == 404
    assert f'data-testid="error-404">{title}</h1>' in html
    assert f'<html lang="{lang}"' in html and "navbar" in html


@pytest.mark.parametrize(
    "lang, title", [("ar", "غير مسموح"), ("fr", "Non autorisé"), ("en", "Not allowed")]
)
def test_a_refused_page_says_so_in_the_pages_language(lang, title, personas):
    from apps.committees.tests.factories import make_committee

    committee = make_committee()
    client = Client()
    client.force_login(personas["focal_point_a"])
    response = client.get(f"/{lang}/committees/{committee.slug}/meetings/new/")
    assert response.status_code == 403
    assert f'data-testid="error-403">{title}</h1>' in response.content.decode()


def test_the_server_error_page_needs_no_context_and_speaks_three_languages():
    from django.template.loader import get_template

    html = get_template("500.html").render()
    assert "حدث خطأ غير متوقع" in html and "Une erreur inattendue" in html
    assert "Something went wrong" in html
