"""The index follows the indexed models: a save or a delete re-indexes what it changes.

Search sits after every app it indexes (``settings.PROJECT_APPS``), so it may listen to
their models; none of them knows about search. Saves that only touch figures (an
activity's progress, a proposal's counters) leave the index alone. Writes that bypass
signals (``QuerySet.update``, ``bulk_create``) are caught up by
``manage.py rebuild_search_index``. Inside :func:`apps.core.batch.batched` (the imports),
the objects to re-index are gathered and re-indexed once, at the end of the batch.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.db.models.signals import post_delete, post_save

from apps.accounts.models import Institution
from apps.cocreation.models import Process, Proposal
from apps.committees.models import (
    ActionItem,
    AgendaItem,
    Committee,
    Decision,
    Meeting,
    MinutesRecord,
)
from apps.core import batch
from apps.plans.models import ActionPlan, Activity, Commitment
from apps.search import index
from apps.search.models import Kind

# Fields whose change alone does not change what is indexed.
FIGURES = {
    Activity: {"progress", "weight", "order", "start_date", "end_date"},
    Proposal: {"supports_count", "comments_count"},
}


class _Pending:
    """The objects of a batch to re-index, by kind."""

    def __init__(self) -> None:
        self.kinds: defaultdict[str, set[int]] = defaultdict(set)

    def __call__(self) -> None:
        for kind, pks in self.kinds.items():
            index.reindex(kind, pks)


def _reindex(kind: str, pks: Iterable[int]) -> None:
    pending = batch.pending("search", _Pending)
    if pending is None:
        index.reindex(kind, pks)
    else:
        pending.kinds[kind].update(pks)


def _only_figures(sender: Any, update_fields: Any) -> bool:
    return bool(update_fields) and set(update_fields) <= FIGURES.get(sender, set())


def _meeting_changed(meeting_id: int) -> None:
    _reindex(Kind.MEETING, [meeting_id])
    _reindex(Kind.MINUTES, [meeting_id])


def _saved(sender: Any, instance: Any, update_fields: Any = None, **kwargs: Any) -> None:
    if kwargs.get("raw") or _only_figures(sender, update_fields):
        return
    if sender is Commitment:
        _reindex(Kind.COMMITMENT, [instance.pk])
        # An activity's context line names its commitment.
        _reindex(Kind.ACTIVITY, instance.activities.values_list("pk", flat=True))
    elif sender is Activity:
        _reindex(Kind.ACTIVITY, [instance.pk])
    elif sender is ActionPlan:
        commitments = Commitment.objects.filter(plan=instance).values_list("pk", flat=True)
        _reindex(Kind.COMMITMENT, commitments)
        activities = Activity.objects.filter(commitment__plan=instance)
        _reindex(Kind.ACTIVITY, activities.values_list("pk", flat=True))
    elif sender is Institution:
        _reindex(Kind.INSTITUTION, [instance.pk])
    elif sender is Meeting:
        _meeting_changed(instance.pk)
    elif sender is Committee:
        for pk in Meeting.objects.filter(committee=instance).values_list("pk", flat=True):
            _meeting_changed(pk)
    elif sender in (AgendaItem, Decision, ActionItem, MinutesRecord):
        _meeting_changed(instance.meeting_id)
    elif sender is Proposal:
        _reindex(Kind.PROPOSAL, [instance.pk])
    elif sender is Process:
        _reindex(Kind.PROPOSAL, instance.proposals.values_list("pk", flat=True))


def _deleted(sender: Any, instance: Any, **kwargs: Any) -> None:
    if sender is Commitment:
        index.drop(Kind.COMMITMENT, [instance.pk])
    elif sender is Activity:
        index.drop(Kind.ACTIVITY, [instance.pk])
    elif sender is Institution:
        index.drop(Kind.INSTITUTION, [instance.pk])
    elif sender is Meeting:
        index.drop(Kind.MEETING, [instance.pk])
        index.drop(Kind.MINUTES, [instance.pk])
    elif sender is Proposal:
        index.drop(Kind.PROPOSAL, [instance.pk])
    elif (
        sender in (AgendaItem, Decision, ActionItem, MinutesRecord)
        and Meeting.objects.filter(pk=instance.meeting_id).exists()
    ):
        _meeting_changed(instance.meeting_id)


WATCHED = (
    ActionPlan,
    Commitment,
    Activity,
    Institution,
    Committee,
    Meeting,
    AgendaItem,
    Decision,
    ActionItem,
    MinutesRecord,
    Process,
    Proposal,
)


def connect() -> None:
    for model in WATCHED:
        post_save.connect(_saved, sender=model, dispatch_uid=f"search-save-{model.__name__}")
        post_delete.connect(_deleted, sender=model, dispatch_uid=f"search-del-{model.__name__}")
