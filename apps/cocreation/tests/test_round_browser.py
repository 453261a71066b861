"""The ranking and a commitment card in Debian's Chromium, in Arabic and French (the
pages read right to left in Arabic; screenshots go to var/screenshots)."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from apps.accounts.models import Institution
from apps.accounts.tests.personas import PASSWORD
from apps.cocreation import actions, cards, prioritisation
from apps.cocreation.models import PhaseKey, Proposal, ProposalStatus
from apps.cocreation.tests.factories import make_process, make_theme, submit
from apps.cocreation.tests.round import card_for, criteria, decide_accept, move_to

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CHROMIUM = "/usr/bin/chromium"
SCREENSHOTS = Path(settings.VAR_DIR) / "screenshots"
TITLES = [
    "نشر ميزانيات الجماعات الترابية بصيغة مفتوحة",
    "سجل عمومي للمستفيدين من الدعم العمومي",
    "Plateforme de suivi des marchés publics",
    "إشراك الشباب في إعداد برامج عمل الجماعات",
    "Open data on water quality",
    "تبسيط مساطر الحصول على المعلومات",
]


@pytest.fixture
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-sync"],
        )
        yield browser
        browser.close()


def _round(secretariat, citizen, committee_member, committee_chair, focal_point_a, ministry_a):
    process = make_process(secretariat)
    theme = make_theme(process, secretariat, "الشفافية والنزاهة")
    proposals = []
    for title in TITLES:
        language = (
            "fr" if title.startswith("Plateforme") else "en" if title.startswith("Open") else "ar"
        )
        proposal = submit(process, citizen, title=title, language=language, theme=theme)
        actions.do_retain_proposal(proposal, acting_user=secretariat)
        proposals.append(proposal)
    process = move_to(process, secretariat, PhaseKey.PRIORITIES)
    weights = criteria(process, secretariat)
    grid = [(5, 4, 5), (4, 4, 3), (3, 5, 2), (2, 2, 4), (1, 3, 1), (0, 1, 2)]
    for member, shift in ((committee_member, 0), (committee_chair, 1)):
        for proposal, values in zip(proposals, grid, strict=True):
            scored = {
                c.pk: max(0, min(5, v - shift * (i % 2)))
                for i, (c, v) in enumerate(zip(weights, values, strict=True))
            }
            prioritisation.do_score_proposal(proposal, scored, acting_user=member)
    decide_accept(proposals[0], secretariat, ministry_a)
    prioritisation.do_decide_proposal(
        proposals[5],
        decision=ProposalStatus.REJECTED,
        response="خارج نطاق الالتزامات الممكنة خلال مدة الخطة",
        acting_user=secretariat,
    )
    process = move_to(process, secretariat, PhaseKey.CARDS)
    card = card_for(process, secretariat, Proposal.objects.get(pk=proposals[0].pk))
    association = Institution.objects.create(
        slug="transparency-association",
        kind=Institution.Kind.CIVIL_SOCIETY,
        name_ar="جمعية الشفافية",
        name_fr="Association Transparence",
    )
    content = cards.CardContent(
        texts={
            "title": "نشر ميزانيات الجماعات الترابية بصيغة مفتوحة",
            "summary": "تنشر الجماعات ميزانياتها وتنفيذها كل ثلاثة أشهر بصيغة مفتوحة.",
            "problem": "لا يعرف المواطنون كيف تنفق الجماعات ميزانياتها.",
            "causes": "غياب إطار موحد للنشر وضعف القدرات الرقمية.",
            "solution": "بوابة وطنية للمعطيات المالية للجماعات مع دليل للنشر.",
            "expected_results": "نشر ميزانيات 80% من الجماعات في أفق 2028.",
            "transparency": "يتيح الاطلاع على المعطيات المالية المحلية.",
            "participation": "يمكن الجمعيات من تتبع التنفيذ.",
        },
        values=["access_to_information", "public_accountability"],
        start_date=datetime.date(2027, 1, 1),
        end_date=datetime.date(2028, 12, 31),
        supporting_institutions=[association],
        milestones=[
            cards.MilestoneData(
                "إعداد دليل النشر", "دليل منشور", datetime.date(2027, 6, 30), "الجمعيات"
            ),
            cards.MilestoneData(
                "إطلاق البوابة", "بوابة مفتوحة", datetime.date(2027, 12, 31), "وزارة الداخلية"
            ),
            cards.MilestoneData(
                "تكوين 300 جماعة", "300 جماعة مكونة", datetime.date(2028, 12, 31), ""
            ),
        ],
    )
    cards.do_edit_card(card, content, acting_user=focal_point_a)
    cards.do_comment_card(
        card, "يستحسن تحديد مؤشر لقياس جودة المعطيات.", acting_user=committee_member
    )
    return process, card


def _signed_in(browser, live_server, user):
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    return context.new_page()


def test_the_ranking_and_a_card_in_arabic_and_french(
    live_server,
    browser,
    secretariat,
    citizen,
    committee_member,
    committee_chair,
    focal_point_a,
    ministry_a,
):
    process, card = _round(
        secretariat, citizen, committee_member, committee_chair, focal_point_a, ministry_a
    )
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page = _signed_in(browser, live_server, committee_member)
    for lang in ("ar", "fr"):
        page.goto(f"{live_server.url}/{lang}/participate/{process.slug}/ranking/")
        assert page.locator("html").get_attribute("dir") == ("rtl" if lang == "ar" else "ltr")
        rows = page.locator("[data-testid=ranking] tbody tr")
        assert rows.count() == len(TITLES)
        assert rows.first.get_attribute("data-testid") == "rank-1"
        page.screenshot(path=str(SCREENSHOTS / f"cocreation_ranking_{lang}.png"), full_page=True)
        page.goto(f"{live_server.url}/{lang}/participate/{process.slug}/cards/{card.number}/")
        assert page.locator("[data-testid=milestones] tbody tr").count() == 3
        page.screenshot(path=str(SCREENSHOTS / f"cocreation_card_{lang}.png"), full_page=True)
