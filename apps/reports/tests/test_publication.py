"""The end of a report cycle: the steering committee's approval at a held meeting, the
publication of the approved version, the submission to the OGP Support Unit (refused
while the English version shows Arabic), the pages and the API."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from apps.accounts import system_user
from apps.committees import actions as committees
from apps.committees.models import Committee, Meeting, SnapshotActivity
from apps.committees.tests.factories import make_committee, make_meeting
from apps.core.models import AuditLog
from apps.plans.models import ActionPlan
from apps.plans.tests.factories import make_commitment, make_plan
from apps.reports import actions, publication
from apps.reports.actions import ReportError
from apps.reports.document import Gap, untranslated
from apps.reports.models import (
    Approval,
    CycleKind,
    Participant,
    Publication,
    PublicComment,
    PublicCommentStatus,
    ReportCycle,
    ReportVersion,
    Resolution,
    Section,
    StageKey,
    Submission,
)
from apps.reports.review import do_comment_review, do_resolve_review
from apps.reports.stages import stage_of
from apps.translations.actions import do_save_translation

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
# The story, in the past whatever the day the tests run: generated 120 days ago, reviewed,
# consulted for two weeks, approved by the steering committee 80 days ago.
START = TODAY - datetime.timedelta(days=120)


def day(offset: int) -> datetime.date:
    return START + datetime.timedelta(days=offset)


def instant(offset: int, hour: int = 10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day(offset), datetime.time(hour)))


@dataclass
class Story:
    plan: ActionPlan
    committee: Committee
    cycle: ReportCycle
    v1: ReportVersion
    meeting: Meeting  # the steering committee's meeting that approves the report


def generate(cycle: ReportCycle, at: datetime.datetime) -> ReportVersion:
    job = actions.do_request_generation(cycle, acting_user=system_user(), at=at, enqueue=False)
    version = actions.run_generation(job.pk, at=at)
    assert version is not None, job.error
    return version


def build_story(slug: str = "nap") -> Story:
    """A plan with two commitments whose activities have no English title, its steering
    committee, a snapshot, a cycle with version 1 and a later meeting to approve it."""
    platform = system_user()
    plan = make_plan(
        slug=slug,
        title_ar="خطة العمل الوطنية للحكومة المنفتحة",
        title_fr="Plan d’action national pour un gouvernement ouvert",
        title_en="National Open Government Action Plan",
    )
    make_commitment(
        plan,
        [(100, 1), (40, 1)],
        number=1,
        title_ar="نشر الميزانية المفتوحة",
        title_fr="Publier le budget ouvert",
        title_en="Publish the open budget",
    )
    make_commitment(
        plan,
        [(10, 1)],
        number=2,
        title_ar="إشراك المواطنين في القرار المحلي",
        title_fr="Associer les citoyens aux décisions locales",
        title_en="Involve citizens in local decisions",
    )
    committee = make_committee(plan)
    frozen_at = make_meeting(committee, starts_at=instant(-10))
    snapshot = committees.do_freeze_snapshot(frozen_at, acting_user=platform)
    cycle = actions.do_create_cycle(
        plan, CycleKind.END_OF_TERM, START.year, acting_user=platform, snapshot=snapshot
    )
    actions.do_edit_cycle(
        cycle,
        acting_user=platform,
        snapshot=snapshot,
        lessons={"ar": "دروس", "fr": "Leçons", "en": "Lessons"},
    )
    v1 = generate(cycle, instant(0))
    meeting = make_meeting(committee, starts_at=instant(40))
    return Story(plan, committee, cycle, v1, meeting)


def translate_activities(snapshot_id: int | None) -> None:
    for activity in SnapshotActivity.objects.filter(row__snapshot_id=snapshot_id):
        do_save_translation(
            activity, "title", "en", f"Activity {activity.pk}", acting_user=system_user()
        )


def review_and_consult(cycle: ReportCycle) -> None:
    """The committees' review and the public consultation, run by the stages' rules."""
    platform = system_user()
    review = stage_of(cycle, StageKey.REVIEW)
    consult = stage_of(cycle, StageKey.CONSULT)
    actions.do_start_stage(review, acting_user=platform, on=day(1))
    actions.do_start_stage(consult, acting_user=platform, on=day(11))
    actions.do_complete_stage(review, acting_user=platform, on=day(10))
    actions.do_complete_stage(consult, acting_user=platform, on=day(25))


def approve(story: Story, version: ReportVersion | None = None) -> Approval:
    return publication.do_record_approval(
        story.cycle,
        version=version or story.v1,
        meeting=story.meeting,
        acting_user=system_user(),
    )


def refused(call, *args, **kwargs) -> str:
    with pytest.raises(ReportError) as error, translation.override("en"):
        call(*args, **kwargs)
    with translation.override("en"):
        return str(error.value)


def pdfs(version: ReportVersion, *languages: str) -> list:
    return [f for f in version.files.all() if f.format == "pdf" and f.language in languages]


# --- The rule: which texts fall back to Arabic --------------------------------------


def test_untranslated_names_each_text_that_reads_in_arabic():
    content = {
        "plan": {"title": {"ar": "خطة", "fr": "Plan", "en": ""}, "member": {}},
        "commitments": [
            {
                "number": 3,
                "title": {"ar": "التزام", "fr": "Engagement", "en": "Commitment"},
                "lead": {"ar": "وزارة", "fr": None, "en": None},
                "problem": {"ar": None, "fr": None, "en": None},  # nothing to show at all
                "supporting": [{"ar": "جمعية", "fr": "Association", "en": "Association"}],
                "next_steps": [{"ar": "نشاط", "fr": "Activité", "en": None}],
            }
        ],
        "activities": [{"commitment": 3, "title": {"ar": "نشاط", "fr": "Activité", "en": ""}}],
        "lessons": {"ar": "دروس", "fr": "", "en": "Lessons"},
    }
    assert untranslated(content, "en") == [
        Gap("plan", "title", "خطة"),
        Gap("commitment", "lead", "وزارة", number=3),
        Gap("commitment", "next_steps", "نشاط", number=3, index=0),
        Gap("annex", "title", "نشاط", number=3, index=0),
    ]
    assert untranslated(content, "fr") == [
        Gap("commitment", "lead", "وزارة", number=3),
        Gap("lessons", "lessons", "دروس"),
    ]
    assert untranslated(content, "ar") == []


# --- The whole path --------------------------------------------------------------------


def test_the_whole_path_from_generation_to_the_closed_submit_stage(
    secretariat, committee_member, media
):
    story = build_story()
    cycle = story.cycle
    # The activities have no English title: two next steps and three rows of the annex.
    assert len(untranslated(story.v1.content, "en")) == 5
    translate_activities(cycle.snapshot_id)
    v2 = generate(cycle, instant(2))
    assert untranslated(v2.content, "en") == []

    # The review cannot close with an unresolved comment, the consultation before two
    # weeks nor with an unanswered published comment (the stages' rules).
    review = stage_of(cycle, StageKey.REVIEW)
    consult = stage_of(cycle, StageKey.CONSULT)
    actions.do_start_stage(review, acting_user=secretariat, on=day(3))
    comment = do_comment_review(
        cycle,
        section=Section.GENERAL,
        commitment=None,
        body="هل الأرقام محيّنة؟",
        acting_user=committee_member,
        at=instant(4),
    )
    assert "not resolved" in refused(
        actions.do_complete_stage, review, acting_user=secretariat, on=day(9)
    )
    do_resolve_review(
        comment, resolution=Resolution.ANSWERED, response="نعم", acting_user=secretariat
    )
    actions.do_complete_stage(review, acting_user=secretariat, on=day(10))
    actions.do_start_stage(consult, acting_user=secretariat, on=day(11))
    assert "at least 14 days" in refused(
        actions.do_complete_stage, consult, acting_user=secretariat, on=day(20)
    )
    actions.do_complete_stage(consult, acting_user=secretariat, on=day(25))
    submit_stage = stage_of(cycle, StageKey.SUBMIT)
    actions.do_start_stage(submit_stage, acting_user=secretariat, on=day(30))
    assert "sent to the OGP Support Unit" in refused(
        actions.do_complete_stage, submit_stage, acting_user=secretariat
    )

    approval = publication.do_record_approval(
        cycle, version=v2, meeting=story.meeting, acting_user=secretariat
    )
    assert approval.decided_on == day(40) and approval.version == v2
    assert approval.recorded_by == secretariat
    published = publication.do_publish(cycle, acting_user=secretariat)
    assert published.version == v2
    files = pdfs(v2, "ar", "en")
    submission = publication.do_record_submission(
        cycle,
        submitted_on=TODAY,
        reference="  OGP/SU/2026-17 ",
        files=files,
        acting_user=secretariat,
    )
    assert submission.reference == "OGP/SU/2026-17"
    assert set(submission.files.all()) == set(files)
    stage = actions.do_complete_stage(submit_stage, acting_user=secretariat)
    assert stage.completed_on == TODAY
    logged = list(
        AuditLog.objects.filter(target_type="reports.reportcycle", target_id=cycle.pk)
        .filter(action__in=["report.approve", "report.publish", "report.submit"])
        .order_by("pk")
        .values_list("action", "after")
    )
    assert [a for a, _after in logged] == ["report.approve", "report.publish", "report.submit"]
    assert logged[0][1] == {
        "version": 2,
        "meeting": story.meeting.pk,
        "decided_on": day(40).isoformat(),
    }
    # One submission only.
    assert "recorded once" in refused(
        publication.do_record_submission,
        cycle,
        submitted_on=TODAY,
        reference="again",
        files=files,
        acting_user=secretariat,
    )
    assert Submission.objects.count() == 1


# --- Refusals --------------------------------------------------------------------------


def test_the_approval_waits_for_the_review_the_consultation_and_a_held_meeting(
    secretariat, personas, media
):
    story = build_story()
    cycle = story.cycle
    assert "public consultation are completed" in refused(approve, story)
    review_and_consult(cycle)
    for name in ("citizen", "committee_member", "committee_chair", "translator", "focal_point_a"):
        assert "Only the secretariat" in refused(
            publication.do_record_approval,
            cycle,
            version=story.v1,
            meeting=story.meeting,
            acting_user=personas[name],
        )
    other = build_story("other-plan")
    # A meeting of another plan, of the plan's monitoring committee, one still to come.
    monitoring = make_committee(story.plan, kind=Committee.Kind.MONITORING)
    for meeting in (
        other.meeting,
        make_meeting(monitoring, starts_at=instant(40)),
    ):
        assert "this plan's steering committee" in refused(
            publication.do_record_approval,
            cycle,
            version=story.v1,
            meeting=meeting,
            acting_user=secretariat,
        )
    coming = make_meeting(story.committee, starts_at=timezone.now() + datetime.timedelta(days=3))
    assert "has not been held yet" in refused(
        publication.do_record_approval,
        cycle,
        version=story.v1,
        meeting=coming,
        acting_user=secretariat,
    )
    # Another cycle's version; a version generated after the meeting.
    assert "belongs to another report" in refused(
        publication.do_record_approval,
        cycle,
        version=other.v1,
        meeting=story.meeting,
        acting_user=secretariat,
    )
    late = generate(cycle, instant(50))
    assert "generated after the meeting" in refused(
        publication.do_record_approval,
        cycle,
        version=late,
        meeting=story.meeting,
        acting_user=secretariat,
    )
    assert not Approval.objects.exists()
    assert "once the steering committee has approved it" in refused(
        publication.do_publish, cycle, acting_user=secretariat
    )
    assert "once it is published" in refused(
        publication.do_record_submission,
        cycle,
        submitted_on=TODAY,
        reference="R",
        files=pdfs(story.v1, "ar", "en"),
        acting_user=secretariat,
    )
    assert not Publication.objects.exists() and not Submission.objects.exists()
    assert not AuditLog.objects.filter(action__in=["report.approve", "report.publish"]).exists()


def test_a_version_with_english_gaps_is_not_approved(secretariat, media):
    """Approved, a version would be published as it is and could never be sent to the
    OGP Support Unit: the approval is refused while its English shows Arabic."""
    story = build_story()
    cycle = story.cycle
    review_and_consult(cycle)
    assert len(untranslated(story.v1.content, "en")) == 5
    message = refused(approve, story)
    assert "version 1 still shows 5 texts in Arabic" in message
    assert "translate them, generate a new version, then record the approval" in message
    with translation.override("fr"):
        with pytest.raises(ReportError) as error:
            approve(story)
        assert "la version 1 affiche encore 5 textes en arabe" in str(error.value)
        assert "générez une nouvelle version" in str(error.value)
    assert not Approval.objects.exists()
    assert not AuditLog.objects.filter(action="report.approve").exists()
    translate_activities(cycle.snapshot_id)
    v2 = generate(cycle, instant(2))
    assert approve(story, v2).version == v2
    assert Approval.objects.get().version == v2
    assert AuditLog.objects.filter(action="report.approve").count() == 1


def test_a_second_approval_is_refused(secretariat, media):
    story = build_story()
    translate_activities(story.cycle.snapshot_id)
    v2 = generate(story.cycle, instant(2))
    review_and_consult(story.cycle)
    approve(story, v2)
    v3 = generate(story.cycle, instant(30))
    with translation.override("fr"):
        with pytest.raises(ReportError) as error:
            approve(story, v3)
        assert "déjà été approuvé" in str(error.value)
    assert "approval is recorded once" in refused(approve, story, v3)
    assert Approval.objects.get().version == v2


def approve_directly(story: Story) -> Approval:
    """The approval row of version 1 and its English gaps, written without
    ``do_record_approval``, which refuses such a version: how a cycle approved before
    that rule looks, so that the later steps' own checks are tested."""
    return Approval.objects.create(
        cycle=story.cycle,
        version=story.v1,
        meeting=story.meeting,
        decided_on=publication.meeting_day(story.meeting),
        recorded_by=system_user(),
        recorded_at=instant(41),
    )


