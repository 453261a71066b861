"""Records of the exchange app: the imports asked for on the platform's pages."""

from __future__ import annotations

import uuid
from pathlib import PurePath
from typing import Any

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.exchange.report import ImportReport


class ImportKind(models.TextChoices):
    """The kinds of file the platform imports: the keys of ``report.IMPORTERS``."""

    PLAN = "plan", _("Plan sheet (Excel or CSV)")
    OGP = "ogp", _("OGP commitments dataset")
    CANADA = "canada", _("Canada's open government tracker")


class ImportStatus(models.TextChoices):
    UPLOADED = "uploaded", _("Being checked")
    PREVIEWED = "previewed", _("Checked")
    APPLYING = "applying", _("Being applied")
    APPLIED = "applied", _("Applied")
    FAILED = "failed", _("Failed")


def _upload_to(instance: Any, filename: str) -> str:
    # A random name, never the one uploaded: the media folder may be served, and the
    # name must not be guessed nor carry a path or another extension.
    return f"imports/{uuid.uuid4().hex}{PurePath(filename).suffix.lower()[:10]}"


class ImportJob(models.Model):
    """A file uploaded to import: checked in the background (the preview), then applied
    on request, in the background too. The preview and the result are the importer's
    report as JSON (:class:`apps.exchange.report.ImportReport`)."""

    kind = models.CharField(_("kind"), max_length=20, choices=ImportKind.choices)
    file = models.FileField(_("file"), upload_to=_upload_to, max_length=200)
    file_name = models.CharField(_("file name"), max_length=255)
    status = models.CharField(
        _("status"), max_length=20, choices=ImportStatus.choices, default=ImportStatus.UPLOADED
    )
    rows_done = models.PositiveIntegerField(_("rows read"), default=0)
    language = models.CharField(_("language"), max_length=5, default="ar")
    options = models.JSONField(_("options"), default=dict, blank=True)
    preview = models.JSONField(_("preview"), null=True, blank=True)
    result = models.JSONField(_("result"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("uploaded at"), default=timezone.now)
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("applied by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    applied_at = models.DateTimeField(_("applied at"), null=True, blank=True)

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk} {self.file_name}"

    def get_absolute_url(self) -> str:
        return reverse("import_job", args=[self.pk])

    @property
    def is_under_way(self) -> bool:
        return self.status in (ImportStatus.UPLOADED, ImportStatus.APPLYING)

    @property
    def is_previewed(self) -> bool:
        return self.status == ImportStatus.PREVIEWED

    @property
    def is_applied(self) -> bool:
        return self.status == ImportStatus.APPLIED

    @property
    def has_failed(self) -> bool:
        return self.status == ImportStatus.FAILED

    def report(self) -> ImportReport | None:
        """The result once applied (or failed while applying), else the preview."""
        data = self.result or self.preview
        return ImportReport.from_json(data) if data else None
