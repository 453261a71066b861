"""Every write of the action plans: commitments (the fields of OGP's template), their
activities and weights, their lead and supporting institutions. The admin calls these;
each action locks what it changes, checks the permission and writes the audit row
(every changed field, before → after). Activity figures are not written here: they
change only through validated progress updates (tracking).
"""

from __future__ import annotations

import datetime
import decimal
from collections.abc import Iterable, Mapping
from typing import Any

from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.accounts.models import Institution
from apps.core.actions import apply_changes, as_json, do_delete_object
from apps.core.errors import ActionError, check_permission
from apps.core.models import AuditLog
from apps.plans import figures
from apps.plans.hooks import institutions_changed
from apps.plans.models import ActionPlan, Activity, Commitment, Tag


class PlanError(ActionError):
    """A change to a plan that cannot happen; the message is for the user."""


# Set through their own actions (institutions) or never directly (figures).
_NOT_EDITED = {"id", "plan", "lead_institution", "supporting_institutions"}
_FIGURES = {"progress"}

# Audit actions shown in a commitment's public history of changes.
PUBLIC_CHANGES = (
    "plans.change_activity_weight",
    "plans.add_activity",
    "plans.remove_activity",
    "plans.edit_activity",
    "plans.edit_commitment",
    "plans.change_lead_institution",
    "plans.change_supporting_institutions",
)


def _concrete(model: type[models.Model], fields: Mapping[str, Any], excluded: set[str]) -> None:
    known = {f.name for f in model._meta.concrete_fields} - excluded
    unknown = set(fields) - known
    if unknown:
        raise TypeError(f"{model.__name__}: fields not edited here: {sorted(unknown)}")


def _validate(obj: models.Model, exclude: Iterable[str] = ()) -> None:
    # Raises Django's ValidationError, which the admin's form already ruled out.
    obj.full_clean(exclude=list(exclude), validate_unique=True)


def _require(acting_user: Any, perm: str, obj: Any) -> None:
    check_permission(
        acting_user, perm, obj, PlanError(_("Only the secretariat changes the action plans."))
    )


# Commitments --------------------------------------------------------------------------


@transaction.atomic
def do_create_commitment(
    plan: ActionPlan,
    *,
    acting_user: Any,
    lead_institution: Institution | None = None,
    checked: bool = False,
    **fields: Any,
) -> Commitment:
    """Add a commitment to ``plan`` with the template fields given. ``checked``: the
    caller has already ruled out a duplicate number or identifier and reversed dates
    for a whole file (an import); the fields are validated, the database's constraints
    stand guard, and the per-row queries of those checks are spared."""
    _require(acting_user, "plans.add_commitment", None)
    _concrete(Commitment, fields, _NOT_EDITED)
    commitment = Commitment(plan=plan, lead_institution=lead_institution)
    _before, after = apply_changes(commitment, fields)
    if checked:
        commitment.full_clean(validate_unique=False, validate_constraints=False)
    else:
        _validate(commitment)
    commitment.save()
    figures.refresh(plan.pk)
    AuditLog.record(
        actor=acting_user,
        action="plans.add_commitment",
        target=commitment,
        after={**after, "lead_institution": as_json(lead_institution)},
    )
    return commitment


@transaction.atomic
def do_edit_commitment(commitment: Commitment, *, acting_user: Any, **fields: Any) -> Commitment:
    """Change fields of a commitment's template (title, description, OGP values, dates,
    theme, number) in any language. The lead and supporting institutions have their own
    actions, which also settle who answers for the commitment."""
    _require(acting_user, "plans.change_commitment", commitment)
    _concrete(Commitment, fields, _NOT_EDITED)
    locked = Commitment.objects.select_for_update().get(pk=commitment.pk)
    before, after = apply_changes(locked, fields)
    _validate(locked)
    if after:
        locked.save()
        AuditLog.record(
            actor=acting_user,
            action="plans.edit_commitment",
            target=locked,
            before=before,
            after=after,
        )
    return locked


@transaction.atomic
def do_change_lead_institution(
    commitment: Commitment,
    institution: Institution | None,
    *,
    acting_user: Any,
    on: datetime.date | None = None,
) -> list[str]:
    """Make ``institution`` the commitment's lead. Who answered for the commitment and
    no longer may (a focal point of the former lead) stops on ``on`` (today by default);
    the secretariat then hands it over. Returns what was done besides, in words."""
    _require(acting_user, "plans.change_commitment", commitment)
    locked = Commitment.objects.select_for_update().get(pk=commitment.pk)
    previous = locked.lead_institution
    if previous == institution:
        return []
    locked.lead_institution = institution
    locked.save(update_fields=["lead_institution"])
    commitment.lead_institution = institution
    AuditLog.record(
        actor=acting_user,
        action="plans.change_lead_institution",
        target=locked,
        before={"lead_institution": as_json(previous), "name": previous.name if previous else ""},
        after={
            "lead_institution": as_json(institution),
            "name": institution.name if institution else "",
        },
    )
    return institutions_changed(locked, acting_user=acting_user, on=on or timezone.localdate())


