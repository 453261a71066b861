"""A search as the page and the API show it: the query read and bounded, the results
of one page with their title, context, snippet and link in the reader's language.

One rule for both: the page (:mod:`apps.search.views`) and the API
(:mod:`apps.search.api`) call :func:`run`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

from apps.core.arabic import normalise
from apps.core.content import Fallback, direction
from apps.core.languages import DEFAULT_LANGUAGE, active_language
from apps.search import engine
from apps.search.models import Kind
from apps.search.sources import localised_link

# A longer query is cut to this many characters (and the page says so).
MAX_QUERY_LENGTH = 200
PER_PAGE = 20
# Words either side of the first match in a snippet; the whole text when shorter.
SNIPPET_WORDS = 14
# Words of the original text, their marks included (Arabic tashkeel and tatweel, Latin
# combining accents), and what lies between them.
_MARKS = "\u0300-\u036f\u0610-\u061a\u064b-\u065f\u0670\u0640"
_TOKENS = re.compile(f"(?:[^\\W_]|[{_MARKS}])+|(?:[^{_MARKS}\\w]|_)+")


@dataclass
class Result:
    kind: str
    kind_label: str
    title: str
    title_html: SafeString
    context: str
    snippet: SafeString
    snippet_language: str
    link: str
    score: float


@dataclass
class Search:
    """What a search found: the query as used, whether it was cut, the counts per kind
    and the results of the page asked for."""

    text: str
    truncated: bool
    kind: str
    page: int
    results: list[Result] = field(default_factory=list)
    # Found by similar words, no word of the query having matched.
    near_miss: bool = False
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def found(self) -> int:
        """Objects found, every kind."""
        return sum(self.counts.values())

    @property
    def total(self) -> int:
        """Objects found of the kind shown (every kind without a filter)."""
        return self.counts.get(self.kind, 0) if self.kind else self.found

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // PER_PAGE))

    @property
    def previous_page(self) -> int | None:
        return self.page - 1 if self.page > 1 else None

    @property
    def next_page(self) -> int | None:
        return self.page + 1 if self.page < self.pages else None

    @property
    def kinds(self) -> list[tuple[str, str, int]]:
        """(kind, label, count) of the kinds found, in the order of :class:`Kind`."""
        return [(k.value, str(k.label), self.counts[k]) for k in Kind if self.counts.get(k)]


def read_query(raw: str) -> tuple[str, bool]:
    """The query as searched: whitespace collapsed, NUL and control characters out,
    at most :data:`MAX_QUERY_LENGTH` characters (the flag says it was cut)."""
    text = "".join(c if c.isprintable() else " " for c in raw)
    text = " ".join(text.split())
    if len(text) > MAX_QUERY_LENGTH:
        return text[:MAX_QUERY_LENGTH], True
    return text, False


def snippet(text: str, query: engine.Query, words_around: int | None = SNIPPET_WORDS) -> SafeString:
    """An escaped excerpt of ``text`` around its first word matching the query, the
    matching words in ``<mark>``; the start of the text when no word matches. The whole
    text when ``words_around`` is None."""
    tokens = _TOKENS.findall(text)
    words = [i for i, t in enumerate(tokens) if t[0].isalnum()]
    if not words:
        return mark_safe("")  # noqa: S308 - nothing to escape
    hits = {i for i in words if engine.matches_word(normalise(tokens[i]), query)}
    start, end = 0, len(tokens) - 1
    if words_around is not None:
        position = words.index(min(hits) if hits else words[0])
        start = words[max(0, position - words_around)]
        end = words[min(len(words) - 1, position + words_around)]
    parts = ["… "] if start > 0 else []
    for i in range(start, end + 1):
        token = escape(re.sub(r"\s+", " ", tokens[i]))
        parts.append(f"<mark>{token}</mark>" if i in hits else token)
    if end < len(tokens) - 1:
        parts.append(" …")
    return mark_safe("".join(parts))  # noqa: S308 - every token escaped above


def _marked_title(title: str, query: engine.Query) -> SafeString:
    """The whole title, its matching words marked; in a span with its language and
    direction when it is a fallback (:mod:`apps.core.content`)."""
    html = snippet(title, query, None) or escape(title)
    if isinstance(title, Fallback):
        return format_html(
            '<span lang="{}" dir="{}">{}</span>', title.language, direction(title.language), html
        )
    return mark_safe(html)  # noqa: S308 - escaped by snippet()


def _matches(text: str, query: engine.Query) -> bool:
    return any(engine.matches_word(w, query) for w in re.findall(r"[^\W_]+", normalise(text)))


def _result(hit: engine.Hit, query: engine.Query, language: str) -> Result | None:
    if not hit.entries:
        return None  # removed between the two queries
    order = [language, DEFAULT_LANGUAGE, *hit.entries]
    shown = next(hit.entries[lang] for lang in order if lang in hit.entries)
    # The snippet from the text that matched, in the reader's language if it did: an
    # entry's text, else the title in another language when the one shown did not match.
    candidates = [hit.entries[lang] for lang in dict.fromkeys(order) if lang in hit.entries]
    titles_too = not _matches(shown.title, query)
    found = [
        (entry, text)
        for entry in candidates
        for text in (entry.body, entry.title if titles_too and entry is not shown else "")
        if text and _matches(text, query)
    ]
    matched, text = found[0] if found else (shown, shown.body)
    title: str = shown.title
    context: str = shown.context
    if shown.language != language:
        title, context = Fallback(title, shown.language), Fallback(context, shown.language)
    return Result(
        kind=hit.kind,
        kind_label=str(Kind(hit.kind).label),
        title=title,
        title_html=_marked_title(title, query),
        context=context,
        snippet=snippet(text, query),
        snippet_language=matched.language,
        link=localised_link(shown.link, language),
        score=hit.score,
    )


def run(raw: str, kind: str = "", page: int = 1, per_page: int = PER_PAGE) -> Search:
    """The search for ``raw`` (any text), restricted to ``kind`` if it is one, on
    ``page`` (clamped to the pages there are). Three queries, four for a near-miss."""
    text, truncated = read_query(raw)
    kind = kind if kind in Kind.values else ""
    search = Search(text=text, truncated=truncated, kind=kind, page=1)
    query = engine.Query.parse(text)
    if not query:
        return search
    search.counts = engine.counts(query)
    near = query.near_miss() if not search.counts else None
    if near is not None:
        # No word matched: similar words, where the database can tell (PostgreSQL).
        query, search.near_miss = near, True
        search.counts = engine.counts(query)
    if not search.total:
        return search
    search.page = min(max(1, page), -(-search.total // per_page))
    hits = engine.page(query, kind or None, (search.page - 1) * per_page, per_page)
    language = active_language()
    results = (_result(hit, query, language) for hit in engine.with_entries(hits))
    search.results = [r for r in results if r is not None]
    return search
