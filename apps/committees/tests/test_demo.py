"""The demo meeting is the seed: its snapshot and its minutes (HTML, PDF, DOCX) carry the
seed's 22 rows, percentages, pending activities and notes, read from the seed itself."""

from __future__ import annotations

import datetime
import html
import io
import re
import shutil
import subprocess

import pytest
from django.core.management import call_command

from apps.committees.minutes import build_minutes, render_docx, render_html, render_pdf
from apps.committees.models import Meeting, Snapshot
from apps.core.tests.tasks import download
from apps.plans.seed import read_progress_table
from apps.plans.tests.test_demo import seed_text

pytestmark = pytest.mark.django_db

INVISIBLE = re.compile(r"[\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def seed_rows():
    return read_progress_table(seed_text())


def seed_list(start: str, end: str) -> list[str]:
    """The "- …" lines of the seed between two headings."""
    text = seed_text()
    section = text[text.index(start) : text.index(end)]
    return [line[2:].strip() for line in section.splitlines() if line.startswith("- ")]


def plain(markup: str) -> str:
    text = html.unescape(re.sub(r"<[^>]+>", " ", markup))
    return " ".join(INVISIBLE.sub("", text).split())


def squeeze(text: str) -> str:
    """For text extracted from a PDF: no spaces, no direction marks, no parentheses
    (pdftotext mirrors them around Latin words inside Arabic)."""
    return re.sub(r"[\s()]", "", INVISIBLE.sub("", text))


def activity_text(title: str, progress: int | None) -> str:
    return f"{title} {progress}%" if progress else title


def load(meeting: Meeting, language: str = "ar"):
    meeting = Meeting.objects.for_page().get(pk=meeting.pk)
    snapshot = Snapshot.objects.with_rows().get(meeting=meeting)
    return build_minutes(meeting, snapshot, language)


def test_the_snapshot_holds_the_seeds_22_rows(demo_meeting):
    snapshot = Snapshot.objects.with_rows().get(meeting=demo_meeting)
    rows = list(snapshot.rows.all())
    expected = seed_rows()
    assert [r.number for r in rows] == list(range(1, 23))
    for row, seed in zip(rows, expected, strict=True):
        assert row.title_ar == seed.title
        assert round(row.progress) == seed.progress
        assert [(a.title_ar, a.progress) for a in row.pending_activities] == [
            (a.title, a.progress or 0) for a in seed.pending
        ]
        assert row.note_lines == seed.notes
        assert row.title_fr and row.title_en


def test_the_api_gives_the_seeds_rows(client, demo_meeting):
    body = client.get(f"/api/v1/meetings/{demo_meeting.pk}/snapshot").json()
    assert len(body["rows"]) == 22
    for row, seed in zip(body["rows"], seed_rows(), strict=True):
        assert (row["number"], row["title"], round(row["progress"])) == (
            seed.number,
            seed.title,
            seed.progress,
        )
        assert [(a["title"], a["progress"]) for a in row["pending_activities"]] == [
            (a.title, a.progress or 0) for a in seed.pending
        ]
        assert row["notes"] == seed.notes
    assert body["rows"][9]["notes"][0].startswith("يقترح تغيير نسبة إنجاز النشاط")


def test_the_demo_meeting_is_the_seeds_meeting(demo_meeting):
    minutes = load(demo_meeting)
    participants = seed_list("المشاركون:", "الهيئات التي لم تشارك")
    assert len(participants) == 21
    last = len(minutes.participants) - 1
    assert [
        p.text + (minutes.terminator if i == last else minutes.separator)
        for i, p in enumerate(minutes.participants)
    ] == participants
    assert sum(p.remote for p in minutes.participants) == 7
    absent = seed_list("الهيئات التي لم تشارك", "جدول أعمال الاجتماع")
    assert [b + minutes.separator for b in minutes.absent_bodies[:-1]] == absent[:-1]
    assert minutes.absent_bodies[-1] + minutes.terminator == absent[-1]
    assert minutes.title == "تقرير اجتماع لجنة الإشراف"
    assert minutes.date_text == "الثلاثاء 28 مارس 2023"
    assert minutes.place + minutes.terminator == "وزارة الانتقال الرقمي وإصلاح الإدارة."
    assert len(minutes.agenda) == 4 and minutes.agenda[0].shows_progress
    assert minutes.opening_remarks in " ".join(seed_text().split())
    agreed = seed_text().split("النقاط المتفق عليها:")[1]
    assert minutes.decisions == [agreed.strip()[2:].strip()]
    (workshop,) = minutes.action_items
    assert "ورشة عمل لمدة يومين" in workshop.title
    assert workshop.owner_institution == "وزارة الانتقال الرقمي وإصلاح الإدارة"


def test_the_html_minutes_carry_every_row(client, demo_meeting):
    response = client.get(f"/ar/meetings/{demo_meeting.pk}/minutes/")
    assert response.status_code == 200
    text = plain(response.content.decode())
    seed_flat = " ".join(seed_text().split())
    for line in seed_list("المشاركون:", "الهيئات التي لم تشارك"):
        assert line in text
    for seed in seed_rows():
        assert seed.title in text and f"{seed.progress}%" in text
        for activity in seed.pending:
            assert activity_text(activity.title, activity.progress) in text
            if activity.progress is None:
                # Listed without a figure in the seed, stored at 0: printed without one.
                assert f"{activity.title} 0%" not in text
        for note in seed.notes:
            assert note in text
    # The tables of the other agenda items, word for word.
    for stage in [
        "الإصدار التلقائي للتقرير من المنصة ماي 2023",
        "صياغة بطاقات مشاريع الالتزامات نونبر 2023",
    ]:
        assert stage in text and stage in seed_flat.replace("\t", " ")


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils")
def test_the_pdf_has_the_titles_in_logical_order_and_a_header_on_every_page(demo_meeting):
    pdf = render_pdf(load(demo_meeting))
    assert pdf.startswith(b"%PDF")
    raw = subprocess.run(
        ["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()
    text = squeeze(raw)
    position = 0
    for seed in seed_rows():
        found = text.find(squeeze(seed.title), position)
        assert found >= 0, seed.title
        position = found
        assert f"{seed.progress}%" in text
        for note in seed.notes:
            # Notes never share a line with another cell's text in the extraction.
            assert squeeze(note) in text or all(w in text for w in note.split())
    pages = raw.count("\f")
    assert pages >= 4
    assert raw.count("نسبة إنجاز") >= 3, "the table header repeats on every page of the table"
    assert "%65" not in text and "65%" in text


def test_the_docx_is_right_to_left_with_the_seeds_table(demo_meeting):
    from docx import Document
    from docx.oxml.ns import qn

    document = Document(io.BytesIO(render_docx(load(demo_meeting))))
    body_text = "\n".join(p.text for p in document.paragraphs)
    assert "تقرير اجتماع لجنة الإشراف" in body_text
    table = next(t for t in document.tables if len(t.rows) == 23)
    tbl_pr = table._tbl.tblPr
    assert tbl_pr.find(qn("w:bidiVisual")) is not None
    assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
    for row, seed in zip(table.rows[1:], seed_rows(), strict=True):
        cells = [INVISIBLE.sub("", c.text) for c in row.cells]
        assert cells[0] == str(seed.number)
        assert cells[1] == seed.title
        assert cells[2] == f"{seed.progress}%"
        listed = [INVISIBLE.sub("", p.text).removeprefix("• ") for p in row.cells[3].paragraphs]
        expected = [activity_text(a.title, a.progress) for a in seed.pending] or [
            "كل الأنشطة منجزة"
        ]
        assert listed == expected
        notes = [INVISIBLE.sub("", p.text).removeprefix("• ") for p in row.cells[4].paragraphs]
        assert [n for n in notes if n] == seed.notes
    paragraph = document.paragraphs[1]._p
    assert paragraph.pPr.find(qn("w:bidi")) is not None
    run = paragraph.findall(qn("w:r"))[0]
    assert run.rPr.find(qn("w:rtl")) is not None
    assert run.rPr.find(qn("w:rFonts")).get(qn("w:cs")) == "Amiri"
    assert run.rPr.find(qn("w:szCs")) is not None
    assert document.sections[0]._sectPr.find(qn("w:bidi")) is not None


def test_the_french_minutes_use_the_french_content_and_fall_back_to_arabic(client, demo_meeting):
    text = plain(client.get(f"/fr/meetings/{demo_meeting.pk}/minutes/").content.decode())
    assert "Procès-verbal de la réunion du Comité de pilotage" in text
    assert "mardi 28 mars 2023" in text
    assert "Renforcer la transparence budgétaire" in text
    assert "(participation à distance)" in text
    # Notes were written in Arabic only: they fall back to Arabic, right to left.
    assert "منصة التتبع غير محينة" in text
    html = client.get(f"/fr/meetings/{demo_meeting.pk}/minutes/").content.decode()
    assert '<p dir="rtl">منصة التتبع غير محينة</p>' in html
    assert '<td class="col-title" dir="ltr">Renforcer la transparence budgétaire</td>' in html
    # Members' names were written in Arabic: marked as Arabic inside the French line.
    assert 'Mme <bdi lang="ar" dir="rtl">سارة العمراني</bdi>, Ministère de la Transition' in html
    arabic = client.get(f"/ar/meetings/{demo_meeting.pk}/minutes/").content.decode()
    assert "السيدة سارة العمراني، وزارة الانتقال الرقمي" in arabic
    assert '<bdi lang="ar"' not in arabic


def test_loading_the_demo_twice_changes_nothing(demo_meeting):
    before = (Meeting.objects.count(), Snapshot.objects.count(), demo_meeting.attendances.count())
    call_command("load_demo", "--no-admin", verbosity=0)
    assert (
        Meeting.objects.count(),
        Snapshot.objects.count(),
        demo_meeting.attendances.count(),
    ) == before
    assert before == (1, 1, 21)


def test_resetting_the_demo_rebuilds_the_meeting(demo_meeting):
    call_command("load_demo", "--no-admin", "--reset", verbosity=0)
    assert Meeting.objects.count() == 1 and Snapshot.objects.get().rows.count() == 22
    assert render_html(load(Meeting.objects.get()))


def test_the_demo_minutes_are_published_with_unknown_dates(client):
    from django.core.management import call_command

    from apps.committees.models import Meeting

    call_command("load_demo", "--no-admin", verbosity=0)
    meeting = Meeting.objects.get()
    assert (
        meeting.status == "published"
        and meeting.published_at is None
        and meeting.approved_at is None
    )
    from apps.committees.governance import governance_figures

    figures = governance_figures(meeting.committee, published=True)
    assert figures.mean_days_to_publication is None
    assert client.get(f"/fr/committees/{meeting.committee.slug}/").status_code == 200
    assert download(client, f"/ar/meetings/{meeting.pk}/minutes.pdf").status_code == 200


def test_the_snapshot_stands_for_the_meeting_day_with_no_overdue_row(demo_meeting):
    """Frozen when the demo is loaded, it says what was true on 28 March 2023: the plan
    ran until the end of 2023, so nothing was overdue yet."""
    from django.utils import timezone

    from apps.tracking.flags import Flag

    snapshot = Snapshot.objects.get(meeting=demo_meeting)
    assert timezone.localtime(snapshot.frozen_at).date() == datetime.date(2023, 3, 28)
    rows = {r.number: r for r in snapshot.rows.all()}
    assert len(rows) == 22
    assert not [n for n, r in rows.items() if Flag.OVERDUE in r.flags]
    # The seed's proposal (commitment 10) and change of contact (11, 12) were that day's.
    assert Flag.PENDING_CHANGE_REQUEST in rows[10].flags
    assert Flag.CONTACT_CHANGED in rows[11].flags and Flag.CONTACT_CHANGED in rows[12].flags
    # Commitment 1 reported the day before, the others had not.
    assert Flag.NOT_UPDATED not in rows[1].flags and Flag.NOT_UPDATED in rows[2].flags


def test_nothing_in_the_demo_is_dated_the_day_it_was_loaded(demo_meeting):
    from django.apps import apps
    from django.db import models
    from django.utils import timezone

    today = timezone.localdate()
    checked = 0
    for model in apps.get_models():
        if model._meta.app_label not in {"accounts", "core", "plans", "tracking", "committees"}:
            continue
        for field in model._meta.concrete_fields:
            if not isinstance(field, models.DateTimeField | models.DateField):
                continue
            values = model._default_manager.exclude(**{field.name: None}).values_list(
                field.name, flat=True
            )
            for value in values:
                day = timezone.localtime(value).date() if hasattr(value, "hour") else value
                checked += 1
                assert day != today, f"{model._meta.label}.{field.name} is dated today"
    assert checked > 100


def test_the_demos_reports_and_history_are_dated_inside_the_plans_period(demo_meeting):
    from django.utils import timezone

    from apps.core.models import AuditLog
    from apps.plans.models import Activity, Commitment
    from apps.tracking.models import ProgressUpdate

    plan = demo_meeting.committee.plan
    moments = [
        *ProgressUpdate.objects.values_list("submitted_at", flat=True),
        *ProgressUpdate.objects.exclude(validated_at=None).values_list("validated_at", flat=True),
        *Commitment.history.values_list("history_date", flat=True),
        *Activity.history.values_list("history_date", flat=True),
        *AuditLog.objects.values_list("at", flat=True),
    ]
    assert len(moments) > 22
    days = {timezone.localtime(m).date() for m in moments}
    assert plan.period_start <= min(days) and max(days) <= plan.period_end


def test_the_ended_demo_plan_shows_its_final_state(client, demo_meeting):
    """The 2021–2023 plan is over: "ended on 2023-12-31", final completion levels, the
    date its figures are as of (the 28 March 2023 snapshot), and no wall of flags."""
    from apps.plans.models import Commitment

    first = Commitment.objects.get(plan__slug="morocco-2021-2023", number=1)
    commitment_url = first.get_absolute_url().replace("/ar/", "/en/", 1)
    for url in ("/en/", "/en/plans/morocco-2021-2023/", commitment_url):
        html = client.get(url).content.decode()
        assert 'data-ended="true"' in html and "2023-12-31" in html, url
        assert 'data-testid="figures-as-of">Figures as of <bdi>2023-03-28</bdi>' in html, url
        assert "data-flag=" not in html, url
    plan_page = client.get("/en/plans/morocco-2021-2023/").content.decode()
    assert "Final completion level" in plan_page


def test_the_dashboard_as_of_the_meeting_agrees_with_the_demo_snapshot(demo_meeting):
    from django.utils import timezone

    from apps.tracking.dashboard import build
    from apps.tracking.flags import STALENESS_FLAGS, Flag
    from apps.tracking.staleness import flags_of

    snapshot = Snapshot.objects.get(meeting=demo_meeting)
    board = build(demo_meeting.committee.plan, as_of=snapshot.frozen_at)
    live = {c.number: flags_of(c) for c in board.stale}
    frozen = {r.number: [f for f in r.flags if f in STALENESS_FLAGS] for r in snapshot.rows.all()}
    assert {n: f for n, f in frozen.items() if f} == live
    # Commitment 1 reported the day before (the same figures); nothing was overdue yet.
    assert Flag.NOT_UPDATED not in live[1] and Flag.NOT_UPDATED in live[2]
    assert all(Flag.OVERDUE not in flags for flags in live.values())
    assert timezone.localtime(snapshot.frozen_at).date() == datetime.date(2023, 3, 28)
