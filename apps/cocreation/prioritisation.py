"""Prioritisation: the secretariat sets the criteria and their weights, committee members
score the proposals retained for review, the ranking aggregates the scores, and the
committee decides on each proposal with a reasoned response, which is published.

The rule of the ranking:

- a member's score of a proposal is the weighted mean of their scores on the criteria
  they scored: ``Σ value × weight / Σ weight`` (criteria of weight 0 do not count);
- the proposal's score is the mean of its members' scores, from 0 to 5;
- the spread between scorers is the standard deviation of the members' scores (0 when
  they agree, up to 2.5), shown with the lowest and the highest.

Both levels are computed in the database, in one query for a page of the ranking
(:func:`ranking_page`), so that the page costs the same number of queries for ten
proposals as for fifty thousand. The ORM cannot aggregate an aggregate (the members'
scores, then their mean), hence the SQL, kept here with the tables' names read from the
models.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import connection, transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.accounts.models import Institution
from apps.cocreation.actions import (
    CocreationError,
    _check_phase,
    _notify_followers,
    _refused,
    do_merge_proposal,
)
from apps.cocreation.models import (
    DECISIONS,
    SCORE_MAX,
    SCORE_MIN,
    CommitmentCard,
    Criterion,
    Opening,
    Process,
    Proposal,
    ProposalStatus,
    Score,
)
from apps.core.errors import check_permission
from apps.core.models import AuditLog

MAX_WEIGHT = Decimal(1000)


# Criteria ---------------------------------------------------------------------------------


@transaction.atomic
def do_save_criterion(
    process: Process,
    *,
    names: dict[str, str],
    weight: Decimal | int | str,
    acting_user: Any,
    criterion: Criterion | None = None,
    order: int | None = None,
) -> Criterion:
    """Add a criterion to the process, or change one (its names, weight and order)."""
    check_permission(acting_user, "cocreation.set_criteria", process, _refused())
    if process.plan_id is not None:
        raise CocreationError(_("This process was adopted: its criteria are closed."))
    if not names.get("ar", "").strip():
        raise CocreationError(_("A criterion needs an Arabic name."))
    try:
        value = Decimal(str(weight))
    except (InvalidOperation, ValueError):
        raise CocreationError(_("The weight must be a number.")) from None
    if not value.is_finite() or value < 0 or value > MAX_WEIGHT:
        raise CocreationError(
            _("The weight must be between 0 and %(max)s.") % {"max": int(MAX_WEIGHT)}
        )
    if criterion is None:
        criterion = Criterion(process=process)
        if order is None:
            order = Criterion.objects.filter(process=process).count() + 1
        before: dict[str, Any] = {}
    else:
        criterion = Criterion.objects.select_for_update().get(pk=criterion.pk, process=process)
        before = {"name_ar": criterion.name_ar, "weight": str(criterion.weight)}
    for lang in ("ar", "fr", "en"):
        setattr(criterion, f"name_{lang}", names.get(lang, "").strip()[:200])
    criterion.weight = value.quantize(Decimal("0.01"))
    if order is not None:
        criterion.order = order
    criterion.save()
    AuditLog.record(
        actor=acting_user,
        action="cocreation.save_criterion",
        target=criterion,
        before=before,
        after={"name_ar": criterion.name_ar, "weight": str(criterion.weight)},
    )
    return criterion


# Scores -----------------------------------------------------------------------------------


@transaction.atomic
def do_score_proposal(
    proposal: Proposal,
    values: Mapping[int, int],
    *,
    acting_user: Any,
    note: str = "",
) -> list[Score]:
    """A committee member scores a retained proposal against the criteria (``values``:
    criterion id → score from 0 to 5). One score per member, proposal and criterion: a
    second scoring changes the first, while a phase opens scoring."""
    _check_phase(proposal.process, Opening.SCORING)
    check_permission(acting_user, "cocreation.score", proposal, _refused())
    proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
    if proposal.status != ProposalStatus.RETAINED:
        raise CocreationError(_("Only a proposal retained for review, not yet decided, is scored."))
    criteria = {c.pk: c for c in Criterion.objects.filter(process_id=proposal.process_id)}
    if not values:
        raise CocreationError(_("Give a score for at least one criterion."))
    for criterion_id, value in values.items():
        if criterion_id not in criteria:
            raise CocreationError(_("This criterion belongs to another process."))
        if not isinstance(value, int) or not SCORE_MIN <= value <= SCORE_MAX:
            raise CocreationError(
                _("A score is a whole number from %(min)s to %(max)s.")
                % {"min": SCORE_MIN, "max": SCORE_MAX}
            )
    existing = {
        s.criterion_id: s
        for s in Score.objects.select_for_update().filter(proposal=proposal, member=acting_user)
    }
    now = timezone.now()
    saved, before, after = [], {}, {}
    for criterion_id, value in values.items():
        score = existing.get(criterion_id)
        if score is None:
            score = Score.objects.create(
                proposal=proposal,
                criterion_id=criterion_id,
                member=acting_user,
                value=value,
                note=note,
                scored_at=now,
            )
            after[str(criterion_id)] = value
        elif score.value != value or score.note != note:
            before[str(criterion_id)] = score.value
            after[str(criterion_id)] = value
            score.value, score.note, score.scored_at = value, note, now
            score.save(update_fields=["value", "note", "scored_at"])
        saved.append(score)
    if after:
        AuditLog.record(
            actor=acting_user,
            action="cocreation.score",
            target=proposal,
            before=before,
            after=after,
        )
    return saved


# The ranking ------------------------------------------------------------------------------


@dataclass
class Ranked:
    """A row of the ranking: the proposal, its score (0–5, None before any score), the
    spread between its scorers and how many scored it."""

    rank: int
    proposal: Proposal
    score: float | None
    spread: float | None
    low: float | None
    high: float | None
    scorers: int


def _in_ranking(process: Process) -> Any:
    """Proposals the ranking lists: retained for review, or scored (decided since)."""
    scored = Score.objects.filter(proposal=OuterRef("pk"), criterion__weight__gt=0)
    return Proposal.objects.filter(process=process).filter(
        Q(status=ProposalStatus.RETAINED) | Q(Exists(scored))
    )


def ranking_count(process: Process) -> int:
    return _in_ranking(process).count()


def _ranking_sql() -> str:
    score = connection.ops.quote_name(Score._meta.db_table)
    criterion = connection.ops.quote_name(Criterion._meta.db_table)
    proposal = connection.ops.quote_name(Proposal._meta.db_table)
    # Weights as floats: PostgreSQL's numeric arithmetic over hundreds of thousands of
    # scores takes twice as long, and a float division is what SQLite needs anyway.
    # Only quoted table names go into the text; every value is a parameter (%s).
    return f"""
        WITH member_scores AS (
            SELECT s.proposal_id AS proposal_id, s.member_id AS member_id,
                   SUM(s.value * CAST(c.weight AS DOUBLE PRECISION))
                   / SUM(CAST(c.weight AS DOUBLE PRECISION)) AS score
            FROM {score} s JOIN {criterion} c ON c.id = s.criterion_id
            WHERE c.process_id = %s AND c.weight > 0
            GROUP BY s.proposal_id, s.member_id
        ), aggregated AS (
            SELECT proposal_id, AVG(score) AS score, MIN(score) AS low, MAX(score) AS high,
                   AVG(score * score) - AVG(score) * AVG(score) AS variance,
                   COUNT(*) AS scorers
            FROM member_scores GROUP BY proposal_id
        )
        SELECT p.id, a.score, a.low, a.high, a.variance, a.scorers
        FROM {proposal} p LEFT JOIN aggregated a ON a.proposal_id = p.id
        WHERE p.process_id = %s AND (p.status = %s OR a.proposal_id IS NOT NULL)
        ORDER BY CASE WHEN a.score IS NULL THEN 1 ELSE 0 END, a.score DESC, p.number
        LIMIT %s OFFSET %s
    """  # noqa: S608 - table names from the models, values as parameters


def _number(value: Any) -> float | None:
    return None if value is None else float(value)


def ranking_page(process: Process, *, offset: int = 0, limit: int = 50) -> list[Ranked]:
    """A page of the ranking, best first (two queries: the figures, then the proposals
    with their theme, lead institution and merge target)."""
    with connection.cursor() as cursor:
        cursor.execute(
            _ranking_sql(),
            [process.pk, process.pk, ProposalStatus.RETAINED, limit, offset],
        )
        rows = cursor.fetchall()
    proposals = Proposal.objects.select_related("theme", "lead_institution", "merged_into").in_bulk(
        [row[0] for row in rows]
    )
    ranked = []
    for position, (pk, score, low, high, variance, scorers) in enumerate(rows, start=offset + 1):
        proposal = proposals[pk]
        proposal.process = process
        spread = None
        if variance is not None:
            # Rounding can leave a tiny negative variance when all scorers agree.
            spread = math.sqrt(max(float(variance), 0.0))
        ranked.append(
            Ranked(
                rank=position,
                proposal=proposal,
                score=_number(score),
                spread=spread,
                low=_number(low),
                high=_number(high),
                scorers=scorers or 0,
            )
        )
    return ranked


def proposal_figures(proposal: Proposal) -> dict[int, dict[str, Any]]:
    """Per criterion of ``proposal``'s process: the mean of the members' scores and how
    many scored it (one query), for the decision page."""
    figures: dict[int, dict[str, Any]] = {}
    for score in Score.objects.filter(proposal=proposal).only("criterion_id", "value"):
        entry = figures.setdefault(score.criterion_id, {"total": 0, "count": 0})
        entry["total"] += score.value
        entry["count"] += 1
    for entry in figures.values():
        entry["mean"] = entry["total"] / entry["count"]
    return figures


# Decisions ---------------------------------------------------------------------------------

# A decision can be changed (accepted ↔ rejected) until a card is drafted from the
# proposal; a merge moves supports and comments and is final.
DECIDABLE = (
    ProposalStatus.SUBMITTED,
    ProposalStatus.RETAINED,
    ProposalStatus.ACCEPTED,
    ProposalStatus.REJECTED,
)


@transaction.atomic
def do_decide_proposal(
    proposal: Proposal,
    *,
    decision: str,
    response: str,
    acting_user: Any,
    lead_institution: Institution | None = None,
    merged_into: Proposal | None = None,
) -> Proposal:
    """Record the committee's decision on a proposal: accepted (with the institution that
    will lead it), merged into another proposal, or rejected. Every decision needs a
    reasoned response, published on the proposal's page; followers hear of it by mail."""
    _check_phase(proposal.process, Opening.SCORING)
    check_permission(acting_user, "cocreation.decide", proposal, _refused())
    response = response.strip()
    if not response:
        raise CocreationError(
            _("A decision needs a reasoned response: it is published with the proposal.")
        )
    if decision not in DECISIONS:
        raise CocreationError(_("Choose accepted, merged or rejected."))
    locked = Proposal.objects.select_for_update().get(pk=proposal.pk)
    if locked.status not in DECIDABLE:
        raise CocreationError(_("This proposal was hidden or merged: it takes no decision."))
    if CommitmentCard.objects.filter(proposals=locked).exists():
        raise CocreationError(
            _("A commitment card was drafted from this proposal: the decision stays.")
        )
    before = {
        "status": locked.status,
        "response": locked.response,
        "lead_institution": locked.lead_institution_id,
    }
    if decision == ProposalStatus.MERGED:
        if merged_into is None:
            raise CocreationError(_("Choose the proposal it is merged into."))
        if locked.status in (ProposalStatus.ACCEPTED, ProposalStatus.REJECTED):
            raise CocreationError(_("This proposal was already decided or merged."))
        do_merge_proposal(locked, merged_into, response=response, acting_user=acting_user)
        locked.refresh_from_db()
    else:
        if decision == ProposalStatus.ACCEPTED and lead_institution is None:
            raise CocreationError(_("An accepted proposal needs a lead institution."))
        locked.status = decision
        locked.response = response
        locked.lead_institution = lead_institution if decision == ProposalStatus.ACCEPTED else None
        locked.decided_at = timezone.now()
        locked.decided_by = acting_user
        locked.save(
            update_fields=["status", "response", "lead_institution", "decided_at", "decided_by"]
        )
        _notify_followers(locked.pk, "decision", locked.pk, exclude=acting_user.pk)
    AuditLog.record(
        actor=acting_user,
        action="cocreation.decide_proposal",
        target=locked,
        before=before,
        after={
            "status": locked.status,
            "response": locked.response,
            "lead_institution": locked.lead_institution_id,
            "merged_into": locked.merged_into_id,
        },
    )
    return locked
