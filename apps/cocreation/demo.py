"""The demo's co-creation: the seed's process for the third national action plan, with
the five phases and months the steering committee agreed on 28 March 2023 (method and
themes in April, ideas and proposals May–September, priorities in October, commitment
cards in November, adoption in December), Morocco's twelve regions, five themes and a
few proposals in Arabic and French with their supports and comments, and the ideas
phase's first participatory meetings (a regional workshop in Fès, an online thematic
consultation, a regional workshop in Oujda held in person and online) with their
participants, attendance and the idea captured in Fès.

The story stops in the ideas phase: it is still under way, so that the demo takes
proposals (the timeline marks it late against its September window). Everything is
written through the app's actions, then dated inside the story (April–June 2023): the
actions stamp their rows and audit entries with the moment the demo is loaded."""

from __future__ import annotations

import datetime
import zoneinfo
from dataclasses import dataclass, replace

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from apps.accounts.models import User, system_user
from apps.cocreation import actions, meetings
from apps.cocreation.models import (
    Comment,
    Follow,
    Gender,
    MeetingFormat,
    MeetingKind,
    MeetingRegistration,
    MeetingScope,
    OrganisationKind,
    ParticipatoryMeeting,
    Phase,
    PhaseKey,
    Process,
    Proposal,
    Region,
    Support,
    Theme,
)
from apps.core.models import AuditLog
from apps.plans.models import ActionPlan

SLUG = "morocco-third-plan"
CASABLANCA = zoneinfo.ZoneInfo("Africa/Casablanca")

REGIONS = [
    (
        "tanger-tetouan-al-hoceima",
        "طنجة تطوان الحسيمة",
        "Tanger-Tétouan-Al Hoceïma",
        "Tangier-Tetouan-Al Hoceima",
    ),
    ("oriental", "الشرق", "Oriental", "Oriental"),
    ("fes-meknes", "فاس مكناس", "Fès-Meknès", "Fez-Meknes"),
    ("rabat-sale-kenitra", "الرباط سلا القنيطرة", "Rabat-Salé-Kénitra", "Rabat-Sale-Kenitra"),
    ("beni-mellal-khenifra", "بني ملال خنيفرة", "Béni Mellal-Khénifra", "Beni Mellal-Khenifra"),
    ("casablanca-settat", "الدار البيضاء سطات", "Casablanca-Settat", "Casablanca-Settat"),
    ("marrakech-safi", "مراكش آسفي", "Marrakech-Safi", "Marrakesh-Safi"),
    ("draa-tafilalet", "درعة تافيلالت", "Drâa-Tafilalet", "Draa-Tafilalet"),
    ("souss-massa", "سوس ماسة", "Souss-Massa", "Souss-Massa"),
    ("guelmim-oued-noun", "كلميم واد نون", "Guelmim-Oued Noun", "Guelmim-Oued Noun"),
    (
        "laayoune-sakia-el-hamra",
        "العيون الساقية الحمراء",
        "Laâyoune-Sakia El Hamra",
        "Laayoune-Sakia El Hamra",
    ),
    ("dakhla-oued-ed-dahab", "الداخلة وادي الذهب", "Dakhla-Oued Ed-Dahab", "Dakhla-Oued Ed-Dahab"),
]

# The five thematic groups of the second plan, proposed again as the third plan's axes.
THEMES = [
    (
        "الشفافية وجودة الخدمات العمومية",
        "Transparence et qualité des services publics",
        "Transparency and quality of public services",
    ),
    ("المساواة والإدماج", "Égalité et inclusion", "Equality and inclusiveness"),
    ("العدالة المنفتحة", "Justice ouverte", "Open justice"),
    ("المشاركة المواطنة", "Participation citoyenne", "Citizen participation"),
    (
        "الجماعات الترابية المنفتحة",
        "Collectivités territoriales ouvertes",
        "Open local communities",
    ),
]

