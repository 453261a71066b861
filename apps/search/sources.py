"""What is indexed, and the one place that says which objects are public.

Each :class:`Source` names the public queryset of its kind by calling the rule of the
app that owns it, never a copy of it:

- commitments and their activities: every plan's (the plan pages are public, drafts of
  progress live in tracking's updates, not in these texts);
- institutions: all (the institutions page lists them all);
- meetings: ``Meeting.objects.public()`` (announced, or with published minutes): the
  committee, date, place and agenda the meeting page shows;
- minutes: ``Meeting.objects.with_published_minutes()`` (the ``committees.view_minutes``
  rule as a query), their text from the record fixed at approval
  (:func:`apps.committees.minutes.build_minutes`), as the minutes page shows it;
- co-creation proposals: ``Proposal.objects.listed()`` (a hidden proposal is out).

A source turns an object into :class:`Document` s, one per language that has text of
its own (Arabic always; a French or English document only where a translation exists,
so that untranslated text is found once, in Arabic).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django.db.models import Model, QuerySet
from django.utils import formats, timezone, translation

from apps.accounts.models import Institution
from apps.cocreation.models import DECISIONS, Proposal
from apps.committees import minutes as minutes_module
from apps.committees.models import Meeting
from apps.core.content import Fallback, localized
from apps.core.languages import DEFAULT_LANGUAGE, LANGUAGES
from apps.plans.models import Activity, Commitment
from apps.search.models import Kind


@dataclass(frozen=True)
class Document:
    """An object's text in one language, before normalisation."""

    kind: str
    object_id: int
    language: str
    title: str
    context: str
    body: str
    link: str


@dataclass(frozen=True)
class Source:
    """A kind of indexed object: its public queryset and how it reads."""

    kind: str
    model: type[Model]
    public: Callable[[], QuerySet[Any]]
    documents: Callable[[Any], Iterator[Document]]


def neutral_link(obj: Any, name: str = "get_absolute_url") -> str:
    """The object's page without its language prefix (``/plans/x/``): the results link
    to it in the reader's language."""
    with translation.override(DEFAULT_LANGUAGE):
        url: str = getattr(obj, name)()
    prefix = f"/{DEFAULT_LANGUAGE}/"
    return url[len(prefix) - 1 :] if url.startswith(prefix) else url


def localised_link(link: str, language: str) -> str:
    """A stored link in ``language``."""
    return f"/{language}{link}"


def _own(obj: Any, field: str, language: str) -> str:
    """``obj.<field>`` in ``language`` if written in it; "" when it would fall back."""
    value = localized(obj, field, language)
    return "" if isinstance(value, Fallback) else str(value or "")


def _translated(
    obj: Any, title_field: str, fields: Iterable[str], make: Callable[[str, str, str], Document]
) -> Iterator[Document]:
    """One document per language that has any of the fields written in it."""
    fields = tuple(fields)
    for language in LANGUAGES:
        title = _own(obj, title_field, language)
        texts = [_own(obj, field, language) for field in fields]
        if language != DEFAULT_LANGUAGE and not (title or any(texts)):
            continue
        title = title or str(localized(obj, title_field, language))
        yield make(language, title, "\n".join(t for t in texts if t))


COMMITMENT_FIELDS = (
    "summary",
    "problem",
    "causes",
    "done_so_far",
    "solution",
    "expected_results",
    "transparency",
    "accountability",
    "participation",
    "full_text",
)


def _commitments() -> QuerySet[Commitment]:
    return Commitment.objects.select_related("plan")


def _commitment_documents(commitment: Commitment) -> Iterator[Document]:
    link = neutral_link(commitment)

    def make(language: str, title: str, body: str) -> Document:
        return Document(
            Kind.COMMITMENT,
            commitment.pk,
            language,
            f"{commitment.number}. {title}",
            str(localized(commitment.plan, "title", language)),
            body,
            link,
        )

    return _translated(commitment, "title", COMMITMENT_FIELDS, make)


def _activities() -> QuerySet[Activity]:
    # The grouping row stands for completed activities the source does not itemise: it
    # has no text of its own worth finding.
    return Activity.objects.filter(is_grouping=False).select_related("commitment__plan")


