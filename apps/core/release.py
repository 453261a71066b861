"""Which code is running: a hash of the project's code, templates, styles, scripts and
compiled catalogs, read once per process.

What is kept across requests and made by that code (the public cache's pages, the stored
documents) is named after it, so that after a deploy nothing made by the old code is
served: a page naming static files the new release no longer has, or minutes laid out
by the old templates.
"""

from __future__ import annotations

import functools
import hashlib
from pathlib import Path

from django.conf import settings

_SUFFIXES = (".py", ".html", ".css", ".js", ".mo", ".svg")
_FOLDERS = ("apps", "sharaka", "templates", "locale", "static")


@functools.cache
def code_version() -> str:
    """The hash of the running code (files under tests excepted)."""
    base = Path(settings.BASE_DIR)
    digest = hashlib.sha256()
    for top in _FOLDERS:
        for path in sorted((base / top).rglob("*")):
            if path.suffix in _SUFFIXES and "tests" not in path.parts and path.is_file():
                digest.update(str(path.relative_to(base)).encode() + b"\0")
                digest.update(path.read_bytes())
    return digest.hexdigest()
