"""Every page and API endpoint, every persona, good ids, unknown ids and hostile input:
never a 500, an unknown object is a 404, a refusal is a 403 (or the login page), and a
refused request changes nothing in the database.

The URL patterns are read from the resolver, so a new page is covered the day it is
added; a pattern this module cannot fill fails ``test_it_knows_every_url_pattern``.
"""

from __future__ import annotations

import datetime
import json
import os
import re
import zoneinfo
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from allauth.usersessions.models import UserSession
from django.contrib.auth.models import AnonymousUser
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db.models import F
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from apps.accounts import tokens as account_tokens
from apps.accounts.models import ApiToken, Institution, User
from apps.accounts.tests.personas import PASSWORD
from apps.cocreation import actions as cocreation_actions
from apps.cocreation.models import (
    CardComment,
    CardVersion,
    Comment,
    CommitmentCard,
    Criterion,
    Follow,
    MeetingRegistration,
    ParticipatoryMeeting,
    Phase,
    Process,
    Proposal,
    Score,
    Support,
    Theme,
)
from apps.committees import actions as committee_actions
from apps.committees.models import ActionItem, Committee, CommitteeDocument, Meeting
from apps.core.models import AuditLog
from apps.core.tests.forms import FormReader
from apps.exchange.models import ImportJob
from apps.people import invitations as people_invitations
from apps.people.models import Invitation
from apps.plans.models import ActionPlan, Activity, Commitment
from apps.reports import actions as report_actions
from apps.reports import publication as report_publication
from apps.reports.models import (
    Approval,
    Publication,
    PublicComment,
    ReportCycle,
    ReportFile,
    ReportVersion,
    ReviewComment,
    Stage,
    StageKey,
    Submission,
)
from apps.reports.stages import stage_of
from apps.reports.tests.factories import comment, open_consultation
from apps.tracking import actions as tracking_actions
from apps.tracking.models import ChangeRequest, Evidence, FocalPointAssignment, ProgressUpdate
from apps.translations.models import TranslationStatus
from sharaka.tests.test_csp import inline_code

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

MISSING = 987654321
GOOD = ("own", "draft")
PERSONAS = [
    "anonymous",
    "citizen",
    "focal_point_a",
    "focal_point_b",
    "committee_member",
    "translator",
    "secretariat",
    "superuser",
]
# Personas whose forms are walked with valid bodies and several hostile ones.
WRITERS = ("secretariat", "focal_point_a", "superuser")

# Values a hostile or careless client sends; each field of a form gets each of them
# across the hostile bodies (a Latin square, not the full cross product).
HOSTILE = [
    "x" * (1024 * 1024),
    "<script>alert(1)</script>",
    "-5",
    "101",
    "abc",
    "2023-13-45",
    "a\x00b",
    "\u202eevil\u202c",
    "99999999999999999999999",
    "²",
    "9999-12-31T23:59",
    "0001-01-01",
    # Dates the calendar holds but no plan does (apps.core.bounds refuses them).
    "9999-12-31",
    "0001-01-01T00:00",
]

HOSTILE_QUERY = {
    "page": "abc",
    "plan": "<script>\x00",
    "since": "2023-13-45",
    "until": "-5",
    "language": "xx",
    "theme": "9" * 30,
    "institution": "\u202eevil",
    "level": "101",
    "flag": "overdue\x00",
    "sort": "-progress'; --",
    "updates": "99999999999999999999999",
    "next": "https://evil.example/",
    "q": "a\x00b",
}

# Fields posted by forms that live on another page (the queue, the meeting page…).
EXTRA_FIELDS = {
    "tracking:validate_update": ("next",),
    "tracking:return_update": ("reason", "next"),
    "tracking:decide_change": ("decision", "reason"),
    "tracking:submit_update": ("next",),
    "action_item_status": ("status",),
    "set_language": ("language", "next"),
    "login": ("login", "password"),
    "account_login": ("login", "password"),
    "account_reset_password": ("email",),
    "report_review_comment": ("section", "commitment", "body", "token"),
    "report_review_resolve": ("resolution", "response"),
    "account_signup": ("email", "password1", "password2"),
    "cocreation:support": ("withdraw",),
    "cocreation:follow": ("unfollow",),
    "cocreation:comment": ("body", "author_name", "parent"),
    "cocreation:hide": ("reason",),
    "cocreation:comment_hide": ("reason",),
    "cocreation:merge": ("target", "response"),
    "cocreation:meeting_register": (
        "name",
        "organisation",
        "organisation_kind",
        "region",
        "gender",
        "walk_in",
    ),
    "cocreation:meeting_attendance": ("present",),
    "cocreation:card_comment": ("body",),
    "cocreation:card_return": ("reason",),
    "api_token_create": ("name", "expires_in"),
    "lockout_list": ("kind", "key"),
}
FILE_FIELDS = {"attachments", "file"}
# GET-only pages that ignore a POST (they render as for a GET); CSRF still applies
# to them, so these are here only if Django lets a POST through without a token.
READ_ONLY_POSTS: set[str] = set()
# Files laid out on request (seconds each): requested once per persona and id.
DOWNLOADS = {"minutes_pdf", "minutes_docx", "report_file"}
# Pages that end the persona's session (the walk would go on signed out).
SIGNS_OUT = {"logout", "account_logout"}
DOWNLOADERS = ("anonymous", "committee_member", "secretariat")  # one per kind of access

PARTICIPATION = [Proposal, Comment, Support, Follow, MeetingRegistration]
WATCHED = [
    ActionPlan,
    Commitment,
    Activity,
    ProgressUpdate,
    Evidence,
    FocalPointAssignment,
    ChangeRequest,
    Meeting,
    ActionItem,
    AuditLog,
    TranslationStatus,
    Approval,
    Publication,
    Submission,
    ReviewComment,
    PublicComment,
    Process,
    Phase,
    Theme,
    ParticipatoryMeeting,
    Criterion,
    Score,
    CommitmentCard,
    CardVersion,
    CardComment,
    ImportJob,
    ApiToken,
    UserSession,
    Invitation,
    # Last: what any account may write in the co-creation while a phase opens it.
    *PARTICIPATION,
]

# Paths the robustness walk leaves to their own tests (the admin is Django's).
SKIPPED_PREFIXES = ("admin:",)
# Personas with no write anywhere (translators write translations, and only those).
WRITES_NOTHING = ("anonymous", "citizen")


