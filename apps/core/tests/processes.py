"""Helpers for the tests that run the platform as real processes (backup and restore,
the production smoke test): ``manage.py`` in a subprocess with its own environment, and
throwaway databases on the PostgreSQL server of the test run (``DATABASE_URL``)."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[3]


def on_postgresql() -> bool:
    return os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://"))


def base_environment(var_dir: Path, database_url: str | None) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "PYTEST", "DATABASE_URL"))
    }
    env.update(
        DEBUG="0",
        SECRET_KEY="test-only-process-secret-key",
        SHARAKA_VAR_DIR=str(var_dir),
        DJANGO_SETTINGS_MODULE="sharaka.settings",
        PYTHONUNBUFFERED="1",
    )
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


def manage(env: dict[str, str], *args: str, check: bool = True, **kwargs: Any) -> Any:
    """Run ``manage.py`` with ``env``; returns the CompletedProcess."""
    result = subprocess.run(  # noqa: S603
        [sys.executable, str(ROOT / "manage.py"), *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=kwargs.pop("timeout", 300),
        **kwargs,
    )
    if check and result.returncode:
        raise AssertionError(
            f"manage.py {' '.join(args)} failed ({result.returncode}):\n"
            f"{result.stdout}\n{result.stderr}"
        )
    return result


def _server_url(name: str) -> str:
    base = os.environ["DATABASE_URL"]
    return base.rsplit("/", 1)[0] + "/" + name


@contextmanager
def postgresql_databases(*labels: str) -> Iterator[list[str]]:
    """Fresh empty databases on the test run's PostgreSQL server, dropped afterwards;
    yields their URLs."""
    import psycopg

    names = [f"sharaka_{label}_{uuid.uuid4().hex[:8]}" for label in labels]
    admin = psycopg.connect(_server_url("postgres"), autocommit=True)
    try:
        for name in names:
            admin.execute(f'CREATE DATABASE "{name}"')
        yield [_server_url(name) for name in names]
    finally:
        for name in names:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()
