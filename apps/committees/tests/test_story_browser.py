"""A citizen, in Chromium, filters the plan to its late commitments and opens one to read
its story: the committee's notes from the published minutes and its validated updates."""

from __future__ import annotations

import datetime

import pytest

from apps.committees import actions
from apps.committees.tests.factories import at, make_committee, make_meeting, publish, validated
from apps.plans.models import Activity
from apps.plans.tests.factories import make_commitment, make_institution, make_plan

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def plan(secretariat):
    plan = make_plan(slug="story")
    lead = make_institution(slug="lead", name_ar="وزارة العدل", name_fr="Ministère de la Justice")
    late = make_commitment(
        plan,
        [(30, 1)],
        number=1,
        lead_institution=lead,
        title_ar="نشر الأحكام القضائية",
        title_fr="Publier les décisions de justice",
    )
    Activity.objects.filter(commitment=late).update(end_date=datetime.date(2022, 6, 30))
    on_time = make_commitment(plan, [(50, 1)], number=2, lead_institution=lead)
    validated(late.activities.get(), 30, at(2022, 5, 2), by=secretariat)
    validated(on_time.activities.get(), 70, at(2022, 5, 2), by=secretariat)
    Activity.objects.filter(commitment=on_time).update(end_date=datetime.date(2099, 1, 1))
    # on_time was updated long ago too: make it fresh so that only 1 is late.
    validated(on_time.activities.get(), 80, datetime.datetime.now(tz=datetime.UTC), by=secretariat)
    meeting = make_meeting(make_committee(plan), at(2023, 3, 28))
    actions.do_freeze_snapshot(meeting, acting_user=secretariat, notes={1: "لم يتم تحيين المنصة"})
    publish(meeting)
    return plan


@pytest.mark.parametrize(
    ("lang", "late_word"), [("ar", "متأخر"), ("fr", "En retard"), ("en", "Late")]
)
def test_a_citizen_filters_to_late_work_and_reads_a_commitment_s_story(
    live_server,
    browser,
    plan,
    lang,
    late_word,
):
    for width in (1280, 390):
        page = browser.new_page(viewport={"width": width, "height": 900})
        page.goto(f"{live_server.url}/{lang}/plans/story/")
        assert page.locator("#commitments tbody tr[data-number]").count() == 2
        # The flags are explained on the page itself, not in a tooltip.
        assert page.locator("#flags-legend li[data-flag=overdue]").is_visible()
        # No JavaScript needed: a plain form.
        page.select_option("#id_flag", "overdue")
        page.select_option("#id_sort", "late")
        page.locator("form[method=get] button[type=submit]").click()
        page.wait_for_url("**flag=overdue**")
        rows = page.locator("#commitments tbody tr[data-number]")
        assert rows.count() == 1
        assert late_word in rows.first.locator("[data-testid=late-marker]").inner_text()
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        rows.first.locator("td a").first.click()
        page.wait_for_url("**/commitments/1/")
        story = page.locator("#meetings-story")
        assert "لم يتم تحيين المنصة" in story.inner_text()
        assert story.locator("a[href$='/minutes/']").count() == 1
        assert page.locator("#progress-history [data-testid=timeline] li").count() == 1
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        page.close()
