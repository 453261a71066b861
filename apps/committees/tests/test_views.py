"""Pages: the public sees announced meetings and published minutes only; the secretariat
prepares, members approve; bad input gives form errors, 403 or 404, never a 500."""

from __future__ import annotations

from html import unescape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.accounts import system_user
from apps.accounts.models import Institution
from apps.committees import actions
from apps.committees.models import Meeting, MeetingStatus, Snapshot
from apps.committees.tests.factories import at, make_committee, make_meeting, make_member, publish
from apps.core import bounds
from apps.core.dates import date_text
from apps.core.languages import LANGUAGES
from apps.core.tests.tasks import download
from apps.plans.tests.factories import make_institution

pytestmark = pytest.mark.django_db


def minutes_urls(meeting):
    return [
        f"/{lang}/meetings/{meeting.pk}/{p}"
        for lang in LANGUAGES
        for p in ("minutes/", "minutes.pdf", "minutes.docx")
    ]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_it_serves_the_public_pages_in_every_language(client, demo_meeting, lang):
    for path in [
        "committees/",
        "committees/steering-committee/",
        "committees/steering-committee/guide/v1/",
        "meetings/",
        f"meetings/{demo_meeting.pk}/",
        f"meetings/{demo_meeting.pk}/minutes/",
    ]:
        response = client.get(f"/{lang}/{path}")
        assert response.status_code == 200, path
        html = response.content.decode()
        assert f'<html lang="{lang}" dir="{"rtl" if lang == "ar" else "ltr"}">' in html
        assert "https://" not in html.split("<body", 1)[0]


def test_the_downloads_are_a_pdf_and_a_docx(client, demo_meeting):
    pdf = download(client, f"/ar/meetings/{demo_meeting.pk}/minutes.pdf")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    assert 'filename="minutes-2023-03-28-ar.pdf"' in pdf["Content-Disposition"]
    docx = download(client, f"/fr/meetings/{demo_meeting.pk}/minutes.docx")
    assert docx["Content-Type"].endswith("wordprocessingml.document")
    assert docx.content.startswith(b"PK")


def test_the_public_does_not_see_drafts(client, draft, citizen, focal_point_a):
    for user in (None, citizen, focal_point_a):
        if user:
            client.force_login(user)
        assert client.get(f"/ar/meetings/{draft.pk}/").status_code == 404
        for url in minutes_urls(draft)[:3]:
            assert client.get(url).status_code == 404
        assert f'data-meeting="{draft.pk}"' not in client.get("/ar/meetings/").content.decode()
        assert "BEGIN:VEVENT" not in client.get("/ar/meetings.ics").content.decode()


def test_an_announced_meeting_shows_without_its_minutes(client, draft):
    actions.do_announce_meeting(draft, acting_user=system_user())
    html = client.get(f"/ar/meetings/{draft.pk}/").content.decode()
    assert "تقديم التقدم" in html and 'id="attendance"' not in html
    assert client.get(f"/ar/meetings/{draft.pk}/minutes/").status_code == 404
    assert "BEGIN:VEVENT" in client.get("/ar/meetings.ics").content.decode()


def test_members_see_and_approve_the_draft(client, draft, committee_member):
    client.force_login(committee_member)
    html = client.get(f"/ar/meetings/{draft.pk}/minutes/").content.decode()
    assert "مشروع محضر" in html
    response = client.post(f"/ar/meetings/{draft.pk}/approve/")
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == MeetingStatus.APPROVED and draft.approved_by == committee_member
    assert client.post(f"/ar/meetings/{draft.pk}/publish/").status_code == 403


