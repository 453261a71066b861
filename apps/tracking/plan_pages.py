"""What tracking adds to the public plan pages (see :mod:`apps.plans.extensions`):
the staleness badges, the date of the last validated update, and on a commitment's page
its focal point, the history of its progress updates and what the visitor may do.

Registered by ``TrackingConfig.ready``. Each provider costs a fixed number of queries."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import (
    Case,
    Exists,
    F,
    Max,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Value,
    When,
    Window,
    prefetch_related_objects,
)
from django.db.models.functions import RowNumber
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.models import Institution
from apps.core.content import localized
from apps.plans.extensions import (
    PageExtras,
    Panel,
    RowFlag,
    register_activity_rows,
    register_commitment_page,
    register_commitment_rows,
    register_institution_page,
    register_methodology_page,
    register_plan_page,
)
from apps.plans.models import ActionPlan, Activity, Commitment
from apps.tracking.contacts import with_contacts
from apps.tracking.flags import STALENESS_FLAGS, Flag
from apps.tracking.flags import badges_html as flag_badges
from apps.tracking.meetings import last_meeting_date
from apps.tracking.models import (
    ChangeRequest,
    Evidence,
    FocalPointAssignment,
    ProgressUpdate,
    UpdateStatus,
)
from apps.tracking.staleness import (
    flags_of,
    plan_flags_of_request,
    reference_for,
    reference_of_request,
    with_activity_flags,
    with_commitment_flags,
)

# How many validated updates (and change requests, updates awaiting validation) the
# commitment's page shows at once; ``?updates=2`` shows the next ones.
TIMELINE_LENGTH = 20
# Pages beyond this are refused as if empty (no scan of a huge offset).
MAX_PAGE = 1000


def page_number(value: str | None) -> int:
    """A page number from the address: anything else than 1 … MAX_PAGE reads as 1."""
    try:
        page = int(value or 1)
    except (TypeError, ValueError):
        return 1
    return page if 1 <= page <= MAX_PAGE else 1


def _day(moment: datetime.datetime | None) -> datetime.date | None:
    return timezone.localtime(moment).date() if moment is not None else None


def row_flags(*, with_change_requests: bool) -> list[RowFlag]:
    """The flags a list of commitments carries, for its filter and legend: the
    staleness flags (overdue singles a row out as late) and, for those who may see
    change requests, the pending ones."""
    flags = [RowFlag(f.value, f.label, f.help, late=f == Flag.OVERDUE) for f in STALENESS_FLAGS]
    if with_change_requests:
        f = Flag.PENDING_CHANGE_REQUEST
        flags.append(RowFlag(f.value, f.label, f.help))
    return flags


@register_plan_page
def plan_staleness(
    request: HttpRequest, plan: ActionPlan, commitments: Sequence[Commitment]
) -> PageExtras:
    """Flags per commitment (badges, and codes to filter and sort by) and the date of
    the plan's last validated update: the last meeting's date and one query for the
    flags, one more for pending change requests when the visitor may see them (the
    home page, without rows, asks only for the date: one query)."""
    if not commitments:
        last = (
            ProgressUpdate.objects.validated()
            .filter(activity__commitment__plan=plan)
            .aggregate(last=Max("validated_at"))["last"]
        )
        return PageExtras(as_of=_day(last))
    flagged = plan_flags_of_request(request, plan)
    shown = {c.pk for c in commitments}
    codes: dict[int, list[str]] = {c.pk: [f.value for f in flags_of(c)] for c in flagged}
    sees_requests = request.user.has_perm("tracking.view_change_requests")
    if sees_requests:
        for pk in set(
            ChangeRequest.objects.pending()
            .filter(activity__commitment__plan=plan)
            .values_list("activity__commitment_id", flat=True)
        ):
            codes.setdefault(pk, []).append(Flag.PENDING_CHANGE_REQUEST.value)
    validated = [c.last_validated_at for c in flagged if c.last_validated_at]  # type: ignore[attr-defined]
    return PageExtras(
        row_badges={pk: [flag_badges(c)] for pk, c in codes.items() if pk in shown},
        row_flags={pk: c for pk, c in codes.items() if pk in shown and c},
        # An ended plan carries no staleness flag: nothing to filter or explain there.
        flags=[] if plan.has_ended else row_flags(with_change_requests=sees_requests),
        as_of=_day(max(validated)) if validated else None,
    )


@register_activity_rows
def activities_with_flags(
    request: HttpRequest, commitment: Commitment, activities: QuerySet[Activity]
) -> QuerySet[Activity]:
    """The commitment page's activities carry their flags (no query of their own)."""
    return with_activity_flags(activities, reference_of_request(request, commitment.plan))


