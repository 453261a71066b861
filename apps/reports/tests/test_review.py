"""The committees' review of the report: members comment per section and per commitment
of the latest version while the review stage is open; the secretariat resolves every
comment (never its own) before the stage can close."""

from __future__ import annotations

import datetime
import uuid

import pytest
import rules
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from apps.accounts.models import User
from apps.accounts.roles import Role
from apps.accounts.tests.personas import PERSONAS
from apps.core.models import AuditLog
from apps.plans.models import Commitment
from apps.plans.tests.factories import make_plan
from apps.reports import actions, review
from apps.reports.actions import ReportError
from apps.reports.models import (
    COMMENT_MAX_LENGTH,
    CycleKind,
    Publication,
    Resolution,
    ReviewComment,
    Section,
    StageKey,
)
from apps.reports.stages import stage_of

pytestmark = pytest.mark.django_db

MEMBERS = {"committee_member", "committee_chair"}
SECRETARIAT = {"secretariat", "superuser"}


@pytest.fixture(autouse=True)
def english():
    """Actions' messages read in English here; the pages choose their language by URL."""
    with translation.override("en"):
        yield


@pytest.fixture
def cycle(demo_cycle):
    """The demo's cycle, its review stage open since 29 May 2023, without the demo's
    comments (each test writes its own)."""
    ReviewComment.objects.filter(cycle=demo_cycle).delete()
    return demo_cycle


def other_plan():
    return make_plan(member_ar="تونس", member_fr="Tunisie", member_en="Tunisia")


def first_commitment(cycle) -> Commitment:
    return Commitment.objects.get(plan=cycle.plan, number=1)


def comment(cycle, user, body="تعليق", section=Section.INTRODUCTION, commitment=None, **kw):
    return review.do_comment_review(
        cycle, section=section, commitment=commitment, body=body, acting_user=user, **kw
    )


def resolve_all(cycle, user) -> None:
    for item in ReviewComment.objects.filter(cycle=cycle, resolution=Resolution.OPEN):
        review.do_resolve_review(
            item, resolution=Resolution.ANSWERED, response="الجواب", acting_user=user
        )


def complete_review(cycle, user) -> None:
    stage = stage_of(cycle, StageKey.REVIEW)
    assert stage is not None
    actions.do_complete_stage(stage, acting_user=user)


# Actions ------------------------------------------------------------------------------


def test_a_member_comments_on_a_section_and_a_commitment_of_the_latest_version(
    cycle, committee_member, secretariat
):
    job = actions.do_request_generation(cycle, acting_user=secretariat, enqueue=False)
    latest = actions.run_generation(job.pk)
    assert latest is not None and latest.number == 2
    general = comment(cycle, committee_member, "  يحتاج التقرير إلى خلاصة.\n ", Section.GENERAL)
    on_one = comment(
        cycle, committee_member, "النسبة غير دقيقة", Section.COMMITMENT, first_commitment(cycle)
    )
    assert general.version == latest and on_one.version == latest
    assert general.body == "يحتاج التقرير إلى خلاصة." and general.commitment is None
    assert on_one.commitment == first_commitment(cycle) and on_one.is_open
    row = AuditLog.objects.get(action="report.comment_review", target_id=on_one.pk)
    assert row.actor == committee_member and row.after["commitment"] == 1


def test_a_section_comment_names_no_commitment(cycle, committee_member):
    made = comment(
        cycle, committee_member, section=Section.LESSONS, commitment=first_commitment(cycle)
    )
    assert made.commitment is None


def test_the_same_form_posted_twice_makes_one_comment(cycle, committee_member):
    token = uuid.uuid4()
    first = comment(cycle, committee_member, token=token)
    second = comment(cycle, committee_member, token=token)
    assert first == second and ReviewComment.objects.filter(cycle=cycle).count() == 1


