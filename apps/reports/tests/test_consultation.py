"""The public consultation on the demo's draft report: the window, the comments verified
by a link mailed through a real SMTP server, the rate limit, moderation, responses before
closing, the exports and the pages in three languages."""

from __future__ import annotations

import csv
import datetime
import io
import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from openpyxl import load_workbook

from apps.core.models import AuditLog
from apps.plans.models import Commitment
from apps.plans.tests.factories import make_commitment, make_plan
from apps.reports import actions, consultation
from apps.reports.models import (
    Participant,
    Publication,
    PublicComment,
    PublicCommentStatus,
    Section,
    StageKey,
)
from apps.reports.stages import stage_of, window_error
from apps.reports.tests.factories import comment, open_consultation

pytestmark = pytest.mark.django_db

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
HOSTILE = '=HYPERLINK("https://evil.example","x")<script>alert(1)</script>'


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """The rate limit counts in the cache: each test starts with none counted."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def cycle(demo_cycle):
    return open_consultation(demo_cycle, days_ago=3)


def url(cycle, lang="ar", suffix=""):
    return f"/{lang}/reports/{cycle.pk}/consultation/{suffix}"


def form_data(client, cycle, lang="ar", **values):
    page = client.get(url(cycle, lang))
    token = re.search(r'name="token" value="([^"]+)"', page.content.decode())
    data = {
        "token": token.group(1) if token else "",
        "name": "Amina",
        "email": "Amina@Example.org ",
        "organisation": "",
        "about": "general",
        "body": "Un commentaire",
    }
    data.update(values)
    return data


def mail_body(message):
    return message.get_body(preferencelist=("plain",)).get_content()


def test_a_comment_is_published_by_the_link_mailed_in_the_writers_language(
    cycle, client, smtp, settings, django_capture_on_commit_callbacks
):
    settings.TASKS = IMMEDIATE
    commitment = Commitment.objects.filter(plan=cycle.plan).order_by("number").first()
    data = form_data(
        client,
        cycle,
        "fr",
        about=f"commitment:{commitment.pk}",
        body="Le calendrier de l'engagement est trop court.",
        organisation="Association Tafra",
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url(cycle, "fr"), data)
    assert response.status_code == 302
    assert response["Location"] == url(cycle, "fr", "sent/")
    assert "Vérifiez votre messagerie" in client.get(response["Location"]).content.decode()
    saved = PublicComment.objects.get(cycle=cycle)
    assert saved.status == PublicCommentStatus.UNVERIFIED and saved.commitment == commitment
    assert saved.participant.email == "amina@example.org"
    assert saved.address_hash and "127.0.0.1" not in saved.address_hash
    # Nobody reads an unverified comment.
    assert "trop court" not in client.get(url(cycle, "fr")).content.decode()

    (message,) = smtp.to("amina@example.org")
    assert message["Subject"].strip() == (
        "Sharaka : confirmez votre commentaire sur le rapport d'auto-évaluation"
    )
    link = re.search(r"https://sharaka\.example\.org(\S+)", mail_body(message)).group(1)
    assert link.startswith("/fr/reports/consultation/verify/")
    # A mail scanner fetching the link publishes nothing.
    page = client.get(link)
    assert page.status_code == 200 and "Confirmer et publier" in page.content.decode()
    saved.refresh_from_db()
    assert saved.status == PublicCommentStatus.UNVERIFIED
    response = client.post(link)
    assert response["Location"] == url(cycle, "fr") + f"#comment-{saved.pk}"
    saved.refresh_from_db()
    assert saved.status == PublicCommentStatus.PUBLISHED
    assert saved.participant.verified_at is not None
    # Following the link again changes nothing.
    assert client.post(link).status_code == 302
    html = client.get(url(cycle, "fr")).content.decode()
    assert "trop court" in html and "Association Tafra" in html
    assert "amina@example.org" not in html.lower()

    # The same session's next comment is published at once, and mails nothing.
    data = form_data(client, cycle, "fr", body="Deuxième remarque", email="amina@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url(cycle, "fr"), data)
    assert response.status_code == 302 and "#comment-" in response["Location"]
    assert PublicComment.objects.get(body="Deuxième remarque").status == "published"
    assert len(smtp.messages) == 1


def test_an_arabic_comment_is_mailed_in_arabic_and_posting_twice_stores_one(
    cycle, client, smtp, settings, django_capture_on_commit_callbacks
):
    settings.TASKS = IMMEDIATE
    data = form_data(client, cycle, "ar", body="ملاحظة حول التقرير", email="a@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url(cycle), data)
        client.post(url(cycle), data)  # a double click
    assert PublicComment.objects.filter(cycle=cycle).count() == 1
    (message,) = smtp.to("a@example.org")
    assert "/ar/reports/consultation/verify/" in mail_body(message)
    assert "ملاحظة حول التقرير" in mail_body(message)


def test_a_link_expires_after_seven_days_or_once_the_consultation_closed(demo_cycle, secretariat):
    cycle = open_consultation(demo_cycle, days_ago=20)
    late = comment(cycle, verified=False, at=timezone.now() - datetime.timedelta(days=8))
    with translation.override("en"), pytest.raises(actions.ReportError, match="expired"):
        consultation.do_verify_comment(late.verify_token)
    fresh = comment(cycle, verified=False, email="b@example.org")
    actions.do_complete_stage(stage_of(cycle, StageKey.CONSULT), acting_user=secretariat)
    with translation.override("en"), pytest.raises(actions.ReportError, match="closed"):
        consultation.do_verify_comment(fresh.verify_token)
    with translation.override("en"), pytest.raises(actions.ReportError, match="not valid"):
        consultation.do_verify_comment("no-such-token")
    assert not PublicComment.objects.filter(status="published").exists()


def test_the_window_is_enforced(demo_cycle, client, secretariat):
    """Before the consultation starts, comments are refused; it cannot close before 14
    days, nor with a published comment left without a response; after it closes,
    comments and responses are refused."""
    data = form_data(client, demo_cycle)
    response = client.post(url(demo_cycle), data)
    assert response.status_code == 422
    assert "ليست مفتوحة" in response.content.decode()
    assert not PublicComment.objects.exists() and not Participant.objects.exists()

    stage = stage_of(demo_cycle, StageKey.CONSULT)
    assert window_error(StageKey.CONSULT, stage.planned_start, stage.planned_start) is not None
    open_consultation(demo_cycle, days_ago=20)
    stage.refresh_from_db()
    with pytest.raises(actions.ReportError, match="14"):
        actions.do_complete_stage(
            stage, acting_user=secretariat, on=stage.started_on + datetime.timedelta(days=12)
        )
    answered = comment(demo_cycle, body="answered")
    waiting = comment(demo_cycle, body="waiting", email="w@example.org")
    comment(demo_cycle, body="never verified", email="n@example.org", verified=False)
    hidden = comment(demo_cycle, body="spam", email="s@example.org")
    consultation.do_hide_comment(hidden, reason="Publicité", acting_user=secretariat)
    consultation.do_respond(answered, response="Pris en compte.", acting_user=secretariat)
    with (
        translation.override("en"),
        pytest.raises(actions.ReportError, match="1 public comment has no published response"),
    ):
        actions.do_complete_stage(stage, acting_user=secretariat)
    consultation.do_respond(waiting, response="Merci.", acting_user=secretariat)
    actions.do_complete_stage(stage, acting_user=secretariat)

    # Closed today: no more comments, and the responses stay as they were.
    with translation.override("en"), pytest.raises(actions.ReportError, match="closed"):
        consultation.do_respond(waiting, response="Modifié", acting_user=secretariat)
    response = client.post(url(demo_cycle), form_data(client, demo_cycle, email="z@example.org"))
    assert response.status_code == 422
    assert PublicComment.objects.filter(cycle=demo_cycle).count() == 4
    waiting.refresh_from_db()
    assert waiting.response == "Merci."


def test_the_rate_limit_refuses_a_sixth_comment_in_the_hour_and_stores_nothing(cycle, client):
    for i in range(5):
        data = form_data(client, cycle, "fr", email=f"p{i}@example.org", body=f"n° {i}")
        assert client.post(url(cycle, "fr"), data).status_code == 302
    data = form_data(client, cycle, "fr", email="p9@example.org", body="de trop")
    response = client.post(url(cycle, "fr"), data)
    assert response.status_code == 429
    assert "trop de commentaires" in response.content.decode()
    assert not PublicComment.objects.filter(body="de trop").exists()
    assert not Participant.objects.filter(email="p9@example.org").exists()
    # Per e-mail address too: from other addresses, the same e-mail is limited.
    cache.clear()
    for i in range(5):
        data = form_data(client, cycle, "en", email="same@example.org", body=f"again {i}")
        client.post(url(cycle, "en"), data, REMOTE_ADDR=f"198.51.100.{i}")
    data = form_data(client, cycle, "en", email="SAME@example.org", body="sixth")
    response = client.post(url(cycle, "en"), data, REMOTE_ADDR="198.51.100.99")
    assert response.status_code == 429 and "too many comments" in response.content.decode()
    assert not PublicComment.objects.filter(body="sixth").exists()


def test_moderation_hides_with_a_public_reason_and_responds(cycle, client, secretariat):
    shown = comment(cycle, body="<script>alert(1)</script> Bonne analyse", name="<b>Ali</b>")
    spam = comment(cycle, body="Achetez nos montres", email="spam@example.org")
    comment(cycle, body="texte non vérifié", email="u@example.org", verified=False)
    client.force_login(secretariat)
    moderate = url(cycle, "fr", "moderate/")
    page = client.get(moderate).content.decode()
    assert "texte non vérifié" not in page and "1 pas encore confirmé par courriel" in (
        re.sub(r"</?bdi>", "", page)
    )
    # A reason is required.
    client.post(url(cycle, "fr", f"comments/{spam.pk}/hide/"), {"reason": "  "})
    spam.refresh_from_db()
    assert spam.status == PublicCommentStatus.PUBLISHED
    client.post(url(cycle, "fr", f"comments/{spam.pk}/hide/"), {"reason": "Publicité"})
    response = client.post(
        url(cycle, "fr", f"comments/{shown.pk}/respond/"), {"response": "Merci, <i>retenu</i>."}
    )
    assert response.status_code == 302
    assert AuditLog.objects.filter(action="report.respond_public_comment").count() == 1
    awaiting = client.get(moderate, {"awaiting": "1"}).content.decode()
    assert f'id="comment-{shown.pk}"' not in awaiting and "Achetez" not in awaiting

    client.logout()
    html = client.get(url(cycle, "fr")).content.decode()
    assert "Masqué par les modérateurs : Publicité" in html
    assert "Achetez nos montres" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Bonne analyse" in html
    assert "<script>alert(1)" not in html and "&lt;b&gt;Ali&lt;/b&gt;" in html
    assert "Merci, &lt;i&gt;retenu&lt;/i&gt;." in html and "Réponse du secrétariat" in html


@pytest.mark.parametrize(
    "persona", ["anonymous", "citizen", "focal_point_a", "committee_member", "translator"]
)
def test_only_the_secretariat_moderates(cycle, personas, persona, client):
    target = comment(cycle)
    if persona != "anonymous":
        client.force_login(personas[persona])
    assert client.get(url(cycle, "ar", "moderate/")).status_code in (302, 403)
    for action, data in (("hide", {"reason": "x"}), ("respond", {"response": "x"})):
        response = client.post(url(cycle, "ar", f"comments/{target.pk}/{action}/"), data)
        assert response.status_code in (302, 403)
    target.refresh_from_db()
    assert target.status == PublicCommentStatus.PUBLISHED and target.response == ""
    with pytest.raises(actions.ReportError):
        consultation.do_respond(target, response="x", acting_user=personas[persona])
    with pytest.raises(actions.ReportError):
        consultation.do_hide_comment(target, reason="x", acting_user=personas[persona])


def test_bad_input_is_refused_never_a_server_error(cycle, client, secretariat):
    """Another cycle's comment id, a bad token, a commitment of another plan, text too
    long or with a NUL: 404 or 422, nothing stored."""
    mine = comment(cycle)
    other_cycle = actions.do_create_cycle(
        cycle.plan, "mid_term", 2022, acting_user=secretariat, snapshot=cycle.snapshot
    )
    job = actions.do_request_generation(other_cycle, acting_user=secretariat, enqueue=False)
    assert actions.run_generation(job.pk) is not None
    client.force_login(secretariat)
    # Another cycle's URL with this comment's id: not found, whatever the cycle's state.
    for action in ("hide", "respond"):
        response = client.post(
            url(other_cycle, "ar", f"comments/{mine.pk}/{action}/"),
            {"reason": "x", "response": "x"},
        )
        assert response.status_code == 404
    assert client.get(url(cycle, "ar", "moderate/")).status_code == 200
    response = client.post(url(cycle, "ar", "comments/987654/respond/"), {"response": "x"})
    assert response.status_code == 404
    client.logout()
    for token in ("nope", "x" * 300, "%00"):
        assert client.get(f"/ar/reports/consultation/verify/{token}/").status_code == 404
        assert client.post(f"/ar/reports/consultation/verify/{token}/").status_code in (403, 404)
    foreign = make_commitment(make_plan(slug="other-plan"))
    before = PublicComment.objects.count()
    for values in (
        {"about": f"commitment:{foreign.pk}"},
        {"about": "commitment:abc"},
        {"about": "commitment"},
        {"body": "x" * 5001},
        {"body": "a\x00b"},
        {"email": "not-an-address"},
        {"name": ""},
    ):
        response = client.post(url(cycle, "en"), form_data(client, cycle, "en", **values))
        assert response.status_code == 422, values
    assert PublicComment.objects.count() == before
    with pytest.raises(actions.ReportError):
        comment(cycle, section=Section.COMMITMENT, commitment=foreign)


def test_the_exports_hold_no_address_and_neutralise_formulas(cycle, client, secretariat):
    commitment = Commitment.objects.filter(plan=cycle.plan).order_by("number").first()
    hostile = comment(
        cycle,
        body=HOSTILE,
        name="@SUM(A1:A9)",
        organisation="+33 1 23",
        section=Section.COMMITMENT,
        commitment=commitment,
    )
    consultation.do_respond(hostile, response="-1+1", acting_user=secretariat)
    spam = comment(cycle, body="secret spam body", email="spam@example.org")
    consultation.do_hide_comment(spam, reason="=cmd|' /C calc'!A0", acting_user=secretariat)
    comment(cycle, body="never confirmed", email="late@example.org", verified=False)

    response = client.get(url(cycle, "fr", "comments.csv"))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    text = response.content.decode("utf-8-sig")
    assert "@example.org" not in text and "never confirmed" not in text
    assert "secret spam body" not in text
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][:3] == ["#", "Date", "Partie du rapport"]
    by_id = {row[0]: row for row in rows[1:]}
    row = by_id[str(hostile.pk)]
    assert row[6] == "'" + HOSTILE and row[4] == "'@SUM(A1:A9)" and row[5] == "'+33 1 23"
    assert row[8] == "'-1+1" and row[3].startswith(f"{commitment.number}. ")
    assert by_id[str(spam.pk)][6] == "Masqué par les modérateurs : =cmd|' /C calc'!A0"

    response = client.get(url(cycle, "ar", "comments.xlsx"))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet.sheet_view.rightToLeft
    cells = [cell for row in sheet.iter_rows() for cell in row]
    values = [str(cell.value) for cell in cells]
    assert "'" + HOSTILE in values and not any("@example.org" in v for v in values)
    assert all(cell.data_type != "f" for cell in cells)
    assert "secret spam body" not in values


def _queries(client, path):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path)
    assert response.status_code == 200, path
    return len(ctx)


def _add_comments(cycle, secretariat, count, start):
    commitments = list(Commitment.objects.filter(plan=cycle.plan).order_by("number")[:3])
    for i in range(start, start + count):
        made = comment(
            cycle,
            body=f"comment {i}",
            email=f"p{i}@example.org",
            organisation="Org",
            section=Section.COMMITMENT,
            commitment=commitments[i % 3],
        )
        if i % 2:
            consultation.do_respond(made, response=f"response {i}", acting_user=secretariat)
        if i % 7 == 0:
            consultation.do_hide_comment(made, reason="hors sujet", acting_user=secretariat)


def test_the_pages_cost_a_fixed_number_of_queries(cycle, client, secretariat):
    pages = [
        url(cycle, "fr"),
        url(cycle, "fr", "comments.csv"),
        url(cycle, "fr", "comments.xlsx"),
        f"/fr/reports/{cycle.pk}/",
    ]
    staff = client.__class__()
    staff.force_login(secretariat)
    _add_comments(cycle, secretariat, 5, 0)
    five = [_queries(client, p) for p in pages] + [_queries(staff, url(cycle, "fr", "moderate/"))]
    _add_comments(cycle, secretariat, 45, 5)
    fifty = [_queries(client, p) for p in pages] + [_queries(staff, url(cycle, "fr", "moderate/"))]
    print("queries with 5 and 50 comments:", five, fifty)
    assert five == fifty
    assert PublicComment.objects.filter(cycle=cycle, status="published").count() > 30


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("ar", ["الاستشارة العمومية حول مشروع التقرير", "إرسال التعليق", "الالتزام 1:"]),
        ("fr", ["Consultation publique sur le projet de rapport", "Envoyer le commentaire"]),
        ("en", ["Public consultation on the draft report", "Send the comment", "Commitment 1:"]),
    ],
)
def test_the_page_reads_in_each_language(cycle, client, lang, words):
    comment(cycle, body="Un avis")
    html = client.get(url(cycle, lang)).content.decode()
    for word in words:
        assert word in html
    assert f'lang="{lang}"' in html and "Un avis" in html
    assert re.search(r"<bdi>\d+</bdi>", html)  # days left, counts: isolated numbers
    detail = client.get(f"/{lang}/reports/{cycle.pk}/").content.decode()
    assert f'href="/{lang}/reports/{cycle.pk}/consultation/"' in detail


def test_the_api_counts_the_consultation_without_unverified_comments(cycle, client, secretariat):
    answered = comment(cycle, body="a")
    comment(cycle, body="b", email="b@example.org")
    consultation.do_hide_comment(
        comment(cycle, body="c", email="c@example.org"),
        reason="hors sujet",
        acting_user=secretariat,
    )
    comment(cycle, body="d", email="d@example.org", verified=False)
    consultation.do_respond(answered, response="Merci", acting_user=secretariat)
    body = client.get(f"/api/v1/reports/{cycle.pk}").json()["consultation"]
    assert body["published"] == 2 and body["answered"] == 1
    assert body["awaiting_response"] == 1 and body["hidden"] == 1
    assert body["url"].endswith(f"/reports/{cycle.pk}/consultation/")
    assert "unverified" not in body


def test_a_published_report_takes_no_comment_response_nor_hiding(cycle, secretariat):
    target = comment(cycle)
    pending = comment(cycle, email="later@example.org", verified=False)
    # Part 7's action records the publication; its record is all this test needs.
    Publication.objects.create(
        cycle=cycle,
        version=cycle.versions.order_by("-number").first(),
        published_at=timezone.now(),
        published_by=secretariat,
    )
    with translation.override("en"):
        for attempt in (
            lambda: consultation.do_respond(target, response="x", acting_user=secretariat),
            lambda: consultation.do_hide_comment(target, reason="x", acting_user=secretariat),
            lambda: comment(cycle, email="new@example.org"),
            lambda: consultation.do_verify_comment(pending.verify_token),
        ):
            with pytest.raises(actions.ReportError, match="published|closed"):
                attempt()
    target.refresh_from_db()
    assert target.response == "" and target.status == PublicCommentStatus.PUBLISHED
    assert PublicComment.objects.filter(cycle=cycle).count() == 2
