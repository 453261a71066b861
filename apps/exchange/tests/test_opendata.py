"""The public open data: the page, the files in three formats, the data package."""

from __future__ import annotations

import csv
import datetime
import io
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from apps.accounts.models import Institution
from apps.committees.models import Meeting
from apps.committees.tests.factories import (
    at,
    make_committee,
    make_meeting,
    publish,
    validated,
)
from apps.core.models import AuditLog
from apps.exchange.models import OpenDataSettings
from apps.exchange.opendata import FORMATS, TABLES
from apps.plans.choices import IrmCompletion
from apps.plans.models import Activity, Commitment, Tag
from apps.plans.tests.factories import make_commitment, make_plan, make_theme
from apps.tracking import actions as tracking
from apps.tracking.models import ProgressUpdate
from apps.tracking.tests.factories import assign, report, submitted

pytestmark = pytest.mark.django_db

FORMULA = '=HYPERLINK("http://x","y")'


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@dataclass
class World:
    plan: Any
    commitment: Commitment
    activity: Activity
    validated: ProgressUpdate
    draft: ProgressUpdate
    submitted: ProgressUpdate
    returned: ProgressUpdate
    published: Meeting
    announced: Meeting
    hidden: Meeting


@pytest.fixture
def world(ministry_a, focal_point_a, focal_point_b, secretariat) -> World:
    """A plan with a commitment of ministry A whose focal point's profile name would be
    a formula; one update in each state; a meeting with published minutes and a frozen
    snapshot, an announced one, and a draft one with a snapshot (not public)."""
    focal_point_a.first_name = FORMULA
    focal_point_a.save(update_fields=["first_name"])
    plan = make_plan()
    theme = make_theme(plan, title_en="Open justice")
    commitment = make_commitment(plan, [(20, 1), (50, 3)], lead_institution=ministry_a, theme=theme)
    commitment.title_fr = "+33 engagement"  # would be a formula in a spreadsheet
    # What OGP's dataset brings: its identifier, a date as written, the IRM's level.
    commitment.ogp_id, commitment.end_date_text = "MA0042", "S II 2023"
    commitment.irm_completion = IrmCompletion.SUBSTANTIAL
    commitment.save(update_fields=["title_fr", "ogp_id", "end_date_text", "irm_completion"])
    commitment.tags.add(Tag.objects.create(slug="open-justice", name_en="Open justice"))
    first, second = commitment.activities.order_by("order")
    assign(commitment, focal_point_a, secretariat)
    validated = tracking.do_validate_update(
        submitted(first, focal_point_a, 70), acting_user=secretariat
    )
    draft = tracking.do_record_progress(
        first, report(80, narratives={"ar": "مسودة"}), acting_user=focal_point_a
    )
    pending = submitted(second, focal_point_a, 90)
    returned = tracking.do_return_update(
        submitted(second, focal_point_a, 95), acting_user=secretariat, reason="?"
    )
    committee = make_committee(plan)
    published = make_meeting(committee, at(2023, 3, 28))
    from apps.committees import actions as committee_actions

    committee_actions.do_freeze_snapshot(published, acting_user=secretariat)
    publish(published)
    announced = make_meeting(committee, at(2023, 9, 1))
    committee_actions.do_announce_meeting(announced, acting_user=secretariat)
    hidden = make_meeting(committee, at(2023, 6, 1))
    committee_actions.do_freeze_snapshot(hidden, acting_user=secretariat)
    return World(
        plan=plan,
        commitment=commitment,
        activity=first,
        validated=validated,
        draft=draft,
        submitted=pending,
        returned=returned,
        published=published,
        announced=announced,
        hidden=hidden,
    )


def download(client: Client, table: str, fmt: str) -> bytes:
    response = client.get(f"/open-data/{table}.{fmt}")
    assert response.status_code == 200, (table, fmt)
    if fmt in ("csv", "json"):
        assert response.streaming  # written as it is read
    return b"".join(response.streaming_content)


def csv_rows(client: Client, table: str) -> list[dict[str, str]]:
    text = download(client, table, "csv").decode("utf-8")
    return list(csv.DictReader(io.StringIO(text)))


def xlsx_rows(content: bytes) -> list[dict[str, Any]]:
    from openpyxl import load_workbook

    ws = load_workbook(io.BytesIO(content), read_only=True).worksheets[0]
    rows = list(ws.iter_rows(values_only=True))
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


