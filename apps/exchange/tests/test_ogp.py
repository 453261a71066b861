"""OGP's commitments dataset: a file in OGP's shape (built here: multi-line fields,
free-text dates, several countries and a locality, ND/NR codes, policy-area columns)
imports with every row accounted for, says what it could not map, changes nothing the
second time, and writes nothing when a row is wrong."""

from __future__ import annotations

import csv
import datetime
import io

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation
from openpyxl import Workbook

from apps.accounts import system_user
from apps.accounts.models import Institution
from apps.core.models import AuditLog
from apps.exchange import ogp
from apps.exchange.ogp_text import read_date, read_full_text, read_institutions
from apps.plans.choices import IrmCompletion, MemberKind
from apps.plans.figures import stale_plans
from apps.plans.models import ActionPlan, Commitment, Tag


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


HEADERS = [
    "Commitment Unique Identifier",
    "Country/Locality",
    "Action Plan Number",
    "Commitment Number",
    "Code",
    "Region",
    "National Or Local",
    "Commitment Dummy",
    "Year Of Submission",
    "Action Plan End Year",
    "Theme",
    "Commitment Title",
    "Short Title",
    "Full Text",
    "Start Date",
    "End Date",
    "Lead Institution",
    "Supporting Institution(s)",
    "Access to Information",
    "Civic Participation",
    "Public Accountability",
    "Technology and Innovation for Transparency and Accountability",
    "Anti-Corruption and Integrity",
    "Open Data",
    "Fiscal Openness",
    "Completion",
    "Did It Open Government?",
]

OLD_TEMPLATE = (
    "Status quo or problem addressed: Draft laws circulate on paper between ministries.\n"
    "Main objective: One system for every draft act.\n"
    "Brief description of commitment:\n"
    "An online system to prepare, approve and submit legal acts,\n"
    "with the sessions of the Council of Ministers.\n"
    "Relevance: Access to information."
)
NEW_TEMPLATE = (
    "What is the public problem that the commitment will address?\n"
    "Budget documents are published late.\n"
    "What are the causes of the problem?\n"
    "No calendar binds the ministries.\n"
    "What solution are you proposing?\n"
    "A published budget calendar, with citizens' budgets."
)


def row(**values):
    base = dict.fromkeys(HEADERS, "")
    base.update(
        {
            "Code": "ALB",
            "Region": "Europe",
            "National Or Local": "National",
            "Commitment Dummy": "1",
        }
    )
    base.update(values)
    return [base[h] for h in HEADERS]


def good_rows():
    return [
        row(
            **{
                "Commitment Unique Identifier": "AL0001",
                "Country/Locality": "Albania",
                "Action Plan Number": "1",
                "Commitment Number": "1",
                "Year Of Submission": "2012",
                "Action Plan End Year": "2014",
                "Theme": "e-Governance",
                "Commitment Title": "e-Acts",
                "Full Text": OLD_TEMPLATE,
                "Start Date": "NA",
                "End Date": "July 2014",
                "Lead Institution": "Council of Ministers",
                "Supporting Institution(s)": "National Agency for Information Society;\nOpen Albania",
                "Access to Information": "1",
                "Civic Participation": "0",
                "Public Accountability": "ND",
                "Technology and Innovation for Transparency and Accountability": "NR",
                "Anti-Corruption and Integrity": "1",
                "Open Data": "0",
                "Fiscal Openness": "1",
                "Completion": "Complete",
                "Did It Open Government?": "Marginal",
            }
        ),  # fmt: skip
        row(
            **{
                "Commitment Unique Identifier": "AL0002",
                "Country/Locality": "Albania",
                "Action Plan Number": "1",
                "Commitment Number": "2",
                "Year Of Submission": "2012",
                "Action Plan End Year": "2014",
                "Theme": "e-Governance",
                "Commitment Title": "Budget calendar",
                "Full Text": NEW_TEMPLATE,
                "Start Date": "S II 2012",
                "End Date": "Ongoing",
                "Lead Institution": "Ministry of Finance",
                "Access to Information": "1",
                "Open Data": "1",
                "Completion": "Limited",
            }
        ),  # fmt: skip
        row(
            **{
                "Commitment Unique Identifier": "MA0301",
                "Country/Locality": "Morocco",
                "Code": "MAR",
                "Region": "Africa",
                "Action Plan Number": "3",
                "Commitment Number": "1",
                "Year Of Submission": "2024",
                "Action Plan End Year": "2027",
                "Commitment Title": "Open justice",
                "Full Text": "Publish court decisions online.",
                "Start Date": "1/15/2024",
                "End Date": "13/12/2026",
                "Lead Institution": "Ministry of Justice\nMinistry of Finance",
                "Civic Participation": "1",
                "Completion": "Substantial",
            }
        ),  # fmt: skip
        row(
            **{
                "Commitment Unique Identifier": "KE-EM0001",
                "Country/Locality": "Elgeyo Marakwet, Kenya",
                "National Or Local": "Local",
                "Action Plan Number": "1",
                "Commitment Number": "1",
                "Year Of Submission": "2021",
                "Action Plan End Year": "2023",
                "Commitment Title": "Open county budget",
                "Full Text": "The county publishes its budget,\nward by ward.",
                "Start Date": "2021-09-01",
                "End Date": "Q2 2023",
                "Lead Institution": "Ministry of Finance",
                "Fiscal Openness": "1",
                "Completion": "No Evidence Available",
            }
        ),  # fmt: skip
    ]


