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
