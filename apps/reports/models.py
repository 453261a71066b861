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
from django.utils import timezone
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


# A step of a generation (one file) takes seconds: a running job silent this long was
# left by a worker that stopped.
JOB_STALE_AFTER = datetime.timedelta(minutes=5)
STALLED_MESSAGE = _("Failed: the worker stopped before the end. Ask for a new generation.")


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
    # The heartbeat: bumped at each step of the generation (every file written). A job
    # said to run but silent longer than JOB_STALE_AFTER was left by a worker that
    # stopped: it counts as failed, and a new generation may be asked for.
    updated_at = models.DateTimeField(_("last heard of"), default=timezone.now)
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
    def is_stalled(self) -> bool:
        """Said to run, but the worker stopped (no heartbeat for ``JOB_STALE_AFTER``)."""
        return (
            self.status == JobStatus.RUNNING and self.updated_at < timezone.now() - JOB_STALE_AFTER
        )

    @property
    def is_under_way(self) -> bool:
        return self.status in (JobStatus.QUEUED, JobStatus.RUNNING) and not self.is_stalled

    @property
    def has_failed(self) -> bool:
        return self.status == JobStatus.FAILED or self.is_stalled

    def get_status_display(self) -> str:  # type: ignore[no-redef]  # Django leaves ours
        if self.is_stalled:
            return str(STALLED_MESSAGE)
        return str(JobStatus(self.status).label)


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


# --- Review, consultation, approval, publication, submission --------------------------


class Section(models.TextChoices):
    """The parts of the report a comment can be about (a commitment's section also names
    the commitment)."""

    GENERAL = "general", _("The report as a whole")
    INTRODUCTION = "introduction", _("Introduction and context")
    PARTICIPATION = "participation", _("Participation during implementation")
    COMMITMENT = "commitment", _("A commitment")
    LESSONS = "lessons", _("Lessons learned")
    ANNEX = "annex", _("Annex: activities")


COMMENT_MAX_LENGTH = 5000