@pytest.mark.parametrize(
    ("section", "target", "body", "message"),
    [
        (Section.COMMITMENT, None, "x", "Choose a commitment of the version under review."),
        (Section.COMMITMENT, "other-plan", "x", "Choose a commitment of the version under review."),
        (
            Section.COMMITMENT,
            "not-in-version",
            "x",
            "Choose a commitment of the version under review.",
        ),
        ("chapter-9", None, "x", "Choose a section of the report."),
        (Section.GENERAL, None, " \n\t ", "Write a comment."),
        (Section.GENERAL, None, "x" * (COMMENT_MAX_LENGTH + 1), "at most 5000 characters"),
    ],
)
def test_it_refuses_a_comment_on_nothing_or_too_long(
    cycle, committee_member, section, target, body, message
):
    commitment = None
    if target == "other-plan":
        commitment = Commitment.objects.create(plan=other_plan(), number=1, title="Other")
    elif target == "not-in-version":
        commitment = Commitment.objects.create(plan=cycle.plan, number=99, title="Added later")
    with pytest.raises(ReportError, match=message):
        comment(cycle, committee_member, body, section, commitment)
    assert not ReviewComment.objects.filter(cycle=cycle).exists()


@pytest.mark.parametrize("persona", sorted(set(PERSONAS) - MEMBERS))
def test_only_members_of_the_committees_comment(cycle, personas, persona):
    with pytest.raises(ReportError):
        comment(cycle, personas[persona])
    assert not ReviewComment.objects.filter(cycle=cycle).exists()


def test_nobody_comments_before_or_after_the_review_stage(cycle, committee_member, secretariat):
    fresh = actions.do_create_cycle(other_plan(), CycleKind.MID_TERM, 2026, acting_user=secretariat)
    with pytest.raises(ReportError, match="only while the review stage is open"):
        comment(fresh, committee_member)
    complete_review(cycle, secretariat)
    with pytest.raises(ReportError, match="only while the review stage is open"):
        comment(cycle, committee_member)
    assert not ReviewComment.objects.exists()


def test_the_secretariat_resolves_a_comment_with_a_response(cycle, committee_member, secretariat):
    made = comment(cycle, committee_member)
    done = review.do_resolve_review(
        made, resolution=Resolution.ACCEPTED, response="  عُدّلت المقدمة. ", acting_user=secretariat
    )
    done.refresh_from_db()
    assert done.resolution == Resolution.ACCEPTED and done.response == "عُدّلت المقدمة."
    assert done.resolved_by == secretariat and done.resolved_at is not None
    assert AuditLog.objects.filter(action="report.resolve_review", target_id=made.pk).exists()


@pytest.mark.parametrize(
    ("resolution", "response", "message"),
    [
        (Resolution.ANSWERED, "   ", "Write the response"),
        (Resolution.OPEN, "x", "accepted with a change, or answered"),
        ("rejected", "x", "accepted with a change, or answered"),
        (Resolution.ANSWERED, "x" * (COMMENT_MAX_LENGTH + 1), "at most"),
    ],
)
def test_a_resolution_needs_a_kind_and_a_response(
    cycle, committee_member, secretariat, resolution, response, message
):
    made = comment(cycle, committee_member)
    with pytest.raises(ReportError, match=message):
        review.do_resolve_review(
            made, resolution=resolution, response=response, acting_user=secretariat
        )
    made.refresh_from_db()
    assert made.is_open and made.response == ""


def test_a_resolved_comment_is_not_resolved_again(cycle, committee_member, secretariat, superuser):
    made = comment(cycle, committee_member)
    review.do_resolve_review(made, resolution="answered", response="أ", acting_user=secretariat)
    with pytest.raises(ReportError, match="already resolved"):
        review.do_resolve_review(made, resolution="accepted", response="ب", acting_user=superuser)
    made.refresh_from_db()
    assert made.resolution == "answered" and made.response == "أ"


@pytest.mark.parametrize("persona", sorted(set(PERSONAS) - SECRETARIAT))
def test_only_the_secretariat_resolves(cycle, committee_member, personas, persona):
    made = comment(cycle, committee_member)
    with pytest.raises(ReportError):
        review.do_resolve_review(
            made, resolution="answered", response="x", acting_user=personas[persona]
        )
    made.refresh_from_db()
    assert made.is_open


def test_nobody_resolves_their_own_comment_not_even_a_superuser(cycle, superuser):
    superuser.groups.add(Group.objects.get_or_create(name=Role.COMMITTEE_MEMBER.value)[0])
    superuser = User.objects.get(pk=superuser.pk)
    made = comment(cycle, superuser)
    assert not superuser.has_perm("reports.resolve_review", made)
    with pytest.raises(ReportError, match="Someone else"):
        review.do_resolve_review(made, resolution="accepted", response="x", acting_user=superuser)
    made.refresh_from_db()
    assert made.is_open


