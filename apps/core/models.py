"""Pieces every app shares: timestamps and the audit log."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    """Adds creation and modification times."""

    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True


class AuditLog(models.Model):
    """One row per state change made through an action: who, when, what, before → after."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    at = models.DateTimeField(_("at"), auto_now_add=True, db_index=True)
    action = models.CharField(_("action"), max_length=80)
    target_type = models.CharField(_("target type"), max_length=80)
    target_id = models.PositiveBigIntegerField(_("target id"))
    before = models.JSONField(_("before"), default=dict, blank=True)
    after = models.JSONField(_("after"), default=dict, blank=True)

    class Meta:
        verbose_name = _("audit log entry")
        verbose_name_plural = _("audit log")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["target_type", "target_id"], name="audit_target_idx")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.target_type}#{self.target_id}"

    @classmethod
    def record(
        cls,
        *,
        actor: Any,
        action: str,
        target: models.Model,
        before: dict[str, Any] | None = None,
        after: dict[str, Any] | None = None,
    ) -> AuditLog:
        return cls.objects.create(
            actor=actor if getattr(actor, "is_authenticated", False) else None,
            action=action,
            target_type=target._meta.label_lower,
            target_id=target.pk,
            before=before or {},
            after=after or {},
        )


class FormSubmission(models.Model):
    """A form's one-time token, claimed by the first request that acts on it.

    Every form that creates something carries a fresh token in a hidden field; the
    action claims it (unique) in its own transaction, so the same form posted twice
    (a double click, a reload, two tabs, two requests at once) creates one record: the
    second post finds the first one's record. See :func:`apps.core.once.once`.
    """

    token = models.UUIDField(_("token"), unique=True)
    action = models.CharField(_("action"), max_length=80)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        null=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    target_id = models.PositiveBigIntegerField(_("target id"), null=True)
    at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        verbose_name = _("form submission")
        verbose_name_plural = _("form submissions")

    def __str__(self) -> str:
        return f"{self.action} {self.token}"


class RenderingStatus(models.TextChoices):
    QUEUED = "queued", _("queued")
    RUNNING = "running", _("running")
    FAILED = "failed", _("failed")


class Rendering(models.Model):
    """A document being laid out in the background (see :mod:`apps.core.renderings`).

    One row per file name (the hash of what the document is made from) while its
    rendering is queued, running or has failed; the row goes once the file is stored.
    The unique name makes one task per document, whatever the number of requests.
    """

    name = models.CharField(_("file name"), max_length=200, unique=True)
    status = models.CharField(
        _("status"), max_length=10, choices=RenderingStatus.choices, default=RenderingStatus.QUEUED
    )
    requested_at = models.DateTimeField(_("requested at"))
    # Bumped when the worker starts it: a running rendering that stays silent longer
    # than renderings.STALE_AFTER was left by a worker that stopped.
    updated_at = models.DateTimeField(_("updated at"))
    error = models.TextField(_("error"), blank=True)

    class Meta:
        verbose_name = _("rendering")
        verbose_name_plural = _("renderings")

    def __str__(self) -> str:
        return f"{self.name} {self.status}"


class WorkerBeat(models.Model):
    """A task worker's last sign of life (``manage.py worker`` beats every
    ``SHARAKA_WORKER_HEARTBEAT_SECONDS``). A task left running by a worker whose beat is
    older than ``SHARAKA_WORKER_LEASE_SECONDS`` is taken again (:mod:`apps.core.worker`)."""

    worker_id = models.CharField(_("worker"), max_length=64, unique=True)
    started_at = models.DateTimeField(_("started at"))
    seen_at = models.DateTimeField(_("last seen at"), db_index=True)

    class Meta:
        verbose_name = _("task worker")
        verbose_name_plural = _("task workers")

    def __str__(self) -> str:
        return self.worker_id


class SentMail(models.Model):
    """A mail that went out, by a key naming what it says to whom (e.g.
    ``tracking.decision:12:validated``; ids only, no address): a task run again after
    its worker died, or enqueued twice, does not send it a second time
    (:func:`apps.core.mail.send_once`)."""

    key = models.CharField(_("key"), max_length=200, unique=True)
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("mail sent")
        verbose_name_plural = _("mails sent")

    def __str__(self) -> str:
        return self.key
