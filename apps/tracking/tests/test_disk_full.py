"""The disk fills up while a report's evidence is stored: a storage that takes one file
and then raises the operating system's ENOSPC, as a full disk does. The person reads a
clear message, and neither a row nor a file of the report is left."""

from __future__ import annotations

import errno
import os
from pathlib import Path
from typing import Any

import pytest
from django.core.files.storage import FileSystemStorage

from apps.tracking.models import Evidence, ProgressUpdate
from apps.tracking.tests.factories import PDF, upload
from apps.tracking.tests.test_views import form_data, login

pytestmark = pytest.mark.django_db


class DiskFullAfterOneFile(FileSystemStorage):
    room = 1

    def _save(self, name: str, content: Any) -> str:
        if DiskFullAfterOneFile.room <= 0:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), name)
        DiskFullAfterOneFile.room -= 1
        return super()._save(name, content)


def test_a_full_disk_leaves_neither_row_nor_file(
    client, settings, tmp_path: Path, activity, focal_point_a
):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": f"{__name__}.DiskFullAfterOneFile",
            "OPTIONS": {"location": str(tmp_path)},
        },
    }
    DiskFullAfterOneFile.room = 1
    fp = login(client, focal_point_a)
    response = fp.post(
        f"/fr/tracking/activities/{activity.pk}/report/",
        form_data(attachments=[upload("a.pdf", PDF), upload("b.pdf", PDF)]),
    )
    assert "Le serveur n’a plus de place pour enregistrer les fichiers" in response.content.decode()
    assert DiskFullAfterOneFile.room == 0  # the first file was stored, then deleted
    assert not ProgressUpdate.objects.exists() and not Evidence.objects.exists()
    assert [p for p in tmp_path.rglob("*") if p.is_file()] == []
