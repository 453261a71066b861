"""What tracking adds to the public plan pages (see :mod:`apps.plans.extensions`):
the staleness badges, the date of the last validated update, and on a commitment's page
its focal point, the history of its progress updates and what the visitor may do.

Registered by ``TrackingConfig.ready``. Each provider costs a fixed number of queries."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.db.models import Max
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.content import localized
from apps.plans.extensions import (
    PageExtras,
    Panel,
    register_commitment_page,
    register_methodology_page,
    register_plan_page,
)
from apps.plans.models import ActionPlan, Activity, Commitment
from apps.tracking.contacts import with_contacts
from apps.tracking.flags import STALENESS_FLAGS
from apps.tracking.flags import badges_html as flag_badges
from apps.tracking.models import FocalPointAssignment, ProgressUpdate
from apps.tracking.staleness import (
    flags_of,
    reference_for,
    with_activity_flags,
    with_commitment_flags,
)


def _day(moment: datetime.datetime | None) -> datetime.date | None:
    return timezone.localtime(moment).date() if moment is not None else None


@register_plan_page
def plan_staleness(
    request: HttpRequest, plan: ActionPlan, commitments: Sequence[Commitment]
) -> PageExtras:
    """Badges per commitment and the date of the plan's last validated update: the
    last meeting's date and one query for the flags (the home page, without rows, asks
    only for the date: one query)."""
    if not commitments:
        last = (
            ProgressUpdate.objects.validated()
            .filter(activity__commitment__plan=plan)
            .aggregate(last=Max("validated_at"))["last"]
        )
        return PageExtras(as_of=_day(last))
    flagged = list(
        with_commitment_flags(
            Commitment.objects.with_progress().filter(plan=plan), reference_for(plan)
        ).only("pk")
    )
    shown = {c.pk for c in commitments}
    legend = Panel("tracking/_flags_legend.html", "main", {"flags": STALENESS_FLAGS})
    validated = [c.last_validated_at for c in flagged if c.last_validated_at]  # type: ignore[attr-defined]
    return PageExtras(
        row_badges={c.pk: [flag_badges(flags_of(c))] for c in flagged if c.pk in shown},
        as_of=_day(max(validated)) if validated else None,
        panels=[legend],
    )


@register_commitment_page
def commitment_tracking(
    request: HttpRequest, commitment: Commitment, activities: Sequence[Activity]
) -> PageExtras:
    """Focal point (current and history), flags of the commitment and of its activities,
    and the progress updates the visitor may see, grouped by activity."""
    user = request.user
    ref = reference_for(commitment.plan)
    # What the visitor may see of each focal point: the plan's choice (contacts.py).
    assignments = with_contacts(
        list(
            FocalPointAssignment.objects.filter(commitment=commitment)
            .select_related("user__institution")
            .order_by("-started_on", "-pk")
        ),
        commitment.plan,
        viewer=user,
    )
    flagged = (
        with_commitment_flags(Commitment.objects.with_progress().filter(pk=commitment.pk), ref)
        .only("pk")
        .first()
    )
    activity_flags = {
        a.pk: flags_of(a)
        for a in with_activity_flags(Activity.objects.filter(commitment=commitment), ref).only(
            "pk", "progress", "end_date", "commitment"
        )
    }
    updates: dict[int, list[ProgressUpdate]] = defaultdict(list)
    for update in (
        ProgressUpdate.objects.visible_to(user)
        .filter(activity__commitment=commitment)
        .select_related("author", "decided_by")
        .prefetch_related("evidence")
        .order_by("-created_at", "-pk")
    ):
        updates[update.activity_id].append(update)
    context = {
        "current": next((a for a in assignments if a.is_current), None),
        "history": assignments,
        "updates": dict(updates),
        "can_hand_over": user.has_perm("tracking.hand_over", commitment),
        "can_report": user.has_perm("tracking.report_progress", commitment),
        "can_propose": user.has_perm("tracking.propose_change", commitment),
    }
    last = getattr(flagged, "last_validated_at", None)
    return PageExtras(
        badges=[flag_badges(flags_of(flagged))] if flagged else [],
        row_badges={pk: [flag_badges(flags)] for pk, flags in activity_flags.items()},
        as_of=_day(last),
        panels=[
            Panel("tracking/_activity_history.html", "main", context),
            Panel("tracking/_commitment_panel.html", "aside", context),
        ],
    )


@register_methodology_page
def flags_explained(request: HttpRequest) -> PageExtras:
    """How the flags are decided (no query): each flag's label and meaning, the number
    of days after which an activity counts as not updated, and the ended-plan rule."""
    return PageExtras(
        panels=[
            Panel(
                "tracking/_flags_methodology.html",
                "main",
                {"flags": STALENESS_FLAGS, "stale_days": settings.SHARAKA_STALE_AFTER_DAYS},
            )
        ]
    )


def _follow_panels(request: HttpRequest, target: ActionPlan | Commitment, slot: str) -> PageExtras:
    """The follow form and the feed's link (in the body and in the ``<head>``): one
    query for a signed-in person (whether they follow), none for a visitor."""
    from apps.tracking.follow import following
    from apps.tracking.forms import FollowForm

    if isinstance(target, Commitment):
        args: list[Any] = [target.plan.slug, target.number]
        follow_url, feed_url = (
            reverse("commitment_follow", args=args),
            reverse("commitment_feed", args=args),
        )
        feed_title = _("Commitment %(number)s: validated progress updates") % {
            "number": target.number
        }
    else:
        follow_url, feed_url = (
            reverse("plan_follow", args=[target.slug]),
            reverse("plan_feed", args=[target.slug]),
        )
        feed_title = _("%(plan)s: validated progress updates") % {
            "plan": localized(target, "title")
        }
    context = {
        "commitment": target if isinstance(target, Commitment) else None,
        "following": following(request.user, target),
        "form": None if request.user.is_authenticated else FollowForm(),
        "follow_url": follow_url,
        "feed_url": feed_url,
        "feed_title": feed_title,
        # In the plan page's body the form would stretch across the page.
        "form_class": "col-lg-6" if slot == "main" else "",
    }
    return PageExtras(
        panels=[
            Panel("tracking/_feed_link.html", "head", context),
            Panel("tracking/_follow_panel.html", slot, context),
        ]
    )


@register_plan_page
def plan_follow(
    request: HttpRequest, plan: ActionPlan, commitments: Sequence[Commitment]
) -> PageExtras:
    """On the plan's own page (not the home page): follow it, its feed."""
    match = request.resolver_match
    if match is None or match.url_name != "plan_detail":
        return PageExtras()
    return _follow_panels(request, plan, "main")


@register_commitment_page
def commitment_follow(
    request: HttpRequest, commitment: Commitment, activities: Sequence[Activity]
) -> PageExtras:
    """Follow the commitment, its feed."""
    return _follow_panels(request, commitment, "aside")
