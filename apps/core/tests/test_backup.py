"""manage.py backup and restore, run as an operator would: the demo with uploaded
evidence is backed up, restored into an empty database and an empty media folder, and
every row of every table and every file (sha256) is compared. On SQLite in the normal
run, on PostgreSQL in the PostgreSQL run (pg_dump/pg_restore)."""

from __future__ import annotations

import hashlib
import json
import sqlite3
import tarfile
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import pytest

from apps.core.tests.processes import base_environment, manage, on_postgresql, postgresql_databases

pytestmark = pytest.mark.slow

ADD_EVIDENCE = """
from django.core.files.base import ContentFile
from apps.tracking.models import Evidence, ProgressUpdate
update = ProgressUpdate.objects.order_by("pk").first()
for i, data in enumerate([b"%PDF-1.4 evidence", "محضر الاجتماع".encode(), bytes(range(256)) * 400]):
    evidence = Evidence(update=update, original_name=f"evidence-{i}.bin", size=len(data))
    evidence.file.save(f"evidence-{i}.bin", ContentFile(data), save=True)
print(Evidence.objects.exclude(file="").count())
"""


def rows(database: str) -> dict[str, list[Any]]:
    """Every row of every table (sorted), and on PostgreSQL every sequence's position."""
    if database.startswith("postgres"):
        import psycopg

        with psycopg.connect(database) as connection:
            tables = [
                name
                for (name,) in connection.execute(
                    "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
                )
            ]
            result = {
                table: sorted(map(repr, connection.execute(f'SELECT * FROM "{table}"')))
                for table in tables
            }
            for (sequence,) in connection.execute(
                "SELECT sequencename FROM pg_sequences WHERE schemaname = 'public'"
            ).fetchall():
                result[f"sequence {sequence}"] = list(
                    connection.execute(f'SELECT last_value, is_called FROM "{sequence}"')
                )
            return result
    connection = sqlite3.connect(database)
    try:
        tables = [
            name
            for (name,) in connection.execute("SELECT name FROM sqlite_master WHERE type='table'")
        ]
        return {
            table: sorted(map(repr, connection.execute(f'SELECT * FROM "{table}"')))
            for table in tables
        }
    finally:
        connection.close()


def files(media: Path) -> dict[str, str]:
    return {
        path.relative_to(media).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in media.rglob("*")
        if path.is_file()
    }


def test_backup_of_the_demo_restores_every_row_and_file(tmp_path: Path) -> None:
    with ExitStack() as stack:
        if on_postgresql():
            source_db, target_db = stack.enter_context(postgresql_databases("src", "dst"))
        else:
            source_db = f"sqlite:///{tmp_path / 'source' / 'sharaka.sqlite3'}"
            target_db = f"sqlite:///{tmp_path / 'target' / 'sharaka.sqlite3'}"
        (tmp_path / "source").mkdir()
        (tmp_path / "target").mkdir()
        source = base_environment(tmp_path / "source", source_db)
        target = base_environment(tmp_path / "target", target_db)

        manage(source, "migrate", "-v0")
        manage(source, "load_demo")
        assert manage(source, "shell", "-c", ADD_EVIDENCE).stdout.splitlines()[-1] == "3"
        cache = tmp_path / "source" / "media" / "renderings" / "cached.pdf"
        cache.parent.mkdir(parents=True, exist_ok=True)  # (the demo's report laid out some)
        cache.write_bytes(b"%PDF laid out again when asked for")

        out = manage(source, "backup", str(tmp_path / "backups") + "/").stdout
        archive = next((tmp_path / "backups").glob("sharaka-*.tar.gz"))
        assert str(archive) in out
        with tarfile.open(archive) as tar:
            manifest = json.load(tar.extractfile("manifest.json"))  # type: ignore[arg-type]
            names = set(tar.getnames())
        assert manifest["engine"] == ("postgresql" if on_postgresql() else "sqlite")
        assert manifest["version"] and manifest["created"]
        listed = {entry["path"]: entry["sha256"] for entry in manifest["files"]}
        source_files = files(tmp_path / "source" / "media")
        # Renderings are a cache, not backed up: laid out again when asked for.
        source_files = {k: v for k, v in source_files.items() if not k.startswith("renderings/")}
        assert listed == {f"media/{path}": digest for path, digest in source_files.items()}
        assert sum(path.startswith("media/evidence/") for path in listed) == 3
        assert names == {"manifest.json", manifest["database"]["path"], *listed}

        # A target that is not empty is refused without --force, and left as it was.
        refused = manage(source, "restore", str(archive), check=False)
        assert refused.returncode != 0
        assert "not empty" in refused.stderr
        assert cache.exists()

        manage(target, "restore", str(archive))

        expected = rows(source_db.removeprefix("sqlite:///"))
        restored = rows(target_db.removeprefix("sqlite:///"))
        assert sum(len(table) for table in expected.values()) > 500
        assert restored == expected
        assert files(tmp_path / "target" / "media") == source_files

        # The restored platform works: its checks pass and it knows the demo's accounts.
        shown = manage(
            target,
            "shell",
            "-c",
            "from apps.accounts.models import User; print(User.objects.filter("
            "username='demo-secretariat').count())",
        )
        assert shown.stdout.splitlines()[-1] == "1"


def test_restore_refuses_a_damaged_archive_and_changes_nothing(tmp_path: Path) -> None:
    with ExitStack() as stack:
        if on_postgresql():
            (source_db,) = stack.enter_context(postgresql_databases("dmg"))
        else:
            source_db = f"sqlite:///{tmp_path / 'sharaka.sqlite3'}"
        env = base_environment(tmp_path, source_db)
        manage(env, "migrate", "-v0", "contenttypes")
        evidence = tmp_path / "media" / "evidence" / "a.txt"
        evidence.parent.mkdir(parents=True)
        evidence.write_text("the original")
        archive = tmp_path / "backup.tar.gz"
        manage(env, "backup", str(archive))

        # The same archive with one file's bytes changed (its manifest unchanged).
        damaged = tmp_path / "damaged.tar.gz"
        with tarfile.open(archive) as tar, tarfile.open(damaged, "w:gz") as out:
            for member in tar.getmembers():
                data = tar.extractfile(member)
                if member.name == "media/evidence/a.txt":
                    import io

                    changed = b"the forgery!"
                    member.size = len(changed)
                    data = io.BytesIO(changed)
                out.addfile(member, data)
        evidence.write_text("written after the backup")
        result = manage(env, "restore", "--force", str(damaged), check=False)
        assert result.returncode != 0
        assert "media/evidence/a.txt is missing from the archive or damaged" in result.stderr
        assert evidence.read_text() == "written after the backup"

        # The sound archive, forced, brings the file back as it was.
        manage(env, "restore", "--force", str(archive))
        assert evidence.read_text() == "the original"
