"""In Debian's Chromium, in Arabic (phone), French (desktop) and English (phone): a visitor follows a
commitment with their address, confirms it by the link mailed to them (a real SMTP
server), hears of the update the secretariat validates, in their language, and
unsubscribes by the link at the bottom of that mail."""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache

from apps.accounts.tests.browser import LOCALES, SCREENSHOTS
from apps.tracking import actions
from apps.tracking.models import Follow
from apps.tracking.tests.factories import submitted
from apps.tracking.tests.test_mail import IMMEDIATE, body, smtp  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CASES = [
    # language, width, address, the validated update's mail subject starts with
    ("ar", 390, "layla@example.org", "شراكة: تحيين جديد مصادق عليه للالتزام"),
    ("fr", 1280, "claire@example.org", "Sharaka : l'engagement"),
    ("en", 390, "john@example.org", "Sharaka: commitment"),
]


def _link(message, kind):
    return re.search(r"http://\S+/follow/" + kind + r"/\S+/", body(message)).group(0)


@pytest.mark.parametrize(("lang", "width", "email", "subject"), CASES, ids=["ar", "fr", "en"])
def test_a_visitor_follows_confirms_hears_and_unsubscribes(
    lang,
    width,
    email,
    subject,
    live_server,
    browser,
    smtp,  # noqa: F811
    settings,
    activity,
    focal_point_a,
    secretariat,
):
    cache.clear()
    settings.TASKS = IMMEDIATE
    settings.SITE_URL = live_server.url  # (smtp set it: the links must reach the server)
    commitment = activity.commitment
    context = browser.new_context(viewport={"width": width, "height": 900}, locale=LOCALES[lang])
    page = context.new_page()
    url = f"{live_server.url}/{lang}/plans/{commitment.plan.slug}/commitments/{commitment.number}/"
    page.goto(url)
    assert page.locator("html").get_attribute("lang") == lang
    page.fill("#follow-email", email)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.locator("#follow").screenshot(path=str(SCREENSHOTS / f"follow-form-{lang}.png"))
    page.click("#follow [data-testid=follow]")
    page.wait_for_url(url)
    assert page.locator(".alert").count() >= 1

    (confirmation,) = smtp.to(email)
    page.goto(_link(confirmation, "confirm"))
    assert Follow.objects.get(email=email).confirmed_at is None  # the page alone: nothing
    page.click("[data-testid=confirm-follow]")
    page.wait_for_url(url)
    assert Follow.objects.get(email=email).confirmed_at is not None

    update = submitted(activity, focal_point_a, 60)
    actions.do_validate_update(update, acting_user=secretariat)
    mails = smtp.to(email)
    assert len(mails) == 2
    news = mails[1]
    assert news["Subject"].strip().startswith(subject)
    assert news["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "60" in body(news)

    page.goto(_link(news, "unsubscribe"))
    page.screenshot(path=str(SCREENSHOTS / f"follow-unsubscribe-{lang}.png"))
    assert Follow.objects.filter(email=email).exists()  # the GET changes nothing
    page.click("[data-testid=unsubscribe]")
    assert page.locator("[data-testid=unsubscribed]").is_visible()
    assert not Follow.objects.filter(email=email).exists()
    # No further mail once unsubscribed.
    update = submitted(activity, focal_point_a, 80)
    actions.do_validate_update(update, acting_user=secretariat)
    assert len(smtp.to(email)) == 2