@transaction.atomic
def do_set_supporting_institutions(
    commitment: Commitment,
    institutions: Iterable[Institution],
    *,
    acting_user: Any,
    on: datetime.date | None = None,
) -> list[str]:
    """Set the institutions supporting the commitment (as for the lead, a focal point of
    an institution that no longer takes part stops answering for it)."""
    _require(acting_user, "plans.change_commitment", commitment)
    locked = Commitment.objects.select_for_update().get(pk=commitment.pk)
    wanted = {i.pk: i for i in institutions}
    current = {i.pk: i for i in locked.supporting_institutions.all()}
    if set(wanted) == set(current):
        return []
    locked.supporting_institutions.set(list(wanted.values()))
    AuditLog.record(
        actor=acting_user,
        action="plans.change_supporting_institutions",
        target=locked,
        before={"supporting_institutions": sorted(current)},
        after={"supporting_institutions": sorted(wanted)},
    )
    return institutions_changed(locked, acting_user=acting_user, on=on or timezone.localdate())


@transaction.atomic
def do_set_tags(commitment: Commitment, tags: Iterable[Tag], *, acting_user: Any) -> bool:
    """Set the commitment's policy areas; whether they changed."""
    _require(acting_user, "plans.change_commitment", commitment)
    locked = Commitment.objects.select_for_update().get(pk=commitment.pk)
    wanted = {t.pk: t for t in tags}
    current = set(locked.tags.values_list("pk", flat=True))
    if set(wanted) == current:
        return False
    locked.tags.set(list(wanted.values()))
    AuditLog.record(
        actor=acting_user,
        action="plans.change_tags",
        target=locked,
        before={"tags": sorted(current)},
        after={"tags": sorted(wanted)},
    )
    return True


# Activities ---------------------------------------------------------------------------


@transaction.atomic
def do_add_activity(commitment: Commitment, *, acting_user: Any, **fields: Any) -> Activity:
    """Add an activity (milestone) to a commitment; it starts at 0 %."""
    _require(acting_user, "plans.add_activity", None)
    _concrete(Activity, fields, {"id", "commitment"} | _FIGURES)
    activity = Activity(commitment=commitment)
    _before, after = apply_changes(activity, fields)
    _validate(activity)
    activity.save()
    figures.refresh_for_commitment(commitment.pk)
    AuditLog.record(
        actor=acting_user,
        action="plans.add_activity",
        target=activity,
        after={**after, "commitment": commitment.pk, "title": activity.title_ar},  # type: ignore[attr-defined]
    )
    return activity


@transaction.atomic
def do_edit_activity(activity: Activity, *, acting_user: Any, **fields: Any) -> Activity:
    """Change an activity's title, dates, order or weight. A weight change moves the
    commitment's figure: it is recorded as such and shown in the commitment's history."""
    _require(acting_user, "plans.change_activity", activity)
    if _FIGURES & set(fields):
        raise PlanError(_("Progress changes only through validated progress updates."))
    _concrete(Activity, fields, {"id", "commitment"})
    locked = Activity.objects.select_for_update().get(pk=activity.pk)
    before, after = apply_changes(locked, fields)
    _validate(locked)
    if not after:
        return locked
    locked.save()
    if "weight" in after:
        figures.refresh_for_commitment(locked.commitment_id)
    title = locked.title_ar  # type: ignore[attr-defined]
    context = {"commitment": locked.commitment_id, "title": title}
    if "weight" in after:
        AuditLog.record(
            actor=acting_user,
            action="plans.change_activity_weight",
            target=locked,
            before={"weight": before.pop("weight")},
            after={"weight": after.pop("weight"), **context},
        )
    if after:
        AuditLog.record(
            actor=acting_user,
            action="plans.edit_activity",
            target=locked,
            before=before,
            after={**after, **context},
        )
    return locked


def do_set_activity_weight(
    activity: Activity, weight: decimal.Decimal | int, *, acting_user: Any
) -> Activity:
    """Change how much an activity counts in its commitment's figure."""
    return do_edit_activity(activity, acting_user=acting_user, weight=decimal.Decimal(weight))


@transaction.atomic
def do_remove_activity(activity: Activity, *, acting_user: Any) -> None:
    """Delete an activity (and its reported history with it)."""
    _require(acting_user, "plans.delete_activity", activity)
    AuditLog.record(
        actor=acting_user,
        action="plans.remove_activity",
        target=activity,
        before={
            "commitment": activity.commitment_id,
            "title": activity.title_ar,  # type: ignore[attr-defined]
            "weight": as_json(activity.weight),
            "progress": activity.progress,
        },
    )
    activity.delete()
    figures.refresh_for_commitment(activity.commitment_id)


@transaction.atomic
def do_remove_commitment(commitment: Commitment, *, acting_user: Any) -> None:
    """Delete a commitment (with its activities and their reported history); its plan's
    figures follow."""
    plan_id = commitment.plan_id
    do_delete_object(commitment, acting_user=acting_user)
    figures.refresh(plan_id)
