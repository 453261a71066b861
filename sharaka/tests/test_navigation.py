"""The menu in Debian's Chromium: every link reachable, nothing off-screen, in the three
languages, on a 1280 px laptop and a 390 px phone (collapsed behind the menu button)."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings

from apps.accounts.tests.browser import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(settings.VAR_DIR) / "screenshots"
SIGN_OUT = "#nav form[action$='/logout/'] button"


def measure(page) -> dict:
    return page.evaluate(
        """() => {
        const nav = document.querySelector('nav.navbar');
        const out = document.querySelector("#nav form[action$='/logout/'] button");
        const box = out.getBoundingClientRect();
        return {
          scrollWidth: document.documentElement.scrollWidth,
          innerWidth: window.innerWidth,
          navHeight: nav.getBoundingClientRect().height,
          signOutStart: box.left, signOutEnd: box.right,
        };
    }"""
    )


@pytest.mark.parametrize(
    ("lang", "width"),
    [(lang, width) for lang in ("ar", "fr", "en") for width in (1280, 390)] + [("fr", 1366)],
)
def test_the_secretariat_menu_fits_the_screen(live_server, browser, lang, width):  # noqa: F811
    from apps.accounts.roles import Role
    from apps.accounts.tests.personas import make_user

    make_user("demo-secretariat", Role.SECRETARIAT)
    page = browser.new_page(viewport={"width": width, "height": 800})
    sign_in(page, live_server.url, lang, "demo-secretariat")
    page.goto(f"{live_server.url}/{lang}/")
    toggler = page.locator("nav.navbar .navbar-toggler")
    if width < 1200:
        assert toggler.is_visible()
        assert not page.locator(SIGN_OUT).is_visible()
        toggler.click()
        page.wait_for_selector("#nav.show")
    else:
        assert not toggler.is_visible()
    figures = measure(page)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"menu-secretariat-{lang}-{width}.png"))
    assert page.locator(SIGN_OUT).is_visible()
    assert figures["signOutStart"] >= 0 and figures["signOutEnd"] <= figures["innerWidth"], figures
    assert figures["scrollWidth"] <= figures["innerWidth"], figures
    if width >= 1200:
        assert figures["navHeight"] < 80, figures  # one line, not two or three
    for path in ("/committees/", "/meetings/", "/methodology/"):
        assert page.locator(f"#nav a.nav-link[href='/{lang}{path}']").is_visible(), path
    # The secretariat's pages are one menu away (the vendored Bootstrap script opens it).
    queue = page.locator(f"#nav a.dropdown-item[href='/{lang}/tracking/queue/']")
    assert not queue.is_visible()
    page.click("[data-testid=tracking-menu]")
    assert queue.is_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.screenshot(path=str(SCREENSHOTS / f"menu-secretariat-{lang}-{width}-open.png"))
    page.close()


@pytest.mark.parametrize(
    ("username", "role", "link"),
    [
        ("demo-committee", "committee_member", "/tracking/change-requests/"),
        ("demo-fp-justice", "focal_point", "/tracking/my/"),
    ],
)
def test_the_other_menus_fit_in_french(live_server, browser, username, role, link):  # noqa: F811
    """French is the widest language; 1280 px the narrowest laptop kept on one line."""
    from apps.accounts.roles import Role
    from apps.accounts.tests.personas import make_user

    make_user(username, Role(role))
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    sign_in(page, live_server.url, "fr", username)
    page.goto(f"{live_server.url}/fr/")
    figures = measure(page)
    page.screenshot(path=str(SCREENSHOTS / f"menu-{role}-fr-1280.png"))
    assert figures["scrollWidth"] <= figures["innerWidth"] and figures["navHeight"] < 80, figures
    assert page.locator(f"#nav a[href='/fr{link}']").count() >= 1
    page.close()