def test_the_secretariat_freezes_once_and_publishes(client, draft, secretariat, committee_member):
    client.force_login(secretariat)
    assert client.post(f"/ar/meetings/{draft.pk}/approve/").status_code == 403
    client.post(f"/ar/meetings/{draft.pk}/snapshot/freeze/", {"confirm": "on"})
    assert Snapshot.objects.filter(meeting=draft).count() == 1
    response = client.post(f"/en/meetings/{draft.pk}/snapshot/freeze/", follow=True)
    assert "already frozen" in response.content.decode()
    assert Snapshot.objects.filter(meeting=draft).count() == 1
    actions.do_approve_minutes(draft, acting_user=committee_member)
    client.post(f"/ar/meetings/{draft.pk}/publish/")
    draft.refresh_from_db()
    assert draft.status == MeetingStatus.PUBLISHED
    client.logout()
    assert client.get(f"/ar/meetings/{draft.pk}/minutes/").status_code == 200


@pytest.mark.parametrize("persona", ["citizen", "focal_point_a", "committee_member", "translator"])
def test_only_the_secretariat_edits(client, draft, persona, request):
    client.force_login(request.getfixturevalue(persona))
    expected = 403 if persona == "committee_member" else 404  # members see drafts
    for url in [
        f"/ar/meetings/{draft.pk}/edit/",
        f"/ar/meetings/{draft.pk}/attendance/",
        f"/ar/meetings/{draft.pk}/agenda/new/",
        f"/ar/meetings/{draft.pk}/decisions/new/",
    ]:
        assert client.get(url).status_code == expected, url
        assert client.post(url, {"place": "x"}).status_code == expected, url
    for url in [f"/ar/meetings/{draft.pk}/snapshot/freeze/", f"/ar/meetings/{draft.pk}/announce/"]:
        assert client.post(url).status_code == expected
    assert client.get(f"/ar/committees/{draft.committee.slug}/meetings/new/").status_code == 403
    assert Snapshot.objects.count() == 0


def test_anonymous_visitors_cannot_write(client, demo_meeting):
    for url in [
        f"/ar/meetings/{demo_meeting.pk}/edit/",
        f"/ar/meetings/{demo_meeting.pk}/attendance/",
    ]:
        assert client.get(url).status_code == 403
    assert client.post(f"/ar/meetings/{demo_meeting.pk}/snapshot/freeze/").status_code == 403
    item = demo_meeting.action_items.get()
    assert client.post(f"/ar/action-items/{item.pk}/status/", {"status": "done"}).status_code == 403


def test_the_secretariat_creates_a_meeting_and_bad_dates_are_form_errors(
    client, committee, secretariat
):
    client.force_login(secretariat)
    url = f"/en/committees/{committee.slug}/meetings/new/"
    bad = client.post(url, {"starts_at": "2023-02-30T10:00", "mode": "in_person"})
    assert bad.status_code == 200 and "Enter a valid date/time" in bad.content.decode()
    backwards = client.post(
        url, {"starts_at": "2023-03-28T10:00", "ends_at": "2023-03-28T09:00", "mode": "in_person"}
    )
    assert "must not end before it starts" in backwards.content.decode()
    huge = client.post(
        url, {"starts_at": "2023-03-28T10:00", "mode": "in_person", "place": "x" * 5000}
    )
    assert huge.status_code == 200 and Meeting.objects.count() == 0
    response = client.post(
        url,
        {
            "starts_at": "2023-03-28T10:00",
            "mode": "hybrid",
            "place": "<script>alert(1)</script>",
            "opening_remarks": "الترحيب بأعضاء اللجنة",
        },
    )
    meeting = Meeting.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/meetings/{meeting.pk}/")
    html = client.get(f"/ar/meetings/{meeting.pk}/").content.decode()
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;" in html


@pytest.mark.parametrize("starts_at", ["9999-12-31T23:59", "0001-01-01T00:00"])
def test_it_rejects_a_meeting_date_the_calendar_cannot_hold(
    client, committee, draft, secretariat, starts_at
):
    # Was saved; then /meetings.ics was a 500 (OverflowError adding the default length).
    client.force_login(secretariat)
    for url in (f"/ar/committees/{committee.slug}/meetings/new/", f"/ar/meetings/{draft.pk}/edit/"):
        response = client.post(url, {"starts_at": starts_at, "mode": "in_person"})
        assert response.status_code == 200
        # The shared rule (apps.core.bounds): the plan's period plus its margin.
        first, last = bounds.plan_range(committee.plan)
        message = f"أدخل تاريخًا بين {date_text(first)} و{date_text(last)}."
        assert message in response.content.decode()
    assert Meeting.objects.count() == 1
    draft.refresh_from_db()
    assert draft.starts_at.year == 2023
    assert client.get("/ar/meetings.ics").status_code == 200


