"""Every write of the reports app. Each action owns its transaction, checks the acting
user's permission (``rules.py``), writes the audit row and enqueues work only after
commit. A generation runs in the background (:func:`run_generation`, from
``tasks.generate_report_task``): the request that asks for it never waits for a render.
"""

from __future__ import annotations

import datetime
import hashlib
import uuid
from functools import partial
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy
from django.utils.translation import gettext_lazy as _

from apps.committees.models import Snapshot
from apps.core import bounds
from apps.core.errors import ActionError, check_permission
from apps.core.languages import LANGUAGES
from apps.core.models import AuditLog
from apps.core.once import once
from apps.plans.models import ActionPlan
from apps.reports.document import build_report, capture
from apps.reports.models import (
    DEFAULT_STAGES,
    JOB_STALE_AFTER,
    STALLED_MESSAGE,
    FileFormat,
    GenerationJob,
    JobStatus,
    ReportCycle,
    ReportFile,
    ReportVersion,
    Stage,
    StageKey,
)
from apps.reports.render import render_docx, render_html, render_pdf
from apps.reports.stages import closing_blockers, frozen_message, is_published, window_error


class ReportError(ActionError):
    """A report change that cannot happen. The message is translated, for the user."""


def _denied() -> ReportError:
    return ReportError(gettext_lazy("Only the secretariat manages self-assessment reports."))


