"""The public consultation on the demo's draft report: the window, the comments verified
by a link mailed through a real SMTP server, the rate limit, moderation, responses before
closing, the exports and the pages in three languages."""

from __future__ import annotations

import datetime
import re

import pytest
from django.core.cache import cache
from django.utils import timezone, translation

from apps.plans.models import Commitment
from apps.reports import actions, consultation
from apps.reports.models import Participant, PublicComment, PublicCommentStatus, StageKey
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