def test_what_was_published_stays_as_it_was_published(secretariat, client, media):
    """Version 1 has English gaps; translating them and generating version 2 changes
    nothing: the approved version 1 is the one published, and it cannot be sent (the
    submission checks the English itself, although the approval refuses such a version
    now: the approval is written directly, see ``approve_directly``)."""
    story = build_story()
    cycle = story.cycle
    review_and_consult(cycle)
    approve_directly(story)
    translate_activities(cycle.snapshot_id)
    v2 = generate(cycle, instant(30))
    assert untranslated(v2.content, "en") == []
    published = publication.do_publish(cycle, acting_user=secretariat)
    assert published.version == story.v1  # the approved one, not the later version 2
    assert "already published" in refused(publication.do_publish, cycle, acting_user=secretariat)

    def submit(files, on=TODAY, reference="OGP-1"):
        return publication.do_record_submission(
            cycle, submitted_on=on, reference=reference, files=files, acting_user=secretariat
        )

    message = refused(submit, pdfs(story.v1, "ar", "en"))
    assert "still shows 5 texts in Arabic" in message
    with translation.override("ar"):
        with pytest.raises(ReportError) as error:
            submit(pdfs(story.v1, "ar", "en"))
        assert "بالعربية" in str(error.value)
    assert "Only files of the published version (version 1)" in refused(
        submit, pdfs(v2, "ar", "en")
    )
    assert "Only files of the published version" in refused(submit, [])
    assert "PDF in Arabic and the PDF in English" in refused(submit, pdfs(story.v1, "ar"))
    assert "cannot be in the future" in refused(
        submit, pdfs(story.v1, "ar", "en"), on=TODAY + datetime.timedelta(days=1)
    )
    for absurd in (datetime.date(9999, 12, 31), datetime.date(1, 1, 1)):
        assert "Give a date between" in refused(submit, pdfs(story.v1, "ar", "en"), on=absurd)
    assert "cannot have been sent before" in refused(
        submit, pdfs(story.v1, "ar", "en"), on=TODAY - datetime.timedelta(days=365)
    )
    assert "Give the reference" in refused(submit, pdfs(story.v1, "ar", "en"), reference="  ")
    assert "one line" in refused(submit, pdfs(story.v1, "ar", "en"), reference="a\nb")
    # The pages say the same: the English gaps of the published version, and a refusal.
    client.force_login(secretariat)
    page = client.get(f"/en/reports/{cycle.pk}/").content.decode()
    assert "The English version of the published report shows 5 texts in Arabic" in page
    response = client.post(
        f"/en/reports/{cycle.pk}/submit/",
        {
            "submitted_on": TODAY.isoformat(),
            "reference": "OGP-7",
            "files_sent": [f.pk for f in pdfs(story.v1, "ar", "en")],
        },
    )
    assert response.status_code == 422
    assert "still shows 5 texts in Arabic" in response.content.decode()
    assert not Submission.objects.exists()
    # Frozen: no edit, no generation, no new window, no second approval.
    frozen = "stays as it was published"
    assert frozen in refused(
        actions.do_edit_cycle,
        cycle,
        acting_user=secretariat,
        snapshot=cycle.snapshot,
        lessons={"ar": "جديد"},
    )
    assert frozen in refused(actions.do_request_generation, cycle, acting_user=secretariat)
    stage = stage_of(cycle, StageKey.SUBMIT)
    assert frozen in refused(actions.do_plan_stage, stage, day(1), day(2), acting_user=secretariat)
    assert "recorded once" in refused(approve, story, v2)
    cycle.refresh_from_db()
    assert cycle.lessons("ar") == "دروس" and cycle.versions.count() == 2


