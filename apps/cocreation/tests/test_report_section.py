"""The co-creation process in the plan's self-assessment report (issue 8 part 3, issue 9):
captured in the version's content, rendered in HTML, PDF and DOCX in ar/fr/en."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.management import call_command
from django.utils import timezone
from pypdf import PdfReader

from apps.cocreation import actions, meetings, prioritisation
from apps.cocreation.models import (
    Gender,
    MeetingFormat,
    MeetingKind,
    MeetingRegistration,
    MeetingScope,
    OrganisationKind,
    PhaseKey,
    Process,
    ProposalStatus,
)
from apps.cocreation.tests.factories import make_process, make_region, submit
from apps.cocreation.tests.round import move_to
from apps.reports import actions as report_actions
from apps.reports.document import build_report
from apps.reports.models import ReportCycle, ReportVersion
from apps.reports.render import render_docx, render_pdf

pytestmark = pytest.mark.django_db

TITLES = {
    "ar": "مسار الصياغة التشاركية",
    "fr": "Le processus de co-création",
    "en": "The co-creation process",
}
NONE = {
    "ar": "لا تسجّل المنصة أيّ مسار صياغة تشاركية لهذه الخطة.",
    "fr": "La plateforme n'enregistre aucun processus de co-création pour ce plan.",
    "en": "The platform records no co-creation process for this plan.",
}
RESPONDED = {
    "ar": "المقترحات التي نُشر ردّ معلَّل عليها",
    "fr": "Propositions ayant reçu une réponse motivée publiée",
    "en": "Proposals with a published reasoned response",
}
BY_GENDER = {
    "ar": "المشاركون في الاجتماعات حسب الجنس",
    "fr": "Participants aux réunions par genre",
    "en": "Meeting participants by gender",
}


@pytest.fixture
def cycle(settings, tmp_path) -> ReportCycle:
    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("load_demo", "--no-admin", verbosity=0)
    return ReportCycle.objects.get(plan__slug="morocco-2021-2023", kind="end_of_term")


def _cocreated(cycle: ReportCycle, secretariat, citizen, committee_member, ministry_a) -> Process:
    """A process with three proposals decided (accepted, merged, rejected; two with a
    response), one support and a workshop of three people; it prepared the cycle's
    plan (the adoption itself is tested in test_round.py)."""
    process = make_process(secretariat, slug="report-round", open_phase=PhaseKey.IDEAS)
    first, second, third = (submit(process, citizen, title=f"مقترح {n}") for n in (1, 2, 3))
    actions.do_support(first, acting_user=committee_member)
    rabat = make_region()
    workshop = meetings.do_save_meeting(
        process,
        meetings.MeetingData(
            kind=MeetingKind.WORKSHOP,
            scope=MeetingScope.REGIONAL,
            format=MeetingFormat.IN_PERSON,
            titles={"ar": "ورشة الرباط", "fr": "Atelier de Rabat"},
            starts_at=timezone.now() + timezone.timedelta(days=2),
            place="الرباط",
            region=rabat,
        ),
        acting_user=secretariat,
    )
    people = [
        meetings.do_register(
            workshop,
            meetings.Registrant(name=name, organisation_kind=kind, region=region, gender=gender),
            acting_user=secretariat,
            for_someone_else=True,
        )
        for name, kind, region, gender in (
            ("سلمى", OrganisationKind.CIVIL_SOCIETY, rabat, Gender.FEMALE),
            ("يوسف", OrganisationKind.GOVERNMENT, rabat, Gender.MALE),
            ("مجهول", OrganisationKind.CITIZEN, None, ""),
        )
    ]
    meetings.do_record_attendance(
        workshop, present=[p.pk for p in people[:2]], acting_user=secretariat
    )
    process = move_to(process, secretariat, PhaseKey.PRIORITIES)
    prioritisation.do_decide_proposal(
        first,
        decision=ProposalStatus.ACCEPTED,
        response="يستجيب لحاجة واضحة",
        lead_institution=ministry_a,
        acting_user=secretariat,
    )
    prioritisation.do_decide_proposal(
        second,
        decision=ProposalStatus.MERGED,
        response="مقترح مماثل",
        merged_into=first,
        acting_user=secretariat,
    )
    prioritisation.do_decide_proposal(
        third, decision=ProposalStatus.REJECTED, response="خارج نطاق الخطة", acting_user=secretariat
    )
    # The third's response is taken back: two proposals keep a published response.
    type(third).objects.filter(pk=third.pk).update(response="")
    Process.objects.filter(pk=process.pk).update(
        plan=cycle.plan, adopted_at=workshop.starts_at + timezone.timedelta(days=30)
    )
    return process


def _generate(cycle: ReportCycle, secretariat) -> ReportVersion:
    job = report_actions.do_request_generation(cycle, acting_user=secretariat, enqueue=False)
    version = report_actions.run_generation(job.pk)
    assert version is not None
    return version


def _pdf_text(content, language: str) -> str:
    pdf = render_pdf(build_report(content, language))
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def _docx_xml(content, language: str) -> str:
    docx = render_docx(build_report(content, language))
    return zipfile.ZipFile(io.BytesIO(docx)).read("word/document.xml").decode()


def test_the_report_of_a_cocreated_plan_tells_its_cocreation(
    cycle, secretariat, citizen, committee_member, ministry_a
):
    _cocreated(cycle, secretariat, citizen, committee_member, ministry_a)
    version = _generate(cycle, secretariat)
    section = version.content["sections"]["cocreation"]
    assert section["title"] == TITLES
    facts = {label["en"]: value for label, value in section["facts"]}
    # The citizen who proposed, the member who supported, three people registered.
    assert facts["Participants"] == "5"
    assert facts["Supports"] == "1"
    assert facts["Proposals"] == "3"
    assert facts["Proposals accepted"] == facts["Proposals merged"] == "1"
    assert facts["Proposals rejected"] == "1"
    assert facts["Proposals with a published reasoned response"] == "2"
    assert facts["Participatory meetings"] == "1"
    assert facts["Registered for the meetings"] == "3"
    assert facts["Attended the meetings"] == "2"
    tables = {t["title"]["en"]: t for t in section["tables"]}
    assert [row[0]["en"] for row in tables["Phases"]["rows"]][:2] == [
        "Agree the method and propose themes",
        "Collect ideas and proposals",
    ]
    workshop = tables["Participatory meetings"]["rows"][0]
    assert workshop[1] == {"ar": "ورشة الرباط", "fr": "Atelier de Rabat", "en": ""}
    assert workshop[4:] == ["3", "2"]
    by_gender = {
        row[0]["fr"]: row[1:]
        for row in tables["Meeting participants by gender (where given)"]["rows"]
    }
    assert by_gender == {"Femme": ["1", "1"], "Homme": ["1", "1"], "Non indiqué": ["1", "0"]}
    by_kind = {
        row[0]["en"]: row[1:]
        for row in tables["Meeting participants by kind of organisation"]["rows"]
    }
    assert by_kind["Civil society organisation"] == ["1", "1"]
    assert by_kind["Citizen (in a personal capacity)"] == ["1", "0"]

    # Rendered in every language, in the PDF and in the DOCX (tables right to left in
    # Arabic), after the introduction and before the participation during implementation.
    for language in ("ar", "fr", "en"):
        text = _pdf_text(version.content, language)
        assert TITLES[language] in text, language
        assert RESPONDED[language] in text, language
        assert BY_GENDER[language] in text, language
        report = build_report(version.content, language)
        xml = _docx_xml(version.content, language)
        assert TITLES[language] in xml and RESPONDED[language] in xml
        assert xml.index(TITLES[language]) < xml.index(report.labels["participation"])
        assert xml.index(report.introduction[:20]) < xml.index(TITLES[language])
        assert ("<w:bidiVisual/>" in xml) == (language == "ar")
        if language == "ar":
            assert xml.count("<w:bidiVisual/>") == xml.count("<w:tbl>")
    html = build_report(version.content, "en")
    assert html.sections[0].tables[1].rows[0][1] == "ورشة الرباط"  # falls back to Arabic

    # The kept version does not follow later changes of the co-creation's data.
    MeetingRegistration.objects.all().delete()
    version.refresh_from_db()
    assert version.content["sections"]["cocreation"] == section


def test_a_plan_prepared_without_the_platform_says_so(cycle, secretariat):
    version = _generate(cycle, secretariat)
    section = version.content["sections"]["cocreation"]
    assert section["title"] == TITLES and "tables" not in section
    for language in ("ar", "fr", "en"):
        assert TITLES[language] in _pdf_text(version.content, language)
        assert NONE[language] in _docx_xml(version.content, language)


def test_a_version_captured_before_the_sections_still_builds(cycle, secretariat):
    version = _generate(cycle, secretariat)
    old = {k: v for k, v in version.content.items() if k != "sections"} | {"schema": 1}
    for language in ("ar", "fr", "en"):
        report = build_report(old, language)
        assert report.sections == []
        assert TITLES[language] not in _docx_xml(old, language)
        assert report.labels["introduction"] in _pdf_text(old, language)
