"""Commitment cards: for each accepted proposal or cluster of proposals, a commitment
drafted on OGP's template (problem and causes, what has been done, the proposed solution,
expected results, how it promotes transparency, accountability and participation,
milestones with expected outputs, dates and stakeholders, lead and supporting
institutions).

The secretariat opens a card from accepted proposals (``do_create_card``); the focal
points of its lead institution and its civil-society partners draft it
(``do_edit_card``), each save a numbered :class:`CardVersion` with what it contained, so
that :func:`card_diff` can say what changed; anyone taking part comments on it; the lead
institution submits it and the committee validates it or returns it for changes (the
secretariat records it). A card of another institution cannot be edited: the permission
``cocreation.edit_card`` says who may.
"""

from __future__ import annotations

import datetime
import difflib
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.accounts.models import Institution
from apps.cocreation.actions import OGP_VALUES, CocreationError, _check_phase, _refused
from apps.cocreation.models import (
    CardComment,
    CardMilestone,
    CardStatus,
    CardVersion,
    CommitmentCard,
    Opening,
    Process,
    Proposal,
    ProposalStatus,
)
from apps.core import bounds
from apps.core.errors import check_permission
from apps.core.models import AuditLog

# The template's text fields, in the order of OGP's commitment template.
TEXT_FIELDS = (
    "title",
    "summary",
    "problem",
    "causes",
    "done_so_far",
    "solution",
    "expected_results",
    "transparency",
    "accountability",
    "participation",
    "other_stakeholders",
)
DATE_FIELDS = ("start_date", "end_date")
MAX_MILESTONES = 30


@dataclass
class MilestoneData:
    title: str
    expected_output: str = ""
    due_date: datetime.date | None = None
    stakeholders: str = ""


@dataclass
class CardContent:
    """What the drafters save: the template's fields, the supporting institutions and
    the milestones (parsed by the form)."""

    texts: dict[str, str]
    values: Sequence[str] = ()
    start_date: datetime.date | None = None
    end_date: datetime.date | None = None
    supporting_institutions: Sequence[Institution] = ()
    milestones: Sequence[MilestoneData] = field(default_factory=list)


def _iso(day: datetime.date | None) -> str | None:
    return day.isoformat() if day else None


def snapshot(card: CommitmentCard) -> dict[str, Any]:
    """The card as a version stores it (JSON): fields, institutions by name, milestones."""
    return {
        **{name: getattr(card, name) for name in TEXT_FIELDS},
        "values": [name for name in OGP_VALUES if getattr(card, name)],
        "start_date": _iso(card.start_date),
        "end_date": _iso(card.end_date),
        "lead_institution": str(card.lead_institution),
        "supporting_institutions": sorted(str(i) for i in card.supporting_institutions.all()),
        "milestones": [
            {
                "title": m.title,
                "expected_output": m.expected_output,
                "due_date": _iso(m.due_date),
                "stakeholders": m.stakeholders,
            }
            for m in card.milestones.order_by("order", "pk")
        ],
    }


def _save_version(card: CommitmentCard, acting_user: Any) -> CardVersion:
    last = CardVersion.objects.filter(card=card).aggregate(n=Max("number"))["n"] or 0
    return CardVersion.objects.create(
        card=card,
        number=last + 1,
        content=snapshot(card),
        saved_at=timezone.now(),
        saved_by=acting_user,
    )


@transaction.atomic
def do_create_card(
    process: Process,
    proposals: Sequence[Proposal],
    *,
    acting_user: Any,
    lead_institution: Institution | None = None,
    title: str = "",
) -> CommitmentCard:
    """Open a commitment card from one accepted proposal or a cluster of them, led by the
    institution the committee named (the first proposal's, unless another is given).
    Its first version takes the proposals' problem and solution as a starting point."""
    _check_phase(process, Opening.DRAFTING)
    check_permission(acting_user, "cocreation.create_card", process, _refused())
    # Cards are numbered per process: the lock serialises two creations at once.
    process = Process.objects.select_for_update().get(pk=process.pk)
    if process.plan_id is not None:
        raise CocreationError(_("This process was adopted: no new card."))
    if not proposals:
        raise CocreationError(_("A card is drafted from at least one accepted proposal."))
    chosen = list(
        Proposal.objects.select_for_update()
        .filter(pk__in=[p.pk for p in proposals])
        .order_by("number")
    )
    if any(p.process_id != process.pk for p in chosen) or len(chosen) != len(set(proposals)):
        raise CocreationError(_("These proposals are not all of this process."))
    if any(p.status != ProposalStatus.ACCEPTED for p in chosen):
        raise CocreationError(_("Only accepted proposals become commitment cards."))
    if CommitmentCard.objects.filter(proposals__in=chosen).exists():
        raise CocreationError(_("One of these proposals already has its commitment card."))
    first = chosen[0]
    lead = lead_institution or first.lead_institution
    if lead is None:
        raise CocreationError(_("A card needs a lead institution."))
    number = (
        CommitmentCard.objects.filter(process=process).aggregate(n=Max("number"))["n"] or 0
    ) + 1
    now = timezone.now()
    card = CommitmentCard.objects.create(
        process=process,
        number=number,
        theme=first.theme,
        language=first.language,
        title=(title.strip() or first.title)[:500],
        problem="\n\n".join(p.problem for p in chosen if p.problem),
        solution="\n\n".join(p.solution for p in chosen if p.solution),
        expected_results="\n\n".join(p.expected_impact for p in chosen if p.expected_impact),
        lead_institution=lead,
        created_at=now,
        updated_at=now,
        **{name: any(getattr(p, name) for p in chosen) for name in OGP_VALUES},
    )
    card.proposals.set(chosen)
    version = _save_version(card, acting_user)
    AuditLog.record(
        actor=acting_user,
        action="cocreation.create_card",
        target=card,
        after={
            "number": number,
            "proposals": [p.number for p in chosen],
            "lead_institution": lead.pk,
            "version": version.number,
        },
    )
    return card