# (author username, public name, language, theme index, region slug, title, problem,
#  solution, values)
PROPOSALS = [
    (
        "demo-salma",
        "سلمى، جمعية شباب الحي",
        "ar",
        0,
        "rabat-sale-kenitra",
        "نشر آجال معالجة الطلبات الإدارية",
        "لا يعرف المرتفقون متى ستعالج طلباتهم ولا أين توجد في مسار المعالجة.",
        "نشر آجال المعالجة لكل خدمة وتمكين المرتفق من تتبع طلبه عبر الإنترنت.",
        ["access_to_information", "technology_innovation"],
    ),
    (
        "demo-youssef",
        "Youssef B.",
        "fr",
        3,
        "casablanca-settat",
        "Budget participatif dans les communes",
        "Les habitants ne sont pas associés au choix des projets financés par leur commune.",
        "Réserver une part du budget d'investissement des communes à des projets proposés "
        "et votés par les habitants, avec un suivi public.",
        ["civic_participation", "public_accountability"],
    ),
    (
        "demo-khadija",
        "خديجة",
        "ar",
        1,
        "draa-tafilalet",
        "إشراك النساء القرويات في إعداد برامج التنمية",
        "ضعف حضور النساء في القرى في اللقاءات التشاورية للجماعات.",
        "تنظيم لقاءات تشاورية في أوقات وأماكن ملائمة ونشر نتائجها.",
        ["civic_participation"],
    ),
    (
        "demo-youssef",
        "Youssef B.",
        "fr",
        2,
        "fes-meknes",
        "Publier les décisions de justice anonymisées",
        "Les décisions des tribunaux sont difficiles d'accès pour les citoyens et les chercheurs.",
        "Publier en ligne, en format ouvert, les décisions anonymisées des juridictions.",
        ["access_to_information", "technology_innovation"],
    ),
    (
        "demo-salma",
        "سلمى، جمعية شباب الحي",
        "ar",
        4,
        "souss-massa",
        "بث دورات المجالس الجماعية مباشرة",
        "لا يستطيع أغلب السكان حضور دورات المجالس الجماعية.",
        "بث الدورات مباشرة على الإنترنت ونشر محاضرها في أجل شهر.",
        ["access_to_information", "public_accountability"],
    ),
    (
        "demo-khadija",
        "خديجة",
        "ar",
        3,
        "rabat-sale-kenitra",
        "ميزانية تشاركية في الجماعات",
        "لا يشارك السكان في اختيار مشاريع جماعتهم.",
        "تخصيص جزء من ميزانية الجماعة لمشاريع يقترحها السكان ويصوتون عليها.",
        ["civic_participation"],
    ),
]

SUPPORTS = {
    0: ["demo-youssef", "demo-khadija"],
    1: ["demo-salma", "demo-khadija"],
    3: ["demo-salma"],
    4: ["demo-youssef"],
}


