"""Actions: freezing snapshots (once, immutable, with deltas and suggested notes),
editing notes, the lifecycle of the minutes, attendance and action items."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from apps.committees import actions
from apps.committees.actions import CommitteeError
from apps.committees.models import ActionItem, MeetingStatus, Snapshot
from apps.committees.snapshots import NOTE_PROVIDERS, Suggestion, register_note_provider
from apps.committees.tests.factories import (
    at,
    earlier_today,
    make_committee,
    make_meeting,
    make_member,
    validated,
)
from apps.core.models import AuditLog
from apps.plans.models import Activity, Commitment
from apps.plans.tests.factories import make_commitment
from apps.tracking.flags import Flag

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)
HOUR = datetime.timedelta(hours=1)


def rows(snapshot: Snapshot) -> dict[int, object]:
    return {r.number: r for r in snapshot.rows.all()}


def test_it_freezes_every_commitment_and_activity(draft, secretariat):
    snapshot = actions.do_freeze_snapshot(draft, acting_user=secretariat)
    by_number = rows(snapshot)
    assert by_number[1].progress == 60 and by_number[2].progress == 0
    assert by_number[1].title_fr == "Premier engagement"
    assert [a.progress for a in by_number[1].activities.all()] == [100, 20]
    assert [a.title for a in by_number[1].pending_activities] == ["نشاط 2"]
    assert snapshot.plan_progress == 30
    assert snapshot.frozen_by == secretariat
    assert AuditLog.objects.filter(action="committees.freeze_snapshot").count() == 1


def test_it_refuses_to_freeze_twice(draft, secretariat):
    actions.do_freeze_snapshot(draft, acting_user=secretariat)
    with pytest.raises(CommitteeError, match="من قبل"):
        actions.do_freeze_snapshot(draft, acting_user=secretariat)
    assert Snapshot.objects.count() == 1


def test_it_refuses_to_freeze_for_a_committee_without_a_plan(secretariat):
    meeting = make_meeting(make_committee(None))
    with pytest.raises(CommitteeError):
        actions.do_freeze_snapshot(meeting, acting_user=secretariat)


def test_a_frozen_snapshot_does_not_change_when_the_live_data_does(draft, secretariat, plan):
    snapshot = actions.do_freeze_snapshot(draft, acting_user=secretariat)
    before = [
        (r.number, r.title_ar, r.progress, [(a.title_ar, a.progress) for a in r.activities.all()])
        for r in snapshot.rows.order_by("number")
    ]
    activity = Activity.objects.get(commitment__number=1, progress=20)
    activity.progress = 90
    activity.title_ar = "عنوان جديد"
    activity.save()
    commitment = Commitment.objects.get(number=2)
    commitment.title_ar = "عنوان آخر"
    commitment.save()
    Activity.objects.filter(commitment=commitment).delete()
    make_commitment(plan, [(50, 1)], number=3)
    after = [
        (r.number, r.title_ar, r.progress, [(a.title_ar, a.progress) for a in r.activities.all()])
        for r in Snapshot.objects.get(pk=snapshot.pk).rows.order_by("number")
    ]
    assert after == before


def test_the_next_snapshot_has_deltas_and_suggests_notes(committee, plan, secretariat):
    now = timezone.now()
    first = make_meeting(committee, now - 100 * DAY)
    actions.do_freeze_snapshot(first, acting_user=secretariat)
    # Commitment 1 reports progress; commitment 2 reports the same figure again;
    # commitment 3 is new; nobody reports on commitment 4.
    validated(
        Activity.objects.get(commitment__number=1, progress=20), 60, now - 10 * DAY, by=secretariat
    )
    validated(Activity.objects.get(commitment__number=2), 0, now - 10 * DAY, by=secretariat)
    make_commitment(plan, [(10, 1)], number=3)
    second_meeting = make_meeting(committee, earlier_today(HOUR))
    by_number = rows(actions.do_freeze_snapshot(second_meeting, acting_user=secretariat))
    assert by_number[1].previous_progress == 60 and by_number[1].progress == 80
    assert by_number[1].delta == 20 and by_number[1].flags == []
    assert by_number[2].delta == 0
    assert by_number[2].flags == [Flag.NO_PROGRESS]
    assert by_number[2].note_ar == "لا يوجد تقدم منذ آخر اجتماع"
    assert by_number[2].note_fr == "Aucun progrès depuis la dernière réunion"
    assert by_number[3].previous_progress is None and by_number[3].delta is None
    assert by_number[3].flags == [Flag.NOT_UPDATED, Flag.NO_PROGRESS]


def test_it_flags_a_commitment_nobody_updated_since_the_last_meeting(committee, plan, secretariat):
    first = make_meeting(committee, timezone.now() - 100 * DAY)
    actions.do_freeze_snapshot(first, acting_user=secretariat)
    second = make_meeting(committee, earlier_today(HOUR))
    by_number = rows(actions.do_freeze_snapshot(second, acting_user=secretariat))
    assert set(by_number[2].flags) == {Flag.NOT_UPDATED, Flag.NO_PROGRESS}
    # One note says it: "not updated" implies no progress.
    assert by_number[2].suggested_note_ar == "منصة التتبع غير محينة"
    assert by_number[2].note_en == "Tracking platform not updated"


def test_it_flags_overdue_commitments(committee, plan, secretariat):
    Commitment.objects.filter(number=2).update(
        start_date=datetime.date(2020, 1, 1), end_date=datetime.date(2021, 1, 1)
    )
    by_number = rows(actions.do_freeze_snapshot(make_meeting(committee), acting_user=secretariat))
    assert Flag.OVERDUE in by_number[2].flags and Flag.OVERDUE not in by_number[1].flags


def test_a_snapshot_frozen_after_its_meeting_stands_for_the_meeting(committee, plan, secretariat):
    """Frozen years later, the 2023 meeting's snapshot says what was true then: the
    commitment due in June 2023 was not overdue yet in March."""
    Commitment.objects.filter(number=2).update(end_date=datetime.date(2023, 6, 30))
    snapshot = actions.do_freeze_snapshot(
        make_meeting(committee, at(2023, 3, 28)), acting_user=secretariat
    )
    assert timezone.localtime(snapshot.frozen_at).date() == datetime.date(2023, 3, 28)
    assert all(Flag.OVERDUE not in r.flags for r in snapshot.rows.all())
    later = actions.do_freeze_snapshot(
        make_meeting(committee, at(2023, 9, 28)), acting_user=secretariat
    )
    assert Flag.OVERDUE in rows(later)[2].flags


def test_other_apps_can_plug_in_note_providers(draft, secretariat):
    def audit_requested(context):
        first = context.commitments[0]
        yield Suggestion(first.pk, "audit_requested", "طلب تدقيق")

    register_note_provider(audit_requested)
    try:
        by_number = rows(actions.do_freeze_snapshot(draft, acting_user=secretariat))
    finally:
        NOTE_PROVIDERS.remove(audit_requested)
    assert "audit_requested" in by_number[1].flags
    assert by_number[1].note_lines[-1] == "طلب تدقيق"
    # A code without a label is shown as it is.
    assert "audit_requested" in by_number[1].flag_labels()


def test_given_notes_replace_the_suggestions(draft, secretariat):
    snapshot = actions.do_freeze_snapshot(
        draft, acting_user=secretariat, notes={1: "ملاحظة\nثانية", 2: {"fr": "Note"}}
    )
    by_number = rows(snapshot)
    assert by_number[1].note_lines == ["ملاحظة", "ثانية"]
    assert by_number[2].note_fr == "Note" and by_number[2].note_ar == ""


def test_notes_can_be_edited_until_the_minutes_are_approved(draft, secretariat, committee_member):
    snapshot = actions.do_freeze_snapshot(draft, acting_user=secretariat)
    actions.do_edit_snapshot_notes(snapshot, {1: "  تم تحيين المنصة \r\n"}, acting_user=secretariat)
    assert rows(snapshot)[1].note_ar == "تم تحيين المنصة"
    actions.do_edit_snapshot_notes(
        snapshot, {1: "Mise à jour"}, acting_user=secretariat, language="fr"
    )
    assert rows(snapshot)[1].note_fr == "Mise à jour"
    with pytest.raises(CommitteeError):
        actions.do_edit_snapshot_notes(snapshot, {9: "x"}, acting_user=secretariat)
    actions.do_approve_minutes(draft, acting_user=committee_member)
    with pytest.raises(CommitteeError):
        actions.do_edit_snapshot_notes(snapshot, {1: "x"}, acting_user=secretariat)
    assert rows(snapshot)[1].note_ar == "تم تحيين المنصة"


def test_the_minutes_go_from_draft_to_approved_to_published(draft, secretariat, committee_member):
    with pytest.raises(CommitteeError):
        actions.do_publish_minutes(draft, acting_user=secretariat)
    meeting = actions.do_approve_minutes(draft, acting_user=committee_member)
    assert meeting.status == MeetingStatus.APPROVED
    assert meeting.approved_by == committee_member and meeting.approved_at is not None
    with pytest.raises(CommitteeError):
        actions.do_approve_minutes(meeting, acting_user=committee_member)
    with pytest.raises(CommitteeError):
        actions.do_freeze_snapshot(meeting, acting_user=secretariat)
    with pytest.raises(CommitteeError):
        actions.do_update_meeting(meeting, acting_user=secretariat, place="x")
    meeting = actions.do_publish_minutes(meeting, acting_user=secretariat)
    assert meeting.status == MeetingStatus.PUBLISHED and meeting.published_at <= timezone.now()
    assert list(
        AuditLog.objects.filter(target_id=meeting.pk, target_type="committees.meeting")
        .order_by("pk")
        .values_list("action", flat=True)
    )[-2:] == ["committees.approve_minutes", "committees.publish_minutes"]


def test_it_rejects_a_meeting_that_ends_before_it_starts(committee, secretariat):
    with pytest.raises(ValidationError):
        actions.do_create_meeting(
            committee,
            acting_user=secretariat,
            starts_at=at(2023, 3, 28, 10),
            ends_at=at(2023, 3, 28, 9),
        )


def test_attendance_is_for_members_of_the_committee_only(draft, plan, secretariat, gov):
    other = make_member(make_committee(plan), gov)
    with pytest.raises(CommitteeError):
        actions.do_record_attendance(draft, {other.pk: "present"}, acting_user=secretariat)
    member = draft.attendances.first().member
    with pytest.raises(CommitteeError):
        actions.do_record_attendance(draft, {member.pk: "asleep"}, acting_user=secretariat)
    actions.do_record_attendance(draft, {member.pk: "excused"}, acting_user=secretariat)
    assert draft.attendances.get(member=member).status == "excused"


def test_action_items_are_carried_to_later_meetings_until_closed(committee, gov, secretariat):
    first = make_meeting(committee, at(2023, 3, 28))
    decision = actions.do_add_decision(
        first,
        acting_user=secretariat,
        text="تنظيم ورشة عمل",
        action_item={
            "title": "ورشة عمل لمدة يومين",
            "owner_institution": gov,
            "due_date": datetime.date(2023, 4, 30),
        },
    )
    item = ActionItem.objects.get(decision=decision)
    second = make_meeting(committee, at(2023, 9, 28))
    third = make_meeting(committee, timezone.now() + datetime.timedelta(days=30))
    assert list(ActionItem.objects.carried_to(second)) == [item]
    assert list(ActionItem.objects.carried_to(first)) == []
    actions.do_set_action_item_status(item, "done", acting_user=secretariat)
    assert item.closed_at is not None
    assert list(ActionItem.objects.carried_to(third)) == []
    # The minutes of the meeting held while it was open keep it.
    assert list(ActionItem.objects.carried_to(second)) == [item]
    actions.do_set_action_item_status(item, "in_progress", acting_user=secretariat)
    assert item.closed_at is None and list(ActionItem.objects.carried_to(third)) == [item]
    with pytest.raises(CommitteeError):
        actions.do_set_action_item_status(item, "forgotten", acting_user=secretariat)


def test_an_action_item_cannot_point_to_another_plans_commitment(draft, secretariat):
    from apps.plans.tests.factories import make_plan

    foreign = make_commitment(make_plan(), [], number=1)
    with pytest.raises(CommitteeError):
        actions.do_add_action_item(draft, acting_user=secretariat, title="x", commitment=foreign)


def test_discussion_blocks_are_checked(draft, secretariat):
    with pytest.raises(CommitteeError):
        actions.do_add_agenda_item(
            draft, acting_user=secretariat, title="x", blocks=[{"kind": "script"}]
        )
    with pytest.raises(CommitteeError):
        actions.do_add_agenda_item(
            draft,
            acting_user=secretariat,
            title="x",
            blocks=[{"kind": "table", "headers": ["a", "b"], "rows": [["1"]]}],
        )
    item = actions.do_add_agenda_item(
        draft,
        acting_user=secretariat,
        title="x",
        blocks=[{"kind": "table", "headers": ["a", "b"], "rows": [["1", "2"]]}],
    )
    assert item.order == 2
