"""The secretariat's admin screens open and list the demo."""

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "path",
    [
        "plans/actionplan/",
        "plans/commitment/",
        "plans/commitment/?q=الشفافية",
        "accounts/institution/",
        "core/auditlog/",
    ],
)
def test_admin_lists_open(admin_client, path):
    call_command("load_demo", "--no-admin", verbosity=0)
    assert admin_client.get(f"/ar/admin/{path}").status_code == 200


def test_admin_change_form_of_a_commitment_opens(admin_client):
    call_command("load_demo", "--no-admin", verbosity=0)
    from apps.plans.models import Commitment

    commitment = Commitment.objects.get(number=10)
    response = admin_client.get(f"/fr/admin/plans/commitment/{commitment.pk}/change/")
    assert response.status_code == 200
    assert "وضع الإطار القانوني اللازم لتشجيع تطوير المعطيات المفتوحة" in response.content.decode()


def test_the_root_redirects_to_a_language(client):
    response = client.get("/")
    assert response.status_code == 302 and response["Location"] == "/ar/"


def test_the_secretariat_administers_plans_but_not_accounts(client, secretariat):
    call_command("load_demo", "--no-admin", verbosity=0)
    client.force_login(secretariat)
    index = client.get("/ar/admin/")
    assert index.status_code == 200
    html = index.content.decode()
    assert "/ar/admin/plans/commitment/" in html and "/ar/admin/accounts/user/" not in html
    assert client.get("/ar/admin/plans/commitment/").status_code == 200
    assert client.get("/ar/admin/accounts/user/").status_code == 403
    assert client.get("/ar/admin/tracking/progressupdate/add/").status_code == 403


def test_admin_does_not_change_figures_behind_the_workflow(admin_client):
    call_command("load_demo", "--no-admin", verbosity=0)
    from apps.plans.models import Commitment

    commitment = Commitment.objects.get(number=10)
    html = admin_client.get(f"/ar/admin/plans/commitment/{commitment.pk}/change/").content.decode()
    assert 'name="activities-1-progress"' not in html


@pytest.mark.parametrize("persona", ["focal_point_a", "committee_member", "citizen"])
def test_other_people_are_sent_to_the_admin_login(client, request, persona):
    client.force_login(request.getfixturevalue(persona))
    response = client.get("/ar/admin/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
