"""The lifecycle of updates, change requests and hand-overs, through the actions."""

from __future__ import annotations

import datetime

import pytest

from apps.core.models import AuditLog
from apps.tracking import actions
from apps.tracking.actions import TrackingError
from apps.tracking.models import (
    ChangeRequestStatus,
    FocalPointAssignment,
    ProgressUpdate,
    UpdateSource,
    UpdateStatus,
)
from apps.tracking.tests.factories import report, submitted

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    from django.utils import translation

    with translation.override("en"):
        yield


def audit(obj):
    return list(
        AuditLog.objects.filter(target_type=obj._meta.label_lower, target_id=obj.pk)
        .order_by("at", "id")
        .values_list("action", "before", "after")
    )


def test_it_walks_draft_submitted_returned_resubmitted_validated(
    activity, focal_point_a, secretariat
):
    update = actions.do_record_progress(activity, report(45), acting_user=focal_point_a)
    assert update.status == UpdateStatus.DRAFT
    actions.do_submit_update(update, acting_user=focal_point_a)
    actions.do_return_update(update, acting_user=secretariat, reason="أضيفوا دليلا")
    update.refresh_from_db()
    assert update.status == UpdateStatus.RETURNED and update.return_reason == "أضيفوا دليلا"
    activity.refresh_from_db()
    assert activity.progress == 20, "a returned update changes nothing public"
    actions.do_edit_update(update, report(50), acting_user=focal_point_a, submit=True)
    actions.do_validate_update(update, acting_user=secretariat)
    update.refresh_from_db()
    activity.refresh_from_db()
    assert update.status == UpdateStatus.VALIDATED and update.previous_progress == 20
    assert activity.progress == 50 and update.decided_by == secretariat
    assert [(a, b.get("status"), c.get("status")) for a, b, c in audit(update)] == [
        ("tracking.create_update", None, "draft"),
        ("tracking.submit_update", "draft", "submitted"),
        ("tracking.return_update", "submitted", "returned"),
        ("tracking.resubmit_update", "returned", "submitted"),
        ("tracking.validate_update", "submitted", "validated"),
    ]
    assert audit(activity) == [
        ("plans.change_activity_progress", {"progress": 20}, {"progress": 50, "update": update.pk})
    ]
    assert (
        AuditLog.objects.filter(
            target_type="tracking.progressupdate", target_id=update.pk, actor=secretariat
        ).count()
        == 2
    )


def test_validating_twice_has_no_second_effect(activity, focal_point_a, secretariat):
    update = submitted(activity, focal_point_a, 70)
    actions.do_validate_update(update, acting_user=secretariat)
    activity.progress = 33  # as if a later update had been validated since
    activity.save(update_fields=["progress"])
    with pytest.raises(TrackingError, match="already been validated"):
        actions.do_validate_update(update, acting_user=secretariat)
    with pytest.raises(TrackingError, match="already been validated"):
        actions.do_return_update(update, acting_user=secretariat, reason="x")
    activity.refresh_from_db()
    assert activity.progress == 33
    assert AuditLog.objects.filter(action="tracking.validate_update").count() == 1


def test_a_draft_cannot_be_validated(activity, focal_point_a, secretariat):
    draft = actions.do_record_progress(activity, report(), acting_user=focal_point_a)
    with pytest.raises(TrackingError):
        actions.do_validate_update(draft, acting_user=secretariat)


def test_a_focal_point_cannot_report_on_another_institution(other_activity, focal_point_a):
    with pytest.raises(TrackingError):
        actions.do_record_progress(other_activity, report(), acting_user=focal_point_a)
    assert not ProgressUpdate.objects.exists()


def test_a_validated_update_cannot_be_edited(activity, focal_point_a, secretariat):
    update = submitted(activity, focal_point_a)
    actions.do_validate_update(update, acting_user=secretariat)
    with pytest.raises(TrackingError):
        actions.do_edit_update(update, report(99), acting_user=focal_point_a)
    update.refresh_from_db()
    assert update.progress == 60


def test_returning_needs_a_reason(activity, focal_point_a, secretariat):
    update = submitted(activity, focal_point_a)
    with pytest.raises(TrackingError):
        actions.do_return_update(update, acting_user=secretariat, reason="  ")


