"""The demo meeting: the steering committee of 28 March 2023, as the seed minutes tell it.

Participants, absent bodies, agenda, opening remarks, discussion and the agreed point
are the seed's words; the progress snapshot is frozen from the demo plan (whose figures
are the seed's) with the seed's notes (read by :func:`apps.plans.seed.read_progress_table`).
Loading is idempotent: a second run changes nothing.
"""

from __future__ import annotations

import datetime
import zoneinfo
from typing import Any

from django.db import transaction
from django.utils import timezone

from apps.accounts import system_user
from apps.accounts.models import Institution, User
from apps.committees import actions
from apps.committees.models import (
    AttendanceStatus,
    Committee,
    CommitteeDocument,
    Honorific,
    Invitation,
    Meeting,
    Member,
    Seat,
)
from apps.core.models import AuditLog
from apps.plans.models import ActionPlan
from apps.plans.seed import read_progress_table

COMMITTEE_SLUG = "steering-committee"
# The seed gives the day, not the hour.
MEETING_START = datetime.datetime(2023, 3, 28, 10, 0, tzinfo=zoneinfo.ZoneInfo("Africa/Casablanca"))

MR, MS = Honorific.MR, Honorific.MS
EXPERT = (
    "خبيرة في مجال الحكومة المنفتحة",
    "Experte en gouvernement ouvert",
    "Open government expert",
)
# honorific, name, institution slug (None: independent expert), remote, role
PARTICIPANTS: list[tuple[str, str, str | None, bool, str]] = [
    (MS, "سارة العمراني", "mtnra", False, Member.Role.SECRETARIAT),
    (MS, "وئام المستمد", "mtnra", False, Member.Role.SECRETARIAT),
    (MS, "محاسن العمري العمراني", None, False, Member.Role.MEMBER),
    (MR, "الحسين فردوس", "mcrp", False, Member.Role.MEMBER),
    (MS, "أسماء الرُّكْرَاجِي", "justice", False, Member.Role.MEMBER),
    (MS, "هاجر الشرقاوي", "budget", False, Member.Role.MEMBER),
    (MS, "بسمة ملوك", "budget", False, Member.Role.MEMBER),
    (MS, "فاطمة الزهراء بنعويش", "mtedd", False, Member.Role.MEMBER),
    (MR, "رشيد الأعوج", "solidarity", False, Member.Role.MEMBER),
    (MR, "نورالدين لصفر", "add", False, Member.Role.MEMBER),
    (MR, "ياسر الشقيري", "inpplc", True, Member.Role.MEMBER),
    (MR, "عبد العزيز الجناتي", "opemh-tanger", True, Member.Role.MEMBER),
    (MR, "أيمن أماليك", "4chabab", False, Member.Role.MEMBER),
    (MR, "السويدي صلاحي", "forum-sahara", False, Member.Role.MEMBER),
    (MR, "عبد المالك أصريح", "colombe-blanche", True, Member.Role.MEMBER),
    (MR, "احمد انجار", "librat", True, Member.Role.MEMBER),
    (MR, "رزوقي الميلود", "attaawoun", True, Member.Role.MEMBER),
    (MR, "سعيد شكري", "amcdd", True, Member.Role.MEMBER),
    (MR, "يوسف ربحي", "alternatives-citoyennes", True, Member.Role.MEMBER),
    (MR, "ياسين الريخ", "moultaqa-bladi", False, Member.Role.MEMBER),
    (MS, "هدنة بناني", "adfm", False, Member.Role.MEMBER),
]
ABSENT_BODIES = ["dgct", "education", "health", "nissae-bladi"]

SEATS = {
    Institution.Kind.GOVERNMENT: Seat.GOVERNMENT,
    Institution.Kind.CIVIL_SOCIETY: Seat.CIVIL_SOCIETY,
    Institution.Kind.GOVERNANCE_BODY: Seat.GOVERNANCE_BODY,
}

PLACE = (
    "وزارة الانتقال الرقمي وإصلاح الإدارة",
    "Ministère de la Transition Numérique et de la Réforme de l'Administration",
    "Ministry of Digital Transition and Administrative Reform",
)