def test_attendance_form_records_statuses_and_rejects_unknown_values(client, draft, secretariat):
    client.force_login(secretariat)
    members = [a.member for a in draft.attendances.all()]
    url = f"/ar/meetings/{draft.pk}/attendance/"
    bad = client.post(
        url, {f"member_{members[0].pk}": "asleep", f"member_{members[1].pk}": "present"}
    )
    assert bad.status_code == 200
    client.post(url, {f"member_{members[0].pk}": "excused", f"member_{members[1].pk}": "absent"})
    assert sorted(draft.attendances.values_list("status", flat=True)) == ["absent", "excused"]


@pytest.mark.parametrize("invited", ["9" * 20, "9" * 30, "-" + "9" * 20, "²", "abc"])
def test_it_rejects_an_invited_institution_that_is_no_id(client, draft, secretariat, gov, invited):
    # 20 digits were a 500: the IN lookup overflowed the database's integer.
    client.force_login(secretariat)
    members = [a.member for a in draft.attendances.all()]
    statuses = {f"member_{m.pk}": "present" for m in members}
    response = client.post(
        f"/ar/meetings/{draft.pk}/attendance/", {**statuses, "invited": [str(gov.pk), invited]}
    )
    assert response.status_code == 200 and response.context["form"].errors["invited"]
    assert not draft.invitations.exists()


def test_notes_form_edits_one_language(client, draft, secretariat):
    actions.do_freeze_snapshot(draft, acting_user=secretariat)
    client.force_login(secretariat)
    url = f"/ar/meetings/{draft.pk}/snapshot/notes/"
    assert client.get(url).status_code == 200
    assert client.get(url + "?language=xx").status_code == 404
    assert (
        client.post(
            url + "?language=fr", {"note_1": "Plateforme mise à jour", "note_2": ""}
        ).status_code
        == 302
    )
    assert Snapshot.objects.get().rows.get(number=1).note_fr == "Plateforme mise à jour"
    before = Snapshot.objects.get().rows.get(number=1).note_ar
    too_long = client.post(url, {"note_1": "x" * 6000, "note_2": ""})
    assert too_long.status_code == 200
    assert Snapshot.objects.get().rows.get(number=1).note_ar == before


def test_agenda_item_and_decision_forms(client, draft, secretariat, gov):
    client.force_login(secretariat)
    response = client.post(
        f"/ar/meetings/{draft.pk}/agenda/new/",
        {
            "title": "تقرير التقييم الذاتي",
            "discussion": "تم الاتفاق على الجدول الزمني\n\nالمراحل | الجدول الزمني\nتحيين منصة التتبع | ابريل 2023",
        },
    )
    assert response.status_code == 302
    item = draft.agenda_items.get(order=2)
    assert item.blocks == [
        {"kind": "paragraph", "text": "تم الاتفاق على الجدول الزمني"},
        {
            "kind": "table",
            "headers": ["المراحل", "الجدول الزمني"],
            "rows": [["تحيين منصة التتبع", "ابريل 2023"]],
        },
    ]
    bad = client.post(
        f"/ar/meetings/{draft.pk}/agenda/new/", {"title": "x", "discussion": "a | b\nc"}
    )
    assert bad.status_code == 302  # a paragraph: not every line has "|"
    ragged = client.post(
        f"/ar/meetings/{draft.pk}/agenda/new/", {"title": "x", "discussion": "a | b\nc | d | e"}
    )
    assert ragged.status_code == 200
    orphan = client.post(
        f"/ar/meetings/{draft.pk}/decisions/new/", {"text": "x", "due_date": "2023-04-30"}
    )
    assert orphan.status_code == 200 and draft.decisions.count() == 0
    client.post(
        f"/ar/meetings/{draft.pk}/decisions/new/",
        {
            "text": "تنظيم ورشة",
            "action": "ورشة عمل لمدة يومين",
            "owner_institution": gov.pk,
            "due_date": "2023-04-30",
        },
    )
    assert draft.decisions.get().action_items.get().owner_institution == gov
    html = client.get(f"/ar/meetings/{draft.pk}/minutes/").content.decode()
    assert "تحيين منصة التتبع" in html and "ورشة عمل لمدة يومين" in html


