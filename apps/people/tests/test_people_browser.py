"""The secretariat manages a focal point's account in Debian's Chromium: moves them to
another institution, handing their commitment over, then deactivates them."""

from __future__ import annotations

import pytest
from django.utils import translation

from apps.accounts.roles import Role
from apps.accounts.tests.browser import sign_in
from apps.accounts.tests.personas import make_user
from apps.plans.tests.factories import make_commitment, make_plan
from apps.tracking.models import FocalPointAssignment
from apps.tracking.tests.factories import assign

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

REFUSAL = {
    "ar": "من شأن هذا التغيير أن يترك التزامات دون مخاطب رسمي مؤهل",
    "fr": "Ce changement laisserait des engagements sans point focal habilité",
    "en": "This change would leave commitments without an eligible focal point",
}


@pytest.mark.parametrize("lang", ["ar", "fr", "en"])
def test_the_secretariat_moves_a_focal_point_then_deactivates_them(
    live_server,
    browser,  # noqa: F811
    secretariat,
    focal_point_a,
    ministry_b,
    lang,
):
    from apps.tracking.tests.test_browser import SCREENSHOTS

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    secretariat.preferred_language = lang  # signing in leads to the site in this language
    secretariat.save(update_fields=["preferred_language"])
    focal_point_a.preferred_language = lang
    focal_point_a.save(update_fields=["preferred_language"])
    colleague = make_user("focal_a2", Role.FOCAL_POINT, institution=focal_point_a.institution)
    commitment = make_commitment(
        make_plan(slug="plan"),
        [(20, 1)],
        lead_institution=focal_point_a.institution,
        number=7,
        title_en="Open data",
    )
    assign(commitment, focal_point_a, secretariat)
    base = live_server.url

    # The focal point is signed in somewhere.
    theirs = sign_in(browser.new_context(), base, lang, focal_point_a.username)
    theirs.wait_for_url(f"{base}/{lang}/")

    page = sign_in(
        browser.new_context(viewport={"width": 1280, "height": 900}), base, lang, "secretariat"
    )
    page.wait_for_url(f"{base}/{lang}/")
    page.click("[data-testid=tracking-menu]")
    page.click("[data-testid=people-menu]")
    page.wait_for_url(f"{base}/{lang}/people/")
    row = page.locator(f"tr[data-person='{focal_point_a.pk}']")
    with translation.override(lang):
        commitment_url = commitment.get_absolute_url()
    assert row.locator(f"a[href='{commitment_url}']").count() == 1
    page.screenshot(path=str(SCREENSHOTS / f"people-{lang}.png"), full_page=True)
    row.locator(f"a[href='/{lang}/people/{focal_point_a.pk}/']").click()
    page.wait_for_url(f"{base}/{lang}/people/{focal_point_a.pk}/")
    assert page.locator(f"[data-testid=held] [data-commitment='{commitment.pk}']").is_visible()

    # Another institution without a successor: refused, in the page's language.
    page.click("[data-testid=edit-account]")
    page.select_option("#id_institution", str(ministry_b.pk))
    page.click("[data-testid=save-account]")
    alert = page.locator("main .alert-danger").first.inner_text()
    assert REFUSAL[lang] in alert and "7. " in alert
    focal_point_a.refresh_from_db()
    assert focal_point_a.institution_id != ministry_b.pk
    # With the colleague taking the commitment over: done.
    page.select_option("#id_institution", str(ministry_b.pk))
    page.select_option(f"#id_successor_{commitment.pk}", str(colleague.pk))
    page.screenshot(path=str(SCREENSHOTS / f"person-edit-{lang}.png"), full_page=True)
    page.click("[data-testid=save-account]")
    page.wait_for_url(f"{base}/{lang}/people/{focal_point_a.pk}/")
    focal_point_a.refresh_from_db()
    assert focal_point_a.institution_id == ministry_b.pk
    current = FocalPointAssignment.objects.current().get(commitment=commitment)
    assert current.user_id == colleague.pk
    institution = getattr(ministry_b, f"name_{lang}")
    assert institution in page.locator("[data-testid=institution]").inner_text()
    assert page.locator(f"[data-testid=held] [data-commitment='{commitment.pk}']").count() == 0

    # Deactivated: signed out where they were, and they can no longer sign in.
    page.click("[data-testid=deactivate]")
    page.check("#id_confirm")
    page.click("[data-testid=confirm-deactivate]")
    page.wait_for_url(f"{base}/{lang}/people/{focal_point_a.pk}/")
    assert page.locator("[data-testid=deactivated]").is_visible()
    page.screenshot(path=str(SCREENSHOTS / f"person-deactivated-{lang}.png"), full_page=True)
    focal_point_a.refresh_from_db()
    assert not focal_point_a.is_active
    theirs.goto(f"{base}/{lang}/tracking/my/")
    assert "/accounts/login/" in theirs.url
    again = sign_in(browser.new_context(), base, lang, focal_point_a.username)
    again.wait_for_load_state()
    assert "/accounts/inactive/" in again.url  # allauth's "this account is inactive"
    assert again.locator("[data-testid=profile-link]").count() == 0
