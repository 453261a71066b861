"""A citizen's journey in Debian's Chromium, in Arabic and in French: register, confirm
the e-mail address from the link in the mail (delivered to a real local SMTP server),
submit a proposal, support another one."""

from __future__ import annotations

import re

import pytest

from apps.accounts.models import User
from apps.accounts.tests.personas import make_user
from apps.cocreation.models import Proposal, Support
from apps.cocreation.tests.factories import make_process, make_theme, submit
from apps.plans.tests.test_browser import browser  # noqa: F401 - the shared fixture
from apps.tracking.tests.test_mail import body, smtp  # noqa: F401 - the real SMTP fixture

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PROPOSAL = {
    "ar": ("نشر آجال معالجة الطلبات", "لا يعرف المرتفقون آجال المعالجة.", "نشرها لكل خدمة."),
    "fr": (
        "Publier les délais de traitement",
        "Les usagers ignorent les délais.",
        "Les publier pour chaque service.",
    ),
}
LOCALES = {"ar": "ar-MA", "fr": "fr-FR"}


@pytest.mark.parametrize("lang", ["ar", "fr"])
def test_a_citizen_registers_proposes_and_supports(
    live_server,
    browser,  # noqa: F811
    smtp,  # noqa: F811
    lang,
    secretariat,
):
    process = make_process(secretariat)
    theme = make_theme(process, secretariat)
    other = submit(process, make_user("neighbour"), title="ميزانيات مفتوحة")
    base = live_server.url
    address = f"salma.{lang}@example.org"
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale=LOCALES[lang])
    page = context.new_page()

    page.goto(f"{base}/{lang}/accounts/signup/")
    assert page.locator("html").get_attribute("dir") == ("rtl" if lang == "ar" else "ltr")
    page.fill("#id_email", address)
    page.fill("#id_password1", "a long and unusual passphrase 42")
    page.fill("#id_password2", "a long and unusual passphrase 42")
    with page.expect_navigation():
        page.click("main button[type=submit]")
    assert "/accounts/confirm-email/" in page.url

    (mail,) = smtp.to(address)
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+/", body(mail)).group(0)
    assert link.startswith(base)
    page.goto(link)
    user = User.objects.get(email=address)
    assert user.preferred_language == lang
    assert user.emailaddress_set.get().verified

    page.goto(f"{base}/{lang}/participate/{process.slug}/proposals/new/")
    if "/accounts/login/" in page.url:  # signed in by the confirmation, or else now
        page.fill("#id_login", address)
        page.fill("#id_password", "a long and unusual passphrase 42")
        with page.expect_navigation():
            page.click("main button[type=submit]")
    title, problem, solution = PROPOSAL[lang]
    page.fill("#id_author_name", "Salma")
    page.select_option("#id_language", lang)
    page.fill("#id_title", title)
    page.fill("#id_problem", problem)
    page.fill("#id_solution", solution)
    page.select_option("#id_theme", str(theme.pk))
    page.check("#id_values_0")
    with page.expect_navigation():
        page.click("[data-testid=proposal-form] button[type=submit]")
    assert page.locator("h1").inner_text() == title
    proposal = Proposal.objects.get(author=user)
    assert proposal.language == lang and proposal.theme == theme

    page.goto(f"{base}{other.get_absolute_url()}".replace("/ar/", f"/{lang}/"))
    with page.expect_navigation():
        page.click("[data-testid=support]")
    assert page.locator("[data-testid=withdraw]").is_visible()
    assert Support.objects.filter(proposal=other, account=user).exists()
    assert Proposal.objects.get(pk=other.pk).supports_count == 1
    context.close()
