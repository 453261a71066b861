"""Every write of a translation. Each action locks the object, checks the permission,
writes the target column and the status row, and the audit row (before → after).
Arabic is the source: it is never written here. Nothing is machine-translated.
"""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core.errors import ActionError, check_permission
from apps.core.models import AuditLog
from apps.translations.models import TranslationState, TranslationStatus
from apps.translations.registry import SOURCE, TARGETS, column, kinds, source_hash


class TranslationError(ActionError):
    """A translation that cannot be saved or reviewed; the message is for the user."""


def _check_target(obj: models.Model, field: str, language: str) -> None:
    kind = kinds().get(obj._meta.label_lower)
    if kind is None or field not in kind.fields:
        raise TranslationError(_("This field is not translated."))
    if language not in TARGETS:
        raise TranslationError(_("Translations are written in French or English."))


def _locked(obj: models.Model) -> models.Model:
    return type(obj)._default_manager.select_for_update().get(pk=obj.pk)


def _status_row(obj: models.Model, field: str, language: str) -> TranslationStatus | None:
    return (
        TranslationStatus.objects.select_for_update()
        .filter(
            content_type=ContentType.objects.get_for_model(obj),
            object_id=obj.pk,
            field=field,
            language=language,
        )
        .first()
    )


@transaction.atomic
def do_save_translation(
    obj: models.Model, field: str, language: str, text: str, *, acting_user: Any
) -> TranslationStatus | None:
    """Write ``field`` of ``obj`` in ``language``: the translation becomes a draft (it
    waits for someone else's review). An empty text removes the translation (missing)."""
    check_permission(
        acting_user,
        "translations.edit_translation",
        obj,
        TranslationError(_("Only translators and the secretariat write translations.")),
    )
    _check_target(obj, field, language)
    locked = _locked(obj)
    name = column(field, language)
    text = (text or "").strip()
    model_field = locked._meta.get_field(name)
    max_length = getattr(model_field, "max_length", None)
    if max_length and len(text) > max_length:
        raise TranslationError(
            _("The translation is too long (%(max)s characters at most).") % {"max": max_length}
        )
    before = getattr(locked, name) or ""
    row = _status_row(locked, field, language)
    if text == before and (row is None or row.status == TranslationState.DRAFT):
        return row
    type(locked)._default_manager.filter(pk=locked.pk).update(**{name: text})
    setattr(obj, name, text)
    if not text:
        if row is not None:
            row.delete()
        row = None
    else:
        row = row or TranslationStatus(
            content_type=ContentType.objects.get_for_model(locked),
            object_id=locked.pk,
            field=field,
            language=language,
        )
        row.status = TranslationState.DRAFT
        row.source_hash = source_hash(getattr(locked, column(field, SOURCE)))
        row.edited_by = acting_user
        row.edited_at = timezone.now()
        row.reviewed_by = None
        row.reviewed_at = None
        row.save()
    state = TranslationState.DRAFT if text else TranslationState.MISSING
    AuditLog.record(
        actor=acting_user,
        action="translations.save_translation",
        target=locked,
        before={name: before},
        after={name: text, "status": str(state)},
    )
    return row


@transaction.atomic
def do_review_translation(
    obj: models.Model, field: str, language: str, *, acting_user: Any
) -> TranslationStatus:
    """Mark the translation reviewed, against the Arabic source as it is now. Someone
    other than its last editor reviews it (four eyes)."""
    check_permission(
        acting_user,
        "translations.edit_translation",
        obj,
        TranslationError(_("Only translators and the secretariat review translations.")),
    )
    _check_target(obj, field, language)
    locked = _locked(obj)
    name = column(field, language)
    if not (getattr(locked, name) or "").strip():
        raise TranslationError(_("There is no translation to review yet."))
    row = _status_row(locked, field, language)
    current = source_hash(getattr(locked, column(field, SOURCE)))
    if row is not None and row.is_reviewed and row.source_hash == current:
        raise TranslationError(_("This translation is already reviewed."))
    check_permission(
        acting_user,
        "translations.review_translation",
        row,
        TranslationError(_("Someone other than its last translator reviews a translation.")),
    )
    row = row or TranslationStatus(
        content_type=ContentType.objects.get_for_model(locked),
        object_id=locked.pk,
        field=field,
        language=language,
    )
    before = {"status": str(row.status) if row.pk else str(TranslationState.DRAFT)}
    row.status = TranslationState.REVIEWED
    row.source_hash = current
    row.reviewed_by = acting_user
    row.reviewed_at = timezone.now()
    row.save()
    AuditLog.record(
        actor=acting_user,
        action="translations.review_translation",
        target=locked,
        before={**before, "field": name},
        after={"status": str(TranslationState.REVIEWED), "field": name},
    )
    return row
