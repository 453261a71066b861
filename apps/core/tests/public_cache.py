"""For the tests of the public cache: turn it on (the suite runs with it off) and read
pages through it as a visitor who is not signed in."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.cache import caches
from django.test import Client


@pytest.fixture
def public_cache(settings: Any) -> Iterator[Any]:
    """The public cache on and empty; the tests that use it commit for real
    (``django_db(transaction=True)``): a rolled-back write never invalidates."""
    settings.SHARAKA_PUBLIC_CACHE = True
    caches["public"].clear()
    yield caches["public"]
    caches["public"].clear()


def page(url: str, client: Client | None = None, headers: dict[str, str] | None = None) -> Any:
    """``url`` as a visitor who is not signed in sees it (a 200)."""
    response = (client or Client()).get(url, headers=headers or {})
    assert response.status_code == 200, (url, response.status_code)
    return response


def text(url: str, client: Client | None = None) -> str:
    return page(url, client).content.decode()


def cached_twice(url: str) -> str:
    """``url`` read twice: rendered and kept, then served from the public cache."""
    first = page(url)
    second = page(url)
    assert second["X-Public-Cache"] == "hit", url
    assert _without_tokens(first.content) == _without_tokens(second.content)
    return second.content.decode()


def _without_tokens(content: bytes) -> bytes:
    return re.sub(rb'name="csrfmiddlewaretoken" value="[^"]*"', b"", content)