def bad_row():
    return row(**{
        "Commitment Unique Identifier": "XX0009",
        "Country/Locality": "",
        "Action Plan Number": "first",
        "Commitment Number": "2",
        "Commitment Title": "Nowhere",
    })  # fmt: skip


def write_csv(tmp_path, rows, name="ogp.csv"):
    path = tmp_path / name
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(HEADERS)
        writer.writerows(rows)
    return path


def write_xlsx(tmp_path, rows, name="ogp.xlsx"):
    wb = Workbook()
    ws = wb.active
    ws.append(HEADERS)
    for r in rows:
        # Excel keeps numbers as numbers.
        ws.append([int(v) if v.isdigit() else v for v in r])
    path = tmp_path / name
    wb.save(path)
    return path


def run(path, *, apply=True, user=None):
    return ogp.run(path, apply=apply, user=user or system_user(), options={})


def text(report):
    return "\n".join(report.lines())


def written():
    return (
        ActionPlan.objects.count(),
        Commitment.objects.count(),
        Institution.objects.count(),
        Tag.objects.count(),
    )


@pytest.mark.django_db
@pytest.mark.parametrize("write", [write_csv, write_xlsx], ids=["csv", "xlsx"])
def test_it_imports_every_row_of_the_dataset(tmp_path, write):
    report = run(write(tmp_path, good_rows()))

    assert report.ok, list(report.errors)
    assert report.applied
    assert report.counts() == {"create": 4, "update": 0, "unchanged": 0, "error": 0}
    assert [r.row for r in report.rows] == [2, 3, 4, 5]
    # Three members: two countries, one locality; one plan each.
    plans = {(p.member_en, p.ordinal): p for p in ActionPlan.objects.all()}
    assert set(plans) == {("Albania", 1), ("Morocco", 3), ("Elgeyo Marakwet, Kenya", 1)}
    albania = plans["Albania", 1]
    assert (albania.period_start, albania.period_end) == (
        datetime.date(2012, 1, 1),
        datetime.date(2014, 12, 31),
    )
    assert albania.member_ar == "Albania"
    assert "Albania" in albania.title_ar and "Albania" in albania.title_fr
    assert plans["Elgeyo Marakwet, Kenya", 1].member_kind == MemberKind.LOCAL
    assert plans["Morocco", 3].member_kind == MemberKind.NATIONAL
    # Each plan's stored figures (apps/plans/figures.py) followed the import.
    assert stale_plans() == [] and sum(p.commitments_count for p in plans.values()) == 4

    acts = Commitment.objects.get(ogp_id="AL0001")
    assert acts.plan == albania and acts.number == 1
    assert acts.title_en == "e-Acts"
    assert acts.theme.title_en == "e-Governance"
    assert acts.problem_en == "Draft laws circulate on paper between ministries."
    assert acts.solution_en == "One system for every draft act."
    assert acts.summary_en.startswith("An online system") and "\n" in acts.summary_en
    assert acts.full_text_en.replace("\r\n", "\n") == OLD_TEMPLATE
    assert (acts.start_date, acts.start_date_text) == (None, "")
    assert (acts.end_date, acts.end_date_text) == (datetime.date(2014, 7, 31), "July 2014")
    assert acts.access_to_information and not acts.civic_participation
    assert not acts.public_accountability and not acts.technology_innovation
    assert acts.lead_institution.name_en == "Council of Ministers"
    assert sorted(i.name_en for i in acts.supporting_institutions.all()) == [
        "National Agency for Information Society",
        "Open Albania",
    ]
    assert sorted(t.name_en for t in acts.tags.all()) == [
        "Anti-Corruption and Integrity",
        "Fiscal Openness",
    ]
    assert acts.irm_completion == IrmCompletion.COMPLETE
    assert acts.irm_open_government == "Marginal"

    budget = Commitment.objects.get(ogp_id="AL0002")
    assert budget.problem_en == "Budget documents are published late."
    assert budget.causes_en == "No calendar binds the ministries."
    assert budget.solution_en.startswith("A published budget calendar")
    assert (budget.start_date, budget.start_date_text) == (datetime.date(2012, 7, 1), "S II 2012")
    assert (budget.end_date, budget.end_date_text) == (None, "Ongoing")
    assert budget.theme == acts.theme

    justice = Commitment.objects.get(ogp_id="MA0301")
    assert justice.start_date == datetime.date(2024, 1, 15)
    assert justice.end_date == datetime.date(2026, 12, 13)
    assert justice.summary_en == "Publish court decisions online."
    # The lead cell named two bodies: the first leads, the second supports.
    assert justice.lead_institution.name_en == "Ministry of Justice"
    assert [i.name_en for i in justice.supporting_institutions.all()] == ["Ministry of Finance"]

    county = Commitment.objects.get(ogp_id="KE-EM0001")
    assert county.end_date == datetime.date(2023, 6, 30)
    assert county.irm_completion == IrmCompletion.NO_EVIDENCE
    # "Ministry of Finance" of Albania, Morocco and the county are three bodies.
    assert Institution.objects.filter(name_en="Ministry of Finance").count() == 3
    assert Tag.objects.count() == 3

    notes = text(report)
    assert "3 plans created" in notes
    assert "Members in the file: countries 2, localities 1." in notes
    assert "Columns not imported: Code, Region, Commitment Dummy." in notes
    assert "Policy areas read from 3 columns" in notes
    assert "Dates that could not be read, kept as text: 1, e.g. “Ongoing” (row 3)" in notes
    assert "“S II 2012” (row 3)" in notes
    assert "coded ND or NR, read as no: 2." in notes
    assert "Lead institution cells naming several bodies" in notes
    assert "Full text split into the template's sections: 2 commitments" in notes
    assert "kept whole as the brief description: 2 commitments" in notes
    assert AuditLog.objects.filter(action="plans.add_commitment").count() == 4