def _patterns(resolver: URLResolver, prefix: str = "", ns: str = "") -> Iterator[tuple[str, str]]:
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            sub_ns = ns
            if entry.namespace:
                sub_ns = f"{ns}{entry.namespace}:"
            yield from _patterns(entry, prefix + str(entry.pattern), sub_ns)
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), f"{ns}{entry.name or ''}"


def site_patterns() -> list[tuple[str, str]]:
    """(route, name) of every page; i18n prefixes resolved to /ar/."""
    found = []
    for route, name in _patterns(get_resolver()):
        if name.startswith(SKIPPED_PREFIXES) or route.startswith("^"):
            continue
        found.append((route, name))
    return found


@dataclass
class World:
    plan: ActionPlan
    commitment_a: Commitment
    activity_a: Activity
    activity_b: Activity
    update_a: ProgressUpdate
    update_b: ProgressUpdate
    submitted_a: ProgressUpdate
    evidence_a: Evidence
    evidence_b: Evidence
    meeting: Meeting
    draft_meeting: Meeting
    committee: Committee
    document: CommitteeDocument | None
    change: ChangeRequest
    action_item: ActionItem | None
    institution: Institution
    report: ReportCycle
    stage: Stage
    report_file: ReportFile
    published_report: ReportCycle
    review_comment: ReviewComment
    public_comment: PublicComment
    process: Process
    proposal: Proposal
    comment: Comment
    attachment_pk: int
    theme: Theme
    meeting_pk: int
    criterion_pk: int
    card: CommitmentCard
    import_job: ImportJob
    invitation: Invitation
    invitation_key: str


def _build_world(
    personas: dict[str, Any], ministry_a: Institution, ministry_b: Institution
) -> World:
    call_command("load_demo", "--no-admin", verbosity=0)
    plan = ActionPlan.objects.get(slug="morocco-2021-2023")
    secretariat = personas["secretariat"]
    commitments = list(Commitment.objects.filter(plan=plan).order_by("number")[:2])
    for commitment, ministry, persona in zip(
        commitments, (ministry_a, ministry_b), ("focal_point_a", "focal_point_b"), strict=True
    ):
        commitment.supporting_institutions.add(ministry)
        tracking_actions.do_hand_over(
            commitment, personas[persona], acting_user=secretariat, notify=False
        )
    activity_a = Activity.objects.filter(commitment=commitments[0]).order_by("pk").first()
    activity_b = Activity.objects.filter(commitment=commitments[1]).order_by("pk").first()
    assert activity_a and activity_b
    updates = []
    evidences = []
    for activity, persona, submit in (
        (activity_a, "focal_point_a", False),
        (activity_b, "focal_point_b", True),
        (activity_a, "focal_point_a", True),
    ):
        pdf = SimpleUploadedFile("proof.pdf", b"%PDF-1.4\n%\xe2\xe3\n1 0 obj<<>>endobj\n")
        report = tracking_actions.Report(
            progress=40,
            reported_on=plan.period_start,
            language="ar",
            narratives={"ar": "تقدم"},
            files=[(pdf, "application/pdf")],
        )
        update = tracking_actions.do_record_progress(
            activity, report, acting_user=personas[persona], submit=submit
        )
        updates.append(update)
        evidences.append(update.evidence.get())
    meeting = Meeting.objects.exclude(status="draft").order_by("pk").first()
    # The demo's consultation has not started: open it, with one published comment.
    cycle = ReportCycle.objects.order_by("pk").first() or _no("report")
    public_comment = comment(open_consultation(cycle, days_ago=3))
    draft = Meeting.objects.filter(status="draft").order_by("pk").first()
    assert meeting is not None
    if draft is None:
        draft = Meeting.objects.create(
            committee=meeting.committee, starts_at=meeting.starts_at, mode=meeting.mode
        )
    process = Process.objects.get(slug="morocco-third-plan")
    pdf = SimpleUploadedFile("note.pdf", b"%PDF-1.4\n%\xe2\xe3\n1 0 obj<<>>endobj\n")
    proposal = cocreation_actions.do_submit_proposal(
        process,
        cocreation_actions.ProposalDraft(
            author_name="x",
            language="ar",
            title="مقترح",
            problem="م",
            solution="ح",
            files=[(pdf, "application/pdf")],
        ),
        acting_user=personas["focal_point_b"],
    )
    workshop, criterion, card = _round_world(process, ministry_a, personas["secretariat"])
    import_job = ImportJob.objects.create(
        kind="plan",
        file=SimpleUploadedFile("plan.csv", b"a,b\n1,2\n"),
        file_name="plan.csv",
        status="previewed",
        preview={"kind": "plan", "rows": [], "file_errors": [], "notes": [], "applied": False},
        created_by=secretariat,
    )
    account_tokens.create_token(personas["focal_point_a"], "walk")  # revoked by the walk
    _walk_session()
    invitation = people_invitations.do_invite(
        people_invitations.InvitationDraft(
            email="newcomer@example.org",
            first_name="Salma",
            last_name="Alaoui",
            role="focal_point",
            language="fr",
            institution=ministry_a,
        ),
        acting_user=secretariat,
    )
    return World(
        invitation=invitation,
        invitation_key=people_invitations.link_key(invitation),
        import_job=import_job,
        meeting_pk=workshop.pk,
        criterion_pk=criterion.pk,
        card=card,
        process=process,
        proposal=proposal,
        comment=Comment.objects.filter(proposal__process=process).order_by("pk").first()
        or _no("comment"),
        attachment_pk=proposal.attachments.get().pk,
        theme=Theme.objects.filter(process=process).order_by("pk").first() or _no("theme"),
        plan=plan,
        commitment_a=commitments[0],
        activity_a=activity_a,
        activity_b=activity_b,
        update_a=updates[0],
        update_b=updates[1],
        submitted_a=updates[2],
        evidence_a=evidences[0],
        evidence_b=evidences[1],
        meeting=meeting,
        draft_meeting=draft,
        committee=meeting.committee,
        document=_with_file(CommitteeDocument.objects.filter(committee=meeting.committee).first()),
        change=ChangeRequest.objects.order_by("pk").first() or _no("change request"),
        action_item=ActionItem.objects.order_by("pk").first(),
        institution=ministry_a,
        report=ReportCycle.objects.order_by("pk").first() or _no("report"),
        stage=Stage.objects.filter(started_on=None).order_by("pk").first() or _no("stage"),
        report_file=ReportFile.objects.order_by("pk").first() or _no("report file"),
        published_report=_published_report(plan, meeting.committee, secretariat),
        review_comment=ReviewComment.objects.filter(resolution="open").order_by("pk").first()
        or _no("open review comment"),
        public_comment=public_comment,
    )