def _lock_card(card: CommitmentCard) -> CommitmentCard:
    return (
        CommitmentCard.objects.select_for_update(of=("self",))
        .select_related("process", "lead_institution")
        .get(pk=card.pk)
    )


@transaction.atomic
def do_edit_card(
    card: CommitmentCard, content: CardContent, *, acting_user: Any
) -> tuple[CommitmentCard, CardVersion | None]:
    """Save the drafters' changes to a card, while a phase opens drafting and the card
    is a draft (or was returned for changes). Each save that changes something is a new
    version; a save that changes nothing makes none. Returns the card and the version."""
    _check_phase(card.process, Opening.DRAFTING)
    card = _lock_card(card)
    check_permission(acting_user, "cocreation.edit_card", card, _refused())
    texts = {name: (content.texts.get(name) or "").strip() for name in TEXT_FIELDS}
    if not texts["title"]:
        raise CocreationError(_("A card needs a title."))
    for day in (content.start_date, content.end_date, *(m.due_date for m in content.milestones)):
        bounds.check_plan(day, error=CocreationError)
    if content.start_date and content.end_date and content.end_date < content.start_date:
        raise CocreationError(_("The end date must not be before the start date."))
    if len(content.milestones) > MAX_MILESTONES:
        raise CocreationError(
            _("At most %(count)s milestones per card.") % {"count": MAX_MILESTONES}
        )
    if any(not m.title.strip() for m in content.milestones):
        raise CocreationError(_("Every milestone needs a title."))
    supporting = [i for i in content.supporting_institutions if i.pk != card.lead_institution_id]
    before = snapshot(card)
    for name, value in texts.items():
        setattr(card, name, value)
    for name in OGP_VALUES:
        setattr(card, name, name in content.values)
    card.start_date, card.end_date = content.start_date, content.end_date
    card.updated_at = timezone.now()
    card.save()
    card.supporting_institutions.set(supporting)
    CardMilestone.objects.filter(card=card).delete()
    CardMilestone.objects.bulk_create(
        CardMilestone(
            card=card,
            order=order,
            title=m.title.strip()[:600],
            expected_output=m.expected_output.strip(),
            due_date=m.due_date,
            stakeholders=m.stakeholders.strip(),
        )
        for order, m in enumerate(content.milestones, start=1)
    )
    after = snapshot(card)
    if after == before:
        return card, None
    version = _save_version(card, acting_user)
    AuditLog.record(
        actor=acting_user,
        action="cocreation.edit_card",
        target=card,
        after={
            "version": version.number,
            "changed": [k for k in after if after[k] != before.get(k)],
        },
    )
    return card, version


def _move(card: CommitmentCard, to: str, acting_user: Any, action: str, **after: Any) -> None:
    AuditLog.record(
        actor=acting_user,
        action=action,
        target=card,
        before={"status": card.status},
        after={"status": to, **after},
    )
    card.status = to
    card.updated_at = timezone.now()


@transaction.atomic
def do_submit_card(card: CommitmentCard, *, acting_user: Any) -> CommitmentCard:
    """The lead institution submits its card to the committee for validation. A card
    goes with its problem, its proposed solution and at least one milestone."""
    _check_phase(card.process, Opening.DRAFTING)
    card = _lock_card(card)
    check_permission(acting_user, "cocreation.submit_card", card, _refused())
    if not card.problem.strip() or not card.solution.strip():
        raise CocreationError(_("Describe the problem and the proposed solution first."))
    if not CardMilestone.objects.filter(card=card).exists():
        raise CocreationError(_("A card needs at least one milestone."))
    _move(card, CardStatus.SUBMITTED, acting_user, "cocreation.submit_card")
    card.save(update_fields=["status", "updated_at"])
    return card


@transaction.atomic
def do_validate_card(card: CommitmentCard, *, acting_user: Any) -> CommitmentCard:
    """Record the committee's validation of a submitted card: it goes into the plan at
    adoption as it stands."""
    card = _lock_card(card)
    check_permission(acting_user, "cocreation.validate_card", card, _refused())
    if card.status != CardStatus.SUBMITTED:
        raise CocreationError(_("Only a card submitted for validation can be validated."))
    version = CardVersion.objects.filter(card=card).aggregate(n=Max("number"))["n"]
    _move(card, CardStatus.VALIDATED, acting_user, "cocreation.validate_card", version=version)
    card.validated_at = timezone.now()
    card.validated_by = acting_user
    card.save(update_fields=["status", "updated_at", "validated_at", "validated_by"])
    return card


