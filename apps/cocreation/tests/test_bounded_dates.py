"""Co-creation's phases, themes, meetings and its plan's period refuse a date from
another era, in the actions (the API and the demo call them) and in the forms, with the
allowed range in the user's language (apps.core.bounds)."""

from __future__ import annotations

import datetime

import pytest
from django.utils import translation

from apps.cocreation import actions
from apps.cocreation.actions import CocreationError
from apps.cocreation.forms import PhaseForm
from apps.cocreation.models import PhaseKey
from apps.cocreation.tests.factories import make_theme, phase
from apps.core import bounds
from apps.core.models import AuditLog

pytestmark = pytest.mark.django_db

ABSURD = [datetime.date(9999, 12, 31), datetime.date(1, 1, 1)]


@pytest.mark.parametrize("day", ABSURD, ids=str)
def test_the_phase_and_theme_actions_refuse_a_date_from_another_era(day, process, secretariat):
    theme = make_theme(process, secretariat)
    method = phase(process, PhaseKey.METHOD)
    under_way = process.open_phase()
    assert under_way is not None
    before = AuditLog.objects.count()
    with translation.override("fr"):
        with pytest.raises(CocreationError) as planned:
            actions.do_plan_phase(
                method, planned_start=day, planned_end=day, openings=[], acting_user=secretariat
            )
        with pytest.raises(CocreationError) as started:
            actions.do_complete_phase(under_way, acting_user=secretariat, on=day)
        with pytest.raises(CocreationError):
            actions.do_agree_theme(theme, acting_user=secretariat, on=day)
        assert "Indiquez une date comprise entre le" in str(planned.value)
        assert str(started.value) == bounds.fact_error(day)
    assert AuditLog.objects.count() == before
    theme.refresh_from_db()
    assert theme.agreed_on is None
    assert phase(process, under_way.key).completed_on is None


@pytest.mark.parametrize("lang", ["ar", "fr", "en"])
@pytest.mark.parametrize("day", ABSURD, ids=str)
def test_the_phase_form_names_the_range(lang, day):
    with translation.override(lang):
        form = PhaseForm({"planned_start": day.isoformat(), "planned_end": "2026-01-01"})
        assert not form.is_valid()
        assert form.errors["planned_start"] == [bounds.plan_error(day)]
