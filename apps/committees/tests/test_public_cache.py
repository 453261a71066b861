"""Meetings through the public cache: announced, then minutes approved and published,
each seen at once on the public pages (apps/core/public_cache.py)."""

from __future__ import annotations

import pytest
from django.test import Client

from apps.accounts import system_user
from apps.committees import actions
from apps.committees.tests.factories import at, make_meeting
from apps.core.tests.public_cache import cached_twice, public_cache, text

pytestmark = pytest.mark.django_db(transaction=True)
enabled = pytest.fixture(autouse=True)(public_cache.__wrapped__)  # type: ignore[attr-defined]


def test_an_announced_meeting_and_its_published_minutes_show_at_once(draft):
    marker = f'data-meeting="{draft.pk}"'
    assert marker not in cached_twice("/ar/meetings/")
    actions.do_announce_meeting(draft, acting_user=system_user())
    assert marker in text("/ar/meetings/")
    minutes = f"/ar/meetings/{draft.pk}/minutes/"
    assert Client().get(minutes).status_code == 404
    meeting_page = cached_twice(f"/ar/meetings/{draft.pk}/")
    actions.do_approve_minutes(draft, acting_user=system_user())
    assert Client().get(minutes).status_code == 404  # approved, not yet published
    actions.do_publish_minutes(draft, acting_user=system_user())
    assert Client().get(minutes).status_code == 200
    assert text(f"/ar/meetings/{draft.pk}/") != meeting_page


def test_published_minutes_show_their_action_items_on_the_next_meeting(committee):
    first = make_meeting(committee, at(2023, 3, 28))
    actions.do_add_decision(
        first, acting_user=system_user(), text="قرار", action_item={"title": "إجراء للمتابعة"}
    )
    later = make_meeting(committee, at(2023, 9, 28))
    actions.do_announce_meeting(later, acting_user=system_user())
    assert "إجراء للمتابعة" not in cached_twice(f"/ar/meetings/{later.pk}/")
    actions.do_approve_minutes(first, acting_user=system_user())
    actions.do_publish_minutes(first, acting_user=system_user())
    assert "إجراء للمتابعة" in text(f"/ar/meetings/{later.pk}/")
