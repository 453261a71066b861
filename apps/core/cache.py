"""Renderings kept under the hash of what they are made from.

Laying out a PDF takes seconds (about 9 s for a 200-commitment report): the reports keep
each rendering in the cache under the hash of its source, so the same content is laid
out once and gives the same bytes; any change of the content gives a new source, hence a
new key. (The minutes, laid out on request, are files kept by :mod:`apps.core.renderings`.)
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from django.core.cache import cache

RENDER_CACHE_SECONDS = 24 * 3600


def cached_rendering(kind: str, source: bytes, render: Callable[[], bytes]) -> bytes:
    """``render()``, or the bytes it gave for the same ``kind`` and ``source``."""
    key = f"{kind}:" + hashlib.sha256(source).hexdigest()
    data = cache.get(key)
    if data is None:
        data = render()
        cache.set(key, data, RENDER_CACHE_SECONDS)
    return bytes(data)