def _published_report(plan: ActionPlan, steering: Committee, secretariat: Any) -> ReportCycle:
    """A mid-term cycle of the demo plan, approved and published (the demo's own cycle
    stays under review), so that the published page and the submission form are walked."""
    demo = ReportCycle.objects.get(plan=plan, kind="end_of_term")
    first = demo.versions.get(number=1)
    cycle = report_actions.do_create_cycle(
        plan, "mid_term", 2022, acting_user=secretariat, snapshot=demo.snapshot
    )
    # The demo's version and its files, copied: rendering them again costs seconds.
    version = ReportVersion.objects.create(
        cycle=cycle,
        number=1,
        snapshot=first.snapshot,
        content=first.content,
        generated_at=first.generated_at,
    )
    ReportFile.objects.bulk_create(
        ReportFile(
            version=version,
            language=f.language,
            format=f.format,
            file=f.file.name,
            checksum=f.checksum,
            size=f.size,
        )
        for f in first.files.all()
    )
    day = datetime.date(2023, 6, 1)
    for key, days in ((StageKey.REVIEW, 7), (StageKey.CONSULT, 14)):
        stage = stage_of(cycle, key)
        assert stage is not None
        report_actions.do_start_stage(stage, acting_user=secretariat, on=day)
        day += datetime.timedelta(days=days)
        report_actions.do_complete_stage(stage, acting_user=secretariat, on=day)
    meeting = committee_actions.do_create_meeting(
        steering,
        acting_user=secretariat,
        starts_at=datetime.datetime(2023, 7, 10, 10, tzinfo=zoneinfo.ZoneInfo("Africa/Casablanca")),
        place_ar="الرباط",
    )
    # Fixture setup: in English, the demo's version still shows texts in Arabic (138
    # gaps, untranslated on purpose), which ``do_record_approval`` refuses. The approval
    # row is written directly, as if recorded before that rule: the walk needs a
    # published cycle, whose submission form then refuses the English gaps itself.
    Approval.objects.create(
        cycle=cycle,
        version=version,
        meeting=meeting,
        decided_on=report_publication.meeting_day(meeting),
        recorded_by=secretariat,
        recorded_at=meeting.starts_at,
    )
    report_publication.do_publish(cycle, acting_user=secretariat)
    return cycle


def _with_file(document: CommitteeDocument | None) -> CommitteeDocument | None:
    """The guide with a file, so that the walk asks its file view for one."""
    if document is not None and not document.file:
        document.file.save("guide.pdf", SimpleUploadedFile("guide.pdf", b"%PDF-1.4\n%%EOF\n"))
    return document


def _no(what: str) -> Any:
    raise AssertionError(f"The demo has no {what}")


def _walk_session() -> int:
    """A session of focal point A elsewhere: ended by their walk (then opened again for
    the next route), refused to everyone else (a 404)."""
    session, _created = UserSession.objects.get_or_create(
        session_key="walk-elsewhere",
        defaults={"user": User.objects.get(username="focal_a"), "ip": "192.0.2.1"},
    )
    return int(session.pk)


def _first_pk(model: Any) -> int:
    pk = model.objects.order_by("pk").values_list("pk", flat=True).first()
    return int(pk) if pk is not None else _no(model.__name__)