def timeline_and_waiting(
    user: Any, commitment: Commitment, page: int
) -> tuple[list[ProgressUpdate], list[ProgressUpdate]]:
    """The commitment's validated updates, latest first, a page at a time (with one
    more to know whether older ones exist), and what awaits validation that ``user``
    may see (its author, the focal point, the secretariat once submitted; nothing for
    the public), latest first: both in one query, each list numbered within its own
    kind, and the evidence of both in a second one."""
    validated = Q(status=UpdateStatus.VALIDATED)
    start = (page - 1) * TIMELINE_LENGTH
    rows = (
        ProgressUpdate.objects.visible_to(user)
        .filter(activity__commitment=commitment)
        .annotate(
            in_timeline=Case(When(validated, then=Value(1)), default=Value(0)),
            first=Case(When(validated, then=Value(start)), default=Value(0)),
            last=Case(
                When(validated, then=Value(start + TIMELINE_LENGTH + 1)),
                default=Value(TIMELINE_LENGTH),
            ),
            rank=Window(
                RowNumber(),
                partition_by=[F("in_timeline")],
                order_by=[
                    Case(When(validated, then=F("validated_at")), default=F("created_at")).desc(),
                    F("pk").desc(),
                ],
            ),
        )
        .filter(rank__gt=F("first"), rank__lte=F("last"))
        .select_related("activity")
    )
    updates = sorted(rows, key=lambda u: u.rank)
    prefetch_related_objects(
        updates, Prefetch("evidence", queryset=Evidence.objects.order_by("pk"))
    )
    return (
        [u for u in updates if u.in_timeline],
        [u for u in updates if not u.in_timeline],
    )


@register_commitment_page
def commitment_tracking(
    request: HttpRequest, commitment: Commitment, activities: Sequence[Activity]
) -> PageExtras:
    """Focal point (current and history), flags of the commitment and of its activities,
    and the progress updates the visitor may see, grouped by activity."""
    user = request.user
    ref = reference_of_request(request, commitment.plan)
    # What the visitor may see of each focal point: the plan's choice (contacts.py).
    assignments = with_contacts(
        list(
            FocalPointAssignment.objects.filter(commitment=commitment)
            .select_related("user__institution")
            .order_by("-started_on", "-pk")[:TIMELINE_LENGTH]
        ),
        commitment.plan,
        viewer=user,
    )
    flagged = (
        with_commitment_flags(Commitment.objects.with_progress().filter(pk=commitment.pk), ref)
        .only("pk")
        .first()
    )
    activity_flags = {a.pk: flags_of(a) for a in activities}
    page = page_number(request.GET.get("updates"))
    timeline, waiting = timeline_and_waiting(user, commitment, page)
    requests = list(
        ChangeRequest.objects.visible_to(user)
        .filter(activity__commitment=commitment)
        .select_related("activity", "update")
        .order_by("-created_at", "-pk")[:TIMELINE_LENGTH]
    )
    context = {
        "current": next((a for a in assignments if a.is_current), None),
        "history": assignments,
        "timeline": timeline[:TIMELINE_LENGTH],
        "page": page,
        "older": page + 1 if len(timeline) > TIMELINE_LENGTH else None,
        "newer": page - 1 if page > 1 else None,
        "waiting": waiting,
        "change_requests": requests,
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
            Panel("tracking/_change_requests_story.html", "main", context),
            Panel("tracking/_commitment_panel.html", "aside", context),
        ],
    )


