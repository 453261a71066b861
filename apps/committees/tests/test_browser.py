"""The Arabic minutes in Debian's Chromium, driven by Playwright."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from apps.committees.models import Meeting
from apps.plans.tests.test_browser import browser  # noqa: F401  (the shared fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_arabic_minutes_read_right_to_left_with_the_22_rows(live_server, browser):  # noqa: F811
    call_command("load_demo", "--no-admin", verbosity=0)
    meeting = Meeting.objects.get()
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(f"{live_server.url}/ar/meetings/{meeting.pk}/minutes/")
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.locator("[data-testid=progress-table] tbody tr").count() == 22
    assert page.locator("[data-testid=participants] li").count() == 21
    assert page.locator("[data-testid=participants] li.remote").count() == 7
    first = page.locator("[data-testid=progress-table] tbody tr").first
    # The number column is on the right in Arabic.
    number_box = first.locator("td.col-number").bounding_box()
    title_box = first.locator("td.col-title").bounding_box()
    assert number_box and title_box and number_box["x"] > title_box["x"]
    assert "65%" in first.locator("td.col-progress").inner_text()
    assert all(url.startswith(live_server.url) for url in requests)