def test_an_accepted_change_request_is_applied_as_a_validated_update(
    activity, committee_member, secretariat
):
    request = actions.do_propose_change(
        activity,
        acting_user=committee_member,
        progress=60,
        justification="من 20% إلى 60% نظرا للتقدم المسجل",
    )
    assert request.current_progress == 20
    actions.do_accept_change(request, acting_user=secretariat, reason="موافقة اللجنة")
    request.refresh_from_db()
    activity.refresh_from_db()
    assert request.status == ChangeRequestStatus.ACCEPTED and activity.progress == 60
    update = request.update
    assert update.status == UpdateStatus.VALIDATED and update.source == UpdateSource.CHANGE_REQUEST
    assert update.previous_progress == 20 and update.author == committee_member
    assert "نظرا للتقدم المسجل" in update.narrative
    with pytest.raises(TrackingError, match="already been decided"):
        actions.do_reject_change(request, acting_user=secretariat, reason="x")


def test_a_rejected_change_request_changes_nothing(activity, committee_member, secretariat):
    request = actions.do_propose_change(
        activity, acting_user=committee_member, progress=90, justification="x"
    )
    actions.do_reject_change(request, acting_user=secretariat, reason="لا دليل")
    activity.refresh_from_db()
    assert activity.progress == 20 and not ProgressUpdate.objects.exists()
    assert audit(request)[-1][0] == "tracking.reject_change"


def test_a_committee_member_cannot_decide(activity, committee_member, secretariat):
    request = actions.do_propose_change(
        activity, acting_user=secretariat, progress=90, justification="x"
    )
    with pytest.raises(TrackingError):
        actions.do_accept_change(request, acting_user=committee_member)
    with pytest.raises(TrackingError):
        actions.do_accept_change(request, acting_user=secretariat)  # four eyes


def test_a_hand_over_keeps_the_history_and_the_updates(
    activity, focal_point_a, secretariat, ministry_a
):
    from apps.accounts.roles import Role
    from apps.accounts.tests.personas import make_user

    update = submitted(activity, focal_point_a)
    successor = make_user("focal_a2", Role.FOCAL_POINT, institution=ministry_a)
    actions.do_hand_over(
        activity.commitment,
        successor,
        acting_user=secretariat,
        on=datetime.date(2023, 3, 28),
        note="تغيير على مستوى المخاطب الرسمي",
    )
    rows = list(
        FocalPointAssignment.objects.filter(commitment=activity.commitment).order_by("started_on")
    )
    assert [(r.user, r.started_on, r.ended_on) for r in rows] == [
        (focal_point_a, datetime.date(2021, 1, 1), datetime.date(2023, 3, 28)),
        (successor, datetime.date(2023, 3, 28), None),
    ]
    assert ProgressUpdate.objects.get(pk=update.pk).author == focal_point_a
    row = audit(activity.commitment)[-1]
    assert row[0] == "tracking.hand_over" and row[1]["focal_point"] == focal_point_a.pk
    assert row[2]["focal_point"] == successor.pk


def test_a_commitment_goes_only_to_a_focal_point_of_its_institutions(
    activity, focal_point_b, committee_member, secretariat
):
    for person in (focal_point_b, committee_member):
        with pytest.raises(TrackingError):
            actions.do_hand_over(activity.commitment, person, acting_user=secretariat)


def test_only_the_secretariat_hands_over(activity, focal_point_a, committee_member):
    with pytest.raises(TrackingError):
        actions.do_hand_over(activity.commitment, focal_point_a, acting_user=committee_member)


def test_a_report_that_fails_leaves_no_file_behind(
    settings, tmp_path, secretariat, focal_point_a, ministry_a
):
    from django.db import IntegrityError

    from apps.tracking.models import Evidence, ProgressUpdate
    from apps.tracking.tests.factories import PDF, assign, make_activity, report, upload

    settings.MEDIA_ROOT = tmp_path
    activity = make_activity(ministry_a)
    assign(activity.commitment, focal_point_a, secretariat)
    # The PDF is stored first; the empty link then breaks the database's rule that
    # evidence is a file or a link, and the whole report is rolled back.
    bad = report(
        files=[(upload("محضر.pdf", PDF, "application/pdf"), "application/pdf")], links=[""]
    )
    with pytest.raises(IntegrityError):
        actions.do_record_progress(activity, bad, acting_user=focal_point_a, submit=True)
    assert not ProgressUpdate.objects.exists() and not Evidence.objects.exists()
    assert [p for p in tmp_path.rglob("*") if p.is_file()] == []

    good = report(files=[(upload("محضر.pdf", PDF, "application/pdf"), "application/pdf")])
    actions.do_record_progress(activity, good, acting_user=focal_point_a, submit=True)
    assert len([p for p in tmp_path.rglob("*") if p.is_file()]) == 1
