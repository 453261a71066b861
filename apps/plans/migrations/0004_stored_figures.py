"""Stored figures of each plan (apps/plans/figures.py), filled for the plans there are.

The fill computes with the historical models and the rule of apps/plans/progress.py in
Python (``weighted_mean``, the reference the database expressions are tested against),
one query per table; ``manage.py refresh_figures`` stores the database's own figures.
"""

from collections import defaultdict

from django.db import migrations, models


def fill(apps, schema_editor):
    from apps.plans.progress import weighted_mean

    ActionPlan = apps.get_model("plans", "ActionPlan")
    Commitment = apps.get_model("plans", "Commitment")
    Activity = apps.get_model("plans", "Activity")
    pairs = defaultdict(list)
    for commitment_id, progress, weight in Activity.objects.values_list(
        "commitment_id", "progress", "weight"
    ).iterator():
        pairs[commitment_id].append((float(progress), float(weight)))
    by_plan = defaultdict(list)
    for commitment_id, plan_id in Commitment.objects.values_list("pk", "plan_id").iterator():
        by_plan[plan_id].append(weighted_mean(pairs.get(commitment_id, [])))
    plans = list(ActionPlan.objects.only("pk"))
    for plan in plans:
        values = by_plan.get(plan.pk, [])
        plan.commitments_count = len(values)
        plan.progress = sum(values) / len(values) if values else 0.0
    ActionPlan.objects.bulk_update(plans, ["progress", "commitments_count"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("plans", "0003_public_contacts"),
    ]

    operations = [
        migrations.AddField(
            model_name="actionplan",
            name="commitments_count",
            field=models.PositiveIntegerField(
                default=0, editable=False, verbose_name="commitments"
            ),
        ),
        migrations.AddField(
            model_name="actionplan",
            name="progress",
            field=models.FloatField(default=0, editable=False, verbose_name="progress (%)"),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