@dataclass
class Owed:
    """Something an institution owes: a commitment it leads, or one of its activities,
    overdue or not updated, and the day it has been late since."""

    commitment: Commitment
    activity: Activity | None
    flags: list[Flag]
    due_on: datetime.date | None
    last_update: datetime.date | None
    last_meeting: datetime.date | None
    since: datetime.date


OWED_FLAGS = (Flag.OVERDUE, Flag.NOT_UPDATED)


def _owed(
    commitment: Commitment,
    activity: Activity | None,
    obj: Any,
    due_on: datetime.date | None,
    last_meeting: datetime.date | None,
    plan: ActionPlan,
) -> Owed | None:
    flags = [f for f in flags_of(obj) if f in OWED_FLAGS]
    if not flags:
        return None
    last_update = _day(getattr(obj, "last_validated_at", None))
    dates = []
    if Flag.OVERDUE in flags and due_on is not None:
        dates.append(due_on)
    if Flag.NOT_UPDATED in flags:
        dates.append(last_update or last_meeting or commitment.start_date or plan.period_start)
    return Owed(
        commitment,
        activity,
        flags,
        due_on if Flag.OVERDUE in flags else None,
        last_update,
        last_meeting,
        min(dates) if dates else timezone.localdate(),
    )


@register_institution_page
def institution_owes(
    request: HttpRequest, institution: Institution, led: Sequence[Commitment]
) -> PageExtras:
    """What the institution owes and since when: the activities of the commitments it
    leads in running plans (and such commitments without activities) that are overdue
    or not updated, by tracking's one rule, oldest first.

    The dates: an end date passed (overdue), the last validated update or, without
    one, the plan's last meeting (not updated). Four queries per running plan the
    institution leads commitments in (its running plans are those of ``led``), whatever
    the number of commitments and activities."""
    today = timezone.localdate()
    running = {c.plan_id: c.plan for c in led if c.plan.period_end >= today}
    plans = sorted(running.values(), key=lambda p: p.pk)
    owed: list[Owed] = []
    for plan in plans:
        ref = reference_for(plan)
        meeting = last_meeting_date(plan, before=ref.today)
        activities = with_activity_flags(
            Activity.objects.filter(
                commitment__plan=plan, commitment__lead_institution=institution
            ).select_related("commitment__plan"),
            ref,
        ).filter(Q(flag_overdue=True) | Q(flag_not_updated=True))
        for a in activities:
            item = _owed(a.commitment, a, a, a.due_on, meeting, plan)  # type: ignore[attr-defined]
            if item is not None:
                owed.append(item)
        bare = with_commitment_flags(
            Commitment.objects.with_progress()
            .filter(plan=plan, lead_institution=institution)
            .exclude(Exists(Activity.objects.filter(commitment=OuterRef("pk"))))
            .select_related("plan"),
            ref,
        ).filter(Q(flag_overdue=True) | Q(flag_not_updated=True))
        for c in bare:
            item = _owed(c, None, c, c.end_date, meeting, plan)
            if item is not None:
                owed.append(item)
    owed.sort(key=lambda o: (o.since, o.commitment.plan_id, o.commitment.number))
    return PageExtras(
        panels=[Panel("tracking/_institution_owes.html", "main", {"owed": owed, "plans": plans})]
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
                {
                    "flags": STALENESS_FLAGS,
                    "meeting_flags": [Flag.PENDING_CHANGE_REQUEST, Flag.CONTACT_CHANGED],
                    "stale_days": settings.SHARAKA_STALE_AFTER_DAYS,
                },
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


@register_commitment_rows
def commitment_followed(
    request: HttpRequest, commitments: QuerySet[Commitment]
) -> QuerySet[Commitment]:
    """Whether the signed-in visitor follows the commitment comes with it."""
    from apps.tracking.follow import with_following

    return with_following(commitments, request.user)


@register_commitment_page
def commitment_follow(
    request: HttpRequest, commitment: Commitment, activities: Sequence[Activity]
) -> PageExtras:
    """Follow the commitment, its feed."""
    return _follow_panels(request, commitment, "aside")
