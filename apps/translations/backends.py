"""An optional machine-translation backend, off by default (no internet).

``settings.SHARAKA_TRANSLATION_BACKEND`` names a class with
``suggest(text, source, target) -> str``. The editor shows its suggestion beside the
field; nothing is saved unless a translator saves it, as their own draft, and someone
else reviews it. A backend that fails shows no suggestion.
"""

from __future__ import annotations

import logging
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)


class Backend(Protocol):
    def suggest(self, text: str, source: str, target: str) -> str: ...


def get_backend() -> Backend | None:
    path = getattr(settings, "SHARAKA_TRANSLATION_BACKEND", "")
    if not path:
        return None
    backend: Backend = import_string(path)()
    return backend


def suggestion(backend: Backend | None, text: str, source: str, target: str) -> str:
    if backend is None or not text:
        return ""
    try:
        return backend.suggest(text, source, target) or ""
    except Exception:  # a remote service down: translate by hand
        logger.exception("Translation backend failed")
        return ""
