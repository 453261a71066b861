"""Chromium reports no Content-Security-Policy violation on the main pages, in Arabic,
French and English: public pages, the secretariat's work pages (the htmx queue among
them), the admin (its relaxed style policy) and Swagger UI. Every violation is caught
twice: as the console's error and as a ``securitypolicyviolation`` event."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from apps.committees.models import Meeting
from apps.plans.models import Commitment
from apps.plans.tests.test_browser import browser  # noqa: F401 (the Chromium fixture)
from apps.reports.models import ReportCycle

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PUBLIC = [
    "/{lang}/",
    "/{lang}/plans/morocco-2021-2023/",
    "/{lang}/plans/morocco-2021-2023/commitments/{commitment}/",
    "/{lang}/institutions/",
    "/{lang}/meetings/{meeting}/",
    "/{lang}/meetings/{meeting}/minutes/",
    "/{lang}/participate/morocco-third-plan/",
    "/{lang}/participate/morocco-third-plan/statistics/",
    "/{lang}/methodology/",
    "/{lang}/accounts/signup/",
    "/{lang}/accounts/login/",
]
SECRETARIAT = [
    "/{lang}/tracking/queue/",
    "/{lang}/tracking/dashboard/",
    "/{lang}/tracking/change-requests/",
    "/{lang}/people/",
    "/{lang}/reports/{report}/",
    "/{lang}/accounts/profile/",
    "/{lang}/admin/",
    "/{lang}/admin/plans/commitment/",
    "/{lang}/admin/plans/commitment/{commitment_pk}/change/",
]

WATCH = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__csp.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`);
});
"""


@pytest.mark.parametrize("lang", ["ar", "fr", "en"])
def test_no_page_breaks_the_content_security_policy(live_server, browser, lang, settings):  # noqa: F811
    # Swagger UI's "Try it out" calls the OpenAPI document's server, SITE_URL: this one.
    settings.SITE_URL = live_server.url
    call_command("load_demo", verbosity=0)
    commitment = Commitment.objects.order_by("number").first()
    assert commitment is not None
    ids = {
        "commitment": commitment.number,
        "commitment_pk": commitment.pk,
        "meeting": Meeting.objects.order_by("pk").values_list("pk", flat=True).first(),
        "report": ReportCycle.objects.order_by("pk").values_list("pk", flat=True).first(),
    }
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.add_init_script(WATCH)
    console: list[str] = []
    page.on(
        "console",
        lambda m: console.append(m.text) if m.type == "error" and "Content" in m.text else None,
    )
    violations: list[str] = []

    def visit(path: str) -> None:
        response = page.goto(f"{live_server.url}{path}")
        assert response is not None and response.status == 200, path
        assert response.headers.get("content-security-policy"), path
        page.wait_for_load_state("load")
        violations.extend(f"{path}: {v}" for v in page.evaluate("window.__csp"))
        violations.extend(f"{path}: {text}" for text in console)
        console.clear()

    for path in PUBLIC:
        visit(path.format(lang=lang, **ids))
    # The menu's dropdown (Bootstrap's script positions it through the CSSOM).
    page.click("[data-testid=language-menu]")
    page.fill("#id_login", "demo-secretariat")
    page.fill("#id_password", "sharaka-demo")
    page.click("main button[type=submit]")
    page.wait_for_load_state("load")
    for path in SECRETARIAT:
        visit(path.format(lang=lang, **ids))
    # The admin's widgets draw their calendar and clock with the DOM and the CSSOM.
    visit(f"/{lang}/admin/committees/meeting/add/")
    page.locator(".datetimeshortcuts a").first.click()
    page.locator("a[id^=calendarlink]").first.click()
    page.wait_for_selector(".calendarbox", state="visible")
    violations.extend(f"admin widgets: {v}" for v in page.evaluate("window.__csp"))
    violations.extend(f"admin widgets: {text}" for text in console)
    console.clear()
    if lang == "en":
        visit("/api/v1/docs")
        page.wait_for_selector(".swagger-ui .opblock", timeout=20_000)
        # An operation opened and tried: Swagger UI's React code styles through the CSSOM.
        page.locator(".opblock-summary").first.click()
        page.locator(".try-out__btn").first.click()
        page.locator(".execute").first.click()
        page.wait_for_selector(".responses-wrapper .live-responses-table", timeout=20_000)
        violations.extend(f"docs: {v}" for v in page.evaluate("window.__csp"))
        violations.extend(f"docs: {text}" for text in console)
    page.close()
    assert not violations, "\n".join(violations[:30])