def test_someone_elses_objects_are_not_found(client, draft, secretariat, plan, gov):
    client.force_login(secretariat)
    assert client.get("/ar/meetings/999999/").status_code == 404
    assert client.post("/ar/action-items/999999/status/", {"status": "done"}).status_code == 404
    other = make_meeting(make_committee(plan))
    member = make_member(other.committee, gov)
    response = client.post(
        f"/ar/meetings/{draft.pk}/attendance/", {f"member_{member.pk}": "present"}
    )
    assert response.status_code in (200, 302)
    assert not draft.attendances.filter(member=member).exists()


def test_action_items_can_be_closed_by_the_secretariat(client, demo_meeting, secretariat):
    item = demo_meeting.action_items.get()
    client.force_login(secretariat)
    client.post(f"/ar/action-items/{item.pk}/status/", {"status": "bogus"})
    item.refresh_from_db()
    assert item.status == "open"
    client.post(f"/ar/action-items/{item.pk}/status/", {"status": "done"})
    item.refresh_from_db()
    assert item.status == "done" and item.closed_at is not None


def test_open_action_items_show_on_the_next_meeting(client, demo_meeting, secretariat):
    later = make_meeting(demo_meeting.committee, at(2023, 9, 28))
    client.force_login(secretariat)
    html = client.get(f"/ar/meetings/{later.pk}/").content.decode()
    assert "ورشة عمل لمدة يومين" in html
    minutes = client.get(f"/ar/meetings/{later.pk}/minutes/").content.decode()
    assert "إجراءات مرحّلة من اجتماعات سابقة" in minutes


def test_the_meeting_pages_cost_a_fixed_number_of_queries(client, committee, gov, cso, secretariat):
    def meeting_with(members: int) -> Meeting:
        meeting = make_meeting(committee)
        people = [make_member(committee, gov if i % 2 else cso) for i in range(members)]
        actions.do_record_attendance(
            meeting, {p.pk: "present" for p in people}, acting_user=system_user()
        )
        for i in range(members):
            actions.do_add_agenda_item(meeting, acting_user=system_user(), title=f"نقطة {i}")
            actions.do_add_decision(
                meeting,
                acting_user=system_user(),
                text=f"قرار {i}",
                action_item={"title": f"إجراء {i}", "owner_institution": gov},
            )
        actions.do_freeze_snapshot(meeting, acting_user=system_user())
        return publish(meeting)

    small, large = meeting_with(2), meeting_with(8)
    client.force_login(secretariat)
    for path in ("", "minutes/"):
        counts = []
        for meeting in (small, large):
            with CaptureQueriesContext(connection) as queries:
                assert client.get(f"/ar/meetings/{meeting.pk}/{path}").status_code == 200
            counts.append(len(queries))
        assert counts[0] == counts[1], (path, counts)
        # Every page within 15 queries (issue 14): the meeting page was the one at 16.
        assert counts[0] <= 15, (path, counts)
    counts = []
    for _ in range(2):
        with CaptureQueriesContext(connection) as queries:
            client.get("/ar/meetings/")
        counts.append(len(queries))
        make_meeting(committee, at(2024, 1, 1))
    assert counts[0] == counts[1]