def test_a_published_report_takes_no_resolution(cycle, committee_member, secretariat):
    made = comment(cycle, committee_member)
    # Publishing is part 7's action; the record is what freezes the cycle.
    Publication.objects.create(
        cycle=cycle, version=made.version, published_at=timezone.now(), published_by=secretariat
    )
    with pytest.raises(ReportError, match="published"):
        review.do_resolve_review(made, resolution="answered", response="x", acting_user=secretariat)
    with pytest.raises(ReportError, match="published"):
        comment(cycle, committee_member)


def test_the_review_closes_only_once_every_comment_is_resolved(
    cycle, committee_member, secretariat
):
    comment(cycle, committee_member)
    comment(cycle, committee_member, section=Section.ANNEX)
    with pytest.raises(ReportError, match="2 committee comments are not resolved"):
        complete_review(cycle, secretariat)
    first = ReviewComment.objects.filter(cycle=cycle).first()
    review.do_resolve_review(first, resolution="answered", response="x", acting_user=secretariat)
    with pytest.raises(ReportError, match="1 committee comment is not resolved"):
        complete_review(cycle, secretariat)
    resolve_all(cycle, secretariat)
    complete_review(cycle, secretariat)
    stage = stage_of(cycle, StageKey.REVIEW)
    assert stage is not None and stage.completed_on == timezone.localdate()


# Rules, every persona -----------------------------------------------------------------


def allowed(personas, perm, obj):
    return {name for name in PERSONAS if personas[name].has_perm(perm, obj)}


def test_the_committees_and_the_secretariat_see_the_review(cycle, personas):
    assert allowed(personas, "reports.view_review", cycle) == MEMBERS | SECRETARIAT


def test_members_comment_only_while_the_review_is_open(cycle, personas, secretariat):
    fresh = actions.do_create_cycle(other_plan(), CycleKind.MID_TERM, 2026, acting_user=secretariat)
    assert allowed(personas, "reports.comment_review", fresh) == set()  # not started
    assert allowed(personas, "reports.comment_review", cycle) == MEMBERS  # under way
    complete_review(cycle, secretariat)
    closed = type(cycle).objects.get(pk=cycle.pk)
    assert allowed(personas, "reports.comment_review", closed) == set()  # completed


def test_the_secretariat_resolves_what_it_did_not_write(cycle, personas, committee_member):
    made = comment(cycle, committee_member)
    assert allowed(personas, "reports.resolve_review", made) == SECRETARIAT


def test_every_review_permission_is_walked():
    review_perms = {"reports.view_review", "reports.comment_review", "reports.resolve_review"}
    assert review_perms <= set(rules.permissions.permissions)


# Pages -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lang", "heading", "direction"),
    [
        ("ar", "مقدمة وسياق", "rtl"),
        ("fr", "Introduction et contexte", "ltr"),
        ("en", "Introduction and context", "ltr"),
    ],
)
def test_the_review_page_in_each_language(
    demo_cycle, client, secretariat, lang, heading, direction
):
    client.force_login(secretariat)
    page = client.get(f"/{lang}/reports/{demo_cycle.pk}/review/").content.decode()
    assert f'dir="{direction}"' in page and heading in page
    assert "يستحسن أن تذكّر المقدمة" in page  # the demo's comments, with their dates
    assert "<bdi>2023-05-30</bdi>" in page and "<bdi>2023-06-08</bdi>" in page
    assert page.count('class="review-resolve') == 2  # the two open ones
    assert 'data-testid="open-count">' in page and "<bdi>2</bdi>" in page
    only_open = client.get(f"/{lang}/reports/{demo_cycle.pk}/review/?open=1").content.decode()
    assert "يستحسن أن تذكّر المقدمة" not in only_open and "ينبغي إبراز" in only_open
    detail = client.get(f"/{lang}/reports/{demo_cycle.pk}/").content.decode()
    assert f"/{lang}/reports/{demo_cycle.pk}/review/" in detail


