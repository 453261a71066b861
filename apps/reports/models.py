"""The self-assessment report of a plan: its cycle, the cycle's stages, the generations
asked for and the numbered versions they produced (files in three languages and three
formats, each with its checksum).

A cycle's figures come from one named committee snapshot
(:class:`apps.committees.models.Snapshot`): a version is regenerated identically from the
same snapshot. Later stages (committee review, public consultation, approval and
submission) attach to a :class:`Stage` by its ``key``.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from apps.committees.models import Snapshot
from apps.plans.models import ActionPlan


class CycleKind(models.TextChoices):
    MID_TERM = "mid_term", _("Mid-term self-assessment")
    END_OF_TERM = "end_of_term", _("End-of-term self-assessment")


class StageKey(models.TextChoices):
    """The six stages of the source document's timeline (the default template)."""

    UPDATE = "update", _("Update the platform")
    TRANSLATE = "translate", _("Finish translating completed activities")
    GENERATE = "generate", _("Generate the report from the platform")
    REVIEW = "review", _("Review by the committees")
    CONSULT = "consult", _("Public consultation")
    SUBMIT = "submit", _("Approve, publish and send to the OGP Support Unit")
    OTHER = "other", _("Other stage")


# (key, first month, last month) of the report's year: the source document's calendar.
DEFAULT_STAGES: list[tuple[str, int, int]] = [
    (StageKey.UPDATE, 4, 5),
    (StageKey.TRANSLATE, 4, 5),
    (StageKey.GENERATE, 5, 5),
    (StageKey.REVIEW, 5, 6),
    (StageKey.CONSULT, 6, 6),
    (StageKey.SUBMIT, 7, 7),
]


class ReportCycle(models.Model):
    """One self-assessment report of a plan (mid-term or end-of-term)."""

    plan = models.ForeignKey(
        ActionPlan, verbose_name=_("plan"), on_delete=models.PROTECT, related_name="report_cycles"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=CycleKind.choices)
    year = models.PositiveSmallIntegerField(_("year"))
    snapshot = models.ForeignKey(
        Snapshot,
        verbose_name=_("snapshot the figures come from"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="report_cycles",
    )
    lessons_ar = models.TextField(_("lessons learned (Arabic)"), blank=True)
    lessons_fr = models.TextField(_("lessons learned (French)"), blank=True)
    lessons_en = models.TextField(_("lessons learned (English)"), blank=True)
    created_at = models.DateTimeField(_("created at"))

    class Meta:
        verbose_name = _("report cycle")
        verbose_name_plural = _("report cycles")
        ordering = ["-year", "kind", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "kind"], name="report_cycle_plan_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.year} — {self.plan}"

    def get_absolute_url(self) -> str:
        return reverse("report_detail", args=[self.pk])

    def lessons(self, language: str) -> str:
        return str(getattr(self, f"lessons_{language}", "") or "")


class Stage(models.Model):
    cycle = models.ForeignKey(
        ReportCycle, verbose_name=_("report cycle"), on_delete=models.CASCADE, related_name="stages"
    )
    order = models.PositiveSmallIntegerField(_("order"))
    key = models.CharField(_("stage"), max_length=20, choices=StageKey.choices)
    planned_start = models.DateField(_("planned start"))
    planned_end = models.DateField(_("planned end"))
    started_on = models.DateField(_("started on"), null=True, blank=True)
    completed_on = models.DateField(_("completed on"), null=True, blank=True)

    class Meta:
        verbose_name = _("stage")
        verbose_name_plural = _("stages")
        ordering = ["cycle", "order"]
        constraints = [
            models.UniqueConstraint(fields=["cycle", "order"], name="report_stage_order"),
            models.CheckConstraint(
                condition=models.Q(planned_end__gte=models.F("planned_start")),
                name="report_stage_planned_window",
            ),
        ]

    def __str__(self) -> str:
        return str(self.get_key_display())

    def is_late(self, today: datetime.date) -> bool:
        """Completed after its window, or still open past it."""
        if self.completed_on is not None:
            return self.completed_on > self.planned_end
        return today > self.planned_end

    @property
    def state(self) -> str:
        if self.completed_on is not None:
            return "completed"
        if self.started_on is not None:
            return "started"
        return "planned"


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Generating")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class GenerationJob(models.Model):
    """A generation asked for: it runs as a background task and, once every file is
    written, becomes one :class:`ReportVersion` (or fails and leaves none)."""

    cycle = models.ForeignKey(
        ReportCycle, verbose_name=_("report cycle"), on_delete=models.CASCADE, related_name="jobs"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    error = models.TextField(_("error"), blank=True)
    requested_at = models.DateTimeField(_("requested at"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    version = models.OneToOneField(
        "ReportVersion",
        verbose_name=_("version"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="job",
    )

    class Meta:
        verbose_name = _("generation")
        verbose_name_plural = _("generations")
        ordering = ["-requested_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.cycle} #{self.pk} {self.status}"

    @property
    def is_under_way(self) -> bool:
        return self.status in (JobStatus.QUEUED, JobStatus.RUNNING)

    @property
    def has_failed(self) -> bool:
        return self.status == JobStatus.FAILED


class ReportVersion(models.Model):
    """A numbered, kept generation: the document as generated (``content``, every
    language) and its files."""

    cycle = models.ForeignKey(
        ReportCycle,
        verbose_name=_("report cycle"),
        on_delete=models.CASCADE,
        related_name="versions",
    )
    number = models.PositiveSmallIntegerField(_("number"))
    snapshot = models.ForeignKey(
        Snapshot, verbose_name=_("snapshot"), on_delete=models.PROTECT, related_name="+"
    )
    content = models.JSONField(_("content"))
    generated_at = models.DateTimeField(_("generated at"))
    generated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("generated by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("report version")
        verbose_name_plural = _("report versions")
        ordering = ["cycle", "number"]
        constraints = [
            models.UniqueConstraint(fields=["cycle", "number"], name="report_version_number"),
        ]

    def __str__(self) -> str:
        return f"{self.cycle} v{self.number}"


class FileFormat(models.TextChoices):
    HTML = "html", "HTML"
    PDF = "pdf", "PDF"
    DOCX = "docx", "DOCX"


class ReportFile(models.Model):
    version = models.ForeignKey(
        ReportVersion, verbose_name=_("version"), on_delete=models.CASCADE, related_name="files"
    )
    language = models.CharField(_("language"), max_length=5)
    format = models.CharField(_("format"), max_length=5, choices=FileFormat.choices)
    file = models.FileField(_("file"), upload_to="reports/", max_length=200)
    checksum = models.CharField(_("SHA-256"), max_length=64)
    size = models.PositiveBigIntegerField(_("size (bytes)"))

    class Meta:
        verbose_name = _("report file")
        verbose_name_plural = _("report files")
        ordering = ["version", "language", "format"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "language", "format"], name="report_file_kind"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.version} {self.language}.{self.format}"

    def get_absolute_url(self) -> str:
        return reverse("report_file", args=[self.pk])
