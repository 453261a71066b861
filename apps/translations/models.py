"""The status of each translation: one row per (object, field, language) once someone
has written or reviewed it. No row and an empty column is *missing*; a filled column
without a row (content entered before, or in the admin) counts as a *draft*; a reviewed
translation whose Arabic source changed since reads as a draft again (*stale*).
No model of the other apps changes: the rows point at them generically."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class TranslationState(models.TextChoices):
    MISSING = "missing", _("Missing")
    DRAFT = "draft", _("Draft")
    REVIEWED = "reviewed", _("Reviewed")


class TranslationStatus(models.Model):
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    field = models.CharField(max_length=64)
    language = models.CharField(max_length=8)
    status = models.CharField(
        max_length=16,
        choices=[c for c in TranslationState.choices if c[0] != TranslationState.MISSING],
        default=TranslationState.DRAFT,
    )
    # The Arabic source as it was when the translation was last written or reviewed.
    source_hash = models.CharField(max_length=16, blank=True)
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    edited_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("translation status")
        verbose_name_plural = _("translation statuses")
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id", "field", "language"],
                name="one_status_per_translation",
            )
        ]
        indexes = [models.Index(fields=["content_type", "language"])]

    def __str__(self) -> str:
        return f"{self.content_type_id}:{self.object_id} {self.field} {self.language}"

    @property
    def is_reviewed(self) -> bool:
        return self.status == TranslationState.REVIEWED
