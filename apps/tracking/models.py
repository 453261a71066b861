"""Progress tracking: focal points, progress updates with evidence, change requests and
the reminders sent about stale items.

Every write goes through :mod:`apps.tracking.actions`; the staleness flags are database
annotations in :mod:`apps.tracking.staleness`.
"""

from __future__ import annotations

import datetime
import os
import uuid
from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Prefetch, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.accounts.rules import is_secretariat
from apps.core.models import TimeStampedModel
from apps.plans.models import Activity, Commitment

NARRATIVE_MAX_LENGTH = 20_000


class FocalPointAssignmentQuerySet(models.QuerySet["FocalPointAssignment"]):
    def current(self) -> FocalPointAssignmentQuerySet:
        return self.filter(ended_on__isnull=True)


class FocalPointAssignment(models.Model):
    """A focal point answering for a commitment from ``started_on`` until ``ended_on``.

    The current focal point is the row without an end. A hand-over ends the current row
    and opens a new one, so the rows of a commitment are its dated history.
    """

    commitment = models.ForeignKey(
        Commitment,
        verbose_name=_("commitment"),
        on_delete=models.CASCADE,
        related_name="focal_point_assignments",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("focal point"),
        on_delete=models.PROTECT,
        related_name="focal_point_assignments",
    )
    started_on = models.DateField(_("since"))
    ended_on = models.DateField(_("until"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = FocalPointAssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("focal point assignment")
        verbose_name_plural = _("focal point assignments")
        ordering = ["commitment", "-started_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["commitment"],
                condition=Q(ended_on__isnull=True),
                name="one_current_focal_point_per_commitment",
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=F("started_on")),
                name="focal_point_assignment_dates_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.commitment_id} → {self.user_id} ({self.started_on}–{self.ended_on or ''})"

    @property
    def is_current(self) -> bool:
        return self.ended_on is None


class UpdateStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    VALIDATED = "validated", _("Validated")
    RETURNED = "returned", _("Returned")


class UpdateSource(models.TextChoices):
    REPORT = "report", _("Focal point report")
    CHANGE_REQUEST = "change_request", _("Accepted change request")
    IMPORT = "import", _("Imported file")


class ProgressUpdateQuerySet(models.QuerySet["ProgressUpdate"]):
    def validated(self) -> ProgressUpdateQuerySet:
        return self.filter(status=UpdateStatus.VALIDATED)

    def pending(self) -> ProgressUpdateQuerySet:
        return self.filter(status=UpdateStatus.SUBMITTED)

    def visible_to(self, user: Any) -> ProgressUpdateQuerySet:
        """Validated updates are public; the others are seen by their author, the
        commitment's current focal point and (once submitted) the secretariat."""
        public = Q(status=UpdateStatus.VALIDATED)
        if not getattr(user, "is_authenticated", False):
            return self.filter(public)
        from apps.tracking.rules import assigned_commitment_ids

        # The commitments the person answers for now: the same fact the permission
        # rules read (loaded with the person, no join here, so no row twice).
        mine = Q(author=user) | Q(
            activity__commitment_id__in=sorted(assigned_commitment_ids(user)),
            status__in=[UpdateStatus.SUBMITTED, UpdateStatus.RETURNED],
        )
        if is_secretariat(user):
            mine |= Q(status__in=[UpdateStatus.SUBMITTED, UpdateStatus.RETURNED])
        return self.filter(public | mine)

    def for_list(self) -> ProgressUpdateQuerySet:
        """What a list of updates shows: the activity, its commitment, plan, lead
        institution, the author and the evidence."""
        return self.select_related(
            "activity__commitment__plan",
            "activity__commitment__lead_institution",
            "author",
            "decided_by",
        ).prefetch_related(Prefetch("evidence", queryset=Evidence.objects.order_by("pk")))


def last_reporting_day(plan: Any) -> datetime.date:
    """The latest day a progress report may be dated: today while the plan runs, its
    last day once it has ended. Reports sent after the end (for the end-of-term
    self-assessment) say what had been achieved by then, so an ended plan's final
    figures describe its period and nothing after it."""
    return min(timezone.localdate(), plan.period_end)


def ended_plan_message(plan: Any) -> str:
    """Why a report dated after the plan's end is refused (in the user's language)."""
    from django.utils.translation import gettext

    from apps.core.dates import date_text

    return gettext(
        "This plan ended on %(date)s: report what had been achieved by then, with a date "
        "on or before that day."
    ) % {"date": date_text(plan.period_end)}


class ProgressUpdate(TimeStampedModel):
    """A focal point's report on one activity: a new percentage, a narrative, evidence.

    Lifecycle: draft → submitted → validated (the activity's live figure changes) or
    returned with a reason → submitted again. A validated update is never edited.
    """

    activity = models.ForeignKey(
        Activity, verbose_name=_("activity"), on_delete=models.CASCADE, related_name="updates"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.PROTECT,
        related_name="progress_updates",
    )
    # No index on the status alone: nine updates in ten are validated, and SQLite, which
    # keeps no statistics, read every validated update of the platform through it
    # instead of the updates of the page's activities (update_activity_status_idx).
    status = models.CharField(
        _("status"), max_length=20, choices=UpdateStatus.choices, default=UpdateStatus.DRAFT
    )
    source = models.CharField(
        _("source"), max_length=20, choices=UpdateSource.choices, default=UpdateSource.REPORT
    )
    progress = models.PositiveSmallIntegerField(
        _("progress (%)"), validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    previous_progress = models.PositiveSmallIntegerField(
        _("previous progress (%)"),
        null=True,
        blank=True,
        help_text=_("The live figure this update replaced, recorded when it was validated."),
    )
    language = models.CharField(
        _("language of the narrative"), max_length=5, choices=settings.LANGUAGES, default="ar"
    )
    # In ar/fr/en like the rest of the content (translation.py): ``narrative`` reads the
    # active language's, else the first one given in Arabic, French, English.
    narrative = models.TextField(_("narrative"), blank=True, default="")
    reported_on = models.DateField(_("reporting date"))
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    validated_at = models.DateTimeField(_("validated at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("validated or returned by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    return_reason = models.TextField(_("reason for returning"), blank=True)

    objects = ProgressUpdateQuerySet.as_manager()

    class Meta:
        verbose_name = _("progress update")
        verbose_name_plural = _("progress updates")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(progress__gte=0) & Q(progress__lte=100),
                name="progress_update_0_100",
            ),
            models.CheckConstraint(
                condition=~Q(status=UpdateStatus.VALIDATED) | Q(validated_at__isnull=False),
                name="progress_update_validated_has_date",
            ),
        ]
        indexes = [
            models.Index(
                fields=["activity", "status", "validated_at"], name="update_activity_status_idx"
            ),
            # The validation queue and the pending counts: the few submitted updates.
            models.Index(
                fields=["submitted_at"],
                condition=Q(status=UpdateStatus.SUBMITTED),
                name="update_submitted_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.activity_id}: {self.progress}% ({self.status})"

    def get_absolute_url(self) -> str:
        return reverse("tracking:update_detail", args=[self.pk])

    @property
    def is_editable(self) -> bool:
        return self.status in (UpdateStatus.DRAFT, UpdateStatus.RETURNED)

    @property
    def is_draft(self) -> bool:
        return self.status == UpdateStatus.DRAFT

    @property
    def is_submitted(self) -> bool:
        return self.status == UpdateStatus.SUBMITTED

    @property
    def is_validated(self) -> bool:
        return self.status == UpdateStatus.VALIDATED

    @property
    def is_returned(self) -> bool:
        return self.status == UpdateStatus.RETURNED


def evidence_path(instance: Evidence, filename: str) -> str:
    """A random name: the uploader's file name is kept in ``original_name`` only."""
    ext = os.path.splitext(filename)[1].lower()
    return f"evidence/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{ext}"


class Evidence(models.Model):
    """A file or a link backing a progress update."""

    update = models.ForeignKey(
        ProgressUpdate,
        verbose_name=_("progress update"),
        on_delete=models.CASCADE,
        related_name="evidence",
    )
    file = models.FileField(_("file"), upload_to=evidence_path, blank=True, max_length=200)
    original_name = models.CharField(_("file name"), max_length=255, blank=True)
    content_type = models.CharField(_("content type"), max_length=120, blank=True)
    size = models.PositiveBigIntegerField(_("size (bytes)"), null=True, blank=True)
    url = models.URLField(_("link"), max_length=1000, blank=True)

    class Meta:
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        ordering = ["update", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(file="") & ~Q(url="")) | (~Q(file="") & Q(url="")),
                name="evidence_is_a_file_or_a_link",
            )
        ]

    def __str__(self) -> str:
        return self.original_name or self.url

    @property
    def is_link(self) -> bool:
        return bool(self.url)


def evidence_stored_by(user: Any) -> int:
    """Bytes of the evidence files of ``user``'s updates (their upload quota)."""
    total = (
        Evidence.objects.filter(update__author=user)
        .exclude(file="")
        .aggregate(total=models.Sum("size"))["total"]
    )
    return int(total or 0)


class ChangeRequestStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Rejected")


class ChangeRequestQuerySet(models.QuerySet["ChangeRequest"]):
    def pending(self) -> ChangeRequestQuerySet:
        return self.filter(status=ChangeRequestStatus.PENDING)

    def decided(self) -> ChangeRequestQuerySet:
        return self.exclude(status=ChangeRequestStatus.PENDING)

    def visible_to(self, user: Any) -> ChangeRequestQuerySet:
        """Decided requests are public (the decision, its reason and the figures);
        pending ones are the committee's and the secretariat's
        (``tracking.view_change_requests``), as the ``tracking.view_change_request``
        rule says of one request."""
        if user is not None and user.has_perm("tracking.view_change_requests"):
            return self
        return self.decided()

    def for_list(self) -> ChangeRequestQuerySet:
        return self.select_related(
            "activity__commitment__plan", "proposed_by", "decided_by", "update"
        )


class ChangeRequest(TimeStampedModel):
    """A committee member's or the secretariat's proposal to change an activity's figure
    ("from 20% to 60% given the progress recorded"). Accepted, it is applied as a
    validated progress update."""

    activity = models.ForeignKey(
        Activity,
        verbose_name=_("activity"),
        on_delete=models.CASCADE,
        related_name="change_requests",
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("proposed by"),
        on_delete=models.PROTECT,
        related_name="change_requests",
    )
    current_progress = models.PositiveSmallIntegerField(
        _("figure when proposed (%)"), validators=[MaxValueValidator(100)]
    )
    proposed_progress = models.PositiveSmallIntegerField(
        _("proposed figure (%)"), validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    justification = models.TextField(_("justification"))
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=ChangeRequestStatus.choices,
        default=ChangeRequestStatus.PENDING,
        db_index=True,
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_reason = models.TextField(_("reason for the decision"), blank=True)
    update = models.OneToOneField(
        ProgressUpdate,
        verbose_name=_("resulting update"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="change_request",
    )

    objects = ChangeRequestQuerySet.as_manager()

    class Meta:
        verbose_name = _("change request")
        verbose_name_plural = _("change requests")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(proposed_progress__gte=0) & Q(proposed_progress__lte=100),
                name="change_request_0_100",
            )
        ]
        # The list of change requests, newest first: read in order and stopped at the
        # page's end, instead of joining every request (and every update) to sort them.
        indexes = [models.Index(fields=["-created_at", "-id"], name="change_request_recent_idx")]

    def __str__(self) -> str:
        return f"{self.activity_id}: {self.current_progress}% → {self.proposed_progress}%"

    @property
    def is_pending(self) -> bool:
        return self.status == ChangeRequestStatus.PENDING

    @property
    def is_accepted(self) -> bool:
        return self.status == ChangeRequestStatus.ACCEPTED


class Reminder(models.Model):
    """A reminder mail sent to a focal point for one period. The unique constraint is
    what makes sending idempotent: never two reminders for the same period."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        related_name="reminders",
    )
    period = models.CharField(_("period"), max_length=40)
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)
    activities = models.JSONField(_("activities listed"), default=list, blank=True)

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        ordering = ["-sent_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["recipient", "period"], name="one_reminder_per_period")
        ]

    def __str__(self) -> str:
        return f"{self.recipient_id} {self.period}"


class Follow(models.Model):
    """Someone following a plan or a commitment: a mail on each validated progress
    update, in their language (:mod:`apps.tracking.follow`).

    Either a signed-in account (its address and language are read when mailing) or an
    address given by a visitor, which receives nothing until its owner confirms it
    (``confirmed_at``). ``key`` goes into the signed links (confirm, unsubscribe), so
    a link names this row and no later one. Unsubscribing deletes the row."""

    plan = models.ForeignKey(
        "plans.ActionPlan",
        verbose_name=_("plan"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="progress_follows",
    )
    commitment = models.ForeignKey(
        Commitment,
        verbose_name=_("commitment"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="progress_follows",
    )
    account = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="progress_follows",
    )
    email = models.EmailField(_("e-mail address"), blank=True)
    language = models.CharField(_("language"), max_length=8)
    key = models.CharField(max_length=32)
    created_at = models.DateTimeField(_("followed since"))
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("follow of progress")
        verbose_name_plural = _("follows of progress")
        constraints = [
            models.CheckConstraint(
                condition=Q(plan__isnull=True, commitment__isnull=False)
                | Q(plan__isnull=False, commitment__isnull=True),
                name="tracking_follow_one_target",
            ),
            models.CheckConstraint(
                condition=Q(account__isnull=True, email__gt="")
                | Q(account__isnull=False, email=""),
                name="tracking_follow_account_or_address",
            ),
            models.UniqueConstraint(
                fields=["account", "plan"],
                condition=Q(account__isnull=False, plan__isnull=False),
                name="tracking_follow_plan_once_per_account",
            ),
            models.UniqueConstraint(
                fields=["account", "commitment"],
                condition=Q(account__isnull=False, commitment__isnull=False),
                name="tracking_follow_commitment_once_per_account",
            ),
            models.UniqueConstraint(
                fields=["email", "plan"],
                condition=Q(account__isnull=True, plan__isnull=False),
                name="tracking_follow_plan_once_per_address",
            ),
            models.UniqueConstraint(
                fields=["email", "commitment"],
                condition=Q(account__isnull=True, commitment__isnull=False),
                name="tracking_follow_commitment_once_per_address",
            ),
        ]

    def __str__(self) -> str:
        who = f"account {self.account_id}" if self.account_id else "address"
        what = f"plan {self.plan_id}" if self.plan_id else f"commitment {self.commitment_id}"
        return f"{who} → {what}"

    @property
    def target(self) -> Any:
        return self.plan if self.plan_id else self.commitment


def today() -> datetime.date:
    return timezone.localdate()
