"""Backups that restore: the database and the uploaded files in one tar.gz archive.

The archive holds ``manifest.json`` (format, project version, date, database engine,
the applied migrations, and every file with its size and sha256), the database
(``database.sqlite3``, SQLite's online backup, safe while the server runs; or
``database.pgdump``, ``pg_dump -Fc``) and ``media/`` (MEDIA_ROOT without
``renderings/``, a cache laid out again when asked for). ``restore`` checks every
sha256 before touching anything, refuses a target that is not empty unless forced,
and swaps the files in only once they are all extracted (docs/operations.md).
"""

from __future__ import annotations

import datetime
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from glob import glob
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection

from apps.core import public_cache

FORMAT = 1
MANIFEST = "manifest.json"
# MEDIA_ROOT's folders left out of a backup: caches that are laid out again on demand.
SKIPPED_MEDIA = ("renderings",)


class BackupError(Exception):
    """A backup or a restore that cannot go on (the message says why)."""


def project_version() -> str:
    try:
        return version("sharaka")
    except PackageNotFoundError:
        import tomllib

        with open(Path(settings.BASE_DIR) / "pyproject.toml", "rb") as handle:
            return str(tomllib.load(handle)["project"]["version"])


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1024 * 1024), b""):
            digest.update(chunk)
    return digest.hexdigest()


def engine() -> str:
    vendor = connection.vendor
    if vendor not in ("sqlite", "postgresql"):
        raise BackupError(f"No backup for the database engine {vendor!r}.")
    return vendor


def media_files(root: Path) -> Iterator[Path]:
    """The files under MEDIA_ROOT that a backup keeps (relative paths, sorted)."""
    if not root.is_dir():
        return
    for path in sorted(root.rglob("*")):
        relative = path.relative_to(root)
        if relative.parts[0] in SKIPPED_MEDIA or not path.is_file():
            continue
        yield relative


def pg_binary(name: str) -> str:
    """``pg_dump`` or ``pg_restore``: from PATH, else the newest /usr/lib/postgresql."""
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(
        glob(f"/usr/lib/postgresql/*/bin/{name}"),
        key=lambda p: [int(x) if x.isdigit() else 0 for x in Path(p).parts[-3].split(".")],
    )
    if not candidates:
        raise BackupError(f"{name} is not installed (PostgreSQL's client programs).")
    return candidates[-1]


def pg_environment() -> tuple[list[str], dict[str, str]]:
    """Connection options for the command line and the environment: the password goes
    in PGPASSWORD, never on the command line (where ``ps`` shows it)."""
    db = connection.settings_dict
    env = dict(os.environ)
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    args = []
    if db.get("HOST"):
        args += ["--host", str(db["HOST"])]
    if db.get("PORT"):
        args += ["--port", str(db["PORT"])]
    if db.get("USER"):
        args += ["--username", str(db["USER"])]
    args += ["--dbname", str(db["NAME"]), "--no-password"]
    return args, env


def applied_migrations() -> list[list[str]]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT app, name FROM django_migrations ORDER BY app, name")
        return [[app, name] for app, name in cursor.fetchall()]


def _dump_database(kind: str, target: Path) -> None:
    if kind == "sqlite":
        connection.ensure_connection()
        destination = sqlite3.connect(target)
        try:
            # The online backup API copies a consistent snapshot while others write.
            connection.connection.backup(destination)
        finally:
            destination.close()
    else:
        args, env = pg_environment()
        command = [pg_binary("pg_dump"), "--format=custom", "--file", str(target), *args]
        result = subprocess.run(command, env=env, capture_output=True, text=True)  # noqa: S603 - no shell, arguments built here
        if result.returncode:
            raise BackupError(f"pg_dump failed: {result.stderr.strip()}")


def backup(destination: str | Path) -> tuple[Path, dict[str, Any]]:
    """Write a backup archive; ``destination`` is a folder (existing, or written with a
    final slash: a dated name is chosen) or a file name. Returns the archive's path and
    its manifest."""
    kind = engine()
    now = datetime.datetime.now(datetime.UTC)
    folder = str(destination).endswith(os.sep)
    destination = Path(destination)
    if folder or destination.is_dir():
        destination.mkdir(parents=True, exist_ok=True)
        destination = destination / f"sharaka-{now:%Y%m%d-%H%M%S}.tar.gz"
    destination.parent.mkdir(parents=True, exist_ok=True)
    media_root = Path(settings.MEDIA_ROOT)
    with tempfile.TemporaryDirectory(dir=destination.parent) as work:
        database = Path(work) / ("database.sqlite3" if kind == "sqlite" else "database.pgdump")
        _dump_database(kind, database)
        files: list[dict[str, Any]] = [
            {
                "path": f"media/{relative.as_posix()}",
                "size": (media_root / relative).stat().st_size,
                "sha256": sha256(media_root / relative),
            }
            for relative in media_files(media_root)
        ]
        manifest: dict[str, Any] = {
            "format": FORMAT,
            "version": project_version(),
            "created": now.isoformat(),
            "engine": kind,
            "database": {
                "path": database.name,
                "size": database.stat().st_size,
                "sha256": sha256(database),
            },
            "migrations": applied_migrations(),
            "files": files,
        }
        (Path(work) / MANIFEST).write_text(json.dumps(manifest, indent=1, ensure_ascii=False))
        partial = Path(work) / "archive.tar.gz"
        with tarfile.open(partial, "w:gz", compresslevel=6) as archive:
            archive.add(Path(work) / MANIFEST, MANIFEST)
            archive.add(database, database.name)
            for entry in files:
                archive.add(media_root / entry["path"][len("media/") :], entry["path"])
        # Renamed into place whole: a backup that failed half-way leaves no archive.
        os.replace(partial, destination)
    return destination, manifest


