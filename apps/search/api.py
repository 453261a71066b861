"""``/api/v1/search?q=``: the search of the public pages as JSON (the same rule,
:func:`apps.search.results.run`, the same index: only what the public may see)."""

from __future__ import annotations

import html

from django.http import HttpRequest
from django.utils import translation
from django.utils.html import strip_tags
from ninja import Field, Query, Router, Schema

from apps.core.api import LangQuery, responses
from apps.search.models import Kind
from apps.search.results import MAX_QUERY_LENGTH, PER_PAGE, run

router = Router()


class SearchQuery(LangQuery):
    q: str = Field(
        "",
        description=f"The words searched, in Arabic, French or English (the first "
        f"{MAX_QUERY_LENGTH} characters are used).",
    )
    kind: Kind | None = Field(None, description="Only results of this kind.")
    page: int = Field(1, ge=1, le=1_000_000, description=f"{PER_PAGE} results a page.")


class ResultOut(Schema):
    kind: Kind
    title: str = Field(..., description="In the requested language, else in Arabic.")
    context: str = Field(..., description="The plan, commitment or date it belongs to.")
    snippet: str = Field(..., description="An excerpt of the text that matched.")
    url: str = Field(..., description="The public page (path) in the requested language.")
    score: float = Field(..., description="Higher is a better match.")


class SearchOut(Schema):
    query: str = Field(..., description="The query as searched (cut when too long).")
    truncated: bool
    near_miss: bool = Field(
        ..., description="No word matched: the items have similar words (PostgreSQL only)."
    )
    count: int = Field(..., description="Objects found (of ``kind`` when given).")
    counts: dict[str, int] = Field(..., description="Objects found per kind.")
    page: int
    pages: int
    items: list[ResultOut]


@router.get("search", response=responses(SearchOut), tags=["search"])
def search(request: HttpRequest, filters: Query[SearchQuery]) -> SearchOut:
    """Commitments, activities, institutions, meetings, published minutes and
    co-creation proposals matching the words, best first; Arabic matched whatever its
    spelling of hamza, ta marbuta, alef maqsura, vowel marks and attached و ب ل ال."""
    translation.activate(filters.lang)
    found = run(filters.q, filters.kind or "", filters.page)
    return SearchOut(
        query=found.text,
        truncated=found.truncated,
        near_miss=found.near_miss,
        count=found.total,
        counts=found.counts,
        page=found.page,
        pages=found.pages,
        items=[
            ResultOut(
                kind=Kind(r.kind),
                title=str(r.title),
                context=str(r.context),
                snippet=html.unescape(strip_tags(r.snippet)),
                url=r.link,
                score=round(r.score, 4),
            )
            for r in found.results
        ],
    )
