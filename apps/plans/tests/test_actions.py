"""Every change to a plan goes through an action: permission, audit row, public history."""

from __future__ import annotations

import decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from apps.accounts import system_user
from apps.core.models import AuditLog
from apps.plans import actions
from apps.plans.models import Activity
from apps.plans.tests.factories import make_commitment, make_institution, make_plan

pytestmark = pytest.mark.django_db


@pytest.fixture
def commitment(ministry_a):
    plan = make_plan(slug="demo")
    return make_commitment(plan, [(100, 1), (0, 1)], number=1, lead_institution=ministry_a)


def _activity(commitment, order=1) -> Activity:
    return commitment.activities.get(order=order)


def test_it_records_a_weight_change_before_and_after(commitment, secretariat):
    activity = _activity(commitment, 2)
    actions.do_set_activity_weight(activity, 3, acting_user=secretariat)
    activity.refresh_from_db()
    assert activity.weight == 3
    row = AuditLog.objects.get(action="plans.change_activity_weight")
    assert row.actor == secretariat and row.target_id == activity.pk
    assert row.before == {"weight": "1"} and row.after["weight"] == "3"


def test_it_records_every_changed_field_of_the_template(commitment, secretariat):
    actions.do_edit_commitment(
        commitment,
        acting_user=secretariat,
        problem_fr="Un problème",
        title_fr=commitment.title_fr,  # unchanged: not in the audit row
        civic_participation=True,
    )
    row = AuditLog.objects.get(action="plans.edit_commitment")
    assert row.before == {"problem_fr": None, "civic_participation": False}
    assert row.after == {"problem_fr": "Un problème", "civic_participation": True}


@pytest.mark.parametrize("persona", ["focal_point_a", "committee_member", "citizen"])
def test_only_the_secretariat_changes_a_plan(commitment, request, persona):
    user = request.getfixturevalue(persona)
    with pytest.raises(actions.PlanError):
        actions.do_set_activity_weight(_activity(commitment), 5, acting_user=user)
    with pytest.raises(actions.PlanError):
        actions.do_edit_commitment(commitment, acting_user=user, problem_ar="x")
    with pytest.raises(actions.PlanError):
        actions.do_change_lead_institution(commitment, make_institution(), acting_user=user)
    assert not AuditLog.objects.exists()


def test_an_action_needs_an_acting_user(commitment):
    with pytest.raises(TypeError):
        actions.do_set_activity_weight(_activity(commitment), 5, acting_user=None)
    actions.do_set_activity_weight(_activity(commitment), 5, acting_user=system_user())
    assert AuditLog.objects.get().actor == system_user()


def test_progress_is_not_changed_by_a_plan_action(commitment, secretariat):
    with pytest.raises(actions.PlanError):
        actions.do_edit_activity(_activity(commitment, 2), acting_user=secretariat, progress=90)


def test_a_weight_change_shows_in_the_public_history(client, commitment, secretariat):
    activity = _activity(commitment, 2)
    actions.do_set_activity_weight(activity, decimal.Decimal("2.5"), acting_user=secretariat)
    with translation.override("fr"):  # (the request activates French: restore after)
        html = client.get("/fr/plans/demo/commitments/1/").content.decode()
    assert 'id="commitment-changes"' in html
    assert "Activité 2" in html and "1 → 2.5" in html


def test_the_history_costs_the_same_queries_for_1_and_20_changes(client, commitment, secretariat):
    url = "/ar/plans/demo/commitments/1/"
    activity = _activity(commitment, 2)
    actions.do_set_activity_weight(activity, 2, acting_user=secretariat)
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for weight in range(3, 23):
        actions.do_set_activity_weight(activity, weight, acting_user=secretariat)
    actions.do_change_lead_institution(commitment, make_institution(), acting_user=secretariat)
    actions.do_add_activity(commitment, acting_user=secretariat, title_ar="نشاط جديد", order=3)
    with CaptureQueriesContext(connection) as many:
        html = client.get(url).content.decode()
    assert len(many.captured_queries) == len(one.captured_queries)
    assert html.count('data-action="plans.change_activity_weight"') == 21


def _admin_post(client, obj, **changes):
    """The object's admin form as shown, with ``changes``, posted back."""
    from apps.core.tests.forms import FormReader

    url = f"/ar/admin/plans/{obj._meta.model_name}/{obj.pk}/change/"
    reader = FormReader()
    reader.feed(client.get(url).content.decode())
    data = {k: v for k, v in reader.values.items() if v != "texte"}
    data.update({k: str(v) for k, v in changes.items()})
    data.pop("_saveasnew", None)
    data.pop("_addanother", None)
    data.pop("_continue", None)
    return client.post(url, data)


