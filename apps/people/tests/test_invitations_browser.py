"""A new focal point's first day, in Debian's Chromium, in Arabic, French and English: the
secretariat invites them, the mail arrives at a real local SMTP server, the person opens
the link, creates their account with a password (allauth's sign-up), is signed in as a
focal point; the secretariat hands them a commitment, and they report its progress."""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache
from django.utils import translation

from apps.accounts.models import User
from apps.accounts.roles import Role
from apps.accounts.tests.browser import LOCALES, sign_in
from apps.people.models import Invitation
from apps.tracking.models import FocalPointAssignment, ProgressUpdate
from apps.tracking.tests.factories import make_activity
from apps.tracking.tests.test_browser import SCREENSHOTS
from apps.tracking.tests.test_mail import IMMEDIATE, body, smtp  # noqa: F401 - real SMTP

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SUBJECTS = {
    "ar": "شراكة: أنت مدعو إلى الانضمام إلى المنصة",
    "fr": "Sharaka : vous êtes invité·e à rejoindre la plateforme",
    "en": "Sharaka: you are invited to join the platform",
}
NARRATIVES = {
    "ar": "أُعدّ مشروع الدليل وعُرض على اللجنة",
    "fr": "Le projet de guide a été préparé et présenté au comité",
    "en": "The draft guide was prepared and presented to the committee",
}
PASSPHRASE = "a long and unusual passphrase 42"


@pytest.mark.parametrize("lang", ["ar", "fr", "en"])
def test_an_invited_focal_point_joins_is_handed_a_commitment_and_reports(
    live_server,
    browser,  # noqa: F811
    smtp,  # noqa: F811
    settings,
    lang,
    secretariat,
    ministry_a,
):
    settings.TASKS = IMMEDIATE  # the mail goes out after commit, from the request itself
    cache.clear()  # allauth's sign-up rate limit counts per address, in the cache
    secretariat.preferred_language = lang
    secretariat.save(update_fields=["preferred_language"])
    activity = make_activity(ministry_a, progress=20)
    commitment = activity.commitment
    base = live_server.url
    address = f"salma.{lang}@example.org"

    # The secretariat invites a focal point of ministry A, from the tracking menu.
    sec = sign_in(browser, base, lang, secretariat.username)
    sec.goto(f"{base}/{lang}/")
    sec.click("[data-testid=tracking-menu]")
    with sec.expect_navigation():
        sec.click("[data-testid=invitations-menu]")
    assert sec.url == f"{base}/{lang}/people/invitations/"
    assert sec.locator("html").get_attribute("dir") == ("rtl" if lang == "ar" else "ltr")
    sec.fill("#id_email", address)
    sec.fill("#id_first_name", "Salma")
    sec.fill("#id_last_name", "Alaoui")
    sec.select_option("#id_role", Role.FOCAL_POINT.value)
    sec.select_option("#id_institution", str(ministry_a.pk))
    sec.select_option("#id_language", lang)
    with sec.expect_navigation():
        sec.click("[data-testid=invite]")
    row = sec.locator(f"[data-testid=pending-invitations] tr[data-email='{address}']")
    assert row.count() == 1
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    sec.screenshot(path=str(SCREENSHOTS / f"invitations-{lang}.png"), full_page=True)
    invitation = Invitation.objects.get(email=address)

    # The mail, in the invitation's language, carries the link.
    (mail,) = smtp.to(address)
    assert mail["Subject"].strip() == SUBJECTS[lang]
    link = re.search(r"https?://\S+/people/invitations/accept/\S+/", body(mail)).group(0)
    link = link.replace(settings.SITE_URL.rstrip("/"), base)
    assert f"/{lang}/people/invitations/accept/" in link

    # The person opens it, creates their account with a password, and is signed in.
    person = browser.new_context(
        viewport={"width": 1280, "height": 900}, locale=LOCALES[lang]
    ).new_page()
    person.goto(link)
    assert person.locator("[data-testid=invitation]").is_visible()
    person.screenshot(path=str(SCREENSHOTS / f"invitation-accept-{lang}.png"), full_page=True)
    with person.expect_navigation():
        person.click("[data-testid=create-account]")
    assert f"/{lang}/accounts/signup/" in person.url
    assert person.input_value("#id_email") == address
    person.fill("#id_password1", PASSPHRASE)
    person.fill("#id_password2", PASSPHRASE)
    with person.expect_navigation():
        person.click("main button[type=submit]")
    assert "/accounts/" not in person.url  # signed in, not asked to confirm the address
    user = User.objects.get(email=address)
    assert user.has_role(Role.FOCAL_POINT) and user.institution_id == ministry_a.pk
    assert user.preferred_language == lang and user.get_full_name() == "Salma Alaoui"
    assert person.locator("[data-testid=profile-link]").is_visible()
    invitation.refresh_from_db()
    assert invitation.is_accepted and invitation.accepted_by_id == user.pk

    # The secretariat hands the commitment over to them.
    with translation.override(lang):
        commitment_url = commitment.get_absolute_url()
    sec.goto(f"{base}/{lang}/tracking/commitments/{commitment.pk}/hand-over/")
    sec.select_option("#id_focal_point", str(user.pk))
    sec.click("main form button[type=submit]")
    sec.wait_for_url(f"{base}{commitment_url}")
    assert FocalPointAssignment.objects.current().filter(commitment=commitment, user=user).exists()

    # And they report progress on its activity.
    person.goto(f"{base}/{lang}/tracking/my/")
    person.click(f"[data-activity='{activity.pk}'] a[href$='/report/']")
    person.fill("#id_progress", "40")
    person.fill(f"#id_narrative_{lang}", NARRATIVES[lang])
    person.click("[data-testid=submit-update]")
    person.wait_for_selector("[data-status=submitted]")
    assert person.locator("[data-testid=update-progress]").inner_text().strip() == "40%"
    update = ProgressUpdate.objects.get(activity=activity)
    assert update.author_id == user.pk and update.progress == 40
    # The used link is spent: a page in the visitor's language says so.
    gone = browser.new_context(locale=LOCALES[lang]).new_page()
    response = gone.goto(link)
    assert response is not None and response.status == 410
    assert gone.locator("[data-testid=invitation-refused]").is_visible()
