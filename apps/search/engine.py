"""Running a search: the query normalised like the index, matched by the database's
full-text search, ranked, one result per object, in three queries whatever the number
of matches (counts per kind, the page of results, their entries).

A word of the query matches an entry holding any of its forms
(:func:`apps.core.arabic.query_forms`: the word, and its stem without attached
prefixes), or a word that begins with one (three letters or more: ``معلوم`` finds
``معلومات``); every word must match. An object is found through any of its languages
(a French reader typing Arabic finds the Arabic text) and ranked by its best entry.

- SQLite: FTS5 ``MATCH``, ranked by ``bm25`` with the title weighing ten times the text.
- PostgreSQL: ``to_tsvector('simple', …) @@ to_tsquery('simple', …)`` over the GIN index
  of the migration, or a near-miss by trigram word similarity (``pg_trgm``'s ``<%``,
  queries of four letters or more); ranked by ``ts_rank`` plus that similarity.
- Any other database: ``LIKE`` on the normalised text, unranked.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import reduce
from operator import or_
from typing import Any

from django.db import connection
from django.db.models import Count, Q

from apps.core.arabic import forms as word_forms
from apps.core.arabic import query_forms
from apps.search.models import Entry

# Words shorter than this match whole, not as the beginning of a longer word.
PREFIX_MIN = 3
# A query at least this long (normalised, spaces included) may match by trigram too.
TRIGRAM_MIN = 4

# Must be the migration's expression, letter for letter, for PostgreSQL to use the index.
PG_VECTOR = (
    "(setweight(to_tsvector('simple'::regconfig, e.title_norm), 'A')"
    " || setweight(to_tsvector('simple'::regconfig, e.text_norm), 'B'))"
)


@dataclass(frozen=True)
class Query:
    """A parsed query: for each word, the forms that may match it."""

    words: list[tuple[str, ...]]

    @classmethod
    def parse(cls, text: str) -> Query:
        return cls(query_forms(text))

    def __bool__(self) -> bool:
        return bool(self.words)

    @property
    def plain(self) -> str:
        """The query's words, normalised (for trigram similarity)."""
        return " ".join(forms[0] for forms in self.words)

    def fts5(self) -> str:
        """FTS5 syntax. Words are letters and digits only: quoting them is enough."""

        def term(form: str) -> str:
            return f'"{form}"*' if len(form) >= PREFIX_MIN else f'"{form}"'

        return " AND ".join(
            "(" + " OR ".join(term(form) for form in forms) + ")" for forms in self.words
        )

    def tsquery(self) -> str:
        """``to_tsquery`` syntax (passed as a parameter, never spliced into SQL)."""

        def term(form: str) -> str:
            return f"{form}:*" if len(form) >= PREFIX_MIN else form

        return " & ".join(
            "(" + " | ".join(term(form) for form in forms) + ")" for forms in self.words
        )


@dataclass
class Hit:
    """One object found: its best entry's rank, and its entries (by language)."""

    kind: str
    object_id: int
    score: float
    entries: dict[str, Entry] = field(default_factory=dict)


def _sql(query: Query, kind: str | None) -> tuple[str, list[Any], str, list[Any]]:
    """(FROM … WHERE … clause, its parameters, score expression, its parameters) for
    the database in use."""
    vendor = connection.vendor
    if vendor == "sqlite":
        where = "search_entry_fts MATCH %s"
        params: list[Any] = [query.fts5()]
        source = "search_entry_fts JOIN search_entry e ON e.id = search_entry_fts.rowid"
        # bm25 is lower for a better match: negate it so that higher is better everywhere.
        score = "-bm25(search_entry_fts, 10.0, 1.0)"
        score_params: list[Any] = []
    else:  # postgresql
        source = "search_entry e"
        plain = query.plain
        if len(plain) >= TRIGRAM_MIN:
            where = f"({PG_VECTOR} @@ to_tsquery('simple'::regconfig, %s) OR %s <%% e.text_norm)"
            params = [query.tsquery(), plain]
        else:
            where = f"{PG_VECTOR} @@ to_tsquery('simple'::regconfig, %s)"
            params = [query.tsquery()]
        score = (
            f"ts_rank({PG_VECTOR}, to_tsquery('simple'::regconfig, %s))"
            " + word_similarity(%s, e.text_norm)"
        )
        score_params = [query.tsquery(), plain]
    if kind:
        where += " AND e.kind = %s"
        params.append(kind)
    return f"FROM {source} WHERE {where}", params, score, score_params


def _fallback(query: Query) -> Q:
    """The same matching as ``LIKE``, for a database without either engine."""
    condition = Q()
    for forms in query.words:
        condition &= reduce(or_, (Q(text_norm__contains=form) for form in forms))
    return condition


def counts(query: Query) -> dict[str, int]:
    """How many objects of each kind match (one query)."""
    if not query:
        return {}
    if connection.vendor not in ("sqlite", "postgresql"):
        rows = (
            Entry.objects.filter(_fallback(query))
            .values("kind")
            .annotate(n=Count("object_id", distinct=True))
            .values_list("kind", "n")
        )
        return dict(rows)
    clause, params, _score, _score_params = _sql(query, None)
    with connection.cursor() as cursor:
        sql = f"SELECT e.kind, COUNT(DISTINCT e.object_id) {clause} GROUP BY e.kind"
        cursor.execute(sql, params)
        return {kind: n for kind, n in cursor.fetchall()}


def page(query: Query, kind: str | None, offset: int, limit: int) -> list[Hit]:
    """The objects of one page of results, best first (one query)."""
    if not query:
        return []
    if connection.vendor not in ("sqlite", "postgresql"):
        matches = Entry.objects.filter(_fallback(query))
        if kind:
            matches = matches.filter(kind=kind)
        rows = (
            matches.values("kind", "object_id")
            .distinct()
            .order_by("kind", "object_id")[offset : offset + limit]
        )
        return [Hit(row["kind"], row["object_id"], 0.0) for row in rows]
    clause, params, score, score_params = _sql(query, kind)
    # The rank of each entry first, materialised (FTS5 refuses bm25() inside an
    # aggregate, and SQLite would otherwise fold the subquery into it), then each
    # object's best.
    sql = (
        f"WITH matched AS MATERIALIZED (SELECT e.kind, e.object_id, {score} AS score {clause})"  # noqa: S608
        " SELECT kind, object_id, MAX(score) AS best FROM matched"
        " GROUP BY kind, object_id ORDER BY best DESC, kind, object_id LIMIT %s OFFSET %s"
    )  # fixed SQL fragments above; every value is a parameter
    with connection.cursor() as cursor:
        cursor.execute(sql, [*score_params, *params, limit, offset])
        return [Hit(kind_, object_id, float(score_)) for kind_, object_id, score_ in cursor]


def with_entries(hits: list[Hit]) -> list[Hit]:
    """Fetch the entries of the hits, every language (one query)."""
    if not hits:
        return hits
    condition = reduce(or_, (Q(kind=hit.kind, object_id=hit.object_id) for hit in hits))
    by_object = {(hit.kind, hit.object_id): hit for hit in hits}
    for entry in Entry.objects.filter(condition).defer("title_norm", "text_norm"):
        by_object[(entry.kind, entry.object_id)].entries[entry.language] = entry
    return hits


def matches_word(word: str, query: Query) -> bool:
    """Whether a normalised word of a text matches a word of the query (for snippets)."""
    for form in word_forms(word):
        for forms in query.words:
            for wanted in forms:
                if form == wanted or (len(wanted) >= PREFIX_MIN and form.startswith(wanted)):
                    return True
    return False