def test_the_admin_writes_through_the_actions(commitment, secretariat):
    client = Client()
    client.force_login(secretariat)
    activity = _activity(commitment, 2)
    response = _admin_post(
        client, commitment, **{"activities-1-weight": "4", "summary_fr": "Résumé"}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    activity.refresh_from_db()
    assert activity.weight == 4
    weight = AuditLog.objects.get(action="plans.change_activity_weight")
    assert weight.actor == secretariat and weight.after["weight"] == "4"
    edit = AuditLog.objects.get(action="plans.edit_commitment")
    assert edit.after == {"summary_fr": "Résumé"}


def test_the_plan_admin_writes_through_the_actions(commitment, secretariat):
    from apps.plans.tests.factories import make_theme

    plan = commitment.plan
    theme = make_theme(plan)
    client = Client()
    client.force_login(secretariat)
    response = _admin_post(client, plan, title_fr="Plan révisé", **{"themes-0-title_fr": "Axe"})
    assert response.status_code == 302, response.content.decode()[:2000]
    plan.refresh_from_db()
    theme.refresh_from_db()
    assert plan.title_fr == "Plan révisé" and theme.title_fr == "Axe"
    assert AuditLog.objects.get(action="plans.change_actionplan").after == {
        "title_fr": "Plan révisé"
    }
    assert AuditLog.objects.get(action="plans.change_theme").after == {"title_fr": "Axe"}


def test_activities_added_and_removed_in_the_admin_are_audited(commitment, secretariat):
    client = Client()
    client.force_login(secretariat)
    first = _activity(commitment, 1)
    response = _admin_post(
        client,
        commitment,
        **{
            "activities-TOTAL_FORMS": "3",
            "activities-0-DELETE": "on",
            "activities-2-commitment": str(commitment.pk),
            "activities-2-order": "3",
            "activities-2-title_ar": "نشاط ثالث",
            "activities-2-weight": "2",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    assert not Activity.objects.filter(pk=first.pk).exists()
    added = Activity.objects.get(title_ar="نشاط ثالث")
    assert added.weight == 2 and added.progress == 0
    assert AuditLog.objects.get(action="plans.remove_activity").before["title"] == first.title_ar
    assert AuditLog.objects.get(action="plans.add_activity").target_id == added.pk
    html = client.get("/ar/plans/demo/commitments/1/").content.decode()
    assert html.count('data-action="plans.add_activity"') == 1
    assert html.count('data-action="plans.remove_activity"') == 1


def test_a_commitment_added_in_the_admin_is_audited(commitment, secretariat, ministry_a):
    from apps.core.tests.forms import FormReader

    client = Client()
    client.force_login(secretariat)
    url = "/ar/admin/plans/commitment/add/"
    reader = FormReader()
    reader.feed(client.get(url).content.decode())
    data = {k: v for k, v in reader.values.items() if v != "texte" and not k.startswith("_")}
    data.update(
        {
            "plan": str(commitment.plan.pk),
            "number": "2",
            "title_ar": "التزام جديد",
            "lead_institution": str(ministry_a.pk),
            "activities-TOTAL_FORMS": "1",
            "activities-0-order": "1",
            "activities-0-title_ar": "نشاط",
            "activities-0-weight": "1",
        }
    )
    data.pop("theme", None)
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    row = AuditLog.objects.get(action="plans.add_commitment")
    assert row.after["title_ar"] == "التزام جديد" and row.after["lead_institution"] == ministry_a.pk
    assert AuditLog.objects.filter(action="plans.add_activity").count() == 1


def test_the_admin_keeps_the_plans_stored_figures_current(commitment, secretariat):
    """A weight changed, an activity removed, a commitment deleted in the admin: the
    plan's stored figures (apps/plans/figures.py) follow, as the lists show them."""
    from apps.plans.figures import stale_plans

    plan = commitment.plan
    other = make_commitment(plan, [(40, 1)], number=2)
    client = Client()
    client.force_login(secretariat)
    # (100×1 + 0×1) / 2 = 50 and 40: the plan is at 45 %.
    plan.refresh_from_db()
    assert (plan.progress, plan.commitments_count) == (45.0, 2)
    response = _admin_post(client, commitment, **{"activities-1-weight": "3"})
    assert response.status_code == 302, response.content.decode()[:2000]
    plan.refresh_from_db()
    assert plan.progress == pytest.approx((25 + 40) / 2) and stale_plans() == []
    response = _admin_post(client, commitment, **{"activities-0-DELETE": "on"})
    assert response.status_code == 302, response.content.decode()[:2000]
    plan.refresh_from_db()
    assert plan.progress == pytest.approx((0 + 40) / 2) and stale_plans() == []
    url = f"/ar/admin/plans/commitment/{other.pk}/delete/"
    assert client.post(url, {"post": "yes"}).status_code == 302
    plan.refresh_from_db()
    assert (plan.progress, plan.commitments_count) == (0.0, 1) and stale_plans() == []
    assert AuditLog.objects.filter(action="plans.delete_commitment").count() == 1
    assert client.get("/api/v1/plans").json()["items"][0]["commitments_count"] == 1
