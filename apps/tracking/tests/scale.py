"""Data at the scale the pages must hold: a plan of hundreds of commitments, a
commitment with thousands of validated updates, hundreds of change requests, built with
bulk inserts (seconds, not minutes) for the tests that bound a page's size and queries."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from apps.plans.models import ActionPlan, Activity, Commitment, Theme
from apps.tracking.models import (
    ChangeRequest,
    Evidence,
    FocalPointAssignment,
    ProgressUpdate,
)


def grow_plan(
    plan: ActionPlan,
    numbers: range,
    *,
    institutions: list[Any],
    focal_points: list[Any],
    secretariat: Any,
    themes: int = 5,
    activities: int = 3,
) -> list[Commitment]:
    """Commitments ``numbers`` of ``plan`` spread over ``themes`` themes (none: 0),
    ``activities`` activities each, a focal point each, one submitted and one validated
    update (with a link as evidence) on the first activity of each."""
    existing = list(plan.themes.order_by("order"))
    for order in range(len(existing), themes):
        existing.append(Theme.objects.create(plan=plan, order=order, title_ar=f"محور {order + 1}"))
    commitments = Commitment.objects.bulk_create(
        Commitment(
            plan=plan,
            number=n,
            theme=existing[n % len(existing)] if existing else None,
            title_ar=f"التزام رقم {n}",
            title_fr=f"Engagement numéro {n}",
            lead_institution=institutions[n % len(institutions)],
            end_date=datetime.date(2030, 1, 1),
        )
        for n in numbers
    )
    created = Activity.objects.bulk_create(
        Activity(commitment=c, order=i, title_ar=f"نشاط {i}", progress=(c.number * 7 + i) % 101)
        for c in commitments
        for i in range(activities)
    )
    FocalPointAssignment.objects.bulk_create(
        FocalPointAssignment(
            commitment=c,
            user=focal_points[c.number % len(focal_points)],
            started_on=datetime.date(2021, 1, 1),
        )
        for c in commitments
    )
    now = timezone.now()
    updates = []
    for a in created[::activities]:
        author = focal_points[a.commitment.number % len(focal_points)]
        common = {"activity": a, "author": author, "progress": 50, "reported_on": now.date()}
        updates.append(ProgressUpdate(status="submitted", submitted_at=now, **common))
        updates.append(
            ProgressUpdate(
                status="validated",
                submitted_at=now,
                validated_at=now,
                decided_by=secretariat,
                **common,
            )
        )
    ProgressUpdate.objects.bulk_create(updates)
    Evidence.objects.bulk_create(Evidence(update=u, url="https://example.org/e") for u in updates)
    return commitments


def grow_history(commitment: Commitment, count: int, *, author: Any, secretariat: Any) -> None:
    """``count`` validated updates (one link each) on the commitment's activities, a day
    apart, the latest today."""
    activities = list(commitment.activities.order_by("order"))
    now = timezone.now()
    updates = ProgressUpdate.objects.bulk_create(
        ProgressUpdate(
            activity=activities[i % len(activities)],
            author=author,
            progress=i * 100 // count,
            narrative_ar=f"تقدم مسجل رقم {i}",
            status="validated",
            reported_on=(now - datetime.timedelta(days=count - i)).date(),
            submitted_at=now - datetime.timedelta(days=count - i),
            validated_at=now - datetime.timedelta(days=count - i),
            decided_by=secretariat,
        )
        for i in range(count)
    )
    Evidence.objects.bulk_create(
        Evidence(update=u, url=f"https://example.org/e/{u.pk}") for u in updates
    )


def grow_change_requests(activities: list[Activity], count: int, *, by: Any) -> None:
    """``count`` pending change requests spread over ``activities``."""
    ChangeRequest.objects.bulk_create(
        ChangeRequest(
            activity=activities[i % len(activities)],
            proposed_by=by,
            current_progress=10,
            proposed_progress=60,
            justification=f"مبرر رقم {i}",
        )
        for i in range(count)
    )