def _fillings(name: str, route: str, world: World) -> list[tuple[str, dict[str, str]]]:
    """(label, path parameters) to try for one route: real ids, ids of another
    institution where it means something, unknown and malformed ones."""
    params = re.findall(r"<(?:(\w+):)?(\w+)>", route)
    if not params:
        return [("plain", {})]
    names = [p[1] for p in params]
    pk_of: dict[str, list[tuple[str, int]]] = {
        "tracking:report_progress": [("own", world.activity_a.pk), ("other", world.activity_b.pk)],
        "tracking:propose_change": [("own", world.activity_a.pk), ("other", world.activity_b.pk)],
        "tracking:update_detail": [("own", world.update_a.pk), ("other", world.update_b.pk)],
        "tracking:edit_update": [("own", world.update_a.pk), ("other", world.update_b.pk)],
        "tracking:submit_update": [("own", world.update_a.pk), ("other", world.update_b.pk)],
        "tracking:validate_update": [("own", world.submitted_a.pk), ("other", world.update_b.pk)],
        "tracking:return_update": [("own", world.submitted_a.pk), ("other", world.update_b.pk)],
        "tracking:evidence_file": [("own", world.evidence_a.pk), ("other", world.evidence_b.pk)],
        "tracking:hand_over": [("own", world.commitment_a.pk)],
        "tracking:decide_change": [("own", world.change.pk)],
        "action_item_status": [("own", (world.action_item or world.meeting).pk)],
        "report_stage_plan": [("own", world.stage.pk)],
        "report_stage_start": [("own", world.stage.pk)],
        "report_stage_complete": [("own", world.stage.pk)],
        "report_file": [("own", world.report_file.pk)],
        # Published ("own") and not yet ("draft").
        "report_published": [("own", world.published_report.pk), ("draft", world.report.pk)],
        "report_submit": [("own", world.published_report.pk), ("draft", world.report.pk)],
        "report_review_resolve": [("own", world.review_comment.pk)],
        "import_job": [("own", world.import_job.pk)],
        "import_apply": [("own", world.import_job.pk)],
        "import_file": [("own", world.import_job.pk)],
        # Focal point A's: the others' attempts are 404s.
        "api_token_revoke": [("own", _first_pk(ApiToken))],
        "session_end": [("own", _walk_session())],
        # A pending invitation (the secretariat's walk resends and withdraws it).
        "invitation_resend": [("own", world.invitation.pk)],
        "invitation_withdraw": [("own", world.invitation.pk)],
    }
    if name in pk_of:
        good = pk_of[name]
    elif name.startswith("report_"):
        good = [("own", world.report.pk)]
    elif name.startswith("person_"):
        # The people pages: a focal point's account ("own", whose roles, institution and
        # sessions the secretariat changes) and the secretariat's own ("draft": it may
        # not deactivate itself nor drop its own role).
        good = [
            ("own", User.objects.get(username="focal_b").pk),
            ("draft", User.objects.get(username="secretariat").pk),
        ]
    elif name.startswith("meeting") or name.startswith(
        ("agenda", "decision", "snapshot", "minutes")
    ):
        good = [("own", world.meeting.pk), ("draft", world.draft_meeting.pk)]
    else:
        good = []
    fillings: list[tuple[str, dict[str, str]]] = []
    if name in ROUND_ROUTES:
        return _round_fillings(name, names, world)
    if name.startswith("cocreation:") and names != ["slug"]:
        return _cocreation_fillings(names, world)
    if name == "invitation_accept":  # an invitation's link: a real key, unknown ones
        return [
            ("own", {"key": world.invitation_key}),
            ("bad-key", {"key": "x" * 43}),
            ("garbage", {"key": "%00" + "x" * 300}),
        ]
    if names == ["key"]:  # allauth's e-mail confirmation link
        return [("bad-key", {"key": "no-such-key"}), ("garbage", {"key": "%00" + "x" * 300})]
    if names == ["uidb36", "key"]:  # allauth's password reset link
        return [("bad-key", {"uidb36": "zz", "key": "set-password"})]
    if names == ["pk"]:
        assert good, f"no ids for {name}"
        fillings = [(label, {"pk": str(pk)}) for label, pk in good]
        fillings.append(("missing", {"pk": str(MISSING)}))
        fillings.append(("huge", {"pk": "9" * 30}))
    elif names == ["slug"]:
        slug = {
            "plan_detail": world.plan.slug,
            "institution_detail": world.institution.slug,
            "plan_export": world.plan.slug,
            # The demo plan has no Canada tracker: the page answers 404 (no periods).
            "exchange_canada_export": world.plan.slug,
        }.get(name, world.process.slug if name.startswith("cocreation:") else world.committee.slug)
        fillings = [("own", {"slug": slug}), ("missing", {"slug": "no-such-thing"})]
    elif names == ["slug", "number"]:
        number = str(world.commitment_a.number)
        fillings = [
            ("own", {"slug": world.plan.slug, "number": number}),
            ("missing", {"slug": world.plan.slug, "number": str(MISSING)}),
            ("huge", {"slug": world.plan.slug, "number": "9" * 30}),
            ("missing-plan", {"slug": "no-such-plan", "number": number}),
        ]
    elif names == ["slug", "version"]:
        version = str(world.document.version) if world.document else "1"
        fillings = [
            ("own", {"slug": world.committee.slug, "version": version}),
            ("missing", {"slug": world.committee.slug, "version": str(MISSING)}),
            ("huge", {"slug": world.committee.slug, "version": "9" * 30}),
        ]
    elif names == ["kind", "pk"]:
        fillings = [
            ("own", {"kind": "plans.activity", "pk": str(world.activity_a.pk)}),
            ("draft", {"kind": "committees.meeting", "pk": str(world.draft_meeting.pk)}),
            ("missing", {"kind": "plans.activity", "pk": str(MISSING)}),
            ("huge", {"kind": "plans.activity", "pk": "9" * 30}),
            ("missing-plan", {"kind": "plans.nothing", "pk": str(world.activity_a.pk)}),
        ]
    elif names == ["pk", "comment"]:  # a consultation comment, under its report's id
        report, own = str(world.report.pk), str(world.public_comment.pk)
        fillings = [
            ("own", {"pk": report, "comment": own}),
            ("missing", {"pk": report, "comment": str(MISSING)}),
            ("huge", {"pk": report, "comment": "9" * 30}),
            ("missing-plan", {"pk": str(MISSING), "comment": own}),
        ]
    elif names == ["token"]:  # a consultation comment's verification link
        fillings = [
            ("bad-token", {"token": "no-such-token"}),
            ("garbage", {"token": "x" * 300}),
            ("nul", {"token": "%00"}),  # PostgreSQL refuses a NUL in a query
        ]
    elif names == ["table", "fmt"]:  # an open-data file
        fillings = [
            ("own", {"table": "progress_updates", "fmt": "csv"}),
            ("own", {"table": "meetings", "fmt": "xlsx"}),
            ("own", {"table": "minutes", "fmt": "json"}),
            ("missing", {"table": "no-such-table", "fmt": "csv"}),
            ("missing-plan", {"table": "commitments", "fmt": "exe"}),
        ]
    elif names == ["uidb64", "token"]:
        fillings = [
            ("bad-token", {"uidb64": "MTIzNDU2", "token": "set-password"}),
            ("garbage", {"uidb64": "%00%ff", "token": "x" * 300}),
        ]
    else:
        raise AssertionError(f"Cannot fill {route} ({name})")
    return fillings


def _cocreation_fillings(names: list[str], world: World) -> list[tuple[str, dict[str, str]]]:
    slug, number = world.process.slug, str(world.proposal.number)
    own = {"slug": slug}
    if names == ["slug", "number"]:
        return [
            ("own", {**own, "number": number}),
            ("missing", {**own, "number": str(MISSING)}),
            ("huge", {**own, "number": "9" * 30}),
            ("missing-plan", {"slug": "no-such-process", "number": number}),
        ]
    if names == ["slug", "order"]:
        return [
            ("own", {**own, "order": "2"}),
            ("missing", {**own, "order": str(MISSING)}),
            ("missing-plan", {"slug": "no-such-process", "order": "2"}),
        ]
    if names == ["slug", "pk"]:
        return [
            ("own", {**own, "pk": str(world.theme.pk)}),
            ("missing", {**own, "pk": str(MISSING)}),
            ("huge", {**own, "pk": "9" * 30}),
        ]
    if names == ["slug", "number", "pk"]:
        comment, attachment = str(world.comment.pk), str(world.attachment_pk)
        commented = str(world.comment.proposal.number)
        return [
            ("own", {**own, "number": commented, "pk": comment}),
            ("draft", {**own, "number": number, "pk": attachment}),
            ("missing", {**own, "number": number, "pk": str(MISSING)}),
            ("huge", {**own, "number": "9" * 30, "pk": "9" * 30}),
        ]
    raise AssertionError(f"Cannot fill co-creation route parameters {names}")