OPENING_REMARKS = (
    "الترحيب بأعضاء اللجنة ممثلي المجتمع المدني وكذا ممثلي الإدارات والمؤسسات العمومية وهيئات "
    "الحكامة وتمنيتهم بمناسبة حلول شهر رمضان والدعوة إلى تكثيف الجهود لتنفيذ الأنشطة المتبقية "
    "في إطار خطة العمل الوطنية للحكومة المنفتحة للفترة 2021-2023 في الأجل المحددة.",
    "Accueil des membres du comité représentant la société civile ainsi que les administrations, "
    "les établissements publics et les instances de gouvernance, vœux à l'occasion du mois de "
    "Ramadan et appel à intensifier les efforts pour mettre en œuvre les activités restantes du "
    "plan d'action national pour un gouvernement ouvert 2021-2023 dans les délais.",
    "Welcome to the committee members representing civil society, public administrations and "
    "institutions and governance bodies, Ramadan greetings, and a call to step up efforts to "
    "carry out the remaining activities of the 2021-2023 national open government action plan "
    "on time.",
)

STAGES = "المراحل"
TIMELINE = "الجدول الزمني"

AGENDA: list[dict[str, Any]] = [
    {
        "title": (
            "تقديم تنفيذ الالتزامات المدرجة في خطة العمل الوطنية للفترة 2021 – 2023",
            "Présentation de la mise en œuvre des engagements du plan d'action national 2021 – 2023",  # noqa: E501
            "Implementation of the commitments of the 2021 – 2023 national action plan",
        ),
        "shows_progress": True,
        "blocks": [],
    },
    {
        "title": (
            "تقرير التقييم الذاتي لخطة العمل الوطنية للحكومة المنفتحة",
            "Rapport d'auto-évaluation du plan d'action national pour un gouvernement ouvert",
            "Self-assessment report of the national open government action plan",
        ),
        "blocks": [
            {
                "kind": "paragraph",
                "text": "تم الإتفاق على الجدول الزمني والمراحل التي يجب اتخاذها من أجل إعداد تقرير "
                "التقييم الذاتي السنوي لخطة العمل الوطنية للحكومة المنفتحة 2021 – 2023",
            },
            {
                "kind": "table",
                "headers": [STAGES, TIMELINE],
                "rows": [
                    ["تحيين منصة التتبع", "ابريل – ماي 2023"],
                    ["استكمال ترجمة الأنشطة المنجزة", "ابريل – ماي 2023"],
                    ["الإصدار التلقائي للتقرير من المنصة", "ماي 2023"],
                    ["مراجعة التقرير من قبل لجنتي الإشراف والتتبع", "ماي – يونيو 2023"],
                    ["تنظيم استشارة حولة تقرير التقييم الذاتي", "يونيو 2023"],
                    [
                        "المصادقة على التقرير النهائي ونشره وإرساله إلى وحدة الدعم لشراكة الحكومة المفتوحة",  # noqa: E501
                        "يوليو 2023",
                    ],
                ],
            },
        ],
    },
    {
        "title": (
            "منهجية الصياغة التشاركية لخطة العمل الوطنية الثالثة",
            "Méthodologie de co-création du troisième plan d'action national",
            "Co-creation methodology of the third national action plan",
        ),
        "blocks": [
            {
                "kind": "paragraph",
                "text": "تم التذكير بمنهجية الصياغة التشاركية لخطة العمل الوطنية الثانية والجوانب التي "  # noqa: E501
                "يجب تطويرها وتحسينها في إطار الصياغة التشاركية لخطة العمل الوطنية الثالثة، "
                "مناقشة بعض لاسيما مايتعلق ب:",
            },
            {
                "kind": "list",
                "items": [
                    "محاور الخطة الجديدة",
                    "طريقة تنظيم وتنشيط اللقاءات التشاركية",
                    "عدد ومحتوى الالتزامات الجديدة وكيفية التركيز على درجة الأثر",
                ],
            },
            {
                "kind": "paragraph",
                "text": "ولقد تم أيضا التوافق حول الجدول الزمني للصياغة التشاركية لخطة العمل الوطنية "  # noqa: E501
                "الثالثة :",
            },
            {
                "kind": "table",
                "headers": [STAGES, TIMELINE],
                "rows": [
                    ["التوافق حول المنهجية / اقتراح المحاور", "ابريل 2023"],
                    ["تجميع الأفكار والمقترحات", "ماي - شتنبر 2023"],
                    ["تحديد الأولويات والمؤسسات المعنية بتنزيل مشاريع الالتزامات", "أكتوبر 2023"],
                    ["صياغة بطاقات مشاريع الالتزامات", "نونبر 2023"],
                    ["المصادقة وتبني خطة العمل الوطنية", "دجنبر 2023"],
                ],
            },
        ],
    },
    {
        # The seed's agenda spells it "حكمة", its section heading "حكامة" (governance).
        "title": (
            "حكامة لجنة الإشراف",
            "Gouvernance du comité de pilotage",
            "Governance of the steering committee",
        ),
        "note": (
            "(باقتراح من ممثل الائتلاف المغربي من أجل المناخ والتنمية المستدامة)",
            "(proposé par le représentant de l'Alliance Marocaine pour le Climat et le "
            "Développement Durable)",
            "(proposed by the representative of the Moroccan Alliance for Climate and "
            "Sustainable Development)",
        ),
        "blocks": [
            {
                "kind": "paragraph",
                "text": "لقد تم التذكير بدليل لجنة الإشراف الذي يعد ثمرة العمل التشاركي لجميع أعضاء "  # noqa: E501
                "لجنة الإشراف والذي يمكن من وضع ضوابط اشتغال هذه اللجنة أخصاً بعين الاعتبار "
                "المعايير التي تنص عليها شراكة الحكومة المنفتحة في هذا الشأن. كما يمكن هذا الدليل "
                "من توضيح أدوار ومسؤوليات أعضاء لجنة الإشراف وعلاقتهم مع باقي الأطراف المعنية "
                "بورش الحكومة المنفتحة بالمغرب، وذلك خلال المراحل المختلفة لدورة خطة العمل "
                "الوطنية للحكومة المنفتحة (الإعداد المشترك والتنفيذ المشترك والتقييم المشترك).",
            },
            {
                "kind": "paragraph",
                "text": "وفي هذا الإطار تم اقتراح تقييم مدى احترام مقتضيات هذا الدليل وكذا إمكانية "
                "إدراج تفاصيل جديدة متعلقة بالمشاركة في التظاهرات المتعلقة بالحكومة المنفتحة.",
            },
        ],
    },
]

