import pytest
from django.core.management import call_command

from apps.cocreation.models import PhaseKey, Process, Proposal, ProposalStatus

pytestmark = pytest.mark.django_db


def test_the_demo_holds_the_seeds_third_plan_process():
    call_command("load_demo", "--no-admin", verbosity=0)
    process = Process.objects.get(slug="morocco-third-plan")
    phases = list(process.phases.order_by("order"))
    assert [(p.key, p.planned_start.month, p.planned_end.month) for p in phases] == [
        (PhaseKey.METHOD, 4, 4),
        (PhaseKey.IDEAS, 5, 9),
        (PhaseKey.PRIORITIES, 10, 10),
        (PhaseKey.CARDS, 11, 11),
        (PhaseKey.ADOPTION, 12, 12),
    ]
    assert {p.planned_start.year for p in phases} == {2023}
    assert process.open_phase().key == PhaseKey.IDEAS
    assert process.themes.filter(agreed_on__isnull=False).count() == 5
    assert set(Proposal.objects.values_list("language", flat=True)) == {"ar", "fr"}
    merged = Proposal.objects.get(status=ProposalStatus.MERGED)
    assert merged.merged_into.supports_count == 2  # its supporter already supported the target
    call_command("load_demo", "--no-admin", verbosity=0)
    assert Process.objects.count() == 1
    call_command("load_demo", "--no-admin", "--reset", verbosity=0)
    assert Process.objects.count() == 1


@pytest.mark.parametrize("lang", ["ar", "fr", "en"])
def test_the_demo_pages_open(lang):
    from django.test import Client

    call_command("load_demo", "--no-admin", verbosity=0)
    for path in ("", "statistics/", "proposals/", "proposals/1/", "proposals/6/"):
        response = Client().get(f"/{lang}/participate/morocco-third-plan/{path}")
        assert response.status_code == 200, path


@pytest.fixture
def demo_process():
    call_command("load_demo", "--no-admin", verbosity=0)
    return Process.objects.get(slug="morocco-third-plan")


def _counts() -> dict[str, int]:
    from apps.cocreation.models import MeetingRegistration, ParticipatoryMeeting
    from apps.core.models import AuditLog

    return {
        "meetings": ParticipatoryMeeting.objects.count(),
        "registrations": MeetingRegistration.objects.count(),
        "proposals": Proposal.objects.count(),
        "audit": AuditLog.objects.filter(action__startswith="cocreation.").count(),
    }


def test_the_demo_meetings_are_loaded_once_and_rebuilt_by_reset(demo_process):
    loaded = _counts()
    assert loaded["meetings"] == 3 and loaded["registrations"] == 18
    call_command("load_demo", "--no-admin", verbosity=0)
    assert _counts() == loaded
    call_command("load_demo", "--no-admin", "--reset", verbosity=0)
    rebuilt = _counts()
    # The reset keeps the audit trail of the deleted process and writes a new one.
    assert {k: v for k, v in rebuilt.items() if k != "audit"} == {
        k: v for k, v in loaded.items() if k != "audit"
    }
    assert rebuilt["audit"] == 2 * loaded["audit"]


def test_the_demo_meetings_are_held_in_the_ideas_phase(demo_process):
    from django.utils import timezone

    from apps.cocreation.models import MeetingFormat, ParticipatoryMeeting

    meetings = list(ParticipatoryMeeting.objects.filter(process=demo_process))
    assert {m.format for m in meetings} == {
        MeetingFormat.IN_PERSON,
        MeetingFormat.ONLINE,
        MeetingFormat.HYBRID,
    }
    ideas = demo_process.phases.get(key=PhaseKey.IDEAS)
    for meeting in meetings:
        assert meeting.phase == ideas
        day = timezone.localtime(meeting.starts_at).date()
        assert ideas.started_on <= day and (day.year, day.month) in {(2023, 5), (2023, 6)}
        assert meeting.created_at < meeting.starts_at
        for registration in meeting.registrations.all():
            assert registration.registered_at < meeting.starts_at
            assert registration.attended is not None  # attendance recorded: the meeting is past


def test_the_demo_idea_captured_at_a_meeting_credits_two_participants(demo_process):
    idea = Proposal.objects.get(meeting__isnull=False)
    assert idea.process == demo_process and idea.status == ProposalStatus.SUBMITTED
    credited = list(idea.credited.order_by("name"))
    assert len(credited) == 2
    assert {r.meeting_id for r in credited} == {idea.meeting_id}
    assert all(r.attended for r in credited)
    assert idea.meeting.starts_at <= idea.created_at <= idea.meeting.ends_at


def test_the_demo_participation_figures_add_up(demo_process):
    from apps.cocreation.meetings import participation_figures

    figures = participation_figures(demo_process)
    assert (figures.meetings, figures.registered, figures.attended) == (3, 18, 14)
    for rows in (figures.by_region, figures.by_gender, figures.by_kind):
        assert sum(r.registered for r in rows) == figures.registered
        assert sum(r.attended for r in rows) == figures.attended
        assert all(r.attended <= r.registered for r in rows)
    # Mixed: several regions, both genders and people who did not give theirs, and
    # citizens, associations, government, local authorities, academia, media, business.
    assert len(figures.by_region) >= 6
    assert len(figures.by_gender) == 3
    assert len(figures.by_kind) == 7