def _activity_documents(activity: Activity) -> Iterator[Document]:
    link = neutral_link(activity.commitment) + "#activities"

    def make(language: str, title: str, body: str) -> Document:
        commitment = activity.commitment
        context = f"{commitment.number}. {localized(commitment, 'title', language)}"
        return Document(Kind.ACTIVITY, activity.pk, language, title, context, body, link)

    return _translated(activity, "title", ("expected_output",), make)


def _institutions() -> QuerySet[Institution]:
    return Institution.objects.all()


def _institution_documents(institution: Institution) -> Iterator[Document]:
    link = neutral_link(institution)

    def make(language: str, title: str, body: str) -> Document:
        return Document(Kind.INSTITUTION, institution.pk, language, title, "", body, link)

    return _translated(institution, "name", ("acronym",), make)


def _meetings() -> QuerySet[Meeting]:
    return Meeting.objects.public().for_page()


def _meeting_day(meeting: Meeting, language: str) -> str:
    with translation.override(language):
        return formats.date_format(timezone.localtime(meeting.starts_at), "DATE_FORMAT")


def _meeting_documents(meeting: Meeting) -> Iterator[Document]:
    link = neutral_link(meeting)
    items = list(meeting.agenda_items.all())
    for language in LANGUAGES:
        texts = [_own(meeting, "place", language)]
        for item in items:
            texts += [_own(item, "title", language), _own(item, "note", language)]
        if language != DEFAULT_LANGUAGE and not any(texts):
            continue
        yield Document(
            Kind.MEETING,
            meeting.pk,
            language,
            str(localized(meeting.committee, "name", language)),
            _meeting_day(meeting, language),
            "\n".join(t for t in texts if t),
            link,
        )


def _minutes() -> QuerySet[Meeting]:
    return Meeting.objects.with_published_minutes().for_page()


def _block_texts(blocks: Iterable[Any]) -> Iterator[str]:
    for block in blocks:
        if not isinstance(block, dict):
            continue
        if block.get("text"):
            yield str(block["text"])
        for item in block.get("items") or []:
            yield str(item)
        for row in [block.get("headers") or [], *(block.get("rows") or [])]:
            yield " ".join(str(cell) for cell in row)


def _minutes_documents(meeting: Meeting) -> Iterator[Document]:
    link = neutral_link(meeting).rstrip("/") + "/minutes/"
    content = minutes_module.minutes_content(meeting)
    for language in LANGUAGES:
        minutes = minutes_module.build_minutes_from(content, meeting, None, language)
        parts: list[Any] = [minutes.opening_remarks]
        for section, item in zip(minutes.agenda, content["agenda"], strict=True):
            parts += [section.title, section.note]
            # Blocks are lists: a fallback is not marked, so read the language's own.
            parts += list(_block_texts((item.get("blocks") or {}).get(language) or []))
        parts += minutes.decisions
        parts += [item.title for item in minutes.action_items]
        own = [p for p in parts if p and not isinstance(p, Fallback)]
        if language != DEFAULT_LANGUAGE and not own:
            continue
        yield Document(
            Kind.MINUTES,
            meeting.pk,
            language,
            str(minutes.title),
            minutes.date_text,
            "\n".join(str(p) for p in own),
            link,
        )


def _proposals() -> QuerySet[Proposal]:
    return Proposal.objects.listed().select_related("process")


def _proposal_documents(proposal: Proposal) -> Iterator[Document]:
    texts = [proposal.problem, proposal.solution, proposal.expected_impact]
    if proposal.status in DECISIONS:
        texts.append(proposal.response)
    language = proposal.language if proposal.language in LANGUAGES else DEFAULT_LANGUAGE
    yield Document(
        Kind.PROPOSAL,
        proposal.pk,
        language,
        f"#{proposal.number} {proposal.title}",
        str(localized(proposal.process, "title", language)),
        "\n".join(t for t in texts if t),
        neutral_link(proposal),
    )


SOURCES: dict[str, Source] = {
    source.kind: source
    for source in (
        Source(Kind.COMMITMENT, Commitment, _commitments, _commitment_documents),
        Source(Kind.ACTIVITY, Activity, _activities, _activity_documents),
        Source(Kind.INSTITUTION, Institution, _institutions, _institution_documents),
        Source(Kind.MEETING, Meeting, _meetings, _meeting_documents),
        Source(Kind.MINUTES, Meeting, _minutes, _minutes_documents),
        Source(Kind.PROPOSAL, Proposal, _proposals, _proposal_documents),
    )
}
