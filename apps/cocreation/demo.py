"""The demo's co-creation: the seed's process for the third national action plan, with
the five phases and months the steering committee agreed on 28 March 2023 (method and
themes in April, ideas and proposals May–September, priorities in October, commitment
cards in November, adoption in December), Morocco's twelve regions, five themes and a
few proposals in Arabic and French with their supports and comments.

The story stops in the ideas phase: it is still under way, so that the demo takes
proposals (the timeline marks it late against its September window)."""

from __future__ import annotations

import datetime
import zoneinfo

from django.contrib.auth.hashers import make_password
from django.db import transaction

from apps.accounts.models import User, system_user
from apps.cocreation import actions
from apps.cocreation.models import Comment, PhaseKey, Process, Proposal, Region, Support
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


def _date_in_the_story(process: Process) -> None:
    """Date the demo's proposals, comments and supports in May–June 2023 (the actions
    stamp them now); only the demo's own rows are touched."""
    start = datetime.datetime(2023, 5, 8, 10, 0, tzinfo=CASABLANCA)
    for i, proposal in enumerate(process.proposals.order_by("number")):
        day = start + datetime.timedelta(days=6 * i)
        Proposal.objects.filter(pk=proposal.pk).update(created_at=day)
        Support.objects.filter(proposal=proposal).update(
            created_at=day + datetime.timedelta(days=2)
        )
        for k, comment in enumerate(Comment.objects.filter(proposal=proposal).order_by("pk")):
            Comment.objects.filter(pk=comment.pk).update(
                created_at=day + datetime.timedelta(days=1, hours=3 * k)
            )


def reset_cocreation_demo() -> None:
    process = Process.objects.filter(slug=SLUG).first()
    if process is not None:
        process.proposals.filter(merged_into__isnull=False).delete()
        process.delete()


@transaction.atomic
def load_cocreation_demo(plan: ActionPlan) -> Process:
    """The seed's third-plan process (once: a second run changes nothing)."""
    existing = Process.objects.filter(slug=SLUG).first()
    if existing is not None:
        return existing
    platform = system_user()
    for order, (slug, ar, fr, en) in enumerate(REGIONS, start=1):
        Region.objects.get_or_create(
            slug=slug, defaults={"order": order, "name_ar": ar, "name_fr": fr, "name_en": en}
        )
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
    phases = {p.key: p for p in process.phases.all()}
    actions.do_start_phase(
        phases[PhaseKey.METHOD], acting_user=platform, on=datetime.date(2023, 4, 3)
    )
    themes = [
        actions.do_save_theme(process, titles={"ar": ar, "fr": fr, "en": en}, acting_user=platform)
        for ar, fr, en in THEMES
    ]
    for theme in themes:
        actions.do_agree_theme(theme, acting_user=platform, on=datetime.date(2023, 4, 28))
    actions.do_complete_phase(
        phases[PhaseKey.METHOD], acting_user=platform, on=datetime.date(2023, 4, 28)
    )
    actions.do_start_phase(
        phases[PhaseKey.IDEAS], acting_user=platform, on=datetime.date(2023, 5, 2)
    )
    regions = {r.slug: r for r in Region.objects.all()}
    proposals = []
    for username, name, language, axis, region, title, problem, solution, values in PROPOSALS:
        proposals.append(
            actions.do_submit_proposal(
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
        )
    for index, usernames in SUPPORTS.items():
        for username in usernames:
            actions.do_support(proposals[index], acting_user=_citizen(username))
    question = actions.do_comment(
        proposals[0],
        "هل يشمل المقترح الخدمات المقدمة على مستوى الجماعات أيضا؟",
        acting_user=_citizen("demo-khadija"),
        author_name="خديجة",
    )
    actions.do_comment(
        proposals[0],
        "نعم، كل الخدمات التي يطلبها المرتفق، بما فيها خدمات الجماعات.",
        acting_user=_citizen("demo-salma"),
        author_name="سلمى، جمعية شباب الحي",
        parent=question,
    )
    actions.do_comment(
        proposals[1],
        "Excellente idée : plusieurs communes l'ont déjà essayé avec succès.",
        acting_user=_citizen("demo-salma"),
        author_name="Salma",
    )
    _date_in_the_story(process)
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
    return process