@pytest.mark.django_db
def test_it_changes_nothing_the_second_time(tmp_path):
    path = write_csv(tmp_path, good_rows())
    run(path)
    before, audit = written(), AuditLog.objects.count()

    again = run(path)

    assert again.ok
    assert again.counts() == {"create": 0, "update": 0, "unchanged": 4, "error": 0}
    assert written() == before
    assert AuditLog.objects.count() == audit
    assert "created" not in text(again)


@pytest.mark.django_db
def test_the_same_rows_as_xlsx_after_csv_are_unchanged(tmp_path):
    run(write_csv(tmp_path, good_rows()))
    again = run(write_xlsx(tmp_path, good_rows()))
    assert again.counts()["unchanged"] == 4, [(r.row, r.outcome) for r in again.rows]


@pytest.mark.django_db
def test_a_changed_row_is_an_update_found_by_its_identifier(tmp_path):
    run(write_csv(tmp_path, good_rows()))
    rows = good_rows()
    rows[1][HEADERS.index("Commitment Title")] = "Budget calendar, published"
    rows[1][HEADERS.index("Completion")] = "Complete"
    rows[1][HEADERS.index("Fiscal Openness")] = "1"

    report = run(write_csv(tmp_path, rows, "second.csv"))

    assert report.counts() == {"create": 0, "update": 1, "unchanged": 3, "error": 0}
    budget = Commitment.objects.get(ogp_id="AL0002")
    assert budget.title_en == "Budget calendar, published"
    assert budget.irm_completion == IrmCompletion.COMPLETE
    assert {t.name_en for t in budget.tags.all()} == {"Open Data", "Fiscal Openness"}
    assert AuditLog.objects.filter(action="plans.edit_commitment", target_id=budget.pk).exists()
    assert AuditLog.objects.filter(action="plans.change_tags", target_id=budget.pk).exists()


@pytest.mark.django_db
def test_a_row_with_errors_means_nothing_is_written(tmp_path):
    rows = good_rows()
    rows.insert(2, bad_row())
    rows.append(list(rows[0]))  # AL0001 twice

    report = run(write_csv(tmp_path, rows))

    assert not report.ok and not report.applied
    assert written() == (0, 0, 0, 0)
    assert report.counts() == {"create": 4, "update": 0, "unchanged": 0, "error": 2}
    errors = [(e.row, e.column) for e in report.errors]
    assert (4, "Country/Locality") in errors
    assert (4, "Action Plan Number") in errors
    assert any(e.row == 7 and "row 2" in e.message for e in report.errors)
    assert "Nothing written: correct the errors" in text(report)


@pytest.mark.django_db
def test_the_preview_writes_nothing(tmp_path):
    report = run(write_csv(tmp_path, good_rows()), apply=False)
    assert report.ok and not report.applied
    assert report.counts()["create"] == 4
    assert written() == (0, 0, 0, 0)
    assert AuditLog.objects.count() == 0


@pytest.mark.django_db
def test_it_refuses_who_may_not_change_the_plans(tmp_path, focal_point_a):
    report = run(write_csv(tmp_path, good_rows()), user=focal_point_a)
    assert not report.ok
    assert written()[1] == 0