def _last_day(year: int, month: int) -> datetime.date:
    following = datetime.date(year + month // 12, month % 12 + 1, 1)
    return following - datetime.timedelta(days=1)


@transaction.atomic
def do_create_cycle(
    plan: ActionPlan,
    kind: str,
    year: int,
    *,
    acting_user: Any,
    snapshot: Snapshot | None = None,
    at: datetime.datetime | None = None,
    token: uuid.UUID | None = None,
) -> ReportCycle:
    """A cycle with the six stages of the default template, in ``year``'s calendar. The
    same form posted twice (``token``) gives the cycle the first post created."""
    check_permission(acting_user, "reports.add_cycle", plan, _denied())
    if snapshot is not None and snapshot.plan_id != plan.pk:
        raise ReportError(_("The snapshot belongs to another plan."))

    def create() -> ReportCycle:
        if ReportCycle.objects.filter(plan=plan, kind=kind).exists():
            raise ReportError(_("This plan already has a report of this kind."))
        cycle = ReportCycle.objects.create(
            plan=plan, kind=kind, year=year, snapshot=snapshot, created_at=at or timezone.now()
        )
        Stage.objects.bulk_create(
            Stage(
                cycle=cycle,
                order=order,
                key=key,
                planned_start=datetime.date(year, first, 1),
                planned_end=_last_day(year, last),
            )
            for order, (key, first, last) in enumerate(DEFAULT_STAGES, start=1)
        )
        AuditLog.record(
            actor=acting_user,
            action="report.create_cycle",
            target=cycle,
            after={"plan": plan.pk, "kind": kind, "year": year},
        )
        return cycle

    cycle, _created = once(token, "report.create_cycle", ReportCycle, acting_user, create)
    return cycle


def _locked_stage(stage: Stage) -> Stage:
    return Stage.objects.select_for_update().select_related("cycle__plan").get(pk=stage.pk)


def _refuse_if_published(cycle: ReportCycle) -> None:
    if is_published(cycle):
        raise ReportError(frozen_message())


@transaction.atomic
def do_plan_stage(
    stage: Stage, start: datetime.date, end: datetime.date, *, acting_user: Any
) -> Stage:
    """Change a stage's planned window."""
    stage = _locked_stage(stage)
    check_permission(acting_user, "reports.move_stage", stage.cycle, _denied())
    _refuse_if_published(stage.cycle)
    bounds.check_plan(start, stage.cycle.plan, ReportError)
    bounds.check_plan(end, stage.cycle.plan, ReportError)
    problem = window_error(stage.key, start, end)
    if problem:
        raise ReportError(problem)
    before = {
        "planned_start": stage.planned_start.isoformat(),
        "planned_end": stage.planned_end.isoformat(),
    }
    stage.planned_start, stage.planned_end = start, end
    stage.save(update_fields=["planned_start", "planned_end"])
    AuditLog.record(
        actor=acting_user,
        action="report.plan_stage",
        target=stage,
        before=before,
        after={"planned_start": start.isoformat(), "planned_end": end.isoformat()},
    )
    return stage


@transaction.atomic
def do_start_stage(stage: Stage, *, acting_user: Any, on: datetime.date | None = None) -> Stage:
    stage = _locked_stage(stage)
    check_permission(acting_user, "reports.move_stage", stage.cycle, _denied())
    if stage.started_on is not None:
        raise ReportError(_("This stage has already started."))
    if stage.key in (StageKey.REVIEW, StageKey.CONSULT) and not stage.cycle.versions.exists():
        raise ReportError(
            _("Generate a version of the report before it is reviewed or consulted on.")
        )
    stage.started_on = on or timezone.localdate()
    bounds.check_fact(stage.started_on, stage.cycle.plan, ReportError)
    stage.save(update_fields=["started_on"])
    AuditLog.record(
        actor=acting_user,
        action="report.start_stage",
        target=stage,
        after={"started_on": stage.started_on.isoformat()},
    )
    return stage


@transaction.atomic
def do_complete_stage(stage: Stage, *, acting_user: Any, on: datetime.date | None = None) -> Stage:
    stage = _locked_stage(stage)
    check_permission(acting_user, "reports.move_stage", stage.cycle, _denied())
    if stage.started_on is None:
        raise ReportError(_("A stage is completed only once it has started."))
    if stage.completed_on is not None:
        raise ReportError(_("This stage is already completed."))
    day = on or timezone.localdate()
    bounds.check_fact(day, stage.cycle.plan, ReportError)
    if day < stage.started_on:
        raise ReportError(_("A stage cannot be completed before it started."))
    blockers = closing_blockers(stage, day)
    if blockers:
        raise ReportError(" ".join(blockers))
    stage.completed_on = day
    stage.save(update_fields=["completed_on"])
    AuditLog.record(
        actor=acting_user,
        action="report.complete_stage",
        target=stage,
        after={"completed_on": day.isoformat()},
    )
    return stage


@transaction.atomic
def do_edit_cycle(
    cycle: ReportCycle,
    *,
    acting_user: Any,
    snapshot: Snapshot | None,
    lessons: dict[str, str],
) -> ReportCycle:
    """Choose the snapshot and edit the lessons learned (plain text in every language)."""
    cycle = ReportCycle.objects.select_for_update().get(pk=cycle.pk)
    check_permission(acting_user, "reports.change_cycle", cycle, _denied())
    _refuse_if_published(cycle)
    if snapshot is not None and snapshot.plan_id != cycle.plan_id:
        raise ReportError(_("The snapshot belongs to another plan."))
    before = {
        "snapshot": cycle.snapshot_id,
        **{f"lessons_{k}": cycle.lessons(k) for k in LANGUAGES},
    }
    cycle.snapshot = snapshot
    for lang in LANGUAGES:
        setattr(cycle, f"lessons_{lang}", lessons.get(lang, ""))
    cycle.save()
    after = {"snapshot": cycle.snapshot_id, **{f"lessons_{k}": cycle.lessons(k) for k in LANGUAGES}}
    AuditLog.record(
        actor=acting_user,
        action="report.edit_cycle",
        target=cycle,
        before={k: v for k, v in before.items() if after[k] != v},
        after={k: v for k, v in after.items() if before[k] != v},
    )
    return cycle


@transaction.atomic
def do_request_generation(
    cycle: ReportCycle,
    *,
    acting_user: Any,
    at: datetime.datetime | None = None,
    enqueue: bool = True,
) -> GenerationJob:
    """Queue a generation; the background task renders it (see :func:`run_generation`)."""
    cycle = ReportCycle.objects.select_for_update().get(pk=cycle.pk)
    check_permission(acting_user, "reports.generate_report", cycle, _denied())
    _refuse_if_published(cycle)
    if cycle.snapshot_id is None:
        raise ReportError(
            _("Choose the committee snapshot the figures come from before generating the report.")
        )
    now = timezone.now()
    # A job left running by a worker that stopped fails, and takes no new one's place.
    cycle.jobs.filter(status=JobStatus.RUNNING, updated_at__lt=now - JOB_STALE_AFTER).update(
        status=JobStatus.FAILED, error=str(STALLED_MESSAGE), updated_at=now
    )
    if cycle.jobs.filter(status__in=[JobStatus.QUEUED, JobStatus.RUNNING]).exists():
        raise ReportError(_("A generation of this report is already under way."))
    job = GenerationJob.objects.create(
        cycle=cycle,
        requested_at=at or now,
        updated_at=now,
        requested_by=acting_user if getattr(acting_user, "is_authenticated", False) else None,
    )
    AuditLog.record(
        actor=acting_user, action="report.request_generation", target=cycle, after={"job": job.pk}
    )
    if enqueue:
        from apps.reports.tasks import generate_report_task

        transaction.on_commit(partial(generate_report_task.enqueue, job.pk))
    return job


def _set_job(job: GenerationJob, **fields: Any) -> None:
    """Change the job, and bump its heartbeat (``updated_at``): the worker is alive."""
    fields.setdefault("updated_at", timezone.now())
    for key, value in fields.items():
        setattr(job, key, value)
    GenerationJob.objects.filter(pk=job.pk).update(**fields)


RENDERERS = {FileFormat.HTML: render_html, FileFormat.PDF: render_pdf, FileFormat.DOCX: render_docx}


def run_generation(job_id: int, *, at: datetime.datetime | None = None) -> ReportVersion | None:
    """Render every language and format of a queued generation, then keep it as the next
    numbered version, in one transaction. On any failure: the files written so far are
    deleted, the job says why, and no version exists."""
    job = GenerationJob.objects.select_related("cycle").get(pk=job_id)
    if job.status != JobStatus.QUEUED:
        return job.version
    _set_job(job, status=JobStatus.RUNNING, progress=0)
    written: list[str] = []
    try:
        content = capture(job.cycle)
        steps = len(LANGUAGES) * len(RENDERERS)
        made: list[tuple[str, str, str, str, int]] = []
        for lang in LANGUAGES:
            report = build_report(content, lang)
            for fmt, render in RENDERERS.items():
                data = render(report)
                digest = hashlib.sha256(data).hexdigest()
                name = default_storage.save(
                    f"reports/{job.cycle_id}/{job.pk}-{lang}.{fmt}", ContentFile(data)
                )
                written.append(name)
                made.append((lang, fmt, name, digest, len(data)))
                _set_job(job, progress=len(made) * 100 // (steps + 1))
        with transaction.atomic():
            cycle = ReportCycle.objects.select_for_update().get(pk=job.cycle_id)
            if GenerationJob.objects.get(pk=job.pk).status != JobStatus.RUNNING:
                # Given up for stalled meanwhile (and maybe asked for again): keep nothing.
                raise ReportError(STALLED_MESSAGE)
            number = (cycle.versions.aggregate(n=Max("number"))["n"] or 0) + 1
            version = ReportVersion.objects.create(
                cycle=cycle,
                number=number,
                snapshot_id=content["snapshot"]["id"],
                content=content,
                generated_at=at or timezone.now(),
                generated_by=job.requested_by,
            )
            ReportFile.objects.bulk_create(
                ReportFile(
                    version=version,
                    language=lang,
                    format=fmt,
                    file=name,
                    checksum=digest,
                    size=size,
                )
                for lang, fmt, name, digest, size in made
            )
            AuditLog.record(
                actor=job.requested_by,
                action="report.generate",
                target=version,
                after={"number": number, "snapshot": version.snapshot_id},
            )
            _set_job(  # its last word: when the version was generated
                job,
                status=JobStatus.DONE,
                progress=100,
                version=version,
                updated_at=version.generated_at,
            )
        return version
    except Exception as error:  # the job must say it failed, whatever went wrong
        for name in written:
            default_storage.delete(name)
        _set_job(job, status=JobStatus.FAILED, error=str(error)[:2000])
        return None
