"""Keeping the index: the entries of an object are deleted and written again from its
source (:mod:`apps.search.sources`) whenever it changes; an object that is no longer
public (a hidden proposal, minutes taken back to draft) simply gets none.

Called by the signals (:mod:`apps.search.signals`) inside the writer's transaction, so
that the index and the data commit or roll back together, and by
``manage.py rebuild_search_index``.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction

from apps.core.arabic import index_forms
from apps.search.models import Entry
from apps.search.sources import SOURCES, Document

# Objects read and entries written per round when rebuilding everything.
CHUNK = 500


def _entry(document: Document) -> Entry:
    title = document.title[:600]
    return Entry(
        kind=document.kind,
        object_id=document.object_id,
        language=document.language,
        title=title,
        context=document.context[:600],
        body=document.body,
        link=document.link[:600],
        title_norm=index_forms(title),
        text_norm=index_forms(f"{document.title}\n{document.body}"),
    )


def reindex(kind: str, pks: Iterable[int]) -> int:
    """Write again the entries of the objects ``pks`` of ``kind``; return how many."""
    pks = list(pks)
    if not pks:
        return 0
    source = SOURCES[kind]
    with transaction.atomic():
        Entry.objects.filter(kind=kind, object_id__in=pks).delete()
        entries = [
            _entry(document)
            for obj in source.public().filter(pk__in=pks)
            for document in source.documents(obj)
        ]
        Entry.objects.bulk_create(entries)
    return len(entries)


def drop(kind: str, pks: Iterable[int]) -> None:
    """Remove the entries of deleted objects."""
    Entry.objects.filter(kind=kind, object_id__in=list(pks)).delete()


def rebuild() -> int:
    """The whole index again, from the public querysets; return the number of entries."""
    total = 0
    with transaction.atomic():
        Entry.objects.all().delete()
        for source in SOURCES.values():
            batch: list[Entry] = []
            for obj in source.public().order_by("pk").iterator(chunk_size=CHUNK):
                batch += [_entry(document) for document in source.documents(obj)]
                if len(batch) >= CHUNK:
                    Entry.objects.bulk_create(batch)
                    total += len(batch)
                    batch = []
            Entry.objects.bulk_create(batch)
            total += len(batch)
    return total