DECISION = (
    "تنظيم ورشة عمل لمدة يومين، سيتم خلالها تكوين أعضاء لجنة الإشراف حول معايير الصياغة "
    "التشاركية ومنهجية وأدوات تنشيط اللقاءات التشاورية وذلك في إطار التحضير للصياغة التشاركية "
    "لخطة العمل الوطنية الثالثة. كما سيتم خلال هذه الورشة التوافق بشأن تفاصيل منهجية الصياغة "
    "التشاركية لهذه الخطة.",
    "Organiser un atelier de deux jours pour former les membres du comité de pilotage aux "
    "standards de co-création et aux méthodes et outils d'animation des consultations, en "
    "préparation de la co-création du troisième plan d'action national, et s'y accorder sur les "
    "détails de la méthodologie de co-création de ce plan.",
    "Hold a two-day workshop to train the steering committee's members in the co-creation "
    "standards and in the methods and tools for running consultations, in preparation for the "
    "co-creation of the third national action plan, and to agree there on the details of its "
    "co-creation methodology.",
)
ACTION_ITEM = (
    "تنظيم ورشة عمل لمدة يومين لتكوين أعضاء لجنة الإشراف حول الصياغة التشاركية",
    "Organiser un atelier de deux jours de formation des membres du comité de pilotage à la "
    "co-création",
    "Hold a two-day workshop training the steering committee's members in co-creation",
)
# The workshop prepares the first co-creation stage, "agreeing on the methodology"
# (April 2023 in the timeline agreed at the meeting): due at the end of April.
ACTION_DUE = datetime.date(2023, 4, 30)

GUIDE = (
    ("دليل لجنة الإشراف", "Guide du comité de pilotage", "Steering committee guide"),
    (
        "ثمرة العمل التشاركي لجميع أعضاء لجنة الإشراف، يضع ضوابط اشتغال اللجنة آخذاً بعين "
        "الاعتبار المعايير التي تنص عليها شراكة الحكومة المنفتحة، ويوضح أدوار ومسؤوليات أعضائها "
        "وعلاقتهم مع باقي الأطراف المعنية خلال مراحل دورة خطة العمل الوطنية (الإعداد المشترك "
        "والتنفيذ المشترك والتقييم المشترك).",
        "Fruit du travail participatif de tous les membres du comité, il fixe les règles de "
        "fonctionnement du comité au regard des standards du Partenariat pour un Gouvernement "
        "Ouvert et précise les rôles et responsabilités de ses membres tout au long du cycle du "
        "plan d'action (co-création, co-mise en œuvre, co-évaluation).",
        "Written together by all the committee's members, it sets the committee's working rules "
        "in line with the Open Government Partnership's standards and sets out its members' roles "
        "and responsibilities throughout the action plan cycle (co-creation, co-implementation, "
        "co-evaluation).",
    ),
)


def _tr(name: str, values: tuple[str, str, str]) -> dict[str, str]:
    return {f"{name}_{lang}": text for lang, text in zip(("ar", "fr", "en"), values, strict=True)}


