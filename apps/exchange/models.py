"""Records of the exchange app: the imports asked for on the platform's pages, and what
Canada's tracker format keeps (trackers, indicators and their statuses)."""

from __future__ import annotations

import uuid
from pathlib import PurePath
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.exchange.report import ImportReport
from apps.plans.models import ActionPlan, Activity


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


# Canada's tracker (apps/exchange/canada.py) ------------------------------------------


class Tracker(models.Model):
    """A plan whose structure came from a Canada-style tracker schema (CKAN
    "recombinant": commitment → milestone → indicator, a status per reporting period).
    ``schema`` keeps what the records import and the export need from the file, found by
    role rather than by name: the columns in order, which column holds the reporting
    period, the commitment, the milestone, the indicator and the status, the periods and
    the statuses the schema allows, the text columns (see ``canada.TrackerSchema``)."""

    plan = models.OneToOneField(
        ActionPlan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="tracker"
    )
    dataset_type = models.CharField(_("dataset type"), max_length=100)
    schema = models.JSONField(_("schema"), default=dict)

    class Meta:
        verbose_name = _("tracker")
        verbose_name_plural = _("trackers")

    def __str__(self) -> str:
        return self.dataset_type


class Indicator(models.Model):
    """An indicator of a milestone (an activity) in a Canada-style tracker: its code
    (``C01.1.1``), its text in English and French, when it was due."""

    plan = models.ForeignKey(
        ActionPlan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="indicators"
    )
    activity = models.ForeignKey(
        Activity, verbose_name=_("activity"), on_delete=models.CASCADE, related_name="indicators"
    )
    code = models.CharField(_("code"), max_length=40)
    order = models.PositiveIntegerField(_("order"), default=0)
    text_en = models.TextField(_("text (English)"), blank=True)
    text_fr = models.TextField(_("text (French)"), blank=True)
    full_text_en = models.TextField(_("full text (English)"), blank=True)
    full_text_fr = models.TextField(_("full text (French)"), blank=True)
    due = models.CharField(
        _("due"), max_length=20, blank=True, help_text=_("As the file writes it.")
    )

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["plan", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "code"], name="indicator_code_per_plan"),
        ]

    def __str__(self) -> str:
        return self.code


class IndicatorStatus(models.Model):
    """An indicator's status in one reporting period, as the tracker's records say it
    (NS, LP, SP, C…), with the record's text columns (progress, evidence, challenges in
    English and French) keyed by the schema's column names."""

    indicator = models.ForeignKey(
        Indicator, verbose_name=_("indicator"), on_delete=models.CASCADE, related_name="statuses"
    )
    period = models.CharField(_("reporting period"), max_length=20)
    status = models.CharField(_("status"), max_length=20)
    texts = models.JSONField(_("texts"), default=dict, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("indicator status")
        verbose_name_plural = _("indicator statuses")
        ordering = ["indicator", "period"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "period"], name="indicator_status_per_period"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator.code} {self.period}: {self.status}"


# Open data (apps/exchange/opendata.py) ---------------------------------------------------


class OpenDataSettings(models.Model):
    """The licence under which the public open data is published, chosen by the
    secretariat (one row; :meth:`load` answers the defaults while none is saved).

    The default is Creative Commons Attribution 4.0: an open licence in the sense of
    the Open Definition (anyone may reuse, adapt and redistribute), asking only that the
    source be credited; it has official Arabic and French translations and is widely
    used for open government data, so reusers know it without reading a new text.
    """

    singleton = models.BooleanField(default=True, editable=False, unique=True)
    licence_name = models.CharField(
        _("licence identifier"),
        max_length=100,
        default="CC-BY-4.0",
        help_text=_("Its SPDX identifier, e.g. CC-BY-4.0, ODbL-1.0, etalab-2.0."),
    )
    licence_title = models.CharField(
        _("licence title"), max_length=200, default="Creative Commons Attribution 4.0"
    )
    licence_url = models.URLField(
        _("licence URL"), default="https://creativecommons.org/licenses/by/4.0/"
    )

    class Meta:
        verbose_name = _("open data settings")
        verbose_name_plural = _("open data settings")
        constraints = [
            models.CheckConstraint(condition=Q(singleton=True), name="open_data_settings_one_row")
        ]

    def __str__(self) -> str:
        return str(_("Open data licence: %(licence)s") % {"licence": self.licence_name})

    @classmethod
    def load(cls) -> OpenDataSettings:
        """The saved settings, or the defaults (unsaved) while the secretariat has
        chosen nothing: reading never writes. The default licence is the server's
        ``SHARAKA_OPEN_DATA_LICENSE`` (CC-BY-4.0 unless set), named by its SPDX page
        when it is another one. The bulk downloads and the API (``sharaka/api.py``)
        both state what this returns."""
        saved = cls.objects.first()
        if saved is not None:
            return saved
        default = cls()
        spdx = str(settings.SHARAKA_OPEN_DATA_LICENSE)
        if spdx != default.licence_name:
            default.licence_name = default.licence_title = spdx
            default.licence_url = f"https://spdx.org/licenses/{spdx}.html"
        return default

    def licence(self) -> dict[str, str]:
        """The ``licenses`` entry of a Frictionless data package."""
        return {"name": self.licence_name, "title": self.licence_title, "path": self.licence_url}