def _round_world(
    process: Process, institution: Institution, secretariat: Any
) -> tuple[ParticipatoryMeeting, Criterion, CommitmentCard]:
    """A meeting to come, a criterion and a card in draft (with its first version) in
    the demo's process: written directly, the demo's phase opening neither scoring nor
    drafting."""
    now = timezone.now()
    meeting = ParticipatoryMeeting.objects.create(
        process=process,
        kind="workshop",
        scope="regional",
        format="in_person",
        title_ar="ورشة جهوية",
        place="الرباط",
        capacity=50,
        starts_at=now + datetime.timedelta(days=30),
        created_at=now,
    )
    criterion = Criterion.objects.create(process=process, name_ar="الأثر", weight=2)
    card = CommitmentCard.objects.create(
        process=process,
        number=1,
        title="بطاقة",
        lead_institution=institution,
        created_at=now,
        updated_at=now,
    )
    CardVersion.objects.create(
        card=card, number=1, content={"title": "بطاقة"}, saved_at=now, saved_by=secretariat
    )
    return meeting, criterion, card


# Routes of the meetings, prioritisation, cards and adoption (their own ids).
ROUND_ROUTES = {
    "cocreation:meeting",
    "cocreation:meeting_edit",
    "cocreation:meeting_register",
    "cocreation:meeting_cancel",
    "cocreation:meeting_attendance",
    "cocreation:meeting_capture",
    "cocreation:criterion_edit",
    "cocreation:card",
    "cocreation:card_edit",
    "cocreation:card_version",
    "cocreation:card_comment",
    "cocreation:card_submit",
    "cocreation:card_validate",
    "cocreation:card_return",
}


def _round_fillings(name: str, names: list[str], world: World) -> list[tuple[str, dict[str, str]]]:
    own = {"slug": world.process.slug}
    if names == ["slug", "pk"]:
        pk = world.criterion_pk if name == "cocreation:criterion_edit" else world.meeting_pk
        return [
            ("own", {**own, "pk": str(pk)}),
            ("missing", {**own, "pk": str(MISSING)}),
            ("huge", {**own, "pk": "9" * 30}),
            ("missing-plan", {"slug": "no-such-process", "pk": str(pk)}),
        ]
    number = str(world.card.number)
    if names == ["slug", "number"]:
        return [
            ("own", {**own, "number": number}),
            ("missing", {**own, "number": str(MISSING)}),
            ("huge", {**own, "number": "9" * 30}),
            ("missing-plan", {"slug": "no-such-process", "number": number}),
        ]
    if names == ["slug", "number", "version"]:
        return [
            ("own", {**own, "number": number, "version": "1"}),
            ("missing", {**own, "number": number, "version": str(MISSING)}),
            ("huge", {**own, "number": "9" * 30, "version": "9" * 30}),
        ]
    raise AssertionError(f"Cannot fill {name} ({names})")


def _path(route: str, params: dict[str, str]) -> str:
    path = route
    for key, value in params.items():
        path = re.sub(rf"\(\?P<{key}>[^)]*\)", value, path)  # a regex route (allauth's)
        path = re.sub(rf"<(?:\w+:)?{key}>", value, path)
    return "/" + path.replace("^", "").replace("$", "")


def _baseline(html: str) -> dict[str, str]:
    reader = FormReader()
    reader.feed(html)
    return {
        k: v
        for k, v in reader.values.items()
        if k not in ("csrfmiddlewaretoken", "viewport", "description") and v
    }


def _field_names(html: str) -> list[str]:
    names = set(re.findall(r'name="([^"]+)"', html))
    return sorted(names - {"csrfmiddlewaretoken", "next", "viewport", "description"})


def _hostile_bodies(fields: list[str], count: int) -> list[dict[str, Any]]:
    bodies = []
    for shift in range(count):
        body: dict[str, Any] = {}
        for i, field in enumerate(fields):
            if field in FILE_FIELDS:
                body[field] = _hostile_file(shift)
            else:
                body[field] = HOSTILE[(i + shift) % len(HOSTILE)]
        bodies.append(body)
    return bodies


def _hostile_file(shift: int) -> Any:
    files = [
        ("<script>.pdf", b"not a pdf"),
        ("evil\u202egpj.exe", b"MZ\x00\x00"),
        ("proof.pdf", b"%PDF-1.4\n%\xe2\xe3\n"),
        ("a" * 400 + ".docx", b"PK\x03\x04broken zip"),
    ]
    name, content = files[shift % len(files)]
    return SimpleUploadedFile(name, content)


def _counts() -> tuple[int, ...]:
    return tuple(model.objects.count() for model in WATCHED)


def _outside_participation(counts: tuple[int, ...]) -> tuple[int, ...]:
    """The counts of what no citizen writes (participation and its audit rows left out)."""
    left_out = {*PARTICIPATION, AuditLog}
    return tuple(n for model, n in zip(WATCHED, counts, strict=True) if model not in left_out)


def _client(user: Any) -> Client:
    client = Client(raise_request_exception=False)
    if not isinstance(user, AnonymousUser):
        client.force_login(user)
    return client


