"""Published minutes never change: they render from what was fixed when the committee
approved them, while draft minutes (and the next meeting) show the rows as they are."""

from __future__ import annotations

import datetime
import io
import shutil
import subprocess

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from apps.committees import actions
from apps.committees.minutes import build_minutes, build_minutes_from, render_html
from apps.committees.models import (
    ActionItem,
    Attendance,
    Committee,
    Meeting,
    Member,
    MinutesRecord,
    Snapshot,
)
from apps.committees.record import capture
from apps.committees.tests.factories import at, make_meeting, make_member, publish
from apps.committees.tests.test_demo import plain
from apps.core.models import AuditLog
from apps.core.tests.tasks import download
from apps.plans.tests.factories import make_institution

pytestmark = pytest.mark.django_db

needs_pdftotext = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler")


def pdf_text(content: bytes) -> str:
    out = subprocess.run(["pdftotext", "-", "-"], input=content, capture_output=True, check=True)
    return " ".join(out.stdout.decode().split())


def docx_text(content: bytes) -> str:
    from docx import Document

    document = Document(io.BytesIO(content))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        parts += [cell.text for row in table.rows for cell in row.cells]
    return " ".join(" ".join(parts).split())


def everything(client, meeting: Meeting) -> dict[str, str]:
    """The minutes' text as a reader gets it: page, PDF, DOCX and API, in ar and fr."""
    texts = {}
    for lang in ("ar", "fr"):
        page = client.get(f"/{lang}/meetings/{meeting.pk}/minutes/")
        assert page.status_code == 200
        texts[f"html-{lang}"] = plain(page.content.decode().split("<article", 1)[1])
        texts[f"docx-{lang}"] = docx_text(
            download(client, f"/{lang}/meetings/{meeting.pk}/minutes.docx").content
        )
        meeting_page = client.get(f"/{lang}/meetings/{meeting.pk}/").content.decode()
        attendance = meeting_page.split('id="attendance"', 1)[1].split("</table>", 1)[0]
        texts[f"page-attendance-{lang}"] = plain(attendance)
        api = client.get(f"/api/v1/meetings/{meeting.pk}?lang={lang}").json()
        texts[f"api-{lang}"] = str(
            {k: api[k] for k in ("attendance", "absent_institutions", "decisions", "action_items")}
        )
    if shutil.which("pdftotext"):
        texts["pdf-ar"] = pdf_text(
            download(client, f"/ar/meetings/{meeting.pk}/minutes.pdf").content
        )
    return texts


@pytest.fixture
def published(committee, gov, cso, secretariat):
    """A meeting with an action item carried from an earlier one (in progress when the
    meeting started, closed before the minutes were approved), approved and published."""
    earlier = make_meeting(committee, at(2023, 1, 10))
    carried = actions.do_add_action_item(
        earlier,
        acting_user=secretariat,
        title_ar="إجراء سابق",
        title="إجراء سابق",
        owner_institution=gov,
    )
    actions.do_set_action_item_status(carried, "in_progress", acting_user=secretariat)
    AuditLog.objects.filter(target_id=carried.pk).update(at=at(2023, 2, 1))
    absent_body = make_institution(slug="absent-body", name_ar="هيئة غائبة", name_fr="Absente")
    meeting = make_meeting(committee, at(2023, 3, 28))
    sara = make_member(committee, gov, name="سارة العلوي")
    youssef = make_member(committee, cso, name="يوسف")
    actions.do_record_attendance(
        meeting, {sara.pk: "present", youssef.pk: "remote"}, acting_user=secretariat
    )
    actions.do_set_invitations(meeting, [gov, cso, absent_body], acting_user=secretariat)
    actions.do_add_agenda_item(
        meeting, acting_user=secretariat, title="تقديم التقدم", shows_progress=True
    )
    actions.do_add_decision(
        meeting,
        acting_user=secretariat,
        text="تنظيم ورشة",
        text_ar="تنظيم ورشة",
        text_fr="Organiser un atelier",
        action_item={"title": "ورشة عمل", "title_ar": "ورشة عمل", "owner_institution": gov},
    )
    actions.do_freeze_snapshot(meeting, acting_user=secretariat)
    # Both move on after the meeting, before the minutes are approved.
    actions.do_set_action_item_status(carried, "done", acting_user=secretariat)
    raised = ActionItem.objects.get(meeting=meeting)
    actions.do_set_action_item_status(raised, "in_progress", acting_user=secretariat)
    return publish(meeting)