@transaction.atomic
def do_return_card(card: CommitmentCard, *, reason: str, acting_user: Any) -> CommitmentCard:
    """Return a submitted (or validated, before adoption) card to its drafters, with the
    committee's reason as a comment on it."""
    card = _lock_card(card)
    check_permission(acting_user, "cocreation.validate_card", card, _refused())
    if not reason.strip():
        raise CocreationError(_("Say what the card needs: the reason is written on it."))
    if card.status not in (CardStatus.SUBMITTED, CardStatus.VALIDATED):
        raise CocreationError(_("Only a submitted or validated card can be returned."))
    _move(card, CardStatus.RETURNED, acting_user, "cocreation.return_card")
    card.validated_at = None
    card.validated_by = None
    card.save(update_fields=["status", "updated_at", "validated_at", "validated_by"])
    CardComment.objects.create(
        card=card,
        version=CardVersion.objects.filter(card=card).order_by("-number").first(),
        author=acting_user,
        body=reason.strip(),
        created_at=timezone.now(),
    )
    return card


@transaction.atomic
def do_comment_card(card: CommitmentCard, body: str, *, acting_user: Any) -> CardComment:
    """Comment on a card (on its latest version): its drafters, the committee and the
    secretariat."""
    card = CommitmentCard.objects.select_related("process").get(pk=card.pk)
    check_permission(acting_user, "cocreation.comment_card", card, _refused())
    if not body.strip():
        raise CocreationError(_("The comment is empty."))
    comment = CardComment.objects.create(
        card=card,
        version=CardVersion.objects.filter(card=card).order_by("-number").first(),
        author=acting_user,
        body=body.strip(),
        created_at=timezone.now(),
    )
    AuditLog.record(
        actor=acting_user,
        action="cocreation.comment_card",
        target=card,
        after={"comment": comment.pk, "version": comment.version_id},
    )
    return comment


# What changed between two versions ----------------------------------------------------------


@dataclass
class Change:
    """One field that changed: ``segments`` are (kind, text) with kind ``same``,
    ``added`` or ``removed``, in reading order."""

    field: str
    label: str
    segments: list[tuple[str, str]]


FIELD_LABELS: dict[str, Any] = {
    "title": _("title"),
    "summary": _("brief description"),
    "problem": _("problem addressed"),
    "causes": _("causes of the problem"),
    "done_so_far": _("what has been done so far"),
    "solution": _("proposed solution"),
    "expected_results": _("expected results"),
    "transparency": _("how it promotes transparency"),
    "accountability": _("how it promotes accountability"),
    "participation": _("how it promotes participation"),
    "other_stakeholders": _("other stakeholders (civil society, private sector…)"),
    "values": _("OGP values"),
    "start_date": _("start date"),
    "end_date": _("end date"),
    "lead_institution": _("lead institution"),
    "supporting_institutions": _("supporting institutions"),
    "milestones": _("milestones"),
}


def _words(text: str) -> list[str]:
    # Words with the space after them: rejoined, the text reads as it was written.
    out, word = [], ""
    for char in text:
        word += char
        if char.isspace():
            out.append(word)
            word = ""
    if word:
        out.append(word)
    return out


def _segments(old: list[str], new: list[str]) -> list[tuple[str, str]]:
    segments: list[tuple[str, str]] = []
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            segments.append(("same", "".join(old[a1:a2])))
            continue
        if a2 > a1:
            segments.append(("removed", "".join(old[a1:a2])))
        if b2 > b1:
            segments.append(("added", "".join(new[b1:b2])))
    return segments


def _lines(value: Any) -> list[str]:
    if isinstance(value, list):
        lines = []
        for item in value:
            if isinstance(item, dict):
                parts = [item.get("title") or "", item.get("expected_output") or ""]
                parts += [item.get("due_date") or "", item.get("stakeholders") or ""]
                lines.append(" — ".join(p for p in parts if p) + "\n")
            else:
                lines.append(f"{item}\n")
        return lines
    return _words("" if value is None else str(value))


def card_diff(old: dict[str, Any] | None, new: dict[str, Any]) -> list[Change]:
    """What changed from version ``old`` to ``new`` (all of ``new`` when there is no
    ``old``): words for text, lines for lists (milestones, institutions, values)."""
    old = old or {}
    changes = []
    for name, label in FIELD_LABELS.items():
        before, after = old.get(name), new.get(name)
        if before == after or (not before and not after):
            continue
        if name == "values":
            before = [str(value_label(v)) for v in before or []]
            after = [str(value_label(v)) for v in after or []]
        changes.append(Change(name, str(label), _segments(_lines(before), _lines(after))))
    return changes


def value_label(name: str) -> Any:
    return getattr(CommitmentCard._meta.get_field(name), "verbose_name", name)
