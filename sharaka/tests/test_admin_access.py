"""Who enters the administration site and what they see there (docs/permissions.md)."""

from __future__ import annotations

import re

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db

# What each app opens to the secretariat (let_the_secretariat_administer).
SECRETARIAT_PAGES = {
    "accounts/institution",
    "committees/committee",
    "exchange/opendatasettings",
    "plans/actionplan",
    "plans/commitment",
    "plans/tag",
}


@pytest.fixture
def demo(db):
    call_command("load_demo", "--no-admin", verbosity=0)


def index_pages(client) -> set[str]:
    html = client.get("/en/admin/").content.decode()
    return set(re.findall(r'href="/en/admin/(\w+/\w+)/"', html))


def test_the_secretariat_sees_the_plans_institutions_committees_and_meetings(
    client, secretariat, demo
):
    from apps.committees.models import Meeting, MeetingStatus

    client.force_login(secretariat)
    assert index_pages(client) == SECRETARIAT_PAGES | {"committees/meeting"}
    for path in (
        "committees/snapshot/",
        "tracking/progressupdate/",
        "tracking/focalpointassignment/",
        "accounts/user/",
        "core/auditlog/",
    ):
        assert client.get(f"/en/admin/{path}").status_code == 403, path
    assert client.get("/en/admin/plans/commitment/add/").status_code == 200
    assert client.get("/en/admin/committees/meeting/add/").status_code == 200
    published = Meeting.objects.get(status=MeetingStatus.PUBLISHED)
    page = client.get(f"/en/admin/committees/meeting/{published.pk}/change/")
    assert page.status_code == 200 and 'name="_save"' not in page.content.decode()


def test_a_superuser_sees_everything(client, superuser, demo):
    client.force_login(superuser)
    pages = index_pages(client)
    assert (
        SECRETARIAT_PAGES
        | {
            "committees/meeting",
            "committees/snapshot",
            "tracking/progressupdate",
            "accounts/user",
            "core/auditlog",
        }
        <= pages
    )
    assert client.get("/en/admin/committees/meeting/add/").status_code == 200


def test_staff_see_what_their_django_permissions_allow(client, citizen):
    from django.contrib.auth.models import Permission

    citizen.is_staff = True
    citizen.save(update_fields=["is_staff"])
    citizen.user_permissions.add(Permission.objects.get(codename="view_meeting"))
    client.force_login(citizen)
    assert index_pages(client) == {"committees/meeting"}
    assert client.get("/en/admin/committees/meeting/").status_code == 200
    assert client.get("/en/admin/committees/meeting/add/").status_code == 403