@pytest.mark.parametrize(
    ("lang", "heading", "rtl"),
    [
        ("ar", "البيانات المفتوحة", True),
        ("fr", "Données ouvertes", False),
        ("en", "Open data", False),
    ],
)
def test_it_offers_every_table_in_three_formats(client, world, lang, heading, rtl):
    response = client.get(f"/{lang}/open-data/")
    html = response.content.decode()
    assert response.status_code == 200
    assert f'<h1 class="h2">{heading}</h1>' in html
    assert ('dir="rtl"' in html) is rtl
    for name in TABLES:
        for fmt in FORMATS:
            assert f'href="/open-data/{name}.{fmt}"' in html
    assert 'href="/open-data/datapackage.json"' in html
    assert "CC-BY-4.0" in html and 'href="https://creativecommons.org/licenses/by/4.0/"' in html


def test_the_footer_and_the_plan_pages_link_to_it(client, world):
    html = client.get(f"/fr/plans/{world.plan.slug}/").content.decode()
    assert html.count('href="/fr/open-data/"') == 2  # the footer and the plan's panel
    number = world.commitment.number
    html = client.get(f"/en/plans/{world.plan.slug}/commitments/{number}/").content.decode()
    assert 'data-testid="open-data-panel"' in html


def test_the_page_costs_a_fixed_number_of_queries(client, world, ministry_b):
    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/ar/open-data/").status_code == 200
        return len(ctx)

    small = count()
    for _ in range(5):
        make_commitment(world.plan, [(10, 1)] * 3, lead_institution=ministry_b)
    assert count() == small == 1  # the licence