def read_manifest(archive: tarfile.TarFile) -> dict[str, Any]:
    try:
        member = archive.extractfile(MANIFEST)
    except KeyError:
        member = None
    if member is None:
        raise BackupError("Not a Sharaka backup: the archive has no manifest.json.")
    manifest: dict[str, Any] = json.loads(member.read())
    if manifest.get("format") != FORMAT:
        raise BackupError(f"Unknown backup format {manifest.get('format')!r}.")
    return manifest


def database_is_empty() -> bool:
    return not connection.introspection.table_names()


def media_is_empty(root: Path) -> bool:
    return not root.exists() or not any(root.iterdir())


def _restore_database(kind: str, dump: Path, force: bool) -> None:
    if kind == "sqlite":
        source = sqlite3.connect(dump)
        try:
            connection.ensure_connection()
            source.backup(connection.connection)
        finally:
            source.close()
        return
    if force:
        with connection.cursor() as cursor:
            cursor.execute("DROP SCHEMA public CASCADE")
            cursor.execute("CREATE SCHEMA public")
    connection.close()
    args, env = pg_environment()
    command = [
        pg_binary("pg_restore"),
        "--no-owner",
        "--no-privileges",
        "--single-transaction",
        "--exit-on-error",
        *args,
        str(dump),
    ]
    result = subprocess.run(command, env=env, capture_output=True, text=True)  # noqa: S603 - no shell, arguments built here
    if result.returncode:
        raise BackupError(f"pg_restore failed: {result.stderr.strip()}")


def restore(source: Path, force: bool = False) -> dict[str, Any]:
    """Restore a backup archive into the configured database and MEDIA_ROOT."""
    kind = engine()
    media_root = Path(settings.MEDIA_ROOT)
    if not force and not database_is_empty():
        raise BackupError("The database is not empty (use --force to replace it).")
    if not force and not media_is_empty(media_root):
        raise BackupError(f"{media_root} is not empty (use --force to replace it).")
    media_root.parent.mkdir(parents=True, exist_ok=True)
    with (
        tarfile.open(source, "r:gz") as archive,
        tempfile.TemporaryDirectory(dir=media_root.parent, prefix=".restore-") as work,
    ):
        manifest = read_manifest(archive)
        if manifest["engine"] != kind:
            raise BackupError(
                f"This backup is of a {manifest['engine']} database; the configured one is {kind}."
            )
        expected = {manifest["database"]["path"]: manifest["database"]}
        expected.update({entry["path"]: entry for entry in manifest["files"]})
        # Everything is extracted and checked before anything is replaced.
        archive.extractall(work, members=_members(archive, expected), filter="data")
        for name, entry in expected.items():
            path = Path(work) / name
            if not path.is_file() or sha256(path) != entry["sha256"]:
                raise BackupError(f"{name} is missing from the archive or damaged.")
        _restore_database(kind, Path(work) / manifest["database"]["path"], force)
        # The files: the new folder is moved in whole, then the old one is removed.
        extracted = Path(work) / "media"
        extracted.mkdir(exist_ok=True)
        old = Path(work) / "previous-media"
        if media_root.exists():
            os.replace(media_root, old)
        os.replace(extracted, media_root)
        if (old / SKIPPED_MEDIA[0]).is_dir():
            # The cache is kept (its files are named after their source's hash).
            os.replace(old / SKIPPED_MEDIA[0], media_root / SKIPPED_MEDIA[0])
    # The database was replaced outside the connection's watched statements: every
    # public page kept so far is left behind (apps/core/public_cache.py).
    public_cache.bump()
    return manifest


def _members(archive: tarfile.TarFile, expected: dict[str, Any]) -> list[tarfile.TarInfo]:
    members = []
    for member in archive.getmembers():
        if member.name == MANIFEST:
            continue
        if member.name not in expected or not member.isfile():
            raise BackupError(f"Unexpected entry in the archive: {member.name}")
        members.append(member)
    return members
