"""Upload quotas (apps/core/files.py): files and megabytes per update, megabytes per
person. A refusal says why in the user's language and stores nothing, on disk neither."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from apps.core.files import UploadRefused
from apps.tracking import actions
from apps.tracking.models import Evidence, ProgressUpdate
from apps.tracking.tests.factories import PDF, report, upload
from apps.tracking.tests.test_views import form_data

pytestmark = pytest.mark.django_db
MB = 1024 * 1024


def pdf(name: str, size: int = 0) -> tuple[object, str]:
    return upload(name, PDF + b"0" * max(0, size - len(PDF))), "application/pdf"


def files_on_disk() -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def test_three_files_of_9_9_mb_exceed_an_update_s_25_mb(activity, focal_point_a):
    # Ten such files in one update were accepted (99 MB); three are 29.7 MB.
    files = [pdf(f"{n}.pdf", int(9.9 * MB)) for n in range(3)]
    with pytest.raises(UploadRefused, match="25"):
        actions.do_record_progress(activity, report(files=files), acting_user=focal_point_a)
    assert not ProgressUpdate.objects.exists() and not files_on_disk()


def test_at_most_five_files_per_update_counting_those_kept(activity, focal_point_a):
    update = actions.do_record_progress(
        activity, report(files=[pdf(f"{n}.pdf") for n in range(5)]), acting_user=focal_point_a
    )
    on_disk = files_on_disk()
    assert len(on_disk) == 5
    with pytest.raises(UploadRefused):
        actions.do_edit_update(update, report(files=[pdf("6.pdf")]), acting_user=focal_point_a)
    assert update.evidence.count() == 5 and files_on_disk() == on_disk
    # Removing one makes room for another, in the same edit.
    removed = update.evidence.first()
    assert removed is not None
    actions.do_edit_update(
        update,
        report(files=[pdf("6.pdf")]),
        acting_user=focal_point_a,
        remove_evidence=[removed.pk],
    )
    assert update.evidence.count() == 5


def test_the_page_refuses_too_many_files_with_a_message(client, activity, focal_point_a):
    client.force_login(focal_point_a)
    response = client.post(
        f"/en/tracking/activities/{activity.pk}/report/",
        form_data(attachments=[pdf(f"{n}.pdf")[0] for n in range(6)]),
    )
    assert response.status_code == 400
    assert "At most 5 files per update." in response.content.decode()
    assert not ProgressUpdate.objects.exists() and not files_on_disk()


def test_a_person_s_quota_counts_every_update(settings, activity, focal_point_a):
    settings.SHARAKA_USER_UPLOAD_QUOTA_MB = 1
    actions.do_record_progress(
        activity, report(files=[pdf("a.pdf", 600 * 1024)]), acting_user=focal_point_a
    )
    client = Client()
    client.force_login(focal_point_a)
    response = client.post(
        f"/fr/tracking/activities/{activity.pk}/report/",
        form_data(attachments=pdf("b.pdf", 600 * 1024)[0], links=""),
    )
    html = response.content.decode()
    assert "Vos fichiers dépasseraient votre quota de stockage de 1 Mo." in html
    assert ProgressUpdate.objects.count() == 1 and Evidence.objects.count() == 1
    assert len(files_on_disk()) == 1
