"""The status of translations, worked out in bulk: for a kind and a language, two
queries (the objects' columns, the status rows) whatever the number of objects."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType

from apps.translations.models import TranslationState, TranslationStatus
from apps.translations.registry import SOURCE, Kind, column, source_hash


@dataclass
class Entry:
    """One field of one object in one target language."""

    kind: Kind
    object_id: int
    field: str
    language: str
    source: str
    text: str
    row: TranslationStatus | None

    @property
    def stale(self) -> bool:
        """Reviewed, but the Arabic source changed since."""
        return bool(
            self.row
            and self.row.is_reviewed
            and self.text
            and self.row.source_hash != source_hash(self.source)
        )

    @property
    def state(self) -> TranslationState:
        if not self.text:
            return TranslationState.MISSING
        if self.row is None or self.stale:
            return TranslationState.DRAFT
        return TranslationState(self.row.status)

    @property
    def is_missing(self) -> bool:
        return self.state == TranslationState.MISSING

    @property
    def is_reviewed(self) -> bool:
        return self.state == TranslationState.REVIEWED

    @property
    def field_label(self) -> str:
        return self.kind.field_label(self.field)

    @property
    def last_editor(self) -> Any:
        return self.row.edited_by if self.row else None


def status_rows(
    kind: Kind, language: str, object_ids: Iterable[int] | None = None
) -> dict[tuple[int, str], TranslationStatus]:
    rows = TranslationStatus.objects.filter(
        content_type=ContentType.objects.get_for_model(kind.model), language=language
    ).select_related("edited_by", "reviewed_by")
    if object_ids is not None:
        rows = rows.filter(object_id__in=list(object_ids))
    return {(row.object_id, row.field): row for row in rows}


def entries(
    kind: Kind, language: str, queryset: Any = None, fields: Iterable[str] | None = None
) -> list[Entry]:
    """Every (object, field) of ``kind`` in ``language`` with its status, in object order.
    Empty Arabic sources are left out: there is nothing to translate."""
    chosen = [f for f in (fields or kind.fields) if f in kind.fields]
    queryset = kind.model._default_manager.all() if queryset is None else queryset
    columns = [column(f, lang) for f in chosen for lang in (SOURCE, language)]
    values = list(queryset.order_by("pk").values("pk", *columns))
    rows = status_rows(kind, language, None if len(values) > 500 else [v["pk"] for v in values])
    found = []
    for value in values:
        for field in chosen:
            source = value[column(field, SOURCE)] or ""
            if not source.strip():
                continue
            found.append(
                Entry(
                    kind=kind,
                    object_id=value["pk"],
                    field=field,
                    language=language,
                    source=source,
                    text=value[column(field, language)] or "",
                    row=rows.get((value["pk"], field)),
                )
            )
    return found


def counts(found: Iterable[Entry]) -> dict[TranslationState, int]:
    """How many of ``found`` are missing, draft and reviewed."""
    tally = dict.fromkeys(TranslationState, 0)
    for entry in found:
        tally[entry.state] += 1
    return tally
