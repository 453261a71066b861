"""The committee's calendar answers tracking's questions, and tracking's data (change
requests, hand-overs) becomes notes of the meeting's snapshot."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from apps.accounts.roles import Role
from apps.accounts.tests.personas import make_user
from apps.committees import actions
from apps.committees.models import Member
from apps.committees.tests.factories import at, earlier_today, make_meeting, make_member, validated
from apps.tracking import actions as tracking
from apps.tracking.flags import Flag
from apps.tracking.meetings import is_committee_chair, last_meeting_date, next_meeting_date

pytestmark = pytest.mark.django_db


def test_tracking_reads_the_last_and_next_meeting_from_the_committee(committee, plan):
    assert last_meeting_date(plan) is None and next_meeting_date(plan) is None
    make_meeting(committee, at(2023, 3, 28))
    upcoming = timezone.localtime() + datetime.timedelta(days=10)
    make_meeting(committee, upcoming)
    assert last_meeting_date(plan) == datetime.date(2023, 3, 28)
    assert next_meeting_date(plan) == upcoming.date()


def test_a_meeting_of_another_plan_does_not_count(committee, plan):
    from apps.committees.tests.factories import make_committee
    from apps.plans.tests.factories import make_plan

    other = make_committee(make_plan())
    make_meeting(other, at(2023, 6, 1))
    assert last_meeting_date(plan) is None


def test_the_chair_of_the_steering_committee_may_decide_change_requests(
    committee, plan, secretariat, committee_member, committee_chair
):
    chair = committee_chair
    assert not is_committee_chair(chair)
    make_member(committee, name="رئيس", user=chair, role=Member.Role.CHAIR)
    assert is_committee_chair(chair)
    activity = plan.commitments.get(number=1).activities.get(order=2)
    request = tracking.do_propose_change(
        activity, acting_user=committee_member, progress=60, justification="تقدم مسجل"
    )
    assert chair.has_perm("tracking.decide_change", request)
    assert not make_user("member2", Role.COMMITTEE_MEMBER).has_perm(
        "tracking.decide_change", request
    )


def test_not_updated_counts_from_the_last_meeting(
    committee, plan, secretariat, focal_point_a, ministry_a
):
    from apps.plans.models import Commitment
    from apps.tracking.models import ProgressUpdate
    from apps.tracking.staleness import flags_of, reference_for, with_commitment_flags
    from apps.tracking.tests.factories import report

    plan.commitments.update(lead_institution=ministry_a)
    commitment = plan.commitments.get(number=2)
    tracking.do_hand_over(
        commitment,
        focal_point_a,
        acting_user=secretariat,
        on=datetime.date(2021, 1, 1),
        notify=False,
    )
    update = tracking.do_record_progress(
        commitment.activities.get(), report(30), acting_user=focal_point_a, submit=True
    )
    tracking.do_validate_update(update, acting_user=secretariat)
    ten_days_ago = timezone.now() - datetime.timedelta(days=10)
    ProgressUpdate.objects.filter(pk=update.pk).update(validated_at=ten_days_ago)

    def flags() -> list[str]:
        qs = with_commitment_flags(
            Commitment.objects.with_progress().filter(pk=commitment.pk), reference_for(plan)
        )
        return flags_of(qs.get())

    assert "not_updated" not in flags()  # validated 10 days ago, within 60 days
    make_meeting(committee, timezone.now() - datetime.timedelta(days=2))
    assert "not_updated" in flags()  # nothing validated since the meeting two days ago


def test_a_pending_change_request_and_a_hand_over_become_snapshot_notes(
    committee, plan, secretariat, committee_member, focal_point_a, ministry_a
):
    commitment = plan.commitments.get(number=1)
    activity = commitment.activities.get(order=2)
    tracking.do_propose_change(
        activity, acting_user=committee_member, progress=60, justification="نظرا للتقدم المسجل"
    )
    plan.commitments.update(lead_institution=ministry_a)
    successor = make_user("focal_a2", Role.FOCAL_POINT, institution=ministry_a)
    other = plan.commitments.get(number=2)
    tracking.do_hand_over(
        other, focal_point_a, acting_user=secretariat, on=datetime.date(2021, 1, 1), notify=False
    )
    tracking.do_hand_over(
        other, successor, acting_user=secretariat, on=datetime.date(2023, 3, 1), notify=False
    )

    meeting = make_meeting(committee, earlier_today(datetime.timedelta(hours=1)))
    snapshot = actions.do_freeze_snapshot(meeting, acting_user=secretariat)
    rows = {r.number: r for r in snapshot.rows.all()}

    assert Flag.PENDING_CHANGE_REQUEST in rows[1].flags
    assert "«نشاط 2» من 20% إلى 60%" in rows[1].suggested_note_ar
    assert "نظرا للتقدم المسجل" in rows[1].suggested_note_ar
    assert (
        "de 20 % à 60 %" in rows[1].suggested_note_fr
        or "from 20% to 60%" in rows[1].suggested_note_en
    )
    assert Flag.CONTACT_CHANGED in rows[2].flags
    assert "المخاطب" in rows[2].suggested_note_ar
    assert Flag.CONTACT_CHANGED not in rows[1].flags


def test_the_meeting_page_lists_the_change_requests_since_the_previous_meeting(
    client, committee, plan, secretariat, committee_member
):
    from apps.tracking.models import ChangeRequest

    make_meeting(committee, at(2023, 1, 10))
    meeting = make_meeting(committee, at(2023, 3, 28))
    activity = plan.commitments.get(number=1).activities.get(order=2)
    old = tracking.do_propose_change(
        activity, acting_user=committee_member, progress=30, justification="قديم"
    )
    ChangeRequest.objects.filter(pk=old.pk).update(created_at=at(2022, 12, 1))
    recent = tracking.do_propose_change(
        activity, acting_user=committee_member, progress=60, justification="حديث"
    )
    ChangeRequest.objects.filter(pk=recent.pk).update(created_at=at(2023, 3, 1))

    client.force_login(secretariat)
    html = client.get(f"/ar/meetings/{meeting.pk}/").content.decode()
    assert "/ar/tracking/change-requests/?until=2023-03-28&amp;since=2023-01-10" in html
    listed = client.get(
        "/ar/tracking/change-requests/?until=2023-03-28&since=2023-01-10"
    ).content.decode()
    assert "حديث" in listed and "قديم" not in listed
    bad = client.get("/ar/tracking/change-requests/?since=2023-03-28&until=2023-01-10")
    assert bad.status_code == 200 and "invalid-feedback" in bad.content.decode()
    assert client.get("/ar/tracking/change-requests/?since=notadate").status_code == 200


def test_the_public_does_not_see_the_change_requests_link(client, committee, plan):
    from apps.committees.tests.factories import publish

    meeting = publish(make_meeting(committee, at(2023, 3, 28)))
    assert "change-requests" not in client.get(f"/ar/meetings/{meeting.pk}/").content.decode()


def test_the_pdf_is_laid_out_once_and_again_when_the_minutes_change(committee, plan, secretariat):
    from django.core.cache import cache

    from apps.committees.minutes import build_minutes, render_pdf

    cache.clear()
    meeting = make_meeting(committee, at(2023, 3, 28), opening_remarks_ar="كلمة أولى")
    first = render_pdf(build_minutes(meeting, None, "ar"))
    assert render_pdf(build_minutes(meeting, None, "ar")) == first
    meeting.opening_remarks_ar = "كلمة ثانية"
    meeting.save(update_fields=["opening_remarks_ar"])
    assert render_pdf(build_minutes(meeting, None, "ar")) != first


def test_the_snapshot_frozen_now_and_the_dashboard_agree(committee, plan, secretariat):
    """One rule: for every case, a snapshot frozen at today's meeting carries the flags
    the dashboard shows for the same commitment the same day."""
    from apps.plans.models import Activity
    from apps.plans.tests.factories import make_commitment
    from apps.tracking.dashboard import build
    from apps.tracking.flags import STALENESS_FLAGS
    from apps.tracking.staleness import flags_of

    now = timezone.now()
    day = datetime.timedelta(days=1)
    today = timezone.localdate()
    actions.do_freeze_snapshot(make_meeting(committee, now - 30 * day), acting_user=secretariat)

    def commitment(number: int, **fields):
        return make_commitment(plan, [(40, 1)], number=number, **fields).activities.get()

    after = commitment(3)  # validated progress after the last meeting
    validated(after, 50, now - 5 * day, by=secretariat)
    before = commitment(4)  # validated progress before the last meeting only
    validated(before, 50, now - 40 * day, by=secretariat)
    same = commitment(5)  # validated after the meeting, same figure
    validated(same, 40, now - 5 * day, by=secretariat)
    edited = commitment(6)  # edited in the admin without progress: a history row
    edited.title_ar = "عنوان جديد"
    edited.save()
    late_activity = commitment(7, end_date=today + 100 * day)
    Activity.objects.filter(pk=late_activity.pk).update(end_date=today - day)
    commitment(8, end_date=today - day)  # the commitment's end date passed
    commitment(9, end_date=today + 100 * day)  # ends later
    done = make_commitment(plan, [(100, 1)], number=10, end_date=today - day)
    assert done

    snapshot = actions.do_freeze_snapshot(
        make_meeting(committee, earlier_today(datetime.timedelta(minutes=5))),
        acting_user=secretariat,
    )
    frozen = {r.number: [f for f in r.flags if f in STALENESS_FLAGS] for r in snapshot.rows.all()}
    board = build(plan)
    live = {c.number: flags_of(c) for c in board.stale}
    assert {n: f for n, f in frozen.items() if f} == live
    assert live[4] == [Flag.NOT_UPDATED, Flag.NO_PROGRESS]
    assert live[5] == [Flag.NO_PROGRESS]
    assert live[6] == [Flag.NOT_UPDATED, Flag.NO_PROGRESS]
    assert Flag.OVERDUE in live[7] and Flag.OVERDUE in live[8]
    assert 3 not in live and Flag.OVERDUE not in live.get(9, []) and 10 not in live


def test_only_who_may_decide_sees_the_accept_and_reject_buttons(
    client, committee, plan, secretariat, committee_member, committee_chair
):
    make_member(committee, name="رئيس", user=committee_chair, role=Member.Role.CHAIR)
    activity = plan.commitments.get(number=1).activities.get(order=2)
    tracking.do_propose_change(
        activity, acting_user=committee_member, progress=60, justification="من 20% إلى 60%"
    )
    for user, buttons in ((committee_member, 0), (secretariat, 1), (committee_chair, 1)):
        client.force_login(user)
        html = client.get("/fr/tracking/change-requests/").content.decode()
        assert html.count('name="decision" value="accept"') == buttons, user.username