def test_a_member_sees_a_form_per_section_and_commitment(demo_cycle, client):
    member = User.objects.get(username="demo-committee")
    client.force_login(member)
    page = client.get(f"/fr/reports/{demo_cycle.pk}/review/").content.decode()
    commitments = len(demo_cycle.versions.get().content["commitments"])
    assert page.count('class="review-form"') == 5 + commitments
    assert 'class="review-resolve' not in page


@pytest.mark.parametrize("persona", ["anonymous", "citizen", "focal_point_a", "translator"])
def test_the_public_does_not_see_the_review(demo_cycle, personas, client, persona):
    if persona != "anonymous":
        client.force_login(personas[persona])
    response = client.get(f"/en/reports/{demo_cycle.pk}/review/")
    assert response.status_code in (302, 403)
    assert "ينبغي إبراز" not in response.content.decode()
    detail = client.get(f"/en/reports/{demo_cycle.pk}/").content.decode()
    assert "/review/" not in detail
    posted = client.post(
        f"/en/reports/{demo_cycle.pk}/review/comment/", {"section": "general", "body": "x"}
    )
    assert posted.status_code in (302, 403) and "/review/#" not in posted.get("Location", "")
    assert ReviewComment.objects.count() == 3


@pytest.mark.parametrize(
    ("lang", "done"),
    [
        ("ar", "أضيف تعليقك."),
        ("fr", "Votre commentaire a été ajouté."),
        ("en", "Your comment was added."),
    ],
)
def test_a_member_comments_from_the_page(cycle, client, committee_member, lang, done):
    client.force_login(committee_member)
    number = first_commitment(cycle)
    body = {"section": "commitment", "commitment": number.pk, "body": "<script>alert(1)</script>"}
    response = client.post(f"/{lang}/reports/{cycle.pk}/review/comment/", body, follow=True)
    assert response.redirect_chain[-1][0].endswith(f"/review/#c{number.pk}")
    page = response.content.decode()
    assert done in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "<script>alert(1)" not in page
    made = ReviewComment.objects.get(cycle=cycle)
    assert made.commitment == number and made.body == "<script>alert(1)</script>"