def test_nothing_in_the_cocreation_demo_is_dated_the_day_it_was_loaded(demo_process):
    from django.apps import apps
    from django.db import models
    from django.utils import timezone

    from apps.core.models import AuditLog

    today = timezone.localdate()
    checked = 0
    for model in apps.get_app_config("cocreation").get_models():
        for field in model._meta.concrete_fields:
            if not isinstance(field, models.DateTimeField | models.DateField):
                continue
            for value in model._default_manager.exclude(**{field.name: None}).values_list(
                field.name, flat=True
            ):
                day = timezone.localtime(value).date() if hasattr(value, "hour") else value
                checked += 1
                assert day != today, f"{model._meta.label}.{field.name} is dated today"
                assert day.year == 2023, f"{model._meta.label}.{field.name}: {day}"
    assert checked > 50
    entries = AuditLog.objects.filter(action__startswith="cocreation.")
    assert entries.count() > 40
    days = {timezone.localtime(at).date() for at in entries.values_list("at", flat=True)}
    assert today not in days and {d.year for d in days} == {2023}
    # The audit trail tells the story in order: the captured idea during the Fès
    # workshop, its attendance recorded after it.
    capture = entries.get(action="cocreation.capture_idea")
    idea = Proposal.objects.get(meeting__isnull=False)
    assert capture.at == idea.created_at
    attendance = entries.get(action="cocreation.record_attendance", target_id=idea.meeting_id)
    assert attendance.at > idea.meeting.ends_at


def _participation_rows(html: str) -> list[tuple[str, int, int]]:
    import re
    from html import unescape

    section = html.split('data-testid="participation"', 1)[1].split("</section>", 1)[0]
    return [
        (unescape(label), int(registered), int(attended))
        for label, registered, attended in re.findall(
            r'<th scope="row" class="fw-normal">([^<]*)</th>'
            r'<td class="text-end"><bdi>(\d+)</bdi></td><td class="text-end"><bdi>(\d+)</bdi>',
            section,
        )
    ]


@pytest.mark.parametrize(
    ("lang", "region", "woman", "participants"),
    [
        (
            "ar",
            "فاس مكناس",
            "امرأة",
            "عدد اللقاءات: <bdi>3</bdi>، عدد التسجيلات: <bdi>18</bdi>، عدد الحاضرين: <bdi>14</bdi>.",
        ),
        (
            "fr",
            "Fès-Meknès",
            "Femme",
            "<bdi>3</bdi> rencontres, <bdi>18</bdi> inscriptions, <bdi>14</bdi> présents.",
        ),
    ],
)
@pytest.mark.parametrize("page", ["statistics/", "meetings/"])
def test_the_demo_pages_show_the_participation_figures(
    client, demo_process, lang, region, woman, participants, page
):
    from django.utils import translation

    from apps.cocreation.meetings import participation_figures

    response = client.get(f"/{lang}/participate/morocco-third-plan/{page}")
    assert response.status_code == 200
    html = response.content.decode()
    assert participants in html
    with translation.override(lang):
        figures = participation_figures(demo_process)
    expected = [
        (row.label, row.registered, row.attended)
        for rows in (figures.by_region, figures.by_gender, figures.by_kind)
        for row in rows
    ]
    shown = _participation_rows(html)
    assert shown == expected
    labels = {label for label, _registered, _attended in shown}
    assert region in labels and woman in labels
    if page == "statistics/":
        # 3 citizens' accounts (proposals, comments, supports) and 18 people registered.
        assert '<dd class="fs-4" data-testid="participants"><bdi>21</bdi></dd>' in html


@pytest.mark.parametrize("lang", ["ar", "fr"])
def test_the_demo_meetings_list_their_seats_and_ideas(client, demo_process, lang):
    from apps.cocreation.models import ParticipatoryMeeting

    html = client.get(f"/{lang}/participate/morocco-third-plan/meetings/").content.decode()
    for meeting in ParticipatoryMeeting.objects.filter(process=demo_process):
        title = getattr(meeting, f"title_{lang}")
        assert title.replace("'", "&#x27;") in html
        count = meeting.registrations.count()
        assert f"<bdi>{count}</bdi> / <bdi>{meeting.capacity}</bdi>" in html
    idea = Proposal.objects.get(meeting__isnull=False)
    detail = client.get(
        f"/{lang}/participate/morocco-third-plan/meetings/{idea.meeting_id}/"
    ).content.decode()
    comma = "، " if lang == "ar" else ", "
    names = comma.join(f"<bdi>{r.name}</bdi>" for r in idea.credited.order_by("pk"))
    assert names in detail
