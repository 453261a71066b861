"""The tracking pages through the test client: lifecycle, bad input, htmx, export, and
query counts that do not grow with the plan."""

from __future__ import annotations

import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from apps.accounts.tests.personas import PASSWORD
from apps.core.models import AuditLog
from apps.plans.models import Activity, Commitment
from apps.tracking import actions
from apps.tracking.models import ChangeRequest, Evidence, ProgressUpdate, UpdateStatus
from apps.tracking.tests.factories import EXE, PDF, PNG, docx_bytes, report, submitted, upload

DAY = datetime.timedelta(days=1)

pytestmark = pytest.mark.django_db


def login(client, user):
    response = client.post("/ar/accounts/login/", {"login": user.username, "password": PASSWORD})
    assert response.status_code == 302, response.content.decode()[:500]
    return client


def form_data(**changes):
    data = {
        "progress": "55",
        "reported_on": timezone.localdate().isoformat(),
        "narrative_ar": "أنجزت الدراسة وعرضت على اللجنة",
        "narrative_fr": "",
        "narrative_en": "",
        "links": "https://example.org/rapport",
        "submit": "1",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def nothing_stored():
    return not ProgressUpdate.objects.exists() and not Evidence.objects.exists()


# Lifecycle ------------------------------------------------------------------------------


def test_the_whole_lifecycle_through_the_pages(client, activity, focal_point_a, secretariat):
    fp = login(client, focal_point_a)
    my = fp.get("/ar/tracking/my/").content.decode()
    assert activity.title in my and f"/tracking/activities/{activity.pk}/report/" in my
    response = fp.post(
        f"/ar/tracking/activities/{activity.pk}/report/",
        form_data(submit=None, save="1", attachments=upload("report.pdf", PDF)),
    )
    update = ProgressUpdate.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/updates/{update.pk}/")
    assert update.status == UpdateStatus.DRAFT and update.evidence.count() == 2
    fp.post(f"/ar/tracking/updates/{update.pk}/submit/")
    update.refresh_from_db()
    assert update.status == UpdateStatus.SUBMITTED

    # Not public yet.
    from django.test import Client

    public = Client()
    assert public.get(f"/ar/tracking/updates/{update.pk}/").status_code == 404
    stored = update.evidence.exclude(file="").get()
    assert public.get(f"/ar/tracking/evidence/{stored.pk}/").status_code == 404
    assert (
        "أنجزت الدراسة" not in public.get(activity.commitment.get_absolute_url()).content.decode()
    )

    sec = login(Client(), secretariat)
    queue = sec.get("/ar/tracking/queue/").content.decode()
    assert f'id="update-{update.pk}"' in queue
    row = sec.post(
        f"/ar/tracking/updates/{update.pk}/return/",
        {"reason": "أرفقوا محضر الاجتماع"},
        HTTP_HX_REQUEST="true",
    ).content.decode()
    assert row.startswith("<tr") and 'data-status="returned"' in row

    edit = fp.get(f"/ar/tracking/updates/{update.pk}/edit/").content.decode()
    assert "أرفقوا محضر الاجتماع" in edit
    fp.post(
        f"/ar/tracking/updates/{update.pk}/edit/",
        form_data(progress="60", attachments=upload("minutes.docx", docx_bytes())),
    )
    update.refresh_from_db()
    assert update.status == UpdateStatus.SUBMITTED and update.evidence.count() == 4

    row = sec.post(
        f"/ar/tracking/updates/{update.pk}/validate/", HTTP_HX_REQUEST="true"
    ).content.decode()
    assert 'data-status="validated"' in row
    activity.refresh_from_db()
    assert activity.progress == 60

    page = public.get(activity.commitment.get_absolute_url()).content.decode()
    assert 'data-testid="commitment-progress"><bdi>60%</bdi>' in page
    assert "أنجزت الدراسة" in page and "report.pdf" in page
    download = public.get(f"/ar/tracking/evidence/{stored.pk}/")
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    actions_done = list(
        AuditLog.objects.filter(target_type="tracking.progressupdate", target_id=update.pk)
        .order_by("at", "id")
        .values_list("action", flat=True)
    )
    assert actions_done == [
        "tracking.create_update",
        "tracking.submit_update",
        "tracking.return_update",
        "tracking.resubmit_update",
        "tracking.validate_update",
    ]


def test_the_queue_works_without_javascript(client, activity, focal_point_a, secretariat):
    update = submitted(activity, focal_point_a)
    login(client, secretariat)
    response = client.post(
        f"/fr/tracking/updates/{update.pk}/validate/", {"next": "/fr/tracking/queue/"}
    )
    assert response.status_code == 302 and response["Location"] == "/fr/tracking/queue/"
    assert "Rien à valider" in client.get("/fr/tracking/queue/").content.decode()


@pytest.mark.parametrize(
    "next_url", ["/\\evil.example/", "//evil.example/", "https://evil.example/"]
)
def test_the_queue_never_redirects_off_site(client, activity, focal_point_a, secretariat, next_url):
    # "/\\evil.example/" passed the old startswith("/") check.
    update = submitted(activity, focal_point_a)
    login(client, secretariat)
    response = client.post(f"/fr/tracking/updates/{update.pk}/validate/", {"next": next_url})
    assert response.status_code == 302
    assert response["Location"] == f"/fr/tracking/updates/{update.pk}/"


def test_validating_an_already_validated_update_says_so(
    client, activity, focal_point_a, secretariat
):
    update = submitted(activity, focal_point_a)
    login(client, secretariat)
    client.post(f"/ar/tracking/updates/{update.pk}/validate/", HTTP_HX_REQUEST="true")
    again = client.post(
        f"/fr/tracking/updates/{update.pk}/validate/", HTTP_HX_REQUEST="true"
    ).content.decode()
    assert "déjà été validée" in again
    assert AuditLog.objects.filter(action="tracking.validate_update").count() == 1
    assert AuditLog.objects.filter(action="plans.change_activity_progress").count() == 1


# Bad input ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("progress", "message"),
    [
        ("101", "أقل من 100 أو مساوية لها"),
        ("-1", "أكثر من 0 أو مساوية لها"),
        ("abc", "أدخل رقما صحيحا"),
        ("", "هذا الحقل مطلوب"),
    ],
)
def test_a_bad_percentage_is_an_error_in_arabic(client, activity, focal_point_a, progress, message):
    login(client, focal_point_a)
    response = client.post(
        f"/ar/tracking/activities/{activity.pk}/report/", form_data(progress=progress)
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert nothing_stored()


def test_a_bad_percentage_is_an_error_in_french(client, other_activity, focal_point_b):
    login(client, focal_point_b)
    response = client.post(
        f"/fr/tracking/activities/{other_activity.pk}/report/",
        form_data(progress="250", narrative_ar="", narrative_fr="Étude faite"),
    )
    assert response.status_code == 400
    assert "inférieure ou égale à 100" in response.content.decode()


def test_a_narrative_of_a_megabyte_is_refused(client, activity, focal_point_a):
    login(client, focal_point_a)
    response = client.post(
        f"/ar/tracking/activities/{activity.pk}/report/",
        form_data(narrative_ar="x" * 1_000_000),
    )
    assert response.status_code == 400 and "20000" in response.content.decode().replace(",", "")
    assert nothing_stored()


def test_script_is_stored_as_typed_and_shown_escaped(client, activity, focal_point_a, secretariat):
    login(client, focal_point_a)
    client.post(
        f"/ar/tracking/activities/{activity.pk}/report/",
        form_data(narrative_ar="<script>alert('x')</script> تقدم"),
    )
    update = ProgressUpdate.objects.get()
    assert update.narrative_ar.startswith("<script>")
    actions.do_validate_update(update, acting_user=secretariat)
    for url in (update.get_absolute_url(), activity.commitment.get_absolute_url()):
        html = client.get(url).content.decode()
        assert "&lt;script&gt;alert(" in html and "<script>alert(" not in html


def test_a_50_mb_file_is_a_form_error(client, activity, focal_point_a):
    login(client, focal_point_a)
    big = upload("big.pdf", PDF + b"0" * (50 * 1024 * 1024))
    response = client.post(
        f"/ar/tracking/activities/{activity.pk}/report/", form_data(attachments=big)
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "«big.pdf» يتجاوز 10 ميغابايت" in html.replace("حجم ", "")
    assert nothing_stored()


def test_the_report_form_still_checks_csrf(activity, focal_point_a):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(focal_point_a)
    response = client.post(f"/ar/tracking/activities/{activity.pk}/report/", form_data())
    assert response.status_code == 403 and nothing_stored()


def test_an_oversized_file_is_dropped_while_uploading(settings):
    from django.core.files.uploadhandler import SkipFile
    from django.test import RequestFactory

    from apps.tracking.uploads import EvidenceSizeLimitHandler

    settings.SHARAKA_EVIDENCE_MAX_BYTES = 100
    request = RequestFactory().post("/")
    handler = EvidenceSizeLimitHandler(request)
    handler.new_file("attachments", "big.pdf", "application/pdf", None)
    assert handler.receive_data_chunk(b"x" * 60, 0) == b"x" * 60
    with pytest.raises(SkipFile):
        handler.receive_data_chunk(b"x" * 60, 60)
    assert request.oversized_uploads == ["big.pdf"]
    handler.new_file("attachments", "small.pdf", "application/pdf", None)
    assert handler.receive_data_chunk(b"x" * 60, 0)


def test_an_exe_renamed_pdf_is_refused_with_the_other_files(
    client, activity, focal_point_a, settings
):
    login(client, focal_point_a)
    response = client.post(
        f"/ar/tracking/activities/{activity.pk}/report/",
        form_data(attachments=[upload("ok.png", PNG), upload("invoice.pdf", EXE)]),
    )
    assert response.status_code == 400 and "invoice.pdf" in response.content.decode()
    assert nothing_stored()
    assert not any((settings.MEDIA_ROOT).rglob("*.*")) if settings.MEDIA_ROOT.exists() else True


def test_a_bad_link_is_refused(client, activity, focal_point_a):
    login(client, focal_point_a)
    response = client.post(
        f"/ar/tracking/activities/{activity.pk}/report/",
        form_data(links="javascript:alert(1)"),
    )
    assert response.status_code == 400 and nothing_stored()


def test_a_future_reporting_date_is_refused(client, activity, focal_point_a):
    login(client, focal_point_a)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = client.post(
        f"/ar/tracking/activities/{activity.pk}/report/",
        form_data(reported_on=tomorrow.isoformat()),
    )
    assert response.status_code == 400 and nothing_stored()


def test_reporting_on_another_institution_is_forbidden(client, other_activity, focal_point_a):
    login(client, focal_point_a)
    url = f"/ar/tracking/activities/{other_activity.pk}/report/"
    assert client.get(url).status_code == 403
    response = client.post(url, form_data())
    assert response.status_code == 403
    assert "المسندة إليك" in response.content.decode()
    assert nothing_stored()


def test_editing_someone_elses_update_is_forbidden(
    client, activity, other_activity, focal_point_a, focal_point_b
):
    theirs = actions.do_record_progress(other_activity, report(), acting_user=focal_point_b)
    login(client, focal_point_a)
    assert client.post(f"/ar/tracking/updates/{theirs.pk}/edit/", form_data()).status_code == 403
    assert client.get(f"/ar/tracking/updates/{theirs.pk}/").status_code == 404
    theirs.refresh_from_db()
    assert theirs.progress == 60


@pytest.mark.parametrize(
    "url",
    [
        "/ar/tracking/queue/",
        "/ar/tracking/dashboard/",
        "/ar/tracking/dashboard.xlsx",
        "/ar/tracking/change-requests/",
    ],
)
def test_secretariat_pages_are_closed_to_focal_points_and_ask_visitors_to_sign_in(
    client, url, focal_point_a
):
    response = client.get(url)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    login(client, focal_point_a)
    assert client.get(url).status_code == 403


def test_a_focal_point_cannot_validate(client, activity, focal_point_a, focal_point_b):
    update = submitted(activity, focal_point_a)
    login(client, focal_point_b)
    assert client.post(f"/ar/tracking/updates/{update.pk}/validate/").status_code == 403
    update.refresh_from_db()
    assert update.status == UpdateStatus.SUBMITTED


# Change requests, hand-over, public pages -----------------------------------------------


def test_a_change_request_from_proposal_to_published_figure(
    client, activity, committee_member, secretariat
):
    from django.test import Client

    login(client, committee_member)
    response = client.post(
        f"/ar/tracking/activities/{activity.pk}/propose/",
        {"proposed_progress": "60", "justification": "من 20% إلى 60% نظرا للتقدم المسجل"},
    )
    assert response.status_code == 302
    request = ChangeRequest.objects.get()
    assert request.current_progress == 20
    listing = client.get("/ar/tracking/change-requests/").content.decode()
    assert "نظرا للتقدم المسجل" in listing
    # The proposer cannot decide; the secretariat can.
    row = client.post(
        f"/ar/tracking/change-requests/{request.pk}/decide/",
        {"decision": "accept", "reason": "ok"},
        HTTP_HX_REQUEST="true",
    ).content.decode()
    assert 'role="alert"' in row
    sec = login(Client(), secretariat)
    row = sec.post(
        f"/ar/tracking/change-requests/{request.pk}/decide/",
        {"decision": "accept", "reason": "موافقة"},
        HTTP_HX_REQUEST="true",
    ).content.decode()
    assert 'data-status="accepted"' in row
    activity.refresh_from_db()
    assert activity.progress == 60


def test_a_decision_needs_a_reason(client, activity, committee_member, secretariat):
    request = actions.do_propose_change(
        activity, acting_user=committee_member, progress=60, justification="x"
    )
    login(client, secretariat)
    client.post(f"/ar/tracking/change-requests/{request.pk}/decide/", {"decision": "reject"})
    request.refresh_from_db()
    assert request.status == "pending"


def test_a_hand_over_through_the_page_shows_on_the_public_page(
    client, activity, focal_point_a, secretariat, ministry_a
):
    from apps.accounts.roles import Role
    from apps.accounts.tests.personas import make_user

    successor = make_user("focal_a2", Role.FOCAL_POINT, institution=ministry_a)
    successor.first_name, successor.last_name = "سلمى", "العلوي"
    successor.save()
    login(client, secretariat)
    url = f"/ar/tracking/commitments/{activity.commitment.pk}/hand-over/"
    form = client.get(url).content.decode()
    assert "focal_a2" in form or "سلمى" in form
    response = client.post(
        url, {"focal_point": successor.pk, "started_on": "2023-03-28", "note": "تغيير المخاطب"}
    )
    assert response.status_code == 302
    from django.test import Client

    # The public sees the person's name where the plan says so (by default, only the
    # institution: apps/tracking/tests/test_contacts.py).
    plan = activity.commitment.plan
    plan.public_contacts = "name"
    plan.save(update_fields=["public_contacts"])
    page = Client().get(activity.commitment.get_absolute_url()).content.decode()
    assert 'data-testid="focal-point-name">سلمى العلوي' in page
    assert "focal_a@example.org" not in page.split('id="focal-point"')[1].split("<details")[0]
    assert "تغيير المخاطب" in page and "2023-03-28" in page


def test_the_public_plan_page_shows_badges_and_the_api_flags(client, activity, ministry_a):
    plan = activity.commitment.plan
    html = client.get(f"/ar/plans/{plan.slug}/").content.decode()
    assert 'data-flag="not_updated"' in html and 'data-flag="no_progress"' in html
    legend = html.split('id="flags-legend"')[1]
    assert "غير محين" in legend and "Once its period has ended" not in legend
    item = client.get(f"/api/v1/plans/{plan.slug}/flags?lang=fr").json()["items"][0]
    assert item == {
        "number": activity.commitment.number,
        "flags": ["not_updated", "no_progress"],
        "labels": ["Non mis à jour", "Aucun progrès"],
        "last_validated_at": None,
    }
    # The plans API describes the plan; tracking's flags come from tracking's endpoint.
    item = client.get(f"/api/v1/plans/{plan.slug}/commitments").json()["items"][0]
    assert "flags" not in item


def test_an_ended_plan_shows_its_final_state_not_a_wall_of_overdue(client, activity):
    """After its period, the plan shows "ended on …" and final completion levels; no
    follow-up flag applies any more, on the pages or in the API."""
    from apps.plans.models import ActionPlan

    plan = activity.commitment.plan
    ActionPlan.objects.filter(pk=plan.pk).update(
        period_start=datetime.date(2021, 1, 1), period_end=datetime.date(2023, 12, 31)
    )
    type(activity).objects.filter(pk=activity.pk).update(end_date=datetime.date(2023, 6, 30))
    html = client.get(f"/en/plans/{plan.slug}/").content.decode()
    assert 'data-ended="true"' in html and "Ended on" in html and "2023-12-31" in html
    assert "Final completion level" in html and "data-flag=" not in html
    page = client.get(activity.commitment.get_absolute_url().replace("/ar/", "/en/"))
    assert "data-flag=" not in page.content.decode()
    items = client.get(f"/api/v1/plans/{plan.slug}/flags").json()["items"]
    assert [i["flags"] for i in items] == [[]]
    # As it stood in its last year, the activity due in June 2023 was overdue.
    url = f"/api/v1/plans/{plan.slug}/flags?as_of=2023-12-31"
    assert "overdue" in client.get(url).json()["items"][0]["flags"]
    assert "overdue" not in client.get(url.replace("12-31", "06-30")).json()["items"][0]["flags"]


def test_public_pages_say_what_date_their_figures_are_as_of(
    client, activity, focal_point_a, secretariat
):
    plan = activity.commitment.plan
    for url in ("/ar/", f"/ar/plans/{plan.slug}/", activity.commitment.get_absolute_url()):
        assert 'data-testid="figures-as-of"' not in client.get(url).content.decode()
    update = submitted(activity, focal_point_a, 40)
    actions.do_validate_update(update, acting_user=secretariat)
    validated_on = timezone.localdate(update.validated_at)
    for url in ("/ar/", f"/ar/plans/{plan.slug}/", activity.commitment.get_absolute_url()):
        html = client.get(url).content.decode()
        assert 'data-testid="figures-as-of">' in html, url
        assert f"<bdi>{validated_on:%Y-%m-%d}</bdi></p>" in html.split("figures-as-of")[1], url


@pytest.mark.parametrize("value", ["²", "٣", "9" * 30, "-1", "abc"])
def test_it_ignores_a_removal_that_is_no_evidence_id(client, activity, focal_point_a, value):
    # "²" passed str.isdigit() and broke int(): a 500; 30 digits overflowed the database.
    update = actions.do_record_progress(
        activity,
        report(files=[(upload("a.pdf", PDF), "application/pdf")]),
        acting_user=focal_point_a,
    )
    login(client, focal_point_a)
    response = client.post(
        f"/ar/tracking/updates/{update.pk}/edit/",
        form_data(submit=None, links="", remove_evidence=value),
    )
    assert response.status_code == 302
    assert update.evidence.count() == 1


def test_a_removed_evidence_file_leaves_the_disk_only_after_commit(
    client, activity, focal_point_a, django_capture_on_commit_callbacks
):
    # Was deleted inside the transaction: a rollback left a row without its file.
    update = actions.do_record_progress(
        activity,
        report(files=[(upload("a.pdf", PDF), "application/pdf")]),
        acting_user=focal_point_a,
    )
    evidence = update.evidence.get()
    storage, name = evidence.file.storage, evidence.file.name
    with django_capture_on_commit_callbacks() as callbacks:
        actions.do_edit_update(
            update, report(), acting_user=focal_point_a, remove_evidence=[evidence.pk]
        )
        assert storage.exists(name) and not update.evidence.exists()
    for callback in callbacks:
        callback()
    assert not storage.exists(name)


def test_an_evidence_file_missing_from_the_disk_is_not_found(
    client, activity, focal_point_a, secretariat
):
    # Was a 500 (FileNotFoundError) after the file left the disk.
    update = actions.do_record_progress(
        activity,
        report(files=[(upload("a.pdf", PDF), "application/pdf")]),
        acting_user=focal_point_a,
        submit=True,
    )
    evidence = update.evidence.get()
    evidence.file.storage.delete(evidence.file.name)
    login(client, secretariat)
    assert client.get(f"/ar/tracking/evidence/{evidence.pk}/").status_code == 404


# Dashboard, export ----------------------------------------------------------------------


def test_the_dashboard_shows_stale_commitments_pending_and_institutions(
    client, activity, other_activity, focal_point_a, secretariat
):
    submitted(activity, focal_point_a)
    login(client, secretariat)
    plan = activity.commitment.plan
    response = client.get(f"/ar/tracking/dashboard/?plan={plan.slug}")
    html = response.content.decode()
    board = response.context["board"]
    assert [c.pk for c in board.stale] == [activity.commitment.pk]
    assert board.pending_count == 1
    (inst,) = board.institutions
    assert inst.stale_activities == 1 and inst.last_report is not None
    assert 'data-testid="pending-count"><bdi>1</bdi>' in html


@pytest.mark.parametrize("url", ["/ar/tracking/dashboard/", "/ar/tracking/dashboard.xlsx"])
@pytest.mark.parametrize("plan", ["a\x00b", "<script>", "no-such-plan"])
def test_a_plan_that_is_no_slug_is_not_found(client, activity, secretariat, url, plan):
    # A NUL byte in ?plan= was a 500 on PostgreSQL (a string literal cannot contain NUL).
    login(client, secretariat)
    assert client.get(url, {"plan": plan}).status_code == 404


@pytest.mark.parametrize(("lang", "rtl"), [("ar", True), ("fr", False)])
def test_the_dashboard_exports_to_excel(client, activity, secretariat, lang, rtl):
    from openpyxl import load_workbook

    login(client, secretariat)
    plan = activity.commitment.plan
    response = client.get(f"/{lang}/tracking/dashboard.xlsx?plan={plan.slug}")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    wb = load_workbook(io.BytesIO(response.content))
    assert len(wb.sheetnames) == 3
    ws = wb.worksheets[0]
    assert bool(ws.sheet_view.rightToLeft) is rtl
    assert ws.cell(row=2, column=2).value == activity.commitment.title_ar or ws.max_row == 2


def test_the_excel_export_writes_real_dates(client, activity, focal_point_a, secretariat):
    from openpyxl import load_workbook

    update = submitted(activity, focal_point_a)
    login(client, secretariat)
    plan = activity.commitment.plan
    response = client.get(f"/fr/tracking/dashboard.xlsx?plan={plan.slug}")
    wb = load_workbook(io.BytesIO(response.content))
    pending = wb.worksheets[2].cell(row=2, column=1)
    assert pending.is_date and pending.number_format == "yyyy-mm-dd"
    assert pending.value.date() == timezone.localdate(update.submitted_at)
    institution = wb.worksheets[1].cell(row=2, column=3)
    assert institution.is_date and institution.value.date() == timezone.localdate()


def test_the_dashboard_card_counts_what_its_label_says(
    client, activity, other_activity, focal_point_b, secretariat
):
    """The card counts commitments carrying any flag and says so, with the count of
    each flag; a commitment with two flags counts once in the card."""
    from apps.tracking.flags import Flag

    plan = activity.commitment.plan
    Activity.objects.filter(pk=other_activity.pk).update(end_date=timezone.localdate() - DAY)
    update = submitted(other_activity, focal_point_b, 50)
    actions.do_validate_update(update, acting_user=secretariat)  # recent, a change: only late
    Commitment.objects.filter(pk=other_activity.commitment_id).update(plan=plan)
    login(client, secretariat)
    response = client.get(f"/en/tracking/dashboard/?plan={plan.slug}")
    board = response.context["board"]
    assert len(board.stale) == 2 and board.commitments_count == 2
    assert dict(board.flag_counts) == {Flag.NOT_UPDATED: 1, Flag.NO_PROGRESS: 1, Flag.OVERDUE: 1}
    html = response.content.decode()
    assert (
        'data-testid="stale-count"><bdi>2</bdi></div><div>commitments with a flag, out of 2' in html
    )
    assert "Overdue: <bdi>1</bdi>" in html


def test_the_dashboard_shows_the_flags_as_of_a_chosen_day(client, activity, secretariat):
    plan = activity.commitment.plan
    Activity.objects.filter(pk=activity.pk).update(end_date=timezone.localdate() - 10 * DAY)
    login(client, secretariat)
    today = client.get(f"/en/tracking/dashboard/?plan={plan.slug}").context["board"]
    assert "overdue" in [f.value for f in flags_of_first(today)]
    earlier = (timezone.localdate() - 20 * DAY).isoformat()
    response = client.get(f"/en/tracking/dashboard/?plan={plan.slug}&as_of={earlier}")
    assert "overdue" not in [f.value for f in flags_of_first(response.context["board"])]
    as_of = response.content.decode().split('data-testid="as-of">')[1]
    assert as_of.startswith("Flags as of") and earlier in as_of.split(".")[0]


def flags_of_first(board):
    from apps.tracking.staleness import flags_of

    return flags_of(board.stale[0])


def test_an_in_place_decision_refreshes_the_queue_count(
    client, activity, other_activity, focal_point_a, focal_point_b, secretariat
):
    first = submitted(activity, focal_point_a)
    submitted(other_activity, focal_point_b)
    login(client, secretariat)
    queue = client.get("/en/tracking/queue/").content.decode()
    assert "2 updates wait for validation" in queue
    row = client.post(
        f"/en/tracking/updates/{first.pk}/validate/", HTTP_HX_REQUEST="true"
    ).content.decode()
    count = row.split('data-testid="queue-count"')[1]
    assert 'hx-swap-oob="true"' in count and "1 update waits for validation" in count


# Query counts ---------------------------------------------------------------------------


def populate(plan, numbers, institutions, focal_points, secretariat):
    """Commitments with 6 activities, a focal point each, one submitted and one
    validated update per commitment: bulk-created for speed."""
    from apps.tracking.tests.scale import grow_plan

    grow_plan(
        plan,
        numbers,
        institutions=institutions,
        focal_points=focal_points,
        secretariat=secretariat,
        themes=0,
        activities=6,
    )


def count_queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize(
    "url",
    [
        "/ar/tracking/dashboard/?plan=big",
        "/ar/tracking/queue/",
        "/ar/tracking/dashboard.xlsx?plan=big",
    ],
)
def test_secretariat_pages_cost_the_same_queries_for_5_and_500_commitments(
    client, secretariat, url
):
    from apps.accounts.roles import Role
    from apps.accounts.tests.personas import make_user
    from apps.plans.tests.factories import make_institution, make_plan

    plan = make_plan(slug="big")
    institutions = [make_institution() for _ in range(10)]
    focal_points = [
        make_user(f"fp{i}", Role.FOCAL_POINT, institution=inst)
        for i, inst in enumerate(institutions)
    ]
    populate(plan, range(1, 6), institutions, focal_points, secretariat)
    login(client, secretariat)
    client.get(url)
    five = count_queries(client, url)
    populate(plan, range(6, 501), institutions, focal_points, secretariat)
    assert plan.commitments.count() == 500 and Activity.objects.count() == 3000
    assert count_queries(client, url) == five


def test_my_commitments_costs_the_same_queries_for_1_and_20_commitments(
    client, secretariat, ministry_a, focal_point_a
):
    from apps.plans.tests.factories import make_plan

    plan = make_plan(slug="mine")
    populate(plan, [1], [ministry_a], [focal_point_a], secretariat)
    login(client, focal_point_a)
    client.get("/ar/tracking/my/")
    one = count_queries(client, "/ar/tracking/my/")
    populate(plan, range(2, 21), [ministry_a], [focal_point_a], secretariat)
    assert count_queries(client, "/ar/tracking/my/") == one


# Accounts -------------------------------------------------------------------------------


def test_sign_in_and_out(client, focal_point_a):
    assert "/accounts/login/" in client.get("/ar/").content.decode()
    login(client, focal_point_a)
    html = client.get("/ar/").content.decode()
    assert "/tracking/my/" in html and 'data-testid="profile-link"' in html
    assert client.post("/ar/accounts/logout/").status_code == 302
    assert "/tracking/my/" not in client.get("/ar/").content.decode()


def test_signing_in_leads_to_the_preferred_language(client, focal_point_b):
    response = client.post(
        "/ar/accounts/login/",
        {"login": "focal_b", "password": PASSWORD, "next": "/ar/tracking/my/"},
    )
    assert response["Location"] == "/fr/tracking/my/"


def test_a_wrong_password_is_an_error_in_french(client, focal_point_b):
    response = client.post("/fr/accounts/login/", {"login": "focal_b", "password": "nope"})
    assert response.status_code == 200
    assert "Nom d’utilisateur ou mot de passe incorrect." in response.content.decode()


def test_the_profile_sets_the_preferred_language(client, focal_point_a):
    login(client, focal_point_a)
    assert client.get("/ar/accounts/profile/").status_code == 200
    response = client.post(
        "/ar/accounts/profile/",
        {
            "first_name": "Amina",
            "last_name": "B",
            "email": "a@example.org",
            "preferred_language": "fr",
        },
    )
    assert response.status_code == 302 and response["Location"] == "/fr/accounts/profile/"
    focal_point_a.refresh_from_db()
    assert focal_point_a.preferred_language == "fr"


def test_the_profile_refuses_an_unknown_language(client, focal_point_a):
    login(client, focal_point_a)
    response = client.post(
        "/ar/accounts/profile/", {"email": "a@example.org", "preferred_language": "xx"}
    )
    assert response.status_code == 400


@pytest.mark.parametrize("lang", ["ar", "fr", "en"])
def test_the_methodology_page_explains_every_flag_and_the_ended_rule(client, settings, lang):
    from django.utils import translation
    from django.utils.html import escape

    from apps.tracking.flags import STALENESS_FLAGS

    settings.SHARAKA_STALE_AFTER_DAYS = 45
    html = client.get(f"/{lang}/methodology/").content.decode()
    section = html[html.index('id="flags-methodology"') :]
    with translation.override(lang):
        for flag in STALENESS_FLAGS:
            label, meaning = escape(flag.label), escape(flag.help)
            assert f'data-flag="{flag.value}">{label}</dt><dd>{meaning}</dd>' in section
        ended = translation.gettext(
            "Flags apply while the plan runs. Once its period has ended, the plan shows its "
            "final state: each commitment's final completion level, and no flag."
        )
    assert ended in section and "45" in section
    if lang != "en":
        assert "Flags apply while the plan runs" not in section


def _end_plan(activity, ended_on):
    plan = activity.commitment.plan
    plan.period_end = ended_on
    plan.save(update_fields=["period_end"])
    return plan


def test_a_report_on_an_ended_plan_is_dated_within_its_period(client, activity, focal_point_a):
    """After the end, focal points still say what had been achieved by then (for the
    end-of-term report); a report dated after the end would change the final figures
    with work done after the plan."""
    ended_on = timezone.localdate() - datetime.timedelta(days=40)
    _end_plan(activity, ended_on)
    login(client, focal_point_a)
    url = f"/fr/tracking/activities/{activity.pk}/report/"
    page = client.get(url).content.decode()
    assert f'value="{ended_on.isoformat()}"' in page  # the form offers the last day
    assert 'data-testid="plan-ended">Ce plan a pris fin le' in page  # and says why
    response = client.post(url, form_data(reported_on=timezone.localdate().isoformat()))
    assert response.status_code == 400 and nothing_stored()
    assert "Ce plan a pris fin le" in response.content.decode()
    response = client.post(url, form_data(reported_on=ended_on.isoformat()))
    assert response.status_code == 302
    assert ProgressUpdate.objects.get().reported_on == ended_on


def test_the_actions_refuse_a_report_dated_after_the_plans_end(activity, focal_point_a):
    from apps.tracking.tests.factories import report

    ended_on = timezone.localdate() - datetime.timedelta(days=1)
    _end_plan(activity, ended_on)
    with pytest.raises(actions.TrackingError):
        actions.do_record_progress(activity, report(), acting_user=focal_point_a)
    draft = actions.do_record_progress(
        activity, report(reported_on=ended_on), acting_user=focal_point_a
    )
    with pytest.raises(actions.TrackingError):
        actions.do_edit_update(draft, report(), acting_user=focal_point_a)
    assert ProgressUpdate.objects.get().reported_on == ended_on


@pytest.mark.parametrize(
    "lang, one_pending, two_pending",
    [
        ("fr", "1 mise à jour en attente", "2 mises à jour en attente"),
        ("en", "1 update waiting", "2 updates waiting"),
        ("ar", "1 تحيين في انتظار", "2 تحيينان في انتظار"),
    ],
)
def test_the_dashboard_cards_agree_in_number_with_their_counts(
    client, activity, focal_point_a, secretariat, lang, one_pending, two_pending
):
    import re

    plan = activity.commitment.plan
    login(client, secretariat)

    def cards():
        html = client.get(f"/{lang}/tracking/dashboard/?plan={plan.slug}").content.decode()
        return re.sub(r"<[^>]+>", " ", html).split()

    submitted(activity, focal_point_a, 30)
    assert one_pending in " ".join(cards())
    submitted(activity, focal_point_a, 40)
    assert two_pending in " ".join(cards())


def test_the_hand_over_form_offers_only_who_may_take_over(
    client, activity, focal_point_a, focal_point_b, secretariat, ministry_a
):
    """Not the current focal point, not another institution's; with nobody left, the
    page says why instead of offering an empty choice."""
    from apps.accounts.roles import Role
    from apps.accounts.tests.personas import make_user

    login(client, secretariat)
    url = f"/fr/tracking/commitments/{activity.commitment.pk}/hand-over/"
    response = client.get(url)
    offered = list(response.context["form"].fields["focal_point"].queryset)
    assert offered == []
    assert 'data-testid="no-candidate"' in response.content.decode()
    successor = make_user("focal_a2", Role.FOCAL_POINT, institution=ministry_a)
    response = client.get(url)
    assert list(response.context["form"].fields["focal_point"].queryset) == [successor]
    assert 'data-testid="no-candidate"' not in response.content.decode()
    # The action applies the same rule: the other ministry's focal point is refused.
    response = client.post(url, {"focal_point": focal_point_b.pk, "started_on": "2023-03-28"})
    assert response.status_code == 400 or "focal_point" in response.context["form"].errors
