"""The search index: one entry per public object and language.

An entry holds what the results page shows (title, context line, the text a snippet is
cut from, the link) and the same text normalised by :mod:`apps.core.arabic` for
matching (``title_norm``, ``text_norm``). The database's own full-text search runs over
the normalised columns: an FTS5 table kept by triggers on SQLite, a GIN index over
``to_tsvector('simple', …)`` and a trigram index on PostgreSQL (both created by
``0001_initial``; see :mod:`apps.search.engine`).

Entries are written only by :mod:`apps.search.index`, from the public querysets of the
apps that own the objects: what is not public has no entry.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Kind(models.TextChoices):
    """What an entry stands for (the order of the filters on the results page)."""

    COMMITMENT = "commitment", pgettext_lazy("search kind", "Commitment")
    ACTIVITY = "activity", pgettext_lazy("search kind", "Activity")
    INSTITUTION = "institution", pgettext_lazy("search kind", "Institution")
    MEETING = "meeting", pgettext_lazy("search kind", "Meeting")
    MINUTES = "minutes", pgettext_lazy("search kind", "Minutes")
    PROPOSAL = "proposal", pgettext_lazy("search kind", "Proposal")


class Entry(models.Model):
    """An object's text in one language, as the search finds and shows it."""

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    object_id = models.PositiveBigIntegerField(_("object id"))
    language = models.CharField(_("language"), max_length=5)
    title = models.CharField(_("title"), max_length=600)
    context = models.CharField(_("context"), max_length=600, blank=True)
    body = models.TextField(_("text"), blank=True)
    # The link without its language prefix ("/plans/…/"): the page in the reader's language.
    link = models.CharField(_("link"), max_length=600)
    title_norm = models.TextField(_("normalised title"))
    text_norm = models.TextField(_("normalised text"))

    class Meta:
        verbose_name = _("search entry")
        verbose_name_plural = _("search entries")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "object_id", "language"], name="search_entry_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.object_id} ({self.language})"
