"""A meeting or an action item from another era is refused by the actions (imports
and the minutes' record call them without a form) and by the decision form, with the
allowed range in the user's language; nothing is written (apps.core.bounds)."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone, translation

from apps.accounts import system_user
from apps.committees import actions
from apps.committees.actions import CommitteeError
from apps.committees.forms import DecisionForm
from apps.committees.models import ActionItem, Decision, Meeting
from apps.core import bounds
from apps.core.models import AuditLog

pytestmark = pytest.mark.django_db

ABSURD = [datetime.date(9999, 12, 31), datetime.date(1, 1, 1)]


def _message(lang, plan):
    first, last = bounds.plan_range(plan)
    with translation.override(lang):
        return bounds._message(first, last)


def _written():
    return Meeting.objects.count(), ActionItem.objects.count(), AuditLog.objects.count()


@pytest.mark.parametrize("lang", ["ar", "fr", "en"])
@pytest.mark.parametrize("day", ABSURD, ids=str)
def test_the_meeting_actions_refuse_a_date_from_another_era(lang, day, committee, draft):
    moment = datetime.datetime.combine(day, datetime.time(12), tzinfo=datetime.UTC)
    before = _written()
    with translation.override(lang):
        with pytest.raises(CommitteeError) as created:
            actions.do_create_meeting(
                committee, acting_user=system_user(), starts_at=moment, mode="in_person"
            )
        with pytest.raises(CommitteeError) as moved:
            actions.do_update_meeting(draft, acting_user=system_user(), starts_at=moment)
        with pytest.raises(CommitteeError) as due:
            actions.do_add_action_item(
                draft, acting_user=system_user(), title="Publier", due_date=day
            )
    for error in (created, moved, due):
        assert str(error.value) == _message(lang, committee.plan)
    assert _written() == before
    draft.refresh_from_db()
    assert draft.starts_at.year == 2023


@pytest.mark.parametrize("day", ABSURD, ids=str)
def test_the_decision_form_refuses_an_action_item_due_in_another_era(day, draft):
    with translation.override("fr"):
        form = DecisionForm(
            {"text": "Publier", "action": "Publier", "due_date": day.isoformat()}, meeting=draft
        )
        assert not form.is_valid()
        assert form.errors["due_date"] == [_message("fr", draft.committee.plan)]
    assert not Decision.objects.filter(text="Publier").exists()
    ok = DecisionForm(
        {"text": "Publier", "action": "Publier", "due_date": timezone.localdate().isoformat()},
        meeting=draft,
    )
    assert ok.is_valid(), ok.errors