def test_the_package_validates_with_frictionless(client, world, tmp_path):
    """The package and every CSV, fetched as a harvester would, pass frictionless's
    validation (schemas, types, constraints, primary and foreign keys)."""
    import frictionless

    response = client.get("/open-data/datapackage.json")
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    package = json.loads(response.content)
    (tmp_path / "datapackage.json").write_bytes(response.content)
    assert [r["name"] for r in package["resources"]] == list(TABLES)
    for resource in package["resources"]:
        (tmp_path / resource["path"]).write_bytes(download(client, resource["name"], "csv"))
    report = frictionless.validate(str(tmp_path / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    assert package["licenses"] == [
        {
            "name": "CC-BY-4.0",
            "title": "Creative Commons Attribution 4.0",
            "path": "https://creativecommons.org/licenses/by/4.0/",
        }
    ]
    commitments = next(r for r in package["resources"] if r["name"] == "commitments")
    assert commitments["schema"]["primaryKey"] == ["id"]
    assert {"fields": ["plan_id"], "reference": {"resource": "plans", "fields": ["id"]}} in (
        commitments["schema"]["foreignKeys"]
    )


def test_a_broken_foreign_key_fails_the_validation(client, world, tmp_path):
    """The validation above can fail: an activity pointing at no commitment is caught."""
    import frictionless

    (tmp_path / "datapackage.json").write_bytes(client.get("/open-data/datapackage.json").content)
    for name in TABLES:
        (tmp_path / f"{name}.csv").write_bytes(download(client, name, "csv"))
    lines = (tmp_path / "activities.csv").read_text().splitlines()
    fields = lines[1].split(",")
    fields[1] = "987654"  # commitment_id
    lines[1] = ",".join(fields)
    (tmp_path / "activities.csv").write_text("\r\n".join(lines) + "\r\n")
    report = frictionless.validate(str(tmp_path / "datapackage.json"))
    assert not report.valid
    assert "foreign-key" in {error[0] for error in report.flatten(["type"])}


def test_the_secretariat_sets_the_licence_in_the_admin_and_it_is_audited(
    client, world, secretariat
):
    client.force_login(secretariat)
    response = client.post(
        "/en/admin/exchange/opendatasettings/add/",
        {
            "licence_name": "ODbL-1.0",
            "licence_title": "Open Data Commons Open Database License",
            "licence_url": "https://opendatacommons.org/licenses/odbl/1-0/",
        },
    )
    assert response.status_code == 302
    assert OpenDataSettings.load().licence_name == "ODbL-1.0"
    assert AuditLog.objects.filter(
        action="exchange.add_opendatasettings", actor=secretariat
    ).exists()
    # One record: no second one can be added.
    assert client.get("/en/admin/exchange/opendatasettings/add/").status_code == 403
    package = json.loads(Client().get("/open-data/datapackage.json").content)
    assert package["licenses"][0]["name"] == "ODbL-1.0"
    # The API states the same licence.
    document = Client().get("/api/v1/openapi.json").json()
    assert document["info"]["license"]["identifier"] == "ODbL-1.0"
    assert "ODbL-1.0" in Client().get("/fr/open-data/").content.decode()


def test_the_server_s_licence_is_the_default(client, settings):
    settings.SHARAKA_OPEN_DATA_LICENSE = "etalab-2.0"
    package = json.loads(client.get("/open-data/datapackage.json").content)
    assert package["licenses"] == [
        {
            "name": "etalab-2.0",
            "title": "etalab-2.0",
            "path": "https://spdx.org/licenses/etalab-2.0.html",
        }
    ]
    assert client.get("/api/v1/openapi.json").json()["info"]["license"]["identifier"] == (
        "etalab-2.0"
    )


def test_others_may_not_change_the_licence(client, world, focal_point_a):
    client.force_login(focal_point_a)
    response = client.post(
        "/en/admin/exchange/opendatasettings/add/",
        {"licence_name": "x", "licence_title": "x", "licence_url": "https://x.example/"},
    )
    assert response.status_code in (302, 403)
    assert not OpenDataSettings.objects.exists()


def test_the_progress_history_has_validated_updates_only_and_no_person(client, world):
    rows = csv_rows(client, "progress_updates")
    assert [int(r["id"]) for r in rows] == [world.validated.pk]
    (row,) = rows
    assert row["progress"] == "70" and row["previous_progress"] == "20"
    assert row["institution_name_ar"] == "وزارة أ" and row["institution_name_fr"] == "Ministère A"
    assert row["validated_at"].endswith("Z")
    everything = b"".join(download(client, t, f) for t in TABLES for f in ("csv", "json"))
    assert b"@example.org" not in everything  # no e-mail address
    assert b"HYPERLINK" not in everything  # the focal point's profile name is not there
    assert "مسودة".encode() not in everything  # nor a draft's narrative


def test_no_person_whatever_the_plan_shows_of_its_focal_points(client, world, focal_point_a):
    """A plan may show its focal points' names and e-mails on its pages
    (``ActionPlan.public_contacts``); the open data never carries a person."""
    world.plan.public_contacts = "name_and_email"
    world.plan.save(update_fields=["public_contacts"])
    focal_point_a.last_name = "Alaoui"
    focal_point_a.save(update_fields=["last_name"])
    everything = b"".join(download(client, t, f) for t in TABLES for f in ("csv", "json"))
    assert b"@example.org" not in everything and b"Alaoui" not in everything


def test_meetings_snapshots_and_minutes_follow_the_public_rules(client, world, secretariat):
    client.force_login(secretariat)  # sees every meeting on the site, not in the files
    meetings = {int(r["id"]): r for r in csv_rows(client, "meetings")}
    assert set(meetings) == {world.published.pk, world.announced.pk}
    assert meetings[world.published.pk]["minutes_published"] == "true"
    assert meetings[world.announced.pk]["minutes_published"] == "false"
    minutes = csv_rows(client, "minutes")
    assert [int(r["meeting_id"]) for r in minutes] == [world.published.pk]
    assert minutes[0]["url"].endswith(f"/meetings/{world.published.pk}/minutes/")
    assert "/ar/" not in minutes[0]["url"]  # opens in the reader's language
    snapshots = csv_rows(client, "snapshots")
    assert [int(r["meeting_id"]) for r in snapshots] == [world.published.pk]
    rows = csv_rows(client, "snapshot_rows")
    assert {r["snapshot_id"] for r in rows} == {snapshots[0]["id"]} and len(rows) == 1
    assert len(csv_rows(client, "snapshot_activities")) == 2


def test_the_three_formats_agree(client, world):
    from_csv = csv_rows(client, "commitments")
    from_json = json.loads(download(client, "commitments", "json"))
    from_xlsx = xlsx_rows(download(client, "commitments", "xlsx"))
    assert len(from_csv) == len(from_json) == len(from_xlsx) == 1
    row, record, cells = from_csv[0], from_json[0], from_xlsx[0]
    assert list(row) == list(record) == list(cells) == TABLES["commitments"].headers
    assert row["progress"] == "55.0" and record["progress"] == 55.0 and cells["progress"] == 55.0
    assert row["completion_level"] == record["completion_level"] == cells["completion_level"]
    assert row["theme_title_en"] == record["theme_title_en"] == "Open justice"
    assert row["ogp_id"] == record["ogp_id"] == cells["ogp_id"] == "MA0042"
    assert row["end_date_text"] == "S II 2023" and row["irm_completion"] == "substantial"
    (pair,) = csv_rows(client, "commitment_policy_areas")
    assert pair["commitment_id"] == row["id"]
    assert csv_rows(client, "policy_areas")[0]["name_en"] == "Open justice"
    assert record["access_to_information"] is False and row["access_to_information"] == "false"
    # The page's address opens in the reader's language.
    path = row["url"].removeprefix("http://testserver")
    assert path == f"/plans/{world.plan.slug}/commitments/{world.commitment.number}/"
    response = client.get(path, HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 302 and response["Location"] == "/fr" + path
    activities = json.loads(download(client, "activities", "json"))
    assert [a["weight"] for a in activities] == [1.0, 3.0]


def test_cells_that_would_be_formulas_are_neutralised(client, world, ministry_a):
    Institution.objects.filter(pk=ministry_a.pk).update(name_en=FORMULA)
    ProgressUpdate.objects.filter(pk=world.validated.pk).update(narrative_fr="@SUM(A1)")
    row = csv_rows(client, "commitments")[0]
    assert row["title_fr"] == "'+33 engagement"
    assert row["lead_institution_name_en"] == "'" + FORMULA
    assert json.loads(download(client, "institutions", "json"))[0]["name_en"] == "'" + FORMULA
    cells = xlsx_rows(download(client, "progress_updates", "xlsx"))[0]
    assert cells["narrative_fr"] == "'@SUM(A1)"
    assert cells["institution_name_en"] == "'" + FORMULA


def test_the_dashboard_export_neutralises_a_focal_point_s_profile_name(client, world, secretariat):
    """The secretariat's Excel export (tracking's dashboard) names the focal point of a
    stale commitment: a profile name that is a formula comes out as text."""
    from openpyxl import load_workbook

    # Overdue: the commitment is in the dashboard's list of commitments with a flag.
    Activity.objects.filter(pk=world.activity.pk).update(end_date=datetime.date(2022, 1, 1))
    client.force_login(secretariat)
    response = client.get(f"/en/tracking/dashboard.xlsx?plan={world.plan.slug}")
    ws = load_workbook(io.BytesIO(response.content)).worksheets[0]
    names = [ws.cell(row=r, column=4).value for r in range(2, ws.max_row + 1)]
    assert names and all(name.startswith("'=HYPERLINK") for name in names)
    assert all(ws.cell(row=r, column=4).data_type == "s" for r in range(2, ws.max_row + 1))


@pytest.mark.parametrize("fmt", FORMATS)
def test_each_export_costs_a_fixed_number_of_queries(client, world, ministry_b, secretariat, fmt):
    def counts() -> dict[str, int]:
        found = {}
        for name in TABLES:
            with CaptureQueriesContext(connection) as ctx:
                download(client, name, fmt)
            found[name] = len(ctx)
        return found

    small = counts()
    for _ in range(6):
        commitment = make_commitment(world.plan, [(10, 1)] * 3, lead_institution=ministry_b)
        for activity in commitment.activities.all():
            validated(activity, 30, at(2023, 1, 1), by=secretariat)
    assert len(csv_rows(client, "activities")) == 2 + 18
    assert len(csv_rows(client, "progress_updates")) == 1 + 18
    assert counts() == small
    assert max(small.values()) == 1


@pytest.mark.parametrize(
    "path",
    [
        "/open-data/nothing.csv",
        "/open-data/commitments.exe",
        "/open-data/commitments.xls",
        "/open-data/__init__.json",
    ],
)
def test_an_unknown_table_or_format_is_not_found(client, path):
    assert client.get(path).status_code == 404


def test_the_files_are_read_only(client, world):
    assert client.post("/open-data/commitments.csv").status_code == 405
    assert client.post("/open-data/datapackage.json").status_code == 405


def test_the_files_do_not_depend_on_the_language(client, world):
    first = download(client, "commitments", "csv")
    client.cookies["django_language"] = "fr"
    assert download(client, "commitments", "csv") == first


def test_the_package_is_cached_briefly_and_open_to_other_sites(client, world):
    response = client.get("/open-data/datapackage.json")
    assert response["Access-Control-Allow-Origin"] == "*"
    assert response["Cache-Control"] == "public, max-age=300"


def test_the_package_describes_the_columns_in_the_reader_s_language(client, world):
    package = json.loads(
        client.get("/open-data/datapackage.json", HTTP_ACCEPT_LANGUAGE="fr").content
    )
    plans = next(r for r in package["resources"] if r["name"] == "plans")
    title_fr = next(f for f in plans["schema"]["fields"] if f["name"] == "title_fr")
    assert title_fr["description"] == "Titre, en français"


def test_the_files_of_an_empty_site_are_valid(client, tmp_path):
    import frictionless

    (tmp_path / "datapackage.json").write_bytes(client.get("/open-data/datapackage.json").content)
    for name in TABLES:
        (tmp_path / f"{name}.csv").write_bytes(download(client, name, "csv"))
        assert json.loads(download(client, name, "json")) == []
        assert xlsx_rows(download(client, name, "xlsx")) == []
    assert frictionless.validate(str(tmp_path / "datapackage.json")).valid


def test_the_package_paths_are_its_neighbours(client):
    package = json.loads(client.get("/open-data/datapackage.json").content)
    for resource in package["resources"]:
        assert Path(resource["path"]).name == resource["path"]
        assert client.get(f"/open-data/{resource['path']}").status_code == 200