@pytest.mark.parametrize(
    ("lang", "message"),
    [
        ("ar", "اختر التزامًا من النسخة قيد المراجعة."),
        ("fr", "Choisissez un engagement de la version en revue."),
        ("en", "Choose a commitment of the version under review."),
    ],
)
def test_a_commitment_of_another_plan_is_refused_in_the_users_language(
    cycle, client, committee_member, lang, message
):
    other = Commitment.objects.create(plan=other_plan(), number=1, title="Other")
    client.force_login(committee_member)
    response = client.post(
        f"/{lang}/reports/{cycle.pk}/review/comment/",
        {"section": "commitment", "commitment": other.pk, "body": "نص طويل يُحفظ"},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert message in page and "نص طويل يُحفظ" in page  # the text is kept in its form
    assert not ReviewComment.objects.exists()


@pytest.mark.parametrize(
    "body",
    [
        {"section": "general", "body": "x" * (1024 * 1024)},
        {"section": "general", "body": "a\x00b"},
        {"section": "<script>", "body": "x"},
        {"section": "commitment", "commitment": "9" * 30, "body": "x"},
        {"section": "commitment", "commitment": "987654321", "body": "x"},
        {"section": "general", "body": "x", "token": "not-a-uuid"},
        {},
    ],
)
def test_hostile_comments_change_nothing(cycle, client, committee_member, body):
    client.force_login(committee_member)
    response = client.post(f"/fr/reports/{cycle.pk}/review/comment/", body)
    assert response.status_code == 200
    assert not ReviewComment.objects.exists()


def test_unknown_or_malformed_ids_are_404(demo_cycle, client, secretariat):
    client.force_login(secretariat)
    assert client.get("/fr/reports/987654321/review/").status_code == 404
    assert client.post("/fr/reports/987654321/review/comment/", {}).status_code == 404
    assert client.post("/fr/reports/review/987654321/resolve/", {}).status_code == 404
    assert client.get(f"/fr/reports/{'9' * 30}/review/").status_code == 404
    assert client.get(f"/fr/reports/{demo_cycle.pk}/review/comment/").status_code == 405


@pytest.mark.parametrize(
    ("lang", "done"),
    [
        ("ar", "عولج التعليق."),
        ("fr", "Le commentaire est traité."),
        ("en", "The comment is resolved."),
    ],
)
def test_the_secretariat_resolves_from_the_page(demo_cycle, client, secretariat, lang, done):
    item = ReviewComment.objects.filter(cycle=demo_cycle, resolution="open").first()
    client.force_login(secretariat)
    path = f"/{lang}/reports/review/{item.pk}/resolve/"
    empty = client.post(path, {"resolution": "answered", "response": "  "})
    assert empty.status_code == 200 and f'id="id_r{item.pk}_response"' in empty.content.decode()
    response = client.post(path, {"resolution": "answered", "response": "<b>نعم</b>"}, follow=True)
    assert response.redirect_chain[-1][0].endswith(f"/review/#comment-{item.pk}")
    page = response.content.decode()
    assert done in page and "&lt;b&gt;نعم&lt;/b&gt;" in page
    item.refresh_from_db()
    assert item.resolution == "answered" and item.resolved_by == secretariat
    again = client.post(path, {"resolution": "accepted", "response": "x"})
    assert again.status_code == 200
    item.refresh_from_db()
    assert item.resolution == "answered"


def test_a_member_may_not_resolve(demo_cycle, client):
    item = ReviewComment.objects.filter(cycle=demo_cycle, resolution="open").first()
    client.force_login(User.objects.get(username="demo-committee"))
    response = client.post(
        f"/en/reports/review/{item.pk}/resolve/", {"resolution": "answered", "response": "x"}
    )
    assert response.status_code == 403
    item.refresh_from_db()
    assert item.is_open


def _page_queries(client, cycle) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(f"/fr/reports/{cycle.pk}/review/").status_code == 200
    return len(queries)


def test_the_review_page_costs_a_fixed_number_of_queries(
    cycle, client, committee_member, secretariat
):
    sections = [Section.GENERAL, Section.INTRODUCTION, Section.LESSONS, Section.COMMITMENT]
    commitment = first_commitment(cycle)

    def write(count: int) -> None:
        for i in range(count):
            section = sections[i % len(sections)]
            comment(
                cycle,
                committee_member,
                f"تعليق {i}",
                section,
                commitment if section == Section.COMMITMENT else None,
            )

    write(5)
    client.force_login(secretariat)
    with_five = _page_queries(client, cycle)
    client.force_login(committee_member)
    member_five = _page_queries(client, cycle)
    write(45)
    resolve_some = ReviewComment.objects.filter(cycle=cycle)[:10]
    for item in resolve_some:
        review.do_resolve_review(item, resolution="answered", response="x", acting_user=secretariat)
    client.force_login(secretariat)
    with_fifty = _page_queries(client, cycle)
    client.force_login(committee_member)
    member_fifty = _page_queries(client, cycle)
    print(
        f"review page queries: secretariat {with_five}/{with_fifty}, member {member_five}/{member_fifty}"
    )
    assert with_five == with_fifty and member_five == member_fifty


def test_the_demo_has_three_comments_one_resolved_in_june_2023(demo_cycle):
    comments = list(ReviewComment.objects.filter(cycle=demo_cycle).order_by("created_at"))
    assert [c.section for c in comments] == ["introduction", "commitment", "participation"]
    assert [c.resolution for c in comments] == ["accepted", "open", "open"]
    start, end = datetime.date(2023, 5, 29), datetime.date(2023, 6, 30)
    assert all(start <= timezone.localdate(c.created_at) <= end for c in comments)
    assert comments[0].resolved_by.username == "demo-secretariat"
    assert comments[0].resolved_by != comments[0].author
    rows = AuditLog.objects.filter(action__in=["report.comment_review", "report.resolve_review"])
    assert rows.count() == 4 and all(r.at.year == 2023 for r in rows)


def test_resetting_the_demo_rebuilds_its_review(demo_cycle):
    call_command("load_demo", "--no-admin", "--reset", verbosity=0)
    assert ReviewComment.objects.filter(resolution=Resolution.OPEN).count() == 2
    assert ReviewComment.objects.count() == 3
