"""Settings read from the environment as the README's configuration table says."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from django.conf import settings


def site_url(**env: str) -> str:
    environ = {k: v for k, v in os.environ.items() if k not in ("SITE_URL", "PORT")}
    environ.update({"SECRET_KEY": "test-only", **env})
    out = subprocess.run(
        [sys.executable, "-c", "import sharaka.settings as s; print(s.SITE_URL)"],
        env=environ,
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        check=True,
    )
    return out.stdout.strip()


def test_mail_links_follow_the_port_make_run_serves():
    assert site_url() == "http://127.0.0.1:8000"
    assert site_url(PORT="8123") == "http://127.0.0.1:8123"


def test_an_explicit_site_url_wins():
    assert site_url(PORT="8123", SITE_URL="https://sharaka.example.org") == (
        "https://sharaka.example.org"
    )


@pytest.mark.django_db
def test_postgresql_connections_compile_no_query_plan():
    """JIT compilation is off per connection (about 100 ms on a dashboard query)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"
