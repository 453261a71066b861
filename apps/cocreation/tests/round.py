"""Set-ups for the tests of meetings, prioritisation, cards and adoption: the phases
moved and the round laid out through the actions, as the secretariat would."""

from __future__ import annotations

import datetime
from typing import Any

from django.test import Client

from apps.accounts.models import Institution
from apps.accounts.tests.personas import PASSWORD
from apps.cocreation import actions, cards, prioritisation
from apps.cocreation.models import (
    CommitmentCard,
    Criterion,
    Phase,
    Process,
    Proposal,
    ProposalStatus,
)

DAY = datetime.date(2026, 1, 1)


def move_to(process: Process, secretariat: Any, key: str) -> Process:
    """Complete the phase under way and start the one with ``key``."""
    for phase in Phase.objects.filter(process=process, started_on__isnull=False, completed_on=None):
        actions.do_complete_phase(phase, acting_user=secretariat, on=DAY)
    actions.do_start_phase(
        Phase.objects.get(process=process, key=key), acting_user=secretariat, on=DAY
    )
    return Process.objects.with_phases().get(pk=process.pk)


def signed_in(user: Any) -> Client:
    client = Client()
    if getattr(user, "is_authenticated", False):
        assert client.login(username=user.username, password=PASSWORD)
    return client


def criteria(process: Process, secretariat: Any) -> list[Criterion]:
    return [
        prioritisation.do_save_criterion(
            process, names={"ar": name, "fr": fr}, weight=weight, acting_user=secretariat
        )
        for name, fr, weight in (
            ("الأثر", "Impact", 3),
            ("قابلية التنفيذ", "Faisabilité", 2),
            ("قيم الشراكة", "Valeurs du PGO", 1),
        )
    ]


def decide_accept(proposal: Proposal, secretariat: Any, lead: Institution) -> Proposal:
    return prioritisation.do_decide_proposal(
        proposal,
        decision=ProposalStatus.ACCEPTED,
        response="يستجيب لحاجة واضحة",
        lead_institution=lead,
        acting_user=secretariat,
    )


def card_for(process: Process, secretariat: Any, *proposals: Proposal) -> CommitmentCard:
    return cards.do_create_card(process, list(proposals), acting_user=secretariat)