class CommentTarget(models.Model):
    """What every comment on a report shares: the cycle, the version read, the section
    (and the commitment when the section is a commitment's)."""

    cycle = models.ForeignKey(
        ReportCycle, verbose_name=_("report cycle"), on_delete=models.CASCADE, related_name="+"
    )
    version = models.ForeignKey(
        ReportVersion, verbose_name=_("version read"), on_delete=models.PROTECT, related_name="+"
    )
    section = models.CharField(_("section"), max_length=20, choices=Section.choices)
    commitment = models.ForeignKey(
        "plans.Commitment",
        verbose_name=_("commitment"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    body = models.TextField(_("comment"), max_length=COMMENT_MAX_LENGTH)
    created_at = models.DateTimeField(_("written at"))

    class Meta:
        abstract = True
        constraints = []

    @staticmethod
    def target_constraint(name: str) -> models.CheckConstraint:
        return models.CheckConstraint(
            condition=(
                models.Q(section=Section.COMMITMENT, commitment__isnull=False)
                | (~models.Q(section=Section.COMMITMENT) & models.Q(commitment__isnull=True))
            ),
            name=name,
        )


class Resolution(models.TextChoices):
    OPEN = "open", _("Not resolved")
    ACCEPTED = "accepted", _("Accepted with a change")
    ANSWERED = "answered", _("Answered")


class ReviewComment(CommentTarget):
    """A committee member's comment during the committees' review (part 5). The
    secretariat resolves each one; the review stage cannot close while one is open."""

    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.PROTECT,
        related_name="report_review_comments",
    )
    resolution = models.CharField(
        _("resolution"), max_length=10, choices=Resolution.choices, default=Resolution.OPEN
    )
    response = models.TextField(_("response"), blank=True, max_length=COMMENT_MAX_LENGTH)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("resolved by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)

    class Meta:
        verbose_name = _("review comment")
        verbose_name_plural = _("review comments")
        ordering = ["cycle", "created_at", "pk"]
        constraints = [
            CommentTarget.target_constraint("report_review_comment_target"),
            models.CheckConstraint(
                condition=models.Q(resolution=Resolution.OPEN) | ~models.Q(response=""),
                name="report_review_comment_resolved_with_response",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.cycle} review #{self.pk}"

    @property
    def is_open(self) -> bool:
        return self.resolution == Resolution.OPEN


class Participant(models.Model):
    """A person who comments in the public consultation: light identification (a name,
    an e-mail address verified by a link, an optional organisation). Not an account."""

    email = models.EmailField(_("e-mail address"), unique=True)
    name = models.CharField(_("name"), max_length=120)
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    verified_at = models.DateTimeField(_("e-mail verified at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"))

    class Meta:
        verbose_name = _("consultation participant")
        verbose_name_plural = _("consultation participants")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.name


class PublicCommentStatus(models.TextChoices):
    UNVERIFIED = "unverified", _("Waiting for the e-mail address to be verified")
    PUBLISHED = "published", _("Published")
    HIDDEN = "hidden", _("Hidden by the moderators")


class PublicComment(CommentTarget):
    """A comment of the public consultation (part 6). Published once its author's e-mail
    address is verified; the secretariat publishes a reasoned response to every published
    comment before the consultation closes, or hides it with a public reason."""

    participant = models.ForeignKey(
        Participant,
        verbose_name=_("participant"),
        on_delete=models.CASCADE,
        related_name="comments",
    )
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=PublicCommentStatus.choices,
        default=PublicCommentStatus.UNVERIFIED,
    )
    verify_token = models.CharField(_("verification token"), max_length=64, blank=True)
    address_hash = models.CharField(_("address (hashed)"), max_length=64, blank=True)
    hidden_reason = models.CharField(_("reason for hiding"), max_length=500, blank=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("moderated by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    response = models.TextField(_("response"), blank=True, max_length=COMMENT_MAX_LENGTH)
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("responded by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    responded_at = models.DateTimeField(_("responded at"), null=True, blank=True)

    class Meta:
        verbose_name = _("consultation comment")
        verbose_name_plural = _("consultation comments")
        ordering = ["cycle", "created_at", "pk"]
        constraints = [
            CommentTarget.target_constraint("report_public_comment_target"),
            models.CheckConstraint(
                condition=~models.Q(status=PublicCommentStatus.HIDDEN)
                | ~models.Q(hidden_reason=""),
                name="report_public_comment_hidden_with_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.cycle} consultation #{self.pk}"

    @property
    def awaits_response(self) -> bool:
        return self.status == PublicCommentStatus.PUBLISHED and not self.response

    @property
    def is_published(self) -> bool:
        return self.status == PublicCommentStatus.PUBLISHED

    @property
    def is_hidden(self) -> bool:
        return self.status == PublicCommentStatus.HIDDEN

    @property
    def is_unverified(self) -> bool:
        return self.status == PublicCommentStatus.UNVERIFIED


class Approval(models.Model):
    """The steering committee's approval of one version (part 7): who recorded it, when,
    and the meeting where it was decided. One per cycle."""

    cycle = models.OneToOneField(
        ReportCycle,
        verbose_name=_("report cycle"),
        on_delete=models.CASCADE,
        related_name="approval",
    )
    version = models.ForeignKey(
        ReportVersion,
        verbose_name=_("version approved"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    meeting = models.ForeignKey(
        "committees.Meeting",
        verbose_name=_("meeting where it was decided"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_on = models.DateField(_("decided on"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded at"))

    class Meta:
        verbose_name = _("approval")
        verbose_name_plural = _("approvals")

    def __str__(self) -> str:
        return f"{self.cycle} approved"


class Publication(models.Model):
    """The approved version made public, as it was approved: once published, a cycle
    takes no more edits, generations or comments."""

    cycle = models.OneToOneField(
        ReportCycle,
        verbose_name=_("report cycle"),
        on_delete=models.CASCADE,
        related_name="publication",
    )
    version = models.ForeignKey(
        ReportVersion,
        verbose_name=_("version published"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    published_at = models.DateTimeField(_("published at"))
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("published by"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("publication")
        verbose_name_plural = _("publications")

    def __str__(self) -> str:
        return f"{self.cycle} published"


class Submission(models.Model):
    """The report sent to the OGP Support Unit: the date, the reference the Unit gave and
    the files sent."""

    cycle = models.OneToOneField(
        ReportCycle,
        verbose_name=_("report cycle"),
        on_delete=models.CASCADE,
        related_name="submission",
    )
    submitted_on = models.DateField(_("submitted on"))
    reference = models.CharField(_("reference"), max_length=100)
    files = models.ManyToManyField(ReportFile, verbose_name=_("files sent"), related_name="+")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded at"))

    class Meta:
        verbose_name = _("submission to the OGP Support Unit")
        verbose_name_plural = _("submissions to the OGP Support Unit")

    def __str__(self) -> str:
        return f"{self.cycle} submitted"