def reset_committee_demo() -> None:
    """Remove the demo committee and its meetings (before the demo plan is rebuilt)."""
    committee = Committee.objects.filter(slug=COMMITTEE_SLUG).first()
    if committee is not None:
        committee.meetings.all().delete()
        committee.delete()


@transaction.atomic
def load_committee_demo(plan: ActionPlan) -> Meeting:
    """The steering committee, its members and the meeting of 28 March 2023 (once)."""
    existing = Meeting.objects.filter(
        committee__slug=COMMITTEE_SLUG, starts_at=MEETING_START
    ).first()
    if existing is not None:
        return existing
    loading_started = timezone.now()
    platform = system_user()
    committee, _created = Committee.objects.get_or_create(
        slug=COMMITTEE_SLUG,
        defaults={
            "kind": Committee.Kind.STEERING,
            "plan": plan,
            "member_country": plan.member,
            **_tr("name", ("لجنة الإشراف", "Comité de pilotage", "Steering Committee")),
        },
    )
    CommitteeDocument.objects.get_or_create(
        committee=committee,
        version=1,
        defaults={**_tr("title", GUIDE[0]), **_tr("body", GUIDE[1])},
    )
    institutions = {i.slug: i for i in Institution.objects.all()}
    members = []
    for order, (honorific, name, slug, _remote, role) in enumerate(PARTICIPANTS, start=1):
        institution = institutions[slug] if slug else None
        members.append(
            Member.objects.create(
                committee=committee,
                order=order,
                honorific=honorific,
                name=name,
                institution=institution,
                seat=SEATS[institution.kind] if institution else Seat.INDEPENDENT,  # type: ignore[index]
                role=role,
                term_start=datetime.date(2021, 1, 1),
                **({} if institution else _tr("affiliation", EXPERT)),
            )
        )
    meeting = actions.do_create_meeting(
        committee,
        acting_user=platform,
        starts_at=MEETING_START,
        mode=Meeting.Mode.HYBRID,
        **_tr("place", PLACE),
        **_tr("opening_remarks", OPENING_REMARKS),
    )
    invited = list(dict.fromkeys([s for _h, _n, s, _r, _ro in PARTICIPANTS if s] + ABSENT_BODIES))
    Invitation.objects.bulk_create(
        Invitation(meeting=meeting, order=i, institution=institutions[slug])
        for i, slug in enumerate(invited, start=1)
    )
    actions.do_record_attendance(
        meeting,
        {
            m.pk: AttendanceStatus.REMOTE if p[3] else AttendanceStatus.PRESENT
            for m, p in zip(members, PARTICIPANTS, strict=True)
        },
        acting_user=platform,
    )
    for item in AGENDA:
        actions.do_add_agenda_item(
            meeting,
            acting_user=platform,
            title=item["title"][0],
            shows_progress=item.get("shows_progress", False),
            blocks=item["blocks"],
            **_tr("title", item["title"]),
            **(_tr("note", item["note"]) if "note" in item else {}),
        )
    actions.do_add_decision(
        meeting,
        acting_user=platform,
        text=DECISION[0],
        **_tr("text", DECISION),
        action_item={
            "title": ACTION_ITEM[0],
            **_tr("title", ACTION_ITEM),
            "owner_institution": institutions["mtnra"],
            "due_date": ACTION_DUE,
        },
    )
    # The snapshot: the plan's figures (the seed's) with the seed's notes, word for word.
    notes = {row.number: "\n".join(row.notes) for row in read_progress_table()}
    # Frozen now, it stands for the meeting: figures and flags as of 28 March 2023.
    actions.do_freeze_snapshot(meeting, acting_user=platform, notes=notes)
    actions.do_announce_meeting(meeting, acting_user=platform)
    actions.do_approve_minutes(meeting, acting_user=platform)
    actions.do_publish_minutes(meeting, acting_user=platform)
    # The seed does not say when its minutes were approved and published: leave the
    # dates unknown rather than show the day the demo was loaded (which would also
    # count years "to publication" in the committee's figures).
    Meeting.objects.filter(pk=meeting.pk).update(approved_at=None, published_at=None)
    # Announced at the latest when it was held; the record of the meeting dates from it.
    Meeting.objects.filter(pk=meeting.pk).update(announced_at=MEETING_START)
    AuditLog.objects.filter(at__gte=loading_started, actor=platform).update(at=MEETING_START)
    # The platform's own account, if the demo is the first to act through it.
    User.objects.filter(pk=platform.pk, date_joined__gte=loading_started).update(
        date_joined=MEETING_START
    )
    return meeting