# --- Pages -----------------------------------------------------------------------------

MISSING = 987654321


def test_the_secretariat_records_the_end_of_the_cycle_on_the_pages(
    secretariat, citizen, client, media
):
    story = build_story()
    cycle = story.cycle
    other = build_story("other-plan")
    review_and_consult(cycle)
    url = f"/reports/{cycle.pk}"
    client.force_login(secretariat)
    pages = {lang: client.get(f"/{lang}{url}/").content.decode() for lang in ("ar", "fr", "en")}
    assert "المصادقة والنشر والإرسال" in pages["ar"]
    assert "Approbation, publication, envoi" in pages["fr"]
    assert "Approval, publication, submission" in pages["en"]
    # The English gaps of the latest version, with the editor of each text, instead of
    # the approval form: version 1 cannot be approved.
    assert "shows 5 texts in Arabic" in pages["en"]
    assert "تتضمن ما مجموعه 5 نصوص بالعربية" in pages["ar"]
    assert "الخطوات المقبلة؛ الملحق: الأنشطة" in pages["ar"]  # the places, an Arabic list
    snapshot_activity = SnapshotActivity.objects.filter(
        row__snapshot_id=cycle.snapshot_id, progress__lt=100
    ).first()
    assert f"/en/translations/committees.snapshotactivity/{snapshot_activity.pk}/" in pages["en"]
    for page in pages.values():
        assert "report-approve-form" not in page and "english-gaps" in page
    approve_url = f"/fr{url}/approve/"
    response = client.post(approve_url, {"version": story.v1.pk, "meeting": story.meeting.pk})
    assert response.status_code == 422
    assert "la version 1 affiche encore 5 textes en arabe" in response.content.decode()
    assert not Approval.objects.exists()
    # Translated, version 2 generated: the form is offered and the gaps are gone.
    translate_activities(cycle.snapshot_id)
    v2 = generate(cycle, instant(2))
    page = client.get(f"/en{url}/").content.decode()
    assert "report-approve-form" in page and "english-gaps" not in page
    # The meetings offered are those of this plan's steering committee only.
    assert f'<option value="{story.meeting.pk}"' in page
    assert f'<option value="{other.meeting.pk}"' not in page
    for body in (
        {"version": v2.pk, "meeting": other.meeting.pk},  # another plan's meeting
        {"version": other.v1.pk, "meeting": story.meeting.pk},  # another report's version
        {"version": "abc", "meeting": "9" * 30},
        {},
    ):
        assert client.post(approve_url, body).status_code == 422
    assert not Approval.objects.exists()
    assert client.post(f"/fr/reports/{MISSING}/approve/", {}).status_code == 404
    assert client.get(f"/fr{url}/published/").status_code == 404
    response = client.post(
        approve_url, {"version": v2.pk, "meeting": story.meeting.pk}, follow=True
    )
    assert "L’approbation du comité de pilotage est enregistrée." in response.content.decode()
    again = client.post(approve_url, {"version": v2.pk, "meeting": story.meeting.pk})
    assert again.status_code == 422 and "déjà été approuvé" in again.content.decode()
    assert client.post(f"/fr{url}/publish/", {}).status_code == 422
    assert not Publication.objects.exists()
    response = client.post(f"/fr{url}/publish/", {"confirm": "on"})
    assert response.status_code == 302 and response["Location"] == f"/fr{url}/published/"
    published = client.get(response["Location"]).content.decode()
    assert "Publié le" in published and "approuvé par le comité de pilotage" in published
    assert f'href="/fr/meetings/{story.meeting.pk}/"' in published
    assert published.count('data-format="') == 9
    for f in v2.files.all():
        assert f'href="/fr/reports/files/{f.pk}/"' in published
    # Submission: bounded dates, files of the published version only.
    submit_url = f"/en{url}/submit/"
    good = {
        "submitted_on": TODAY.isoformat(),
        "reference": "OGP-7",
        "files_sent": [f.pk for f in pdfs(v2, "ar", "en")],
    }
    for change in (
        {"submitted_on": "0001-01-01"},
        {"submitted_on": "9999-12-31"},
        {"submitted_on": "2023-13-45"},
        {"files_sent": [f.pk for f in pdfs(story.v1, "ar", "en")]},
        {"files_sent": [f.pk for f in pdfs(other.v1, "ar", "en")]},
        {"files_sent": [MISSING]},
        {"files_sent": ["9" * 30]},
        {"files_sent": ["²", "-" + "9" * 30]},
        {"reference": ""},
    ):
        response = client.post(submit_url, {**good, **change})
        assert response.status_code == 422, change
    assert not Submission.objects.exists()
    assert client.post(submit_url, good).status_code == 302
    assert Submission.objects.get().reference == "OGP-7"
    # Nothing changes any more, and a citizen changes nothing.
    response = client.post(f"/en{url}/generate/", follow=True)
    assert "it stays as it was published" in response.content.decode()
    assert cycle.versions.count() == 2
    client.force_login(citizen)
    for step in ("approve", "publish", "submit"):
        assert client.get(f"/en{url}/{step}/").status_code == 403
        assert client.post(f"/en{url}/{step}/", good).status_code == 403
    page = client.get(f"/en{url}/").content.decode()
    assert "Approved by the steering committee at the meeting of" in page
    assert "Record the submission" not in page and "english-gaps" not in page
    # The meeting is not public: the citizen reads its date without a link.
    published = client.get(f"/ar{url}/published/").content.decode()
    assert "صادقت عليه لجنة الإشراف في اجتماع" in published
    assert f"/ar/meetings/{story.meeting.pk}/" not in published
    committees.do_announce_meeting(story.meeting, acting_user=system_user())
    published = client.get(f"/ar{url}/published/").content.decode()
    assert f'href="/ar/meetings/{story.meeting.pk}/"' in published
    listing = client.get("/fr/reports/").content.decode()
    assert listing.count("Publié le") == 1 and f"/fr{url}/published/" in listing
    client.logout()
    # The public page: the cycle with what ended it, and the published version's files.
    assert queries(client, f"/en{url}/published/") == 2