@pytest.mark.django_db
def test_it_names_the_missing_columns(tmp_path):
    path = tmp_path / "other.csv"
    path.write_text("Country,Title\nAlbania,x\n", encoding="utf-8")
    report = run(path)
    assert [e.message for e in report.file_errors] == [
        "Columns missing from OGP's dataset: Action Plan Number, Commitment Number."
    ]


@pytest.mark.django_db
def test_the_command_prints_the_report(tmp_path):
    path = write_csv(tmp_path, good_rows())
    out = io.StringIO()
    call_command("import_ogp_dataset", str(path), stdout=out)
    printed = out.getvalue()
    assert "New: 4, Updated: 0, Unchanged: 0, Error: 0" in printed
    assert "Applied." in printed

    out = io.StringIO()
    call_command("import_ogp_dataset", str(path), "--dry-run", "--language", "fr", stdout=out)
    assert "Inchangé" in out.getvalue() or "inchang" in out.getvalue().lower()

    bad = write_csv(tmp_path, [bad_row()], "bad.csv")
    with pytest.raises(CommandError):
        call_command("import_ogp_dataset", str(bad), stdout=io.StringIO())


@pytest.mark.django_db
def test_the_commitment_page_shows_what_ogp_says(client, tmp_path):
    run(write_csv(tmp_path, good_rows()))
    acts = Commitment.objects.get(ogp_id="AL0001")
    html = client.get(f"/en{acts.get_absolute_url()[3:]}").content.decode()
    assert "AL0001" in html
    assert "Anti-Corruption and Integrity" in html
    assert "Complete" in html
    assert "July 2014" in html
    # An Arabic reader sees OGP's English text marked as English.
    arabic = client.get(f"/ar{acts.get_absolute_url()[3:]}").content.decode()
    assert "<title>e-Acts" in arabic
    assert '<span lang="en" dir="ltr">e-Acts</span>' in arabic


# Reading the cells --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cell", "is_end", "date", "kept", "kind"),
    [
        ("NA", False, None, "", "empty"),
        ("", False, None, "", "empty"),
        ("2019-07-01", False, datetime.date(2019, 7, 1), "", "day"),
        ("1/1/2019", False, datetime.date(2019, 1, 1), "", "day"),
        ("7/31/2019", False, datetime.date(2019, 7, 31), "", "day"),
        ("31/7/2019", False, datetime.date(2019, 7, 31), "", "day"),
        ("July 2019", False, datetime.date(2019, 7, 1), "July 2019", "period"),
        ("July 2019", True, datetime.date(2019, 7, 31), "July 2019", "period"),
        ("June 30, 2020", True, datetime.date(2020, 6, 30), "", "day"),
        ("S II 2023", False, datetime.date(2023, 7, 1), "S II 2023", "period"),
        ("S1 2023", True, datetime.date(2023, 6, 30), "S1 2023", "period"),
        ("Q3 2019", True, datetime.date(2019, 9, 30), "Q3 2019", "period"),
        ("2020", True, datetime.date(2020, 12, 31), "2020", "period"),
        ("٢٠٢٠-٠١-١٥", False, datetime.date(2020, 1, 15), "", "day"),
        ("Ongoing", False, None, "Ongoing", "text"),
        ("31/02/2019", False, None, "31/02/2019", "text"),
    ],
)
def test_it_reads_free_text_dates(cell, is_end, date, kept, kind):
    read = read_date(cell, is_end=is_end)
    assert (read.date, read.text, read.kind) == (date, kept, kind)


def test_an_ambiguous_day_is_read_month_first_and_said():
    assert read_date("3/4/2019").month_first
    assert not read_date("13/4/2019").month_first


def test_a_full_text_without_headings_is_the_brief_description():
    parsed = read_full_text("Publish every contract.\nWith its amendments.")
    assert not parsed.structured
    assert parsed.fields == {"summary": "Publish every contract.\nWith its amendments."}


def test_a_heading_without_a_field_stays_in_the_full_text_only():
    parsed = read_full_text(OLD_TEMPLATE)
    assert parsed.structured
    assert "relevance" in parsed.unmapped
    assert "Access to information." not in "".join(parsed.fields.values())


def test_institutions_are_split_on_lines_and_semicolons_not_commas():
    assert read_institutions("Ministry of Justice, Legislation; NGO A\nNA\nNGO A") == [
        "Ministry of Justice, Legislation",
        "NGO A",
    ]


@pytest.mark.django_db
def test_it_tells_its_progress_in_rows_read(tmp_path):
    """As every importer does (the import page shows "n rows read")."""
    seen = []
    rows = good_rows()
    ogp.run(write_csv(tmp_path, rows), apply=False, user=system_user(), progress=seen.append)
    assert seen == [len(rows)]