@pytest.fixture
def world(personas, ministry_a, ministry_b, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return _build_world(personas, ministry_a, ministry_b)


def _is_refusal(response: Any) -> bool:
    if response.status_code in (400, 403, 404, 405, 422):
        return True
    return response.status_code == 302 and "/accounts/login/" in response.get("Location", "")


# A route of the site, and how to request it: (route, name).
API_PREFIX = "api/v1/"
API_ROUTES = {
    "api:api-root",
    "api:openapi-json",
    "api:openapi-view",
    "api:list_plans",
    "api:get_plan",
    "api:list_commitments",
    "api:list_all_commitments",
    "api:get_commitment",
    "api:list_commitment_updates",
    "api:list_commitment_flags",
    "api:list_institutions",
    "api:list_meetings",
    "api:get_meeting",
    "api:get_snapshot",
    "api:list_reports",
    "api:get_report",
    "api:list_processes",
    "api:list_proposals",
    "api:list_cards",
    "api:search",
    # The write API (token only: a session is a 401, see test_the_write_api_never_fails).
    "api:write_create_update",
    "api:write_add_evidence",
    "api:write_submit_update",
    "api:write_list_submitted_updates",
    "api:write_get_update",
    "api:write_validate_update",
    "api:write_return_update",
}


def _site_routes() -> list[tuple[str, str]]:
    """Every page's route; i18n_patterns' prefix reads as the active language ("ar/")."""
    return [(route, name) for route, name in site_patterns() if not route.startswith(API_PREFIX)]


def test_every_post_checks_csrf(personas, world):
    """No form posts without its CSRF token (the report and edit views are csrf_exempt
    only to put the upload size limit first, and check the token themselves)."""
    client = Client(enforce_csrf_checks=True, raise_request_exception=False)
    client.force_login(personas["secretariat"])
    focal = Client(enforce_csrf_checks=True, raise_request_exception=False)
    focal.force_login(personas["focal_point_a"])
    for route, name in _site_routes():
        for label, params in _fillings(name, route, world):
            if label not in GOOD and label != "plain":
                continue
            path = _path(route, params)
            for who in (client, focal):
                before = _counts()
                response = who.post(path, {"reason": "x", "progress": "50"})
                assert response.status_code in (403, 405) or (
                    response.status_code == 200 and name in READ_ONLY_POSTS
                ), f"{path}: {response.status_code}"
                assert _counts() == before, path


@pytest.mark.parametrize(
    "next_url",
    ["https://evil.example/", "//evil.example/", "/\\evil.example/", "javascript:alert(1)"],
)
def test_it_never_redirects_off_site(personas, world, next_url):
    client = Client(raise_request_exception=False)
    response = client.post(
        f"/ar/accounts/login/?next={next_url}",
        {"login": personas["citizen"].username, "password": PASSWORD},
    )
    assert response.status_code == 302 and "evil.example" not in response["Location"]
    assert not response["Location"].startswith("javascript:")
    response = client.post("/i18n/setlang/", {"language": "fr", "next": next_url})
    assert response.status_code == 302 and "evil.example" not in response["Location"]
    assert not response["Location"].startswith("javascript:")
    sec = _client(personas["secretariat"])
    response = sec.post(
        f"/ar/tracking/updates/{world.submitted_a.pk}/validate/", {"next": next_url}
    )
    assert response.status_code == 302 and "evil.example" not in response["Location"]


def test_it_knows_every_url_pattern(world):
    for route, name in _site_routes():
        assert _fillings(name, route, world), route


# Personas that may write share a fresh demo each; the others, who can change little,
# share one (the walk of a persona is not a unit: a failure names its persona).
GROUPS = [
    ("anonymous", "citizen", "focal_point_b", "committee_member", "translator"),
    ("focal_point_a",),
    ("secretariat",),
    ("superuser",),
]
assert sorted(p for group in GROUPS for p in group) == sorted(PERSONAS)


@pytest.mark.parametrize("group", GROUPS, ids=lambda g: "+".join(g))
def test_it_never_fails_on_any_page(group, personas, world):
    form_viewers = [_client(personas[p]) for p in ("secretariat", "focal_point_a")]
    scraped: dict[str, tuple[set[str], dict[str, str]]] = {}
    failures: list[str] = []
    total = 0
    for persona in group:
        cases = _walk(persona, _client(personas[persona]), form_viewers, scraped, world, failures)
        print(f"{persona}: {cases} cases")
        total += cases
    assert not failures, "\n".join(failures[:40])
    # Four eyes, whatever the walk did: nobody decided their own work.
    assert not ProgressUpdate.objects.filter(decided_by=F("author")).exists()
    assert not ChangeRequest.objects.filter(decided_by=F("proposed_by")).exists()
    assert not ReviewComment.objects.filter(resolved_by=F("author")).exists()


def _walk(
    persona: str,
    client: Client,
    form_viewers: list[Client],
    scraped: dict[str, tuple[set[str], dict[str, str]]],
    world: World,
    failures: list[str],
) -> int:
    """Request every page as ``persona``; return how many requests were made."""
    cases = 0
    for route, name in _site_routes():
        for label, params in _fillings(name, route, world):
            path = _path(route, params)
            if name in SIGNS_OUT:
                continue  # it would sign the persona out for the rest of the walk
            if name in DOWNLOADS and (label not in GOOD or persona not in DOWNLOADERS):
                continue
            response = client.get(path)
            cases += 1
            if response.status_code >= 500:
                failures.append(f"GET {path} as {persona} ({label}): {response.status_code}")
            if name in DOWNLOADS:
                continue  # laid out in seconds; the unknown ids are those of the HTML page
            # Nothing the Content-Security-Policy refuses (sharaka/csp.py), admin included.
            if response.status_code == 200 and "html" in response.get("Content-Type", ""):
                found = inline_code(response.content.decode())
                failures += [f"GET {path} as {persona}: {item}" for item in found[:3]]
            if label in ("missing", "huge", "missing-plan") and response.status_code not in (
                302,
                403,
                404,
                405,
            ):
                failures.append(f"GET {path} as {persona} ({label}): {response.status_code}")
            # Hostile query parameters (filters, pages, periods, languages, next=).
            if label in GOOD or label == "plain":
                response = client.get(path, HOSTILE_QUERY)
                cases += 1
                if response.status_code >= 500:
                    failures.append(f"GET {path}?<hostile> as {persona} ({label}): 500")
                location = response.get("Location", "")
                if response.status_code == 302 and "evil.example" in location.split("?")[0]:
                    failures.append(f"GET {path}?next=… as {persona} leaves the site: {location}")
            # The form's field names, as those who may use it see the page.
            if path not in scraped:
                scraped[path] = _scrape(path, label, name, form_viewers)
            fields, baseline = scraped[path]
            hostile = 4 if persona in WRITERS and label in GOOD else 1
            bodies = [{}, *_hostile_bodies(sorted(fields), hostile if fields else 0)]
            if baseline and persona in WRITERS:
                # One bad field at a time in an otherwise valid form.
                for j, field in enumerate(_representatives(fields)):
                    if field in FILE_FIELDS:
                        values: list[Any] = [_hostile_file(k) for k in range(4)]
                    else:
                        # Overflowing and odd digits for every field, and two more of
                        # the hostile values in turn (the megabyte among them).
                        values = [HOSTILE[8], HOSTILE[9]] + [
                            HOSTILE[(2 * j + k) % len(HOSTILE)] for k in range(2)
                        ]
                    for value in values:
                        bodies.append({**baseline, field: value})
            for i, body in enumerate(bodies):
                before = _counts()
                # Every other request as htmx would send it (the queue's rows).
                headers = {"HX-Request": "true"} if i % 2 else {}
                response = client.post(path, body, headers=headers)
                cases += 1
                status = response.status_code
                what = f"POST {path} as {persona} ({label}, {sorted(body)[:4]})"
                if os.environ.get("ROBUSTNESS_DEBUG"):  # every request and its status
                    print(status, path, persona, label, {k: str(v)[:20] for k, v in body.items()})
                if status >= 500:
                    failures.append(f"{what}: {status}")
                    continue
                after = _counts()
                if _is_refusal(response) and after != before:
                    failures.append(f"{what}: refused with {status} but wrote to the database")
                # Any account takes part in the co-creation (audited); the public changes
                # nothing.
                if persona in WRITES_NOTHING and (
                    _outside_participation(after) != _outside_participation(before)
                    or (persona == "anonymous" and after != before)
                ):
                    failures.append(f"{what}: {persona} may change nothing, yet did")
                if label in ("missing", "huge", "missing-plan") and status not in (
                    302,
                    403,
                    404,
                    405,
                ):
                    failures.append(f"{what}: {status} for an unknown object")
    return cases


def _representatives(fields: set[str]) -> list[str]:
    """The fields to vary one by one: of ``member_1`` … ``member_40`` (one per member or
    row, all alike), the first two only."""
    seen: dict[str, int] = {}
    chosen = []
    for field in sorted(fields, key=lambda f: (re.sub(r"\d+", "N", f), len(f), f)):
        shape = re.sub(r"\d+", "N", field)
        seen[shape] = seen.get(shape, 0) + 1
        if seen[shape] <= 2:
            chosen.append(field)
    return chosen


def _scrape(
    path: str, label: str, name: str, viewers: list[Client]
) -> tuple[set[str], dict[str, str]]:
    """The form's field names and a valid-looking body, as those who may use it see it."""
    fields = set(EXTRA_FIELDS.get(name, ()))
    baseline: dict[str, str] = {}
    if label in GOOD:
        for viewer in viewers:
            page = viewer.get(path)
            if (
                page.status_code == 200
                and not getattr(page, "streaming", False)
                and page["Content-Type"].startswith("text/html")
            ):
                html = page.content.decode(errors="replace")
                fields |= set(_field_names(html))
                baseline = baseline or _baseline(html)
    return fields, baseline


API_CASES = [
    "",
    "?lang=xx",
    "?limit=-1",
    "?limit=abc",
    "?offset=-3",
    f"?offset={10**12}",
    f"?offset={10**30}",
    f"?limit={10**30}",
    "?lang=%00",
]


UNPARAMETERISED = ("/api/v1/", "/api/v1/openapi.json", "/api/v1/docs")


def _paginated(path: str) -> bool:
    return path.endswith(
        (
            "/plans",
            "/commitments",
            "/flags",
            "/updates",
            "/institutions",
            "/meetings",
            "/reports",
            "/cocreation",
            "/proposals",
            "/cards",
        )
    )


@pytest.mark.parametrize("persona", ["anonymous", "secretariat"])
def test_it_answers_every_api_endpoint_in_json(persona, personas, world):
    api_routes = {name for route, name in site_patterns() if route.startswith(API_PREFIX)}
    assert api_routes == API_ROUTES, "a new endpoint: add it below"
    client = _client(personas[persona])
    paths = [
        "/api/v1/",
        "/api/v1/openapi.json",
        "/api/v1/docs",
        "/api/v1/plans",
        f"/api/v1/plans/{world.plan.slug}",
        "/api/v1/plans/no-such-plan",
        f"/api/v1/plans/{world.plan.slug}/commitments",
        "/api/v1/plans/no-such-plan/commitments",
        f"/api/v1/plans/{world.plan.slug}/flags",
        "/api/v1/plans/no-such-plan/flags",
        "/api/v1/commitments",
        f"/api/v1/commitments?plan={world.plan.slug}&flag=overdue&as_of=2022-06-30",
        f"/api/v1/commitments/{world.commitment_a.pk}",
        f"/api/v1/commitments/{world.commitment_a.pk}?as_of=0001-01-01",
        f"/api/v1/commitments/{MISSING}",
        f"/api/v1/commitments/{'9' * 30}",
        "/api/v1/commitments/abc",
        f"/api/v1/commitments/{world.commitment_a.pk}/updates",
        f"/api/v1/commitments/{MISSING}/updates",
        f"/api/v1/commitments/{'9' * 30}/updates",
        "/api/v1/commitments/abc/updates",
        "/api/v1/institutions",
        "/api/v1/meetings",
        f"/api/v1/meetings/{world.meeting.pk}",
        f"/api/v1/meetings/{world.draft_meeting.pk}",
        f"/api/v1/meetings/{MISSING}",
        f"/api/v1/meetings/{'9' * 30}",
        "/api/v1/meetings/abc",
        f"/api/v1/meetings/{world.meeting.pk}/snapshot",
        f"/api/v1/meetings/{MISSING}/snapshot",
        f"/api/v1/meetings/{'9' * 30}/snapshot",
        "/api/v1/meetings/abc/snapshot",
        "/api/v1/reports",
        f"/api/v1/reports/{world.report.pk}",
        f"/api/v1/reports/{MISSING}",
        f"/api/v1/reports/{'9' * 30}",
        "/api/v1/reports/abc",
        "/api/v1/cocreation",
        f"/api/v1/cocreation/{world.process.slug}/proposals",
        f"/api/v1/cocreation/{world.process.slug}/cards",
        "/api/v1/cocreation/no-such-process/proposals",
        "/api/v1/cocreation/no-such-process/cards",
        "/api/v1/search?q=%D8%A7%D9%84%D8%B4%D9%81%D8%A7%D9%81%D9%8A%D9%87&lang=fr",
        "/api/v1/search?q=%3Cscript%3E%00&kind=xx&page=0",
        f"/api/v1/search?q={'x' * 10_000}&kind=minutes&page={'9' * 30}",
        "/api/v1/updates/submitted",
        f"/api/v1/updates/{world.submitted_a.pk}",
    ]
    failures = []
    for path in paths:
        for query in API_CASES:
            if "?" in path:
                query = query.replace("?", "&", 1)
            response = client.get(path + query)
            if response.status_code >= 500:
                failures.append(f"{path}{query}: {response.status_code}")
                continue
            if response.status_code >= 400 and path != "/api/v1/":
                # (ninja's root is no endpoint: a plain 404 page pointing at the docs)
                assert response["Content-Type"].startswith("application/json"), path + query
            elif query not in ("", f"?offset={10**12}", f"&offset={10**12}") and (
                ("lang" in query and path not in UNPARAMETERISED) or _paginated(path.split("?")[0])
            ):
                failures.append(f"{path}{query}: {response.status_code} for a bad parameter")
        if "no-such" in path or str(MISSING) in path or "abc" in path or "9" * 30 in path:
            response = client.get(path)
            if response.status_code not in (404, 422):
                failures.append(f"{path}: {response.status_code} for an unknown object")
    assert not failures, "\n".join(failures)


def test_evidence_files_are_served_only_to_those_who_may_see_them(personas, world):
    """A draft's file: its author only. A submitted one: its author, the secretariat
    (and the commitment's focal point). Everyone else: 404, as if it did not exist."""
    allowed = {
        world.evidence_a.pk: {"focal_point_a"},
        world.evidence_b.pk: {"focal_point_b", "secretariat", "superuser"},
    }
    for persona in PERSONAS:
        client = _client(personas[persona])
        for pk, who in allowed.items():
            response = client.get(f"/ar/tracking/evidence/{pk}/")
            expected = 200 if persona in who else 404
            assert response.status_code == expected, (persona, pk, response.status_code)


# The write API, with each persona's own token (anonymous: none; a citizen holds none).
WRITE_API_PERSONAS = [p for p in PERSONAS if p not in ("anonymous", "citizen")]


def _write_api_requests(world: World) -> list[tuple[str, str, Any]]:
    """(label, path, body) of every write endpoint: real, unknown and huge ids, valid
    and hostile bodies (JSON, or multipart for evidence)."""
    good = {
        "progress": 50,
        "narrative": "تقدم",
        "language": "ar",
        "reported_on": world.plan.period_start.isoformat(),
        "links": ["https://example.org/a"],
    }
    bodies: list[Any] = [good, {}, "{not json", []]
    for shift, field in enumerate(good):
        for k in range(3):
            bodies.append({**good, field: HOSTILE[(shift * 3 + k) % len(HOSTILE)]})
    bodies.append({**good, "progress": 10**30, "submit": "yes", "token": "x"})
    evidence: list[Any] = (
        [{"file": _hostile_file(k)} for k in range(4)]
        + [{"url": value} for value in HOSTILE[1:4]]
        + [{"url": "https://example.org/b"}]
    )
    requests: list[tuple[str, str, Any]] = []
    for label, activity in (
        ("own", world.activity_a.pk),
        ("other", world.activity_b.pk),
        ("missing", MISSING),
        ("huge", "9" * 30),
    ):
        for body in bodies if label == "own" else [good]:
            requests.append((label, f"/api/v1/activities/{activity}/updates", body))
    for label, update in (
        ("own", world.update_a.pk),
        ("submitted", world.submitted_a.pk),
        ("other", world.update_b.pk),
        ("missing", MISSING),
        ("huge", "9" * 30),
    ):
        requests.append((label, f"/api/v1/updates/{update}", None))
        for body in evidence if label == "own" else evidence[-1:]:
            requests.append((label, f"/api/v1/updates/{update}/evidence", body))
        for reason in ({"reason": "سبب"}, {"reason": HOSTILE[0]}, {"reason": HOSTILE[6]}, {}):
            requests.append((label, f"/api/v1/updates/{update}/return", reason))
        requests.append((label, f"/api/v1/updates/{update}/validate", {}))
        requests.append((label, f"/api/v1/updates/{update}/submit", {}))
    requests.append(("plain", "/api/v1/updates/submitted?limit=abc&offset=-1", None))
    requests.append(("plain", "/api/v1/updates/submitted", None))
    return requests


@pytest.mark.parametrize("persona", WRITE_API_PERSONAS)
def test_the_write_api_never_fails(persona, personas, world):
    """Every write endpoint, as each persona with their token: never a 500, always JSON,
    an unknown object a 404 (or a 422 for an id out of range), and a refusal writes
    nothing."""
    _row, clear = account_tokens.create_token(personas[persona], "walk")
    client = Client(raise_request_exception=False)
    headers = {"Authorization": f"Bearer {clear}"}
    failures = []
    from django.core.cache import cache

    for label, path, body in _write_api_requests(world):
        cache.clear()  # the rate limit is tested on its own
        before = _counts()
        if body is None:
            response = client.get(path, headers=headers)
        elif path.endswith("/evidence"):
            response = client.post(path, body, headers=headers)
        else:
            data = body if isinstance(body, str) else json.dumps(body)
            response = client.post(path, data, content_type="application/json", headers=headers)
        status = response.status_code
        what = f"{path} as {persona} ({label}): {status}"
        if status >= 500:
            failures.append(what)
            continue
        if not response["Content-Type"].startswith("application/json"):
            failures.append(f"{what} is not JSON")
        if status >= 400 and _counts() != before:
            failures.append(f"{what}: refused but wrote to the database")
        if label in ("missing", "huge") and status not in (404, 422):
            failures.append(f"{what} for an unknown object")
    assert not failures, "\n".join(failures[:40])
    assert not ProgressUpdate.objects.filter(decided_by=F("author")).exists()


# A person's own data (apps/people): no id in the address, so nobody reaches another's.
OWN_DATA_PAGES = ("/ar/account/data/", "/ar/account/data/download/")


@pytest.mark.parametrize("persona", PERSONAS)
def test_each_person_reaches_their_own_data_and_nobody_else_s(persona, personas):
    user = personas[persona]
    client = _client(user)
    others = [personas[p] for p in PERSONAS if p not in ("anonymous", persona)]
    for path in OWN_DATA_PAGES:
        response = client.get(path)
        if persona == "anonymous":
            assert response.status_code == 302 and "/accounts/login/" in response["Location"]
            continue
        assert response.status_code == 200, (persona, path)
        # Whatever the query asks for, the answer is the signed-in person's.
        for other in others[:2]:
            asked = client.get(path, {"user": other.pk, "username": other.username, "pk": other.pk})
            assert asked.status_code == 200
            assert other.email not in asked.content.decode(), (persona, path, other)
        if path.endswith("download/"):
            assert json.loads(response.content)["account"]["username"] == user.username
    # Erasing needs one's own password; another person's password erases nobody.
    if persona != "anonymous":
        before = _counts()
        client.post("/ar/account/data/erase/", {"password": "not " + PASSWORD})
        assert _counts() == before
        user.refresh_from_db()
        assert user.is_active and user.username != f"former-user-{user.pk}"
