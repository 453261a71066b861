"""Every permission of the co-creation, walked through every role, before, during and
after the phase that opens it (see docs/permissions.md)."""

from __future__ import annotations

import pytest

from apps.accounts.tests.personas import make_user
from apps.cocreation import actions
from apps.cocreation.models import PhaseKey, Proposal
from apps.cocreation.tests.factories import make_process, phase, submit

pytestmark = pytest.mark.django_db

ROLES = [
    "anonymous",
    "citizen",
    "focal_point_a",
    "committee_member",
    "translator",
    "secretariat",
    "superuser",
]
PARTICIPANTS = set(ROLES) - {"anonymous"}
SECRETARIAT = {"secretariat", "superuser"}


def _fresh(proposal: Proposal) -> Proposal:
    proposal = Proposal.objects.select_related("process").get(pk=proposal.pk)
    return proposal


@pytest.fixture
def during(secretariat):
    process = make_process(secretariat, open_phase=PhaseKey.IDEAS)
    return process, submit(process, make_user("author"))


@pytest.mark.parametrize("role", ROLES)
def test_reading_is_public(role, personas, during):
    process, _proposal = during
    assert personas[role].has_perm("cocreation.view_process", process)


@pytest.mark.parametrize("role", ROLES)
def test_participation_is_open_to_accounts_while_the_ideas_phase_runs(role, personas, during):
    process, proposal = during
    user = personas[role]
    expected = role in PARTICIPANTS
    assert user.has_perm("cocreation.propose", process) is expected
    assert user.has_perm("cocreation.comment", proposal) is expected
    assert user.has_perm("cocreation.support", proposal) is expected
    assert user.has_perm("cocreation.follow", proposal) is expected


@pytest.mark.parametrize("role", ROLES)
def test_nobody_participates_before_the_phase(role, personas, secretariat):
    process = make_process(secretariat, open_phase=PhaseKey.METHOD, slug="before")
    user = personas[role]
    assert not user.has_perm("cocreation.propose", process)


@pytest.mark.parametrize("role", ROLES)
def test_nobody_proposes_or_supports_after_the_phase(role, personas, during, secretariat):
    process, proposal = during
    actions.do_complete_phase(phase(process, PhaseKey.IDEAS), acting_user=secretariat)
    proposal = _fresh(proposal)
    user = personas[role]
    assert not user.has_perm("cocreation.propose", proposal.process)
    assert not user.has_perm("cocreation.support", proposal)
    assert not user.has_perm("cocreation.comment", proposal)
    # Following stays open: the decision is still to come.
    assert user.has_perm("cocreation.follow", proposal) is (role in PARTICIPANTS)


@pytest.mark.parametrize("role", ROLES)
def test_a_hidden_proposal_takes_no_support_or_comment(role, personas, during, secretariat):
    _process, proposal = during
    actions.do_hide_proposal(proposal, reason="إشهار", acting_user=secretariat)
    proposal = _fresh(proposal)
    assert not personas[role].has_perm("cocreation.support", proposal)
    assert not personas[role].has_perm("cocreation.comment", proposal)


@pytest.mark.parametrize("role", ROLES)
def test_only_the_secretariat_runs_and_moderates_the_process(role, personas, during):
    process, proposal = during
    user = personas[role]
    assert user.has_perm("cocreation.manage_process", process) is (role in SECRETARIAT)
    assert user.has_perm("cocreation.moderate", proposal) is (role in SECRETARIAT)


def test_an_inactive_account_takes_no_part(during):
    process, proposal = during
    user = make_user("gone")
    user.is_active = False
    user.save()
    assert not user.has_perm("cocreation.propose", process)
    assert not user.has_perm("cocreation.support", proposal)
