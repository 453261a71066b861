"""Every write of the exchange app: an uploaded file becomes an import job, checked in
the background (the preview); the secretariat applies it, in the background too. The
importer itself writes through the other apps' actions (audit rows there); the job's
upload, application and the plan exports leave audit rows of their own here.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from functools import partial
from importlib.util import find_spec
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone, translation
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

from apps.core.errors import ActionError, check_permission
from apps.core.models import AuditLog
from apps.core.once import once
from apps.exchange.models import ImportJob, ImportStatus
from apps.exchange.report import IMPORTERS, ImportReport, RowError
from apps.plans.models import ActionPlan

logger = logging.getLogger(__name__)


class ExchangeError(ActionError):
    """An import or export that cannot happen; the message is for the user."""


def _denied() -> ExchangeError:
    return ExchangeError(_("Only the secretariat imports and exports plans."))


def is_available(kind: str) -> bool:
    """Whether the importer of ``kind`` is installed (another may come later)."""
    return kind in IMPORTERS and find_spec(IMPORTERS[kind]) is not None


def importer(kind: str) -> Any:
    """The module that imports ``kind`` (see :mod:`apps.exchange.report`)."""
    return import_string(IMPORTERS[kind])


@transaction.atomic
def do_upload_import(
    kind: str,
    upload: UploadedFile,
    *,
    acting_user: Any,
    language: str,
    options: dict[str, Any] | None = None,
    token: uuid.UUID | None = None,
    enqueue: bool = True,
) -> ImportJob:
    """Keep an uploaded file as an import job and queue its check (the preview)."""
    check_permission(acting_user, "exchange.import", None, _denied())
    if not is_available(kind):
        raise ExchangeError(_("This kind of import is not available yet."))

    def create() -> ImportJob:
        job = ImportJob.objects.create(
            kind=kind,
            file=upload,
            file_name=(upload.name or "")[:255],
            language=language,
            options=options or {},
            created_by=acting_user,
        )
        AuditLog.record(
            actor=acting_user,
            action="exchange.upload_import",
            target=job,
            after={"kind": kind, "file_name": job.file_name, "size": upload.size},
        )
        if enqueue:
            from apps.exchange.tasks import preview_import_task

            transaction.on_commit(partial(preview_import_task.enqueue, job.pk))
        return job

    job, _created = once(token, "exchange.upload_import", ImportJob, acting_user, create)
    return job


@transaction.atomic
def do_apply_import(
    job: ImportJob,
    *,
    acting_user: Any,
    token: uuid.UUID | None = None,
    enqueue: bool = True,
) -> ImportJob:
    """Queue the application of a checked import (refused if its preview has errors).
    The same form posted twice applies it once."""
    check_permission(acting_user, "exchange.import", job, _denied())

    def start() -> ImportJob:
        locked = ImportJob.objects.select_for_update().get(pk=job.pk)
        if locked.status != ImportStatus.PREVIEWED:
            raise ExchangeError(_("This import is not waiting to be applied."))
        preview = locked.report()
        if preview is None or not preview.ok:
            raise ExchangeError(_("Correct the errors in the file and upload it again."))
        locked.status = ImportStatus.APPLYING
        locked.rows_done = 0
        locked.applied_by = acting_user
        locked.save(update_fields=["status", "rows_done", "applied_by"])
        AuditLog.record(
            actor=acting_user,
            action="exchange.apply_import",
            target=locked,
            before={"status": ImportStatus.PREVIEWED},
            after={"status": ImportStatus.APPLYING},
        )
        if enqueue:
            from apps.exchange.tasks import apply_import_task

            transaction.on_commit(partial(apply_import_task.enqueue, locked.pk))
        return locked

    applied, _created = once(token, "exchange.apply_import", ImportJob, acting_user, start)
    return applied


def _progress(job_id: int) -> Callable[[int], None]:
    def report(rows: int) -> None:
        ImportJob.objects.filter(pk=job_id).update(rows_done=rows)

    return report


def _run(job: ImportJob, *, apply: bool) -> ImportReport:
    """The importer on the job's file, in the language of the person who uploaded it.
    An unexpected failure is a report with a file error (logged), never a job left
    running."""
    user = job.applied_by if apply else job.created_by
    if user is None:
        from apps.accounts import system_user

        user = system_user()
    with translation.override(job.language):
        try:
            path = job.file.path  # the media storage is a folder (see docs/data-exchange.md)
            return importer(job.kind).run(
                path, apply=apply, user=user, options=job.options, progress=_progress(job.pk)
            )
        except Exception:
            logger.exception("Import %s failed", job.pk)
            report = ImportReport(kind=job.kind)
            report.file_errors.append(
                RowError(0, "", str(_("The import failed unexpectedly; nothing was written.")))
            )
            return report


def run_preview(job_id: int) -> ImportJob:
    """Check an uploaded file (nothing is written): the job's preview."""
    job = ImportJob.objects.get(pk=job_id)
    if job.status != ImportStatus.UPLOADED:
        return job
    report = _run(job, apply=False)
    job.preview = report.as_json()
    job.status = ImportStatus.PREVIEWED
    job.save(update_fields=["preview", "status"])
    return job


def run_apply(job_id: int) -> ImportJob:
    """Apply a checked import: all rows in one transaction, or none."""
    job = ImportJob.objects.select_related("applied_by").get(pk=job_id)
    if job.status != ImportStatus.APPLYING:
        return job
    report = _run(job, apply=True)
    job.result = report.as_json()
    job.status = ImportStatus.APPLIED if report.applied else ImportStatus.FAILED
    job.applied_at = timezone.now()
    with transaction.atomic():
        job.save(update_fields=["result", "status", "applied_at"])
        AuditLog.record(
            actor=job.applied_by,
            action="exchange.import_applied" if report.applied else "exchange.import_failed",
            target=job,
            before={"status": ImportStatus.APPLYING},
            after={"status": job.status, "kind": job.kind, **report.counts()},
        )
    return job


def do_export_plan(plan: ActionPlan, fmt: str, *, acting_user: Any) -> None:
    """Record that ``acting_user`` exported the plan's sheet (the view writes it)."""
    check_permission(acting_user, "exchange.export_plan", plan, _denied())
    AuditLog.record(
        actor=acting_user, action="exchange.export_plan", target=plan, after={"format": fmt}
    )
