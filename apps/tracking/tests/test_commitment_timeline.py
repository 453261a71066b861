"""The commitment page's two lists of updates, asked in one query: the validated
ones a page at a time, latest first, and what awaits validation, for those concerned
only. Each list is what ``ProgressUpdate.objects.visible_to`` (the one rule) gives, in
its order, whatever the commitment's history of focal points."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from apps.accounts.roles import Role
from apps.accounts.tests.personas import make_user
from apps.tracking.models import ProgressUpdate, UpdateStatus
from apps.tracking.plan_pages import TIMELINE_LENGTH, timeline_and_waiting
from apps.tracking.tests.factories import assign

pytestmark = pytest.mark.django_db

VALIDATED = TIMELINE_LENGTH + 4


@pytest.fixture
def history(activity, ministry_a, focal_point_a, secretariat):
    """Focal point A answers for the commitment again after a colleague did (two ended
    assignments and a current one: a join on them would count rows twice), with
    ``VALIDATED`` validated updates and one update of each other kind."""
    commitment = activity.commitment
    colleague = make_user("focal_a2", Role.FOCAL_POINT, institution=ministry_a)
    assign(commitment, colleague, secretariat)
    assign(commitment, focal_point_a, secretariat)
    start = timezone.now() - datetime.timedelta(days=VALIDATED + 10)
    rows = [
        ProgressUpdate(
            activity=activity,
            author=focal_point_a,
            status=UpdateStatus.VALIDATED,
            progress=n,
            language="ar",
            reported_on=start.date(),
            validated_at=start + datetime.timedelta(days=n),
        )
        for n in range(VALIDATED)
    ]
    for status, author in (
        (UpdateStatus.DRAFT, focal_point_a),
        (UpdateStatus.SUBMITTED, focal_point_a),
        (UpdateStatus.RETURNED, colleague),
        (UpdateStatus.DRAFT, colleague),
    ):
        rows.append(
            ProgressUpdate(
                activity=activity,
                author=author,
                status=status,
                progress=50,
                language="ar",
                reported_on=start.date(),
            )
        )
    ProgressUpdate.objects.bulk_create(rows)
    return commitment, colleague


def _waiting_by_the_rule(user, commitment):
    return list(
        ProgressUpdate.objects.visible_to(user)
        .exclude(status=UpdateStatus.VALIDATED)
        .filter(activity__commitment=commitment)
        .order_by("-created_at", "-pk")[:TIMELINE_LENGTH]
    )


def test_each_list_is_the_rules_whoever_looks(
    history, anonymous, citizen, focal_point_a, focal_point_b, secretariat
):
    commitment, colleague = history
    latest_first = list(
        ProgressUpdate.objects.validated()
        .filter(activity__commitment=commitment)
        .order_by("-validated_at", "-pk")
    )
    kinds = {}
    for user in (anonymous, citizen, focal_point_a, focal_point_b, colleague, secretariat):
        first, waiting = timeline_and_waiting(user, commitment, 1)
        second, none = timeline_and_waiting(user, commitment, 2)
        assert first == latest_first[: TIMELINE_LENGTH + 1]  # one more: "older updates"
        assert second == latest_first[TIMELINE_LENGTH:]
        assert waiting == _waiting_by_the_rule(user, commitment)
        assert len(waiting) == len(set(waiting))
        kinds[user.username if user.is_authenticated else ""] = sorted(
            (u.status, u.author.username) for u in waiting
        )
        assert none == waiting  # the second page of updates keeps the waiting ones
    assert kinds == {
        "": [],
        "citizen": [],
        "focal_b": [],
        # Their own draft and submitted update, and the returned one: they answer now.
        "focal_a": [("draft", "focal_a"), ("returned", "focal_a2"), ("submitted", "focal_a")],
        # No longer answering: their own only.
        "focal_a2": [("draft", "focal_a2"), ("returned", "focal_a2")],
        "secretariat": [("returned", "focal_a2"), ("submitted", "focal_a")],
    }


def test_the_page_shows_both_lists_with_the_evidence_in_two_queries(
    client, history, focal_point_a, django_assert_num_queries
):
    commitment, _colleague = history
    first, waiting = timeline_and_waiting(focal_point_a, commitment, 1)
    with django_assert_num_queries(2):  # the updates, their evidence
        timeline_and_waiting(focal_point_a, commitment, 1)
    assert len(first) == TIMELINE_LENGTH + 1 and len(waiting) == 3
