"""Who may do what with committees, meetings and minutes (django-rules).

- The public sees announced meetings and published minutes only.
- The secretariat prepares everything: meetings, attendance, the snapshot and its notes,
  and publishes minutes once the committee has approved them.
- Committee members see drafts and approve the minutes.
"""

from __future__ import annotations

from typing import Any

import rules

from apps.accounts.rules import is_committee_member, is_platform, is_secretariat


@rules.predicate
def meeting_is_public(user: Any, meeting: Any) -> bool:
    return meeting is not None and meeting.is_public


@rules.predicate
def minutes_published(user: Any, meeting: Any) -> bool:
    return meeting is not None and meeting.is_published


@rules.predicate
def minutes_draft(user: Any, meeting: Any) -> bool:
    return meeting is not None and meeting.is_draft


@rules.predicate
def minutes_approved(user: Any, meeting: Any) -> bool:
    return meeting is not None and meeting.is_approved


@rules.predicate
def has_snapshot(user: Any, meeting: Any) -> bool:
    from apps.committees.models import Meeting, Snapshot

    if meeting is None:
        return False
    if Meeting.snapshot.related.is_cached(meeting):
        # Read with the meeting (``select_related("snapshot")``, the meeting's page): the
        # page asks this of two permissions, and knows it without a query.
        return Meeting.snapshot.related.get_cached_value(meeting) is not None
    # A query rather than ``meeting.snapshot``, which would cache a missing one-to-one on
    # an instance an action then freezes a snapshot for.
    return Snapshot.objects.filter(meeting_id=meeting.pk).exists()


sees_all_meetings = is_secretariat | is_committee_member

rules.add_perm("committees.view_meeting", sees_all_meetings | meeting_is_public)
rules.add_perm("committees.view_minutes", sees_all_meetings | minutes_published)
rules.add_perm("committees.add_meeting", is_secretariat)
rules.add_perm("committees.change_meeting", is_secretariat & minutes_draft)
rules.add_perm("committees.freeze_snapshot", is_secretariat & minutes_draft & ~has_snapshot)
rules.add_perm("committees.edit_snapshot_notes", is_secretariat & minutes_draft & has_snapshot)
# The platform's own account records approvals the demo's source documents state.
rules.add_perm("committees.approve_minutes", (is_committee_member | is_platform) & minutes_draft)
rules.add_perm("committees.publish_minutes", is_secretariat & minutes_approved)
rules.add_perm("committees.change_action_item", is_secretariat)
