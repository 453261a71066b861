"""What the people pages read: a fixed number of queries whatever the number of accounts.

The list's pending work is counted by the database (a subquery per figure, not a join
that would multiply rows); the page's roles, commitments and seats come in one query
each for the whole page (``prefetch_related``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, F, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from apps.accounts.models import SYSTEM_USERNAME, User
from apps.accounts.roles import Role
from apps.committees.models import Member
from apps.core.languages import active_language
from apps.tracking.models import FocalPointAssignment, ProgressUpdate, UpdateStatus

NO_INSTITUTION = "none"
NO_ROLE = "none"


class Status:
    ACTIVE = "active"
    INACTIVE = "inactive"
    ALL = "all"


@dataclass(frozen=True)
class Filters:
    """The list's filters, as the filter form cleaned them (empty: no filter)."""

    institution: str = ""  # an institution's id, or NO_INSTITUTION
    role: str = ""  # a Role value, or NO_ROLE
    status: str = Status.ACTIVE
    q: str = ""


def _count(qs: QuerySet[Any], field: str) -> Coalesce:
    counted = qs.order_by().values(field).annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def people() -> QuerySet[User]:
    """Every person's account (the platform's own account is not one)."""
    return User.objects.exclude(username=SYSTEM_USERNAME)


def with_pending_work(qs: QuerySet[User]) -> QuerySet[User]:
    """Annotate ``pending_updates`` (their updates awaiting validation) and
    ``commitments_held`` (the commitments they currently answer for)."""
    return qs.annotate(
        pending_updates=_count(
            ProgressUpdate.objects.filter(author=OuterRef("pk"), status=UpdateStatus.SUBMITTED),
            "author",
        ),
        commitments_held=_count(
            FocalPointAssignment.objects.current().filter(user=OuterRef("pk")), "user"
        ),
    )


def people_list(filters: Filters) -> QuerySet[User]:
    """The people list: grouped by institution (the order), with their roles, current
    commitments and current seats prefetched for the page shown."""
    qs = people()
    if filters.status == Status.ACTIVE:
        qs = qs.filter(is_active=True)
    elif filters.status == Status.INACTIVE:
        qs = qs.filter(is_active=False)
    if filters.institution == NO_INSTITUTION:
        qs = qs.filter(institution__isnull=True)
    elif filters.institution:
        qs = qs.filter(institution_id=int(filters.institution))
    if filters.role == NO_ROLE:
        qs = qs.exclude(groups__name__in=Role.values)
    elif filters.role:
        qs = qs.filter(groups__name=filters.role)
    if filters.q:
        words = Q()
        for field in ("username", "first_name", "last_name", "email"):
            words |= Q(**{f"{field}__icontains": filters.q})
        qs = qs.filter(words)
    today = timezone.localdate()
    return (
        with_pending_work(qs)
        .select_related("institution")
        .prefetch_related(
            "groups",
            Prefetch(
                "focal_point_assignments",
                queryset=FocalPointAssignment.objects.current()
                .select_related("commitment__plan")
                .order_by("commitment__number", "pk"),
                to_attr="held",
            ),
            Prefetch(
                "committee_seats",
                queryset=Member.objects.current(today)
                .select_related("committee")
                .order_by("committee__name", "pk"),
                to_attr="seats",
            ),
        )
        .order_by(
            # People without an institution come last, each institution's together.
            F("institution__kind").asc(nulls_last=True),
            F(f"institution__name_{active_language()}").asc(nulls_last=True),
            F("institution_id").asc(nulls_last=True),
            "last_name",
            "first_name",
            "username",
            "pk",
        )
    )


def role_values(person: User) -> list[str]:
    """The person's platform roles, in the order of :class:`Role`, from the prefetched
    groups (no query)."""
    names = {group.name for group in person.groups.all()}
    return [role for role in Role.values if role in names]


def role_labels(person: User) -> list[str]:
    labels = dict(Role.choices)
    return [str(labels[role]) for role in role_values(person)]
