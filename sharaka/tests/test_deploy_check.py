"""``manage.py check --deploy`` passes without a warning under the production environment
the README documents ("Deploying on PostgreSQL with workers"): the variables are read
from the README's own block, so the documentation and the settings cannot drift apart."""

from __future__ import annotations

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

from django.conf import settings

README = Path(settings.BASE_DIR) / "README.md"


def documented_environment() -> dict[str, str]:
    """The ``KEY=value`` lines of the README's deployment block (comments dropped)."""
    text = README.read_text(encoding="utf-8")
    section = text.split("## Deploying on PostgreSQL with workers", 1)[1].split("\n## ", 1)[0]
    block = re.search(r"```sh\n(.*?)```", section, re.S)
    assert block, "the README's deployment section has lost its environment block"
    environment = {}
    for line in block.group(1).splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            key, value = line.split("=", 1)
            environment[key] = value
    return environment


def check_deploy(environment: dict[str, str], tmp_path: Path) -> subprocess.CompletedProcess[str]:
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(tmp_path),
        "SHARAKA_VAR_DIR": str(tmp_path),
        **environment,
    }
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def production(tmp_path: Path) -> dict[str, str]:
    environment = documented_environment()
    # The README's placeholders: a fresh key; a database the check does not open.
    assert environment["SECRET_KEY"] == "…"
    environment["SECRET_KEY"] = secrets.token_urlsafe(50)
    environment["DATABASE_URL"] = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    return environment


def test_check_deploy_passes_under_the_documented_production_settings(tmp_path):
    environment = production(tmp_path)
    for name in (
        "SECURE_SSL_REDIRECT",
        "SECURE_HSTS_SECONDS",
        "SECURE_PROXY_SSL_HEADER",
        "SECURE_COOKIES",
        "CSRF_TRUSTED_ORIGINS",
    ):
        assert name in environment, name
    result = check_deploy(environment, tmp_path)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "System check identified no issues" in output, output
    assert not re.search(r"\b(WARNING|ERROR)S?:|\.W\d{3}|\.E\d{3}", output), output


def test_check_deploy_names_what_a_partial_configuration_lacks(tmp_path):
    environment = production(tmp_path)
    for name in ("SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS", "SECURE_COOKIES"):
        del environment[name]
    result = check_deploy(environment, tmp_path)
    output = result.stdout + result.stderr
    assert result.returncode != 0
    for code in ("security.W004", "security.W008", "security.W012", "security.W016"):
        assert code in output, output
