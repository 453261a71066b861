"""The secretariat's audit trail page: who may see it, the filters, the exports
(formulas neutralised) and a fixed number of queries whatever the number of rows."""

from __future__ import annotations

import csv
import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from apps.core.models import AuditLog

pytestmark = pytest.mark.django_db


def _rows(n: int, actor, target) -> None:
    AuditLog.objects.bulk_create(
        AuditLog(
            actor=actor,
            action="plans.change_plan",
            target_type="plans.actionplan",
            target_id=target.pk,
            after={"title": f"t{i}"},
        )
        for i in range(n)
    )


def test_it_is_for_the_secretariat_only(client, focal_point_a, committee_member, secretariat):
    for persona in (focal_point_a, committee_member):
        client.force_login(persona)
        assert client.get("/en/audit/").status_code == 403
        assert client.get("/en/audit/audit.csv").status_code == 403
    client.force_login(secretariat)
    page = client.get("/en/audit/")
    assert page.status_code == 200
    assert 'href="/en/audit/"' in page.content.decode()  # the menu's link


def test_it_filters_by_who_what_and_when(client, secretariat, focal_point_a):
    AuditLog.record(actor=focal_point_a, action="tracking.edit_update", target=focal_point_a)
    old = AuditLog.record(actor=secretariat, action="people.change_account", target=focal_point_a)
    AuditLog.objects.filter(pk=old.pk).update(at=datetime.datetime(2023, 3, 1, tzinfo=datetime.UTC))
    client.force_login(secretariat)

    def shown(query: str) -> set[str]:
        html = client.get(f"/en/audit/?{query}").content.decode()
        return {a for a in ("tracking.edit_update", "people.change_account") if a in html}

    assert shown("") == {"tracking.edit_update", "people.change_account"}
    assert shown(f"who={focal_point_a.pk}") == {"tracking.edit_update"}
    assert shown("action=people.") == {"people.change_account"}
    assert shown("since=2023-02-01&until=2023-03-01") == {"people.change_account"}
    assert shown("until=2023-02-28") == set()
    assert shown("target=accounts.user") == {"tracking.edit_update", "people.change_account"}
    assert client.get("/en/audit/?since=2023-13-45").status_code == 200


def test_the_exports_hold_the_filtered_rows_and_no_formula(client, secretariat, focal_point_a):
    AuditLog.record(
        actor=focal_point_a,
        action="accounts.change_profile",
        target=focal_point_a,
        after={"first_name": '=HYPERLINK("x")'},
    )
    AuditLog.record(actor=secretariat, action="people.change_account", target=focal_point_a)
    client.force_login(secretariat)
    response = client.get("/en/audit/audit.csv?action=accounts.change_")
    assert response["Content-Disposition"] == 'attachment; filename="audit.csv"'
    lines = list(csv.reader(io.StringIO(response.content.decode())))
    assert len(lines) == 2 and lines[1][2] == "accounts.change_profile"
    assert "HYPERLINK" in lines[1][6]
    response = client.get(f"/en/audit/audit.xlsx?who={focal_point_a.pk}")
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert len(values) == 2 and values[1][1] == "focal_a"


def test_a_cell_that_would_be_a_formula_is_neutralised(client, secretariat):
    from apps.accounts.models import User

    evil = User.objects.create_user(username="=cmd", password="x")
    AuditLog.record(actor=evil, action="accounts.sign_in", target=evil)
    client.force_login(secretariat)
    lines = list(
        csv.reader(io.StringIO(client.get(f"/en/audit/audit.csv?who={evil.pk}").content.decode()))
    )
    assert [line[1] for line in lines[1:]] == ["'=cmd"]


def test_the_page_costs_the_same_queries_for_10_and_1000_rows(client, secretariat):
    client.force_login(secretariat)
    _rows(10, secretariat, secretariat)
    client.get("/en/audit/")
    with CaptureQueriesContext(connection) as small:
        assert client.get("/en/audit/").status_code == 200
    _rows(990, secretariat, secretariat)
    with CaptureQueriesContext(connection) as large:
        assert client.get("/en/audit/?page=3").status_code == 200
    assert len(large) == len(small), [q["sql"] for q in large.captured_queries]


@pytest.mark.parametrize(
    "persona",
    [
        "anonymous",
        "citizen",
        "focal_point_a",
        "focal_point_b",
        "committee_member",
        "translator",
        "secretariat",
        "superuser",
    ],
)
def test_every_persona_gets_the_page_or_a_refusal(client, personas, persona):
    user = personas[persona]
    if user.is_authenticated:
        client.force_login(user)
    secretariat = persona in ("secretariat", "superuser")
    for path in ("/ar/audit/", "/fr/audit/audit.csv", "/en/audit/audit.xlsx"):
        response = client.get(path)
        if persona == "anonymous":
            assert response.status_code == 302 and "/accounts/login/" in response["Location"]
        else:
            assert response.status_code == (200 if secretariat else 403), (persona, path)