def test_the_calendar_feed_is_rfc5545(client, demo_meeting):
    response = client.get("/ar/meetings.ics")
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    body = response.content
    assert body.startswith(b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\n")
    assert body.endswith(b"END:VCALENDAR\r\n")
    lines = body.split(b"\r\n")
    assert all(len(line) <= 75 for line in lines)
    assert b"\n" not in body.replace(b"\r\n", b"")
    unfolded = body.decode().replace("\r\n ", "")
    assert "DTSTART:20230328T100000Z" in unfolded  # 10:00 in Casablanca (UTC+0 in Ramadan)
    assert "LOCATION:وزارة الانتقال الرقمي وإصلاح الإدارة" in unfolded
    assert f"UID:meeting-{demo_meeting.pk}@testserver" in unfolded


def test_the_attendance_form_lists_the_members_in_office_that_day(client, draft, secretariat, gov):
    import datetime

    gone = make_member(draft.committee, gov, name="عضو سابق", term_end=datetime.date(2022, 12, 31))
    coming = make_member(
        draft.committee, gov, name="عضو لاحق", term_start=datetime.date(2024, 1, 1)
    )
    sitting = make_member(
        draft.committee, gov, name="عضو حالي", term_start=datetime.date(2023, 1, 1)
    )
    client.force_login(secretariat)
    html = client.get(f"/ar/meetings/{draft.pk}/attendance/").content.decode()
    assert f"member_{sitting.pk}" in html
    assert f"member_{gone.pk}" not in html and f"member_{coming.pk}" not in html


def test_the_public_does_not_learn_of_action_items_from_draft_minutes(client, committee, gov):
    first = make_meeting(committee, at(2023, 3, 28))
    actions.do_add_decision(
        first, acting_user=system_user(), text="قرار", action_item={"title": "إجراء سري"}
    )
    later = make_meeting(committee, at(2023, 9, 28))
    actions.do_announce_meeting(later, acting_user=system_user())
    assert "إجراء سري" not in client.get(f"/ar/meetings/{later.pk}/").content.decode()
    publish(first)
    assert "إجراء سري" in client.get(f"/ar/meetings/{later.pk}/").content.decode()


def test_the_secretariat_records_invited_institutions_and_the_absent_follow(
    client, draft, secretariat, gov, cso
):
    from apps.plans.tests.factories import make_institution

    absent = make_institution(slug="absent", name_ar="وزارة الصحة والحماية الاجتماعية")
    client.force_login(secretariat)
    members = {a.member_id: a.status for a in draft.attendances.all()}
    data = {f"member_{pk}": status for pk, status in members.items()}
    data["invited"] = [absent.pk, gov.pk, cso.pk]
    assert client.post(f"/ar/meetings/{draft.pk}/attendance/", data).status_code == 302
    invited = set(draft.invitations.values_list("institution__slug", flat=True))
    assert invited == {"gov", "cso", "absent"}
    minutes = client.get(f"/ar/meetings/{draft.pk}/minutes/").content.decode()
    assert "الهيئات التي لم تشارك في الاجتماع" in minutes
    assert "وزارة الصحة والحماية الاجتماعية." in minutes
    data["invited"] = [gov.pk]
    client.post(f"/ar/meetings/{draft.pk}/attendance/", data)
    assert list(draft.invitations.values_list("institution__slug", flat=True)) == ["gov"]
    bad = client.post(f"/ar/meetings/{draft.pk}/attendance/", {**data, "invited": ["999999"]})
    assert bad.status_code == 200


@pytest.mark.parametrize(
    ("lang", "error"),
    [
        ("ar", "ضع علامة في الخانة لتأكيد أن اللقطة نهائية."),
        ("fr", "Cochez la case pour confirmer que l'instantané est définitif."),
        ("en", "Tick the box to confirm that the snapshot is final."),
    ],
)
def test_freezing_asks_for_a_confirmation_first(client, draft, secretariat, lang, error):
    client.force_login(secretariat)
    url = f"/{lang}/meetings/{draft.pk}/snapshot/freeze/"
    meeting_page = client.get(f"/{lang}/meetings/{draft.pk}/").content.decode()
    assert f'href="{url}"' in meeting_page, "the button leads to the confirmation page"
    page = client.get(url)
    assert page.status_code == 200 and 'data-testid="freeze-warning"' in page.content.decode()
    assert not Snapshot.objects.exists(), "opening the page freezes nothing"
    refused = client.post(url, {})
    assert refused.status_code == 200 and error in unescape(refused.content.decode())
    assert not Snapshot.objects.exists()
    assert client.post(url, {"confirm": "on"}).status_code == 302
    assert Snapshot.objects.filter(meeting=draft).count() == 1


def test_the_attendance_form_is_a_table_of_choices_with_everyone_present(
    client, draft, secretariat, committee, gov, cso
):
    newcomer = make_member(committee, gov, name="عضو جديد")
    absent_body = make_institution(slug="absent-body")
    recorded = {a.member_id: a.status for a in draft.attendances.all()}
    client.force_login(secretariat)
    url = f"/fr/meetings/{draft.pk}/attendance/"
    page = client.get(url).content.decode()
    # One radio per member and status; the newcomer has none chosen, not "absent".
    assert page.count(f'name="member_{newcomer.pk}"') == 4
    assert f'name="member_{newcomer.pk}" value="absent" checked' not in page
    assert page.count('type="checkbox" name="invited"') == Institution.objects.count()

    data = {f"member_{pk}": status for pk, status in recorded.items()}
    data["invited"] = [str(gov.pk), str(absent_body.pk)]
    # Saving without a choice for the newcomer: an error in French, nothing written.
    response = client.post(url, data)
    text = unescape(response.content.decode())
    assert response.status_code == 200
    assert "Choisissez présent, à distance, excusé ou absent pour عضو جديد." in text
    assert "Rien n'a été enregistré" in text
    assert not draft.invitations.exists()
    assert {a.member_id: a.status for a in draft.attendances.all()} == recorded

    # "Mark everyone present" fills every row, keeps the ticked boxes, saves nothing.
    filled = client.post(url, {**data, "all_present": "1"}).content.decode()
    for pk in [*recorded, newcomer.pk]:
        assert f'name="member_{pk}" value="present" checked' in filled
    assert f'value="{absent_body.pk}" id="invited_{absent_body.pk}" checked' in filled
    assert f'value="{cso.pk}" id="invited_{cso.pk}" checked' not in filled
    assert not draft.invitations.exists()
    assert not draft.attendances.filter(member=newcomer).exists()

    saved = client.post(url, {**data, f"member_{newcomer.pk}": "excused"})
    assert saved.status_code == 302
    assert draft.attendances.get(member=newcomer).status == "excused"
    assert set(draft.invitations.values_list("institution__slug", flat=True)) == {
        "gov",
        "absent-body",
    }


def test_the_meetings_page_offers_a_new_meeting_to_those_who_may_add_one(
    client, committee, secretariat, committee_member
):
    create = f'href="/ar/committees/{committee.slug}/meetings/new/"'
    assert create not in client.get("/ar/meetings/").content.decode()
    client.force_login(committee_member)
    assert create not in client.get("/ar/meetings/").content.decode()
    client.force_login(secretariat)
    html = client.get("/ar/meetings/").content.decode()
    assert create in html and "اجتماع جديد" in html
    other = make_committee(None, slug="monitoring", name_ar="لجنة التتبع")
    html = client.get("/ar/meetings/").content.decode()
    assert f'href="/ar/committees/{other.slug}/meetings/new/"' in html
    assert "اجتماع جديد: لجنة التتبع" in html


def test_french_puts_a_space_before_its_colons(client, draft, secretariat):
    """The colon is part of each translated phrase: French writes « Plan : », English
    "Plan:" (attendance labels for screen readers, the freeze page, the language menu)."""
    client.force_login(secretariat)
    attendance = client.get(f"/fr/meetings/{draft.pk}/attendance/").content.decode()
    assert '<span class="visually-hidden">سارة : Présent' in attendance
    assert 'aria-label="Langue : français"' in attendance
    freeze = client.get(f"/fr/meetings/{draft.pk}/snapshot/freeze/").content.decode()
    assert "<p>Plan : <a" in freeze
    english = client.get(f"/en/meetings/{draft.pk}/snapshot/freeze/").content.decode()
    assert "<p>Plan: <a" in english and 'aria-label="Language: English"' in english