def test_published_minutes_do_not_change_when_the_rows_do(
    client, published, gov, committee, secretariat
):
    before = everything(client, published)
    assert "سارة العلوي" in before["html-ar"] and "هيئة غائبة" in before["html-ar"]
    assert "سارة العلوي" in before["docx-ar"] and "سارة العلوي" in before["api-ar"]
    assert "سارة العلوي" in before["page-attendance-ar"]
    if "pdf-ar" in before:
        assert "العلوي" in before["pdf-ar"]
    # Action items as they stood at the meeting: the one carried over was in progress
    # (done since), the one raised at the meeting open (in progress since).
    assert "إجراء سابق" in before["html-ar"]
    statuses = before["html-fr"].split("Actions reportées", 1)[1]
    assert statuses.count("En cours") == 1 and statuses.count("Ouverte") == 1
    assert "Réalisée" not in statuses

    # Afterwards, in the admin: a member renamed, an institution renamed, attendance
    # corrected, the committee renamed, the meeting's action item closed.
    sara = Member.objects.get(name="سارة العلوي")
    sara.name = "سارة الإدريسي"
    sara.save()
    gov.name_ar, gov.name_fr = "وزارة أخرى", "Autre ministère"
    gov.save()
    Attendance.objects.filter(meeting=published).update(status="absent")
    Committee.objects.filter(pk=committee.pk).update(name_ar="لجنة أخرى")
    item = ActionItem.objects.get(meeting=published)
    actions.do_set_action_item_status(item, "done", acting_user=secretariat)

    assert everything(client, published) == before

    # The next meeting shows the new state.
    later = make_meeting(committee, timezone.now() + datetime.timedelta(days=30))
    actions.do_record_attendance(later, {sara.pk: "present"}, acting_user=secretariat)
    client.force_login(secretariat)
    draft = plain(client.get(f"/ar/meetings/{later.pk}/minutes/").content.decode())
    assert "سارة الإدريسي" in draft and "وزارة أخرى" in draft and "لجنة أخرى" in draft
    assert "ورشة عمل" not in draft, "a closed item is not carried to later meetings"


def test_approval_changes_nothing_in_the_minutes_but_the_draft_notice(demo_meeting):
    """The frozen record and the live rows give the same minutes, in every language."""
    meeting = Meeting.objects.for_page().get(pk=demo_meeting.pk)
    snapshot = Snapshot.objects.with_rows().get(meeting=meeting)
    assert meeting.minutes_record.schema == 1
    for lang in ("ar", "fr", "en"):
        frozen = render_html(build_minutes(meeting, snapshot, lang))
        live = render_html(build_minutes_from(capture(meeting), meeting, snapshot, lang))
        assert frozen == live
        assert "سارة العمراني" in frozen


def test_the_migration_gives_approved_minutes_their_record(demo_meeting, draft):
    MinutesRecord.objects.all().delete()
    executor = MigrationExecutor(connection)
    state = executor.loader.project_state(("committees", "0003_freeze_approved_minutes"))
    migration = executor.loader.get_migration("committees", "0003_freeze_approved_minutes")
    migration.operations[0].code(state.apps, None)
    (stored,) = MinutesRecord.objects.all()
    assert stored.meeting_id == demo_meeting.pk and stored.schema == 1
    meeting = Meeting.objects.for_page().get(pk=demo_meeting.pk)
    assert stored.content == capture(meeting)


def test_the_demo_loader_freezes_its_published_minutes(db):
    call_command("load_demo", "--no-admin", verbosity=0)
    meeting = Meeting.objects.get()
    assert meeting.status == "published" and meeting.minutes_record.content["members"]


def test_text_written_in_french_only_shows_in_english_minutes_marked_as_french(draft):
    """The record follows the rule of the live rows (apps.core.content.in_language):
    Arabic first, then French, then English, marked with the language it is in."""
    from apps.accounts import system_user

    actions.do_add_decision(draft, acting_user=system_user(), text="نقطة")
    draft.decisions.update(text_ar="", text_fr="Point convenu en français", text_en="")
    minutes = build_minutes_from(capture(draft), draft, None, "en")
    assert minutes.decisions == ["Point convenu en français"]
    assert minutes.decisions[0].language == "fr"
    assert '<span lang="fr" dir="ltr">Point convenu en français</span>' in render_html(minutes)
    arabic = build_minutes_from(capture(draft), draft, None, "ar")
    assert arabic.decisions[0].language == "fr"