def test_the_submission_page_records_a_clean_published_version(secretariat, client, media):
    story = build_story()
    cycle = story.cycle
    translate_activities(cycle.snapshot_id)
    v2 = generate(cycle, instant(2))
    review_and_consult(cycle)
    approve(story, v2)
    publication.do_publish(cycle, acting_user=secretariat)
    actions.do_start_stage(stage_of(cycle, StageKey.SUBMIT), acting_user=secretariat)
    client.force_login(secretariat)
    page = client.get(f"/en/reports/{cycle.pk}/").content.decode()
    assert (
        "Current stage: <strong>Approve, publish and send to the OGP Support Unit</strong>" in page
    )
    # Published: no more generation, edit or new window offered.
    assert "/generate/" not in page and "/edit/" not in page and "/plan/" not in page
    page = client.get(f"/ar/reports/{cycle.pk}/").content.decode()
    assert 'type="date"' in page and "english-gaps" not in page
    response = client.post(
        f"/ar/reports/{cycle.pk}/submit/",
        {
            "submitted_on": TODAY.isoformat(),
            "reference": "OGP/2026/12",
            "files_sent": [f.pk for f in v2.files.all() if f.format in ("pdf", "docx")],
        },
        follow=True,
    )
    text = response.content.decode()
    assert "سُجّل الإرسال إلى وحدة دعم الشراكة." in text
    assert "OGP/2026/12" in text
    assert Submission.objects.get().files.count() == 6
    assert client.get(f"/en/reports/{cycle.pk}/submit/").status_code == 200
    again = client.post(
        f"/en/reports/{cycle.pk}/submit/",
        {"submitted_on": TODAY.isoformat(), "reference": "x", "files_sent": [v2.files.first().pk]},
    )
    assert again.status_code == 422 and "recorded once" in again.content.decode()


