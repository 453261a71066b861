"""The charts in Chromium: no Content-Security-Policy violation on the pages that carry
them, each drawn within a 390 px phone, mirrored in Arabic, and printed (``page.pdf()``
with the print stylesheet) with the plan's table and charts but without the menu."""

from __future__ import annotations

import io
import unicodedata

import pytest
from django.core.management import call_command
from pypdf import PdfReader

from apps.committees.models import Meeting
from apps.plans.models import Commitment

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Every violation of the Content-Security-Policy, as the page's events report them.
WATCH = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__csp.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`);
});
"""
PLAN = "/{lang}/plans/morocco-2021-2023/"
PAGES = {
    PLAN: ["levels", "over-time"],
    "/{lang}/plans/morocco-2021-2023/commitments/{commitment}/": ["over-time"],
    "/{lang}/institutions/{institution}/": ["institution-levels", "institution-over-time"],
    "/{lang}/meetings/{meeting}/minutes/": ["minutes-levels", "minutes-late"],
}
TITLES = {
    "ar": "الالتزامات حسب مستوى الإنجاز",
    "fr": "Engagements par niveau de réalisation",
    "en": "Commitments by completion level",
}


@pytest.mark.parametrize("lang", ["ar", "fr", "en"])
def test_chart_pages_show_their_charts_within_the_policy(live_server, browser, lang):
    call_command("load_demo", verbosity=0)
    commitment = Commitment.objects.select_related("lead_institution").order_by("number")[0]
    ids = {
        "commitment": commitment.number,
        "institution": commitment.lead_institution.slug,
        "meeting": Meeting.objects.order_by("pk").values_list("pk", flat=True).first(),
    }
    page = browser.new_page(viewport={"width": 390, "height": 800})
    page.add_init_script(WATCH)
    console: list[str] = []
    page.on(
        "console",
        lambda m: console.append(m.text) if m.type == "error" and "Content" in m.text else None,
    )
    for path, charts in PAGES.items():
        url = live_server.url + path.format(lang=lang, **ids)
        assert page.goto(url).status == 200, url
        page.wait_for_load_state("load")
        assert page.evaluate("window.__csp") == [], url
        for key in charts:
            # Drawn within the phone's width (the pages' tables are another matter).
            box = page.locator(f"[data-testid=chart-{key}] svg[role=img]").bounding_box()
            assert box is not None and box["width"] > 0, (url, key)
            assert box["x"] >= 0 and box["x"] + box["width"] <= 390, (url, key, box)
            # The table of its figures is there, behind its summary.
            assert page.locator(f"[data-testid=chart-table-{key}] tbody tr").count() > 0
    assert not console, console
    # Right to left: the bars grow from the right in Arabic, from the left in French.
    page.goto(live_server.url + PLAN.format(lang=lang))
    bar = page.locator("[data-testid=chart-levels] .chart-bar rect").nth(2).bounding_box()
    svg = page.locator("[data-testid=chart-levels] svg").bounding_box()
    assert bar is not None and svg is not None
    middle = svg["x"] + svg["width"] / 2
    if lang == "ar":
        assert bar["x"] + bar["width"] > middle
    else:
        assert bar["x"] < middle
    # Printed: the charts and the plan's table, not the menu nor the filter form.
    page.emulate_media(media="print")
    assert page.locator("nav.navbar").first.is_hidden()
    assert page.locator("form").first.is_hidden()
    pdf = page.pdf(format="A4")
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    # Chromium's PDF names Arabic glyphs by their presentation forms: NFKC folds them.
    assert TITLES[lang] in " ".join(unicodedata.normalize("NFKC", text).split())
    page.close()
