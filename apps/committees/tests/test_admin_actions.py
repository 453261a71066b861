"""The committees' admin writes through actions: audited, and frozen where the rules say."""

from __future__ import annotations

import pytest
from django.test import Client

from apps.committees.tests.factories import make_member, publish
from apps.core.models import AuditLog

pytestmark = pytest.mark.django_db


def _post(client, obj, **changes):
    from apps.core.tests.forms import FormReader

    opts = obj._meta
    url = f"/ar/admin/{opts.app_label}/{opts.model_name}/{obj.pk}/change/"
    reader = FormReader()
    reader.feed(client.get(url).content.decode())
    data = {k: v for k, v in reader.values.items() if v != "texte"}
    for button in ("_saveasnew", "_addanother", "_continue"):
        data.pop(button, None)
    data.update({k: str(v) for k, v in changes.items()})
    return client.post(url, data)


@pytest.fixture
def admin(superuser):
    client = Client()
    client.force_login(superuser)
    return client


def test_renaming_a_member_in_the_admin_is_audited(admin, committee, gov, superuser):
    member = make_member(committee, gov, name="سارة")
    response = _post(admin, committee, **{"members-0-name": "سارة العلوي"})
    assert response.status_code == 302, response.content.decode()[:2000]
    member.refresh_from_db()
    assert member.name == "سارة العلوي"
    row = AuditLog.objects.get(action="committees.change_member")
    assert row.actor == superuser and row.target_id == member.pk
    assert row.before == {"name": "سارة"} and row.after == {"name": "سارة العلوي"}


def test_a_draft_meeting_changed_in_the_admin_is_audited(admin, draft):
    response = _post(admin, draft, place_fr="Rabat, salle 2")
    assert response.status_code == 302, response.content.decode()[:2000]
    draft.refresh_from_db()
    assert draft.place_fr == "Rabat, salle 2"
    assert AuditLog.objects.get(action="committees.change_meeting").after == {
        "place_fr": "Rabat, salle 2"
    }


def test_published_minutes_are_read_only_in_the_admin(admin, draft):
    publish(draft)
    before = AuditLog.objects.count()
    response = _post(admin, draft, place_fr="Ailleurs")
    assert response.status_code == 403
    draft.refresh_from_db()
    assert draft.place_fr != "Ailleurs" and AuditLog.objects.count() == before


def test_an_action_item_closed_in_the_admin_is_still_open_as_at_its_meeting(
    committee, secretariat, superuser
):
    import datetime

    from django.utils import timezone

    from apps.committees.models import ActionItem
    from apps.committees.record import _statuses_at
    from apps.committees.tests.factories import make_meeting
    from apps.core.actions import do_save_object

    meeting = make_meeting(committee)
    from apps.committees import actions

    actions.do_add_decision(
        meeting,
        acting_user=secretariat,
        text="قرار",
        action_item={"title": "مهمة", "due_date": datetime.date(2023, 4, 30)},
    )
    item = ActionItem.objects.get()
    moment = timezone.now()
    do_save_object(item, acting_user=superuser, fields={"owner_name": "سارة"})
    do_save_object(item, acting_user=superuser, fields={"status": "done"})
    item.refresh_from_db()
    assert item.status == "done"
    assert _statuses_at(([item], moment)) == [{item.pk: "open"}]
