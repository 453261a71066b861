"""Forms as a French or English reader meets them: dates the browser accepts, a
narrative in any one language, and only the buttons the person may use."""

from __future__ import annotations

import datetime
import re

import pytest
from django.test import Client
from django.utils import timezone

from apps.accounts.tests.personas import PASSWORD
from apps.tracking import actions
from apps.tracking.models import ProgressUpdate, UpdateStatus
from apps.tracking.tests.factories import report, submitted

pytestmark = pytest.mark.django_db


def login(user, lang="ar"):
    client = Client()
    response = client.post(
        f"/{lang}/accounts/login/", {"login": user.username, "password": PASSWORD}
    )
    assert response.status_code == 302
    return client


def date_value(html: str, name: str) -> str:
    tag = re.search(rf'<input[^>]*name="{name}"[^>]*>', html)
    assert tag, f"no input {name}"
    assert 'type="date"' in tag.group(0)
    value = re.search(r'value="([^"]*)"', tag.group(0))
    return value.group(1) if value else ""


@pytest.mark.parametrize("lang", ["ar", "fr", "en"])
def test_it_puts_iso_dates_in_the_report_form(lang, activity, focal_point_a):
    html = login(focal_point_a, lang).get(f"/{lang}/tracking/activities/{activity.pk}/report/")
    assert date_value(html.content.decode(), "reported_on") == timezone.localdate().isoformat()


@pytest.mark.parametrize("lang", ["ar", "fr", "en"])
def test_it_puts_iso_dates_in_the_edit_and_hand_over_forms(
    lang, activity, focal_point_a, secretariat
):
    update = actions.do_record_progress(
        activity, report(reported_on=datetime.date(2026, 11, 29)), acting_user=focal_point_a
    )
    html = login(focal_point_a, lang).get(f"/{lang}/tracking/updates/{update.pk}/edit/")
    assert date_value(html.content.decode(), "reported_on") == "2026-11-29"
    url = f"/{lang}/tracking/commitments/{activity.commitment.pk}/hand-over/"
    html = login(secretariat, lang).get(url).content.decode()
    assert date_value(html, "started_on") == timezone.localdate().isoformat()


def test_it_keeps_a_typed_iso_date_in_the_change_request_filter(client, secretariat):
    page = login(secretariat, "fr").get("/fr/tracking/change-requests/?since=2023-03-28")
    assert date_value(page.content.decode(), "since") == "2023-03-28"


def test_a_returned_arabic_update_is_edited_and_resubmitted_from_the_french_page(
    activity, focal_point_a, secretariat
):
    update = submitted(activity, focal_point_a)
    actions.do_return_update(update, acting_user=secretariat, reason="أضيفوا الدليل")
    fp = login(focal_point_a, "fr")
    html = fp.get(f"/fr/tracking/updates/{update.pk}/edit/").content.decode()
    # The narrative given (in Arabic) is in the main box, not an empty French one.
    main = re.search(r'<textarea[^>]*name="narrative_ar"[^>]*>([^<]*)<', html)
    assert main and "تقدم ملموس" in main.group(1)
    assert html.index('name="narrative_ar"') < html.index("<details")
    data = {
        "progress": "70",
        "reported_on": date_value(html, "reported_on"),
        "narrative_ar": "تقدم ملموس مع الدليل",
        "narrative_fr": "",
        "narrative_en": "",
        "links": "",
        "submit": "1",
    }
    response = fp.post(f"/fr/tracking/updates/{update.pk}/edit/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    update.refresh_from_db()
    assert update.status == UpdateStatus.SUBMITTED and update.progress == 70
    assert update.narrative_ar == "تقدم ملموس مع الدليل" and update.language == "ar"


def test_a_report_needs_a_narrative_in_one_language_any_one(activity, focal_point_a):
    fp = login(focal_point_a, "en")
    url = f"/en/tracking/activities/{activity.pk}/report/"
    base = {"progress": "30", "reported_on": timezone.localdate().isoformat(), "submit": "1"}
    empty = fp.post(url, {**base, "narrative_ar": "", "narrative_fr": "", "narrative_en": ""})
    assert empty.status_code == 400
    assert "Write the narrative in at least one language." in empty.content.decode()
    assert not ProgressUpdate.objects.exists()
    ok = fp.post(url, {**base, "narrative_fr": "Étude réalisée"})
    assert ok.status_code == 302
    assert ProgressUpdate.objects.get().narrative_fr == "Étude réalisée"


def _decide_buttons(html: str) -> int:
    return html.count('name="decision" value="accept"')


def test_a_member_who_is_not_the_chair_sees_the_request_as_pending(activity, secretariat):
    from apps.accounts.roles import Role
    from apps.accounts.tests.personas import make_user

    member = make_user("member2", Role.COMMITTEE_MEMBER)
    actions.do_propose_change(activity, acting_user=secretariat, progress=60, justification="x")
    html = login(member, "en").get("/en/tracking/change-requests/")
    page = html.content.decode()
    assert _decide_buttons(page) == 0 and 'data-status="pending"' in page


def test_the_hand_over_mail_isolates_its_date(
    settings, mailoutbox, django_capture_on_commit_callbacks, ministry_a, secretariat
):
    """An Arabic mail reads "2026-11-29", not "29-11-2026": the date is isolated."""
    from apps.accounts.roles import Role
    from apps.accounts.tests.personas import make_user
    from apps.tracking.tests.factories import make_activity

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    successor = make_user("focal_a3", Role.FOCAL_POINT, institution=ministry_a)
    activity = make_activity(ministry_a)
    with django_capture_on_commit_callbacks(execute=True):
        actions.do_hand_over(
            activity.commitment, successor, acting_user=secretariat, on=datetime.date(2026, 11, 29)
        )
    (message,) = mailoutbox
    assert "\u20682026-11-29\u2069" in message.body