# --- API -------------------------------------------------------------------------------


def comment(cycle: ReportCycle, version: ReportVersion, n: int, **fields) -> PublicComment:
    participant = Participant.objects.create(
        email=f"p{cycle.pk}-{n}@example.org", name="مواطن", created_at=instant(12)
    )
    return PublicComment.objects.create(
        cycle=cycle,
        version=version,
        section=Section.GENERAL,
        body="رأي",
        participant=participant,
        created_at=instant(12),
        **fields,
    )


def queries(client, path: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return len(captured)


def test_the_api_tells_the_end_of_the_cycle_in_a_fixed_number_of_queries(
    secretariat, client, media
):
    story = build_story()
    cycle = story.cycle
    path = f"/api/v1/reports/{cycle.pk}"
    detail = client.get(path).json()
    assert detail["approval"] is None and detail["publication"] is None
    counts = {k: v for k, v in detail["consultation"].items() if k != "url"}
    assert counts == {"published": 0, "hidden": 0, "answered": 0, "awaiting_response": 0}
    assert detail["consultation"]["url"].endswith(f"/reports/{cycle.pk}/consultation/")
    one = (queries(client, "/api/v1/reports"), queries(client, path))

    translate_activities(cycle.snapshot_id)
    v2 = generate(cycle, instant(2))
    comment(cycle, v2, 1, status=PublicCommentStatus.PUBLISHED, response="شكرا")
    comment(cycle, v2, 2, status=PublicCommentStatus.PUBLISHED, response="نعم")
    comment(cycle, v2, 3, status=PublicCommentStatus.HIDDEN, hidden_reason="إساءة")
    comment(cycle, v2, 4)  # unverified: not counted
    review_and_consult(cycle)
    approve(story, v2)
    published = publication.do_publish(cycle, acting_user=secretariat)
    publication.do_record_submission(
        cycle,
        submitted_on=TODAY,
        reference="OGP-9",
        files=pdfs(v2, "ar", "en"),
        acting_user=secretariat,
    )
    other = build_story("other-plan")
    comment(other.cycle, other.v1, 5, status=PublicCommentStatus.PUBLISHED)
    # More cycles, versions and comments: the same number of queries.
    assert (queries(client, "/api/v1/reports"), queries(client, path)) == one
    print(f"API queries (list, detail): {one}")

    detail = client.get(f"{path}?lang=en").json()
    assert detail["approval"] == {
        "decided_on": day(40).isoformat(),
        "meeting": story.meeting.pk,
        "version": 2,
    }
    assert detail["publication"]["version"] == 2
    assert detail["publication"]["published_at"].startswith(
        published.published_at.astimezone(datetime.UTC).isoformat()[:16]
    )
    assert detail["submission"] == {"submitted_on": TODAY.isoformat(), "reference": "OGP-9"}
    counts = {k: v for k, v in detail["consultation"].items() if k != "url"}
    assert counts == {"published": 2, "hidden": 1, "answered": 2, "awaiting_response": 0}
    first, second = detail["versions"]
    english = {c["language"]: c for c in first["coverage"]}["en"]
    assert english["untranslated"] == 5 and english["texts"] > 5 and english["percent"] < 100
    assert {c["language"]: c["untranslated"] for c in second["coverage"]}["en"] == 0
    listed = {item["id"]: item for item in client.get("/api/v1/reports").json()["items"]}
    assert listed[cycle.pk]["submission"]["reference"] == "OGP-9"
    assert listed[other.cycle.pk]["consultation"] == {
        "published": 1,
        "hidden": 0,
        "answered": 0,
        "awaiting_response": 1,
    }
    assert listed[other.cycle.pk]["approval"] is None
    missing = client.get(f"/api/v1/reports/{MISSING}")
    assert missing.status_code == 404 and missing.json() == {"detail": "Not found."}
    schema = client.get("/api/v1/openapi.json").json()
    assert "404" in schema["paths"]["/api/v1/reports/{report_id}"]["get"]["responses"]


@pytest.mark.parametrize("absurd", [datetime.date(9999, 12, 31), datetime.date(1, 1, 1)], ids=str)
def test_a_stage_from_another_era_is_refused_in_the_users_language(absurd, secretariat):
    # apps.core.bounds: a stage's window is a plan date, its start and end are facts.
    from apps.core import bounds

    cycle = build_story().cycle
    stage = cycle.stages.order_by("order").first()
    assert stage is not None
    before = (stage.planned_start, stage.planned_end, AuditLog.objects.count())
    with translation.override("fr"), pytest.raises(ReportError) as error:
        actions.do_plan_stage(stage, absurd, absurd, acting_user=secretariat)
    with translation.override("fr"):
        message = str(error.value)
        assert message == bounds.plan_error(absurd, cycle.plan)
        assert "Indiquez une date comprise entre le" in message
    stage.refresh_from_db()
    assert (stage.planned_start, stage.planned_end, AuditLog.objects.count()) == before
