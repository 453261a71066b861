"""The commitment page tells the whole story: the committee's notes from published
minutes (never from draft ones), the meetings that discussed it with links to their
minutes, decided change requests (pending ones stay the committee's), the timeline of
validated updates with their evidence (latest first, a page at a time), and the
hand-overs of its focal point as far as the plan shows people. Fixed query counts."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from apps.accounts.roles import Role
from apps.accounts.tests.personas import make_user
from apps.committees import actions
from apps.committees.tests.factories import at, make_committee, make_meeting, publish, validated
from apps.core.languages import LANGUAGES
from apps.plans.models import PublicContacts
from apps.plans.tests.factories import make_commitment, make_plan
from apps.tracking import actions as tracking
from apps.tracking.models import Evidence, ProgressUpdate

pytestmark = pytest.mark.django_db

URL = "/{lang}/plans/story/commitments/1/"


@pytest.fixture
def commitment(ministry_a, focal_point_a, secretariat):
    plan = make_plan(slug="story")
    commitment = make_commitment(plan, [(10, 1), (20, 1)], number=1, lead_institution=ministry_a)
    make_commitment(plan, [(0, 1)], number=2, lead_institution=ministry_a)
    tracking.do_hand_over(
        commitment,
        focal_point_a,
        acting_user=secretariat,
        on=datetime.date(2021, 1, 1),
        notify=False,
    )
    return commitment


@pytest.fixture
def committee(commitment):
    return make_committee(commitment.plan, slug="steering-story")


def _meeting(committee, secretariat, when, note, *, published):
    meeting = make_meeting(committee, when)
    actions.do_freeze_snapshot(meeting, acting_user=secretariat, notes={1: note})
    return publish(meeting) if published else meeting


def html_of(client, lang="ar", query=""):
    response = client.get(URL.format(lang=lang) + query)
    assert response.status_code == 200
    return response.content.decode()


def section(html, anchor):
    return html.split(f'id="{anchor}"', 1)[1].split("</section>", 1)[0]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_notes_from_published_minutes_show_and_draft_ones_never_leak(
    client, commitment, committee, secretariat, committee_member, lang
):
    published = _meeting(committee, secretariat, at(2023, 3, 28), "ملاحظة منشورة", published=True)
    draft = _meeting(committee, secretariat, at(2023, 9, 1), "ملاحظة سرية", published=False)
    for viewer in (None, committee_member):
        if viewer:
            client.force_login(viewer)
        html = html_of(client, lang)
        story = section(html, "meetings-story")
        assert "ملاحظة منشورة" in story
        assert f"/{lang}/meetings/{published.pk}/minutes/" in story
        assert "ملاحظة سرية" not in html and f"/meetings/{draft.pk}/" not in html
        assert "<bdi>2023-03-28</bdi>" in story
        with translation.override(lang):
            assert translation.gettext("What the committee said") in html


def test_a_commitment_no_minutes_discussed_says_so(client, commitment, committee, secretariat):
    _meeting(committee, secretariat, at(2023, 3, 28), "مسودة", published=False)
    story = section(html_of(client, "fr"), "meetings-story")
    assert "Aucun procès-verbal publié" in story and "مسودة" not in story


def test_action_items_of_published_meetings_about_it_are_listed(
    client, commitment, committee, secretariat
):
    meeting = make_meeting(committee, at(2023, 3, 28))
    actions.do_add_action_item(
        meeting, acting_user=secretariat, title="تسريع إنجاز النشاط", commitment=commitment
    )
    draft = make_meeting(committee, at(2023, 9, 1))
    actions.do_add_action_item(
        draft, acting_user=secretariat, title="إجراء في مسودة", commitment=commitment
    )
    publish(meeting)
    html = html_of(client)
    story = section(html, "meetings-story")
    assert "تسريع إنجاز النشاط" in story
    assert f"/meetings/{meeting.pk}/minutes/" in story
    assert "إجراء في مسودة" not in html


def test_decided_change_requests_are_public_pending_ones_are_not(
    client, commitment, secretariat, committee_member
):
    first, second = commitment.activities.order_by("order")
    rejected = tracking.do_propose_change(
        first, acting_user=committee_member, progress=90, justification="مبالغ فيه"
    )
    tracking.do_reject_change(rejected, acting_user=secretariat, reason="لا دليل على ذلك")
    accepted = tracking.do_propose_change(
        second, acting_user=committee_member, progress=60, justification="تقدم مسجل"
    )
    tracking.do_accept_change(accepted, acting_user=secretariat, reason="موافق")
    tracking.do_propose_change(
        first, acting_user=committee_member, progress=40, justification="طلب قيد الدراسة"
    )
    public = section(html_of(client, "ar"), "change-requests-story")
    assert "مبالغ فيه" in public and "لا دليل على ذلك" in public
    assert "تقدم مسجل" in public and 'data-status="accepted"' in public
    assert "طلب قيد الدراسة" not in public and 'data-status="pending"' not in public
    assert "member" not in public  # who proposed it is not told
    client.force_login(committee_member)
    member = section(html_of(client, "ar"), "change-requests-story")
    assert "طلب قيد الدراسة" in member


def test_the_rule_for_one_change_request(commitment, secretariat, committee_member, citizen):
    from django.contrib.auth.models import AnonymousUser

    activity = commitment.activities.first()
    request = tracking.do_propose_change(
        activity, acting_user=committee_member, progress=40, justification="…"
    )
    for user in (AnonymousUser(), citizen):
        assert not user.has_perm("tracking.view_change_request", request)
    assert committee_member.has_perm("tracking.view_change_request", request)
    assert secretariat.has_perm("tracking.view_change_request", request)
    tracking.do_reject_change(request, acting_user=secretariat, reason="لا")
    request.refresh_from_db()
    assert AnonymousUser().has_perm("tracking.view_change_request", request)


def test_the_timeline_shows_validated_updates_latest_first_with_evidence(
    client, commitment, secretariat, focal_point_a
):
    first, second = commitment.activities.order_by("order")
    older = validated(first, 30, at(2022, 5, 1), by=secretariat)
    newer = validated(second, 50, at(2023, 2, 1), by=secretariat)
    Evidence.objects.create(update=newer, url="https://example.org/report.pdf")
    draft = tracking.do_record_progress(
        first,
        tracking.Report(
            progress=90,
            reported_on=datetime.date(2023, 3, 1),
            language="ar",
            narratives={"ar": "مسودة لم تقدم"},
        ),
        acting_user=focal_point_a,
    )
    html = html_of(client, "fr")
    timeline = section(html, "progress-history")
    assert timeline.index("<bdi>2023-02-01</bdi>") < timeline.index("<bdi>2022-05-01</bdi>")
    assert "https://example.org/report.pdf" in timeline
    assert f"/updates/{older.pk}/" in timeline
    assert "مسودة لم تقدم" not in html and f"/updates/{draft.pk}/" not in html
    # Its author sees the draft, apart from the public timeline.
    client.force_login(focal_point_a)
    mine = section(html_of(client, "fr"), "progress-history")
    assert 'data-testid="waiting-updates"' in mine and f"/updates/{draft.pk}/" in mine


def test_the_timeline_is_bounded_with_a_link_to_older_updates(client, commitment, secretariat):
    activity = commitment.activities.first()
    for i in range(23):
        validated(activity, i + 1, at(2022, 1, 1) + datetime.timedelta(days=i), by=secretariat)
    first = section(html_of(client, "en"), "progress-history")
    assert first.count("<li ") == 20
    assert "<bdi>2022-01-23</bdi>" in first and "<bdi>2022-01-03</bdi>" not in first
    assert "?updates=2#progress-history" in first
    second = section(html_of(client, "en", "?updates=2"), "progress-history")
    assert second.count("<li ") == 3 and "<bdi>2022-01-01</bdi>" in second
    assert 'rel="next"' not in second and "?updates=1#progress-history" in second
    for hostile in ("?updates=abc", "?updates=-1", "?updates=99999999999", "?updates=%00"):
        assert section(html_of(client, "en", hostile), "progress-history").count("<li ") == 20


@pytest.mark.parametrize(
    ("setting", "shows_name", "shows_email"),
    [
        (PublicContacts.INSTITUTION, False, False),
        (PublicContacts.NAME, True, False),
        (PublicContacts.NAME_AND_EMAIL, True, True),
    ],
)
def test_hand_overs_show_people_as_far_as_the_plan_says(
    client, commitment, ministry_a, secretariat, setting, shows_name, shows_email
):
    successor = make_user("focal_next", Role.FOCAL_POINT, institution=ministry_a)
    successor.first_name, successor.last_name = "Salma", "Idrissi"
    successor.save()
    tracking.do_hand_over(
        commitment,
        successor,
        acting_user=secretariat,
        on=datetime.date(2023, 3, 1),
        notify=False,
    )
    type(commitment.plan).objects.filter(pk=commitment.plan_id).update(public_contacts=setting)
    html = html_of(client, "fr")
    panel = html.split('id="focal-point"', 1)[1].split("</div></div>", 1)[0]
    assert 'id="hand-overs"' in panel and "<bdi>2023-03-01</bdi>" in panel
    assert ("Salma Idrissi" in panel) == shows_name
    assert ("focal_next@example.org" in panel) == shows_email
    assert "focal_a@example.org" not in panel or shows_email
    # Those who work with them see the person whatever the setting.
    client.force_login(secretariat)
    assert "Salma Idrissi" in html_of(client, "fr")


def count_queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("who", [None, "committee_member", "focal_point_a"])
def test_the_story_costs_the_same_queries_for_2_and_30_updates_and_meetings(
    client, commitment, committee, secretariat, committee_member, request, who
):
    from apps.accounts import system_user

    first, second = commitment.activities.order_by("order")

    def grow(n_from, n_to):
        for i in range(n_from, n_to):
            update = validated(
                first if i % 2 else second,
                i + 1,
                at(2021, 2, 1) + datetime.timedelta(days=i),
                by=secretariat,
            )
            Evidence.objects.create(update=update, url=f"https://example.org/{i}.pdf")
            meeting = make_meeting(committee, at(2021, 2, 1) + datetime.timedelta(days=10 * i))
            actions.do_freeze_snapshot(meeting, acting_user=system_user(), notes={1: f"ن{i}"})
            publish(meeting)
            proposal = tracking.do_propose_change(
                first, acting_user=committee_member, progress=i + 2, justification=f"ط{i}"
            )
            tracking.do_reject_change(proposal, acting_user=secretariat, reason="لا")

    grow(0, 2)
    if who:
        client.force_login(request.getfixturevalue(who))
    url = URL.format(lang="ar")
    client.get(url)  # warm caches
    two = count_queries(client, url)
    grow(2, 30)
    assert ProgressUpdate.objects.filter(activity__commitment=commitment).count() >= 30
    assert count_queries(client, url) == two
    assert count_queries(client, URL.format(lang="fr") + "?updates=2") == two