def _moment(month: int, day: int, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime(2023, month, day, hour, minute, tzinfo=CASABLANCA)


# The story's moments: the process set up when the method phase started, the themes
# agreed when it closed, one proposal every six days from 8 May, the duplicate merged
# after the last one.
SET_UP_AT = _moment(4, 3, 9)
THEMES_AGREED_AT = _moment(4, 28, 16)
IDEAS_OPENED_AT = _moment(5, 2, 9)
FIRST_PROPOSAL_AT = _moment(5, 8, 10)
MERGED_AT = _moment(6, 9, 11)
CITIZENS_JOINED_AT = _moment(5, 5, 18)


def _submitted_at(index: int) -> datetime.datetime:
    return FIRST_PROPOSAL_AT + datetime.timedelta(days=6 * index)


@dataclass(frozen=True)
class DemoMeeting:
    announced_at: datetime.datetime
    kind: str
    scope: str
    format: str
    titles: dict[str, str]
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    people: list[tuple[str, str, str, str, str, bool]]
    place: str = ""
    link: str = ""
    capacity: int | None = None
    region: str | None = None
    theme: int | None = None
    outputs: str = ""


# The ideas phase's participatory meetings. People are invented; each registration is
# (name, seat or organisation, kind of organisation, region, gender or "" when not
# given, attended). The secretariat entered the registrations it received by mail and
# telephone, one a day from the day after the meeting was announced.
MEETINGS = [
    DemoMeeting(
        announced_at=_moment(5, 22, 10),
        kind=MeetingKind.WORKSHOP,
        scope=MeetingScope.REGIONAL,
        format=MeetingFormat.IN_PERSON,
        titles={
            "ar": "الورشة الجهوية لجهة فاس مكناس",
            "fr": "Atelier régional de Fès-Meknès",
            "en": "Fez-Meknes regional workshop",
        },
        starts_at=_moment(6, 10, 9, 30),
        ends_at=_moment(6, 10, 13),
        place="فاس، مقر مجلس الجهة",
        link="",
        capacity=30,
        region="fes-meknes",
        theme=None,
        outputs=(
            "ناقش المشاركون انفتاح الجماعات الترابية والولوج إلى المعلومات على المستوى "
            "المحلي. سُجّلت فكرة واحدة مقترحا على المنصة (نشر معطيات مشاريع الجماعات)، "
            "وأوصت الورشة بتنظيم لقاء ثان في إقليم تازة."
        ),
        people=[
            (
                "يوسف العلمي",
                "جمعية أفق للتنمية المحلية",
                OrganisationKind.CIVIL_SOCIETY,
                "fes-meknes",
                Gender.MALE,
                True,
            ),
            (
                "فاطمة الزهراء بناني",
                "",
                OrganisationKind.CITIZEN,
                "fes-meknes",
                Gender.FEMALE,
                True,
            ),
            (
                "Hicham Tazi",
                "Commune de Meknès",
                OrganisationKind.LOCAL_AUTHORITY,
                "fes-meknes",
                Gender.MALE,
                True,
            ),
            (
                "سناء الإدريسي",
                "مختبر الدراسات الدستورية والحكامة",
                OrganisationKind.ACADEMIA,
                "fes-meknes",
                Gender.FEMALE,
                True,
            ),
            (
                "عبد الرحيم الشرقاوي",
                "المديرية الجهوية لإصلاح الإدارة",
                OrganisationKind.GOVERNMENT,
                "fes-meknes",
                Gender.MALE,
                True,
            ),
            (
                "Karima Ouazzani",
                "Association Jeunes pour la citoyenneté",
                OrganisationKind.CIVIL_SOCIETY,
                "beni-mellal-khenifra",
                Gender.FEMALE,
                False,
            ),
            ("إدريس بوزيان", "", OrganisationKind.CITIZEN, "fes-meknes", "", True),
        ],
    ),
    DemoMeeting(
        announced_at=_moment(6, 5, 10),
        kind=MeetingKind.CONSULTATION,
        scope=MeetingScope.THEMATIC,
        format=MeetingFormat.ONLINE,
        titles={
            "ar": "استشارة موضوعاتية عن بعد: المساواة والإدماج",
            "fr": "Consultation thématique en ligne : égalité et inclusion",
            "en": "Online thematic consultation: equality and inclusiveness",
        },
        starts_at=_moment(6, 21, 15),
        ends_at=_moment(6, 21, 17),
        place="",
        link="https://visio.example.org/sharaka/egalite-inclusion",
        capacity=100,
        region=None,
        theme=1,
        outputs="",
        people=[
            (
                "Nadia El Amrani",
                "Association Horizons Femmes",
                OrganisationKind.CIVIL_SOCIETY,
                "casablanca-settat",
                Gender.FEMALE,
                True,
            ),
            (
                "خديجة أيت باها",
                "تعاونية الأمل النسائية",
                OrganisationKind.CIVIL_SOCIETY,
                "souss-massa",
                Gender.FEMALE,
                True,
            ),
            (
                "Mehdi Benjelloun",
                "Radio associative Sawt Al Hay",
                OrganisationKind.MEDIA,
                "rabat-sale-kenitra",
                Gender.MALE,
                False,
            ),
            (
                "أمينة السوسي",
                "قطاع التضامن والإدماج الاجتماعي",
                OrganisationKind.GOVERNMENT,
                "rabat-sale-kenitra",
                "",
                True,
            ),
            ("Omar Lahlou", "", OrganisationKind.CITIZEN, "oriental", Gender.MALE, True),
            (
                "ليلى الحسني",
                "باحثة في علم الاجتماع",
                OrganisationKind.ACADEMIA,
                "draa-tafilalet",
                Gender.FEMALE,
                True,
            ),
            (
                "Rachid Amzil",
                "Atlas Conseil",
                OrganisationKind.PRIVATE_SECTOR,
                "marrakech-safi",
                Gender.MALE,
                False,
            ),
        ],
    ),
    DemoMeeting(
        announced_at=_moment(6, 12, 10),
        kind=MeetingKind.WORKSHOP,
        scope=MeetingScope.REGIONAL,
        format=MeetingFormat.HYBRID,
        titles={
            "ar": "الورشة الجهوية لجهة الشرق",
            "fr": "Atelier régional de l'Oriental",
            "en": "Oriental regional workshop",
        },
        starts_at=_moment(6, 24, 10),
        ends_at=_moment(6, 24, 13),
        place="وجدة، مقر مجلس الجهة",
        link="https://visio.example.org/sharaka/oriental",
        capacity=25,
        region="oriental",
        theme=None,
        outputs="",
        people=[
            (
                "محمد الزياني",
                "جمعية الشرق للمواطنة",
                OrganisationKind.CIVIL_SOCIETY,
                "oriental",
                Gender.MALE,
                True,
            ),
            (
                "حفيظة بلقاسم",
                "جماعة وجدة",
                OrganisationKind.LOCAL_AUTHORITY,
                "oriental",
                Gender.FEMALE,
                True,
            ),
            ("يونس المساوي", "", OrganisationKind.CITIZEN, "oriental", "", True),
            ("Zineb Kaddouri", "", OrganisationKind.CITIZEN, "fes-meknes", Gender.FEMALE, False),
        ],
    ),
]

# The idea raised at the Fès workshop, captured on the spot, crediting the two people
# who raised it (registrations of that meeting, by name).
CAPTURED_AT = _moment(6, 10, 12, 15)
CAPTURED_AT_MEETING = 0
CREDITED = ["يوسف العلمي", "فاطمة الزهراء بناني"]  # in the order they registered
CAPTURED_THEME = 4
CAPTURED_IDEA = actions.ProposalDraft(
    author_name="",
    language="ar",
    title="نشر معطيات مفتوحة عن مشاريع الجماعات وتقدم إنجازها",
    problem="لا يعرف السكان المشاريع المبرمجة في جماعتهم ولا كلفتها ولا مدى تقدم أشغالها.",
    solution=(
        "نشر لائحة مشاريع كل جماعة بصيغة مفتوحة، مع كلفتها والجهة المنفذة ونسبة إنجازها، "
        "وتحيينها كل ثلاثة أشهر."
    ),
    values=["access_to_information", "public_accountability"],
)


class _Clock:
    """Dates inside the story the audit entries the actions write (stamped now)."""

    def __init__(self) -> None:
        self.mark = self._last()

    @staticmethod
    def _last() -> int:
        return AuditLog.objects.aggregate(last=Max("pk"))["last"] or 0

    def at(self, moment: datetime.datetime) -> None:
        """The entries written since the last call happened at ``moment``."""
        AuditLog.objects.filter(pk__gt=self.mark).update(at=moment)
        self.mark = self._last()


def _citizen(username: str) -> User:
    user, _created = User.objects.get_or_create(
        username=username,
        defaults={
            "email": f"{username}@example.org",
            "password": make_password(None),
            "preferred_language": "fr" if username == "demo-youssef" else "ar",
        },
    )
    return user


def reset_cocreation_demo() -> None:
    process = Process.objects.filter(slug=SLUG).first()
    if process is not None:
        process.proposals.filter(merged_into__isnull=False).delete()
        process.delete()


def _set_up(plan: ActionPlan, platform: User, clock: _Clock) -> tuple[Process, list[Theme]]:
    """The process, its method phase (April) and its agreed themes; the ideas phase opened."""
    process = actions.do_create_process(
        slug=SLUG,
        year=2023,
        titles={
            "ar": "الصياغة التشاركية لخطة العمل الوطنية الثالثة",
            "fr": "Co-création du troisième plan d'action national",
            "en": "Co-creation of the third national action plan",
        },
        member=plan.member,
        previous_plan=plan,
        acting_user=platform,
    )
    Process.objects.filter(pk=process.pk).update(created_at=SET_UP_AT)
    phases = {p.key: p for p in process.phases.all()}
    actions.do_start_phase(phases[PhaseKey.METHOD], acting_user=platform, on=SET_UP_AT.date())
    themes = [
        actions.do_save_theme(process, titles={"ar": ar, "fr": fr, "en": en}, acting_user=platform)
        for ar, fr, en in THEMES
    ]
    clock.at(SET_UP_AT)
    for theme in themes:
        actions.do_agree_theme(theme, acting_user=platform, on=THEMES_AGREED_AT.date())
    actions.do_complete_phase(
        phases[PhaseKey.METHOD], acting_user=platform, on=THEMES_AGREED_AT.date()
    )
    clock.at(THEMES_AGREED_AT)
    actions.do_start_phase(phases[PhaseKey.IDEAS], acting_user=platform, on=IDEAS_OPENED_AT.date())
    clock.at(IDEAS_OPENED_AT)
    return process, themes


def _comment_at(comment: Comment, at: datetime.datetime, clock: _Clock) -> None:
    Comment.objects.filter(pk=comment.pk).update(created_at=at)
    clock.at(at)


def _load_proposals(process: Process, themes: list[Theme], platform: User, clock: _Clock) -> None:
    """The citizens' proposals, supports and comments of May–June, and the merge of a
    duplicate."""
    regions = {r.slug: r for r in Region.objects.all()}
    proposals = []
    for index, row in enumerate(PROPOSALS):
        username, name, language, axis, region, title, problem, solution, values = row
        proposal = actions.do_submit_proposal(
            process,
            actions.ProposalDraft(
                author_name=name,
                language=language,
                title=title,
                problem=problem,
                solution=solution,
                theme=themes[axis],
                region=regions[region],
                values=values,
            ),
            acting_user=_citizen(username),
        )
        day = _submitted_at(index)
        Proposal.objects.filter(pk=proposal.pk).update(created_at=day)
        Follow.objects.filter(proposal=proposal).update(created_at=day)
        clock.at(day)
        proposals.append(proposal)
    for index, usernames in SUPPORTS.items():
        for username in usernames:
            actions.do_support(proposals[index], acting_user=_citizen(username))
        day = _submitted_at(index) + datetime.timedelta(days=2)
        Support.objects.filter(proposal=proposals[index]).update(created_at=day)
        clock.at(day)
    asked_at = _submitted_at(0) + datetime.timedelta(days=1)
    question = actions.do_comment(
        proposals[0],
        "هل يشمل المقترح الخدمات المقدمة على مستوى الجماعات أيضا؟",
        acting_user=_citizen("demo-khadija"),
        author_name="خديجة",
    )
    _comment_at(question, asked_at, clock)
    answer = actions.do_comment(
        proposals[0],
        "نعم، كل الخدمات التي يطلبها المرتفق، بما فيها خدمات الجماعات.",
        acting_user=_citizen("demo-salma"),
        author_name="سلمى، جمعية شباب الحي",
        parent=question,
    )
    _comment_at(answer, asked_at + datetime.timedelta(hours=3), clock)
    praise = actions.do_comment(
        proposals[1],
        "Excellente idée : plusieurs communes l'ont déjà essayé avec succès.",
        acting_user=_citizen("demo-salma"),
        author_name="Salma",
    )
    _comment_at(praise, _submitted_at(1) + datetime.timedelta(days=1), clock)
    # The same idea twice: the secretariat merges the Arabic one into the French one.
    actions.do_merge_proposal(
        proposals[5],
        proposals[1],
        response=(
            "مقترح مماثل للمقترح رقم 2 (الميزانية التشاركية): "
            "دمج المقترحين وتجميع دعمهما وتعليقاتهما."
        ),
        acting_user=platform,
    )
    Proposal.objects.filter(pk=proposals[5].pk).update(decided_at=MERGED_AT)
    clock.at(MERGED_AT)


def _load_meetings(
    process: Process, themes: list[Theme], secretariat: User, clock: _Clock
) -> list[ParticipatoryMeeting]:
    """The ideas phase's meetings, announced, filled, held (the idea captured in Fès) and
    their attendance recorded, through the meetings' actions."""
    ideas = Phase.objects.get(process=process, key=PhaseKey.IDEAS)
    regions = {r.slug: r for r in Region.objects.all()}
    held = []
    for index, spec in enumerate(MEETINGS):
        meeting = meetings.do_save_meeting(
            process,
            meetings.MeetingData(
                kind=spec.kind,
                scope=spec.scope,
                format=spec.format,
                titles=spec.titles,
                starts_at=spec.starts_at,
                ends_at=spec.ends_at,
                place=spec.place,
                link=spec.link,
                capacity=spec.capacity,
                phase=ideas,
                region=regions[spec.region] if spec.region else None,
                theme=themes[spec.theme] if spec.theme is not None else None,
                outputs=spec.outputs,
            ),
            acting_user=secretariat,
        )
        ParticipatoryMeeting.objects.filter(pk=meeting.pk).update(created_at=spec.announced_at)
        clock.at(spec.announced_at)
        registrations = {}
        present = []
        for day, (name, organisation, kind, home, gender, attended) in enumerate(
            spec.people, start=1
        ):
            registration = meetings.do_register(
                meeting,
                meetings.Registrant(
                    name=name,
                    organisation=organisation,
                    organisation_kind=kind,
                    region=regions[home],
                    gender=gender,
                ),
                acting_user=secretariat,
                for_someone_else=True,
            )
            at = spec.announced_at + datetime.timedelta(days=day, hours=1)
            MeetingRegistration.objects.filter(pk=registration.pk).update(registered_at=at)
            clock.at(at)
            registrations[name] = registration
            if attended:
                present.append(registration.pk)
        if index == CAPTURED_AT_MEETING:
            idea = meetings.do_capture_idea(
                meeting,
                replace(CAPTURED_IDEA, theme=themes[CAPTURED_THEME]),
                credited=[registrations[name] for name in CREDITED],
                acting_user=secretariat,
            )
            Proposal.objects.filter(pk=idea.pk).update(created_at=CAPTURED_AT)
            clock.at(CAPTURED_AT)
        meetings.do_record_attendance(meeting, present=present, acting_user=secretariat)
        clock.at(spec.ends_at + datetime.timedelta(hours=1))
        held.append(meeting)
    return held


@transaction.atomic
def load_cocreation_demo(plan: ActionPlan) -> Process:
    """The seed's third-plan process (once: a second run changes nothing)."""
    existing = Process.objects.filter(slug=SLUG).first()
    if existing is not None:
        return existing
    loading_started = timezone.now()
    clock = _Clock()
    platform = system_user()
    # The tracking demo creates the secretariat's demo account; without it, the platform.
    secretariat = User.objects.filter(username="demo-secretariat").first() or platform
    for order, (slug, ar, fr, en) in enumerate(REGIONS, start=1):
        Region.objects.get_or_create(
            slug=slug, defaults={"order": order, "name_ar": ar, "name_fr": fr, "name_en": en}
        )
    process, themes = _set_up(plan, platform, clock)
    _load_proposals(process, themes, platform, clock)
    _load_meetings(process, themes, secretariat, clock)
    User.objects.filter(username__startswith="demo-", date_joined__gte=loading_started).update(
        date_joined=CITIZENS_JOINED_AT
    )
    User.objects.filter(pk=platform.pk, date_joined__gte=loading_started).update(
        date_joined=SET_UP_AT
    )
    return process
