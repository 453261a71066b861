"""Following a plan or a commitment: one click for a signed-in person, an address
confirmed by a mailed link for a visitor; a mail per validated update to each follower
in their language; unsubscribing without signing in (RFC 8058 too); erasure."""

from __future__ import annotations

import datetime
import re
import time

import pytest
from django.core import signing
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from apps.core.models import AuditLog
from apps.tracking import actions, follow
from apps.tracking.models import Follow
from apps.tracking.tests.factories import report, submitted
from apps.tracking.tests.test_mail import IMMEDIATE, body, smtp  # noqa: F401

pytestmark = pytest.mark.django_db

LINK = re.compile(r"https://sharaka\.example\.org(/\S+/follow/(?:confirm|unsubscribe)/\S+/)")


@pytest.fixture(autouse=True)
def _setup(settings, django_capture_on_commit_callbacks):
    settings.TASKS = IMMEDIATE
    settings.SITE_URL = "https://sharaka.example.org"
    cache.clear()  # the rate limit counts in the cache: each test starts with none
    yield
    cache.clear()


def page_of(activity, lang="ar", suffix=""):
    c = activity.commitment
    return f"/{lang}/plans/{c.plan.slug}/commitments/{c.number}/{suffix}"


def links(message):
    return [m.group(1) for m in LINK.finditer(body(message))]


def ask(client, activity, email, lang="ar", capture=None):
    return client.post(page_of(activity, lang, "follow/"), {"email": email})


def follow_by_mail(activity, email, lang, capture, smtp):  # noqa: F811
    client = Client()
    with capture(execute=True):
        response = ask(client, activity, email, lang)
    assert response.status_code == 302
    email = email.strip().lower()
    (message,) = smtp.to(email)
    (confirm,) = links(message)
    assert client.get(confirm).status_code == 200
    assert Follow.objects.get(email=email).confirmed_at is None  # the GET confirms nothing
    with capture(execute=True):
        assert client.post(confirm).status_code == 302
    return message


def validate(activity, author, secretariat, capture, progress=60):
    update = submitted(activity, author, progress)
    with capture(execute=True):
        actions.do_validate_update(update, acting_user=secretariat)
    return update


def test_a_visitor_follows_by_a_confirmed_address_and_hears_of_each_validated_update(
    smtp,  # noqa: F811
    activity,
    focal_point_a,
    secretariat,
    django_capture_on_commit_callbacks,
):
    capture = django_capture_on_commit_callbacks
    confirm_mail = follow_by_mail(activity, "Visitor@Example.org ", "fr", capture, smtp)
    assert "confirm" in confirm_mail["Subject"].lower()
    assert "Engagement" in body(confirm_mail) and "7 jours" in body(confirm_mail)
    row = Follow.objects.get()
    assert row.email == "visitor@example.org" and row.language == "fr" and row.confirmed_at
    validate(activity, focal_point_a, secretariat, capture)
    mails = smtp.to("visitor@example.org")
    assert len(mails) == 2
    update_mail = mails[1]
    number = activity.commitment.number
    assert update_mail["Subject"].strip() == (
        f"Sharaka : l'engagement {number} a une nouvelle mise à jour validée (60 %)"
    )
    text = body(update_mail)
    assert "de 20 % à 60 %" in text and f"Engagement {number}" in text
    (stop,) = links(update_mail)
    assert update_mail["List-Unsubscribe"].strip() == f"<https://sharaka.example.org{stop}>"
    assert update_mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    # No personal data in the audit trail.
    rows = AuditLog.objects.filter(action__startswith="tracking.").filter(
        action__in=["tracking.request_follow", "tracking.confirm_follow"]
    )
    assert rows.count() == 2 and "visitor" not in str(list(rows.values("before", "after")))


def test_a_citizen_follows_in_one_click_and_hears_in_their_language(
    smtp,  # noqa: F811
    activity,
    citizen,
    focal_point_a,
    secretariat,
    django_capture_on_commit_callbacks,
):
    client = Client()
    client.force_login(citizen)
    page = client.get(page_of(activity)).content.decode()
    assert 'data-testid="follow"' in page and 'name="email"' not in page
    assert 'type="application/atom+xml"' in page.split("</head>")[0]
    assert client.post(page_of(activity, "ar", "follow/")).status_code == 302
    assert client.post(page_of(activity, "ar", "follow/")).status_code == 302  # twice: one
    assert 'data-testid="following"' in client.get(page_of(activity)).content.decode()
    assert smtp.messages == []  # no confirmation for an account
    validate(activity, focal_point_a, secretariat, django_capture_on_commit_callbacks)
    (message,) = smtp.to("citizen@example.org")
    assert message["Subject"].strip().startswith("شراكة:")
    assert "من 20٪ إلى 60٪" in body(message) or "من 20% إلى 60%" in body(message)
    client.post(page_of(activity, "ar", "follow/"), {"action": "unfollow"})
    assert not Follow.objects.exists()


def test_one_mail_per_address_and_none_for_drafts_returns_or_unconfirmed(
    smtp,  # noqa: F811
    activity,
    citizen,
    focal_point_a,
    secretariat,
    django_capture_on_commit_callbacks,
):
    capture = django_capture_on_commit_callbacks
    plan = activity.commitment.plan
    follow.do_follow(plan, acting_user=citizen)
    follow.do_follow(activity.commitment, acting_user=citizen)  # both: still one mail
    with capture(execute=True):
        follow.do_request_follow(activity.commitment, email="later@example.org", language="ar")
    smtp.envelopes.clear()
    draft = actions.do_record_progress(activity, report(30), acting_user=focal_point_a)
    assert draft.is_draft
    returned = submitted(activity, focal_point_a, 40)
    with capture(execute=True):
        actions.do_return_update(returned, acting_user=secretariat, reason="x")
    assert smtp.to("citizen@example.org") == [] and smtp.to("later@example.org") == []
    validate(activity, focal_point_a, secretariat, capture, progress=70)
    assert len(smtp.to("citizen@example.org")) == 1
    assert smtp.to("later@example.org") == []  # never confirmed


def test_asking_again_never_tells_whether_the_address_follows(
    smtp,  # noqa: F811
    activity,
    django_capture_on_commit_callbacks,
):
    capture = django_capture_on_commit_callbacks
    follow_by_mail(activity, "known@example.org", "ar", capture, smtp)
    client = Client()
    said = []
    for email in ("known@example.org", "new@example.org"):
        with capture(execute=True):
            response = client.post(page_of(activity, "ar", "follow/"), {"email": email})
        assert response.status_code == 302
        said.append(client.get(response["Location"]).content.decode())
    notice = re.compile(r'<div class="alert[^"]*"[^>]*>(.*?)</div>', re.S)
    assert notice.findall(said[0]) == notice.findall(said[1]) != []
    assert len(smtp.to("known@example.org")) == 1  # only the first confirmation


@pytest.mark.parametrize(
    "email",
    [
        "not-an-address",
        "a@b@example.org",
        "x@[127.0.0.1]",
        "x@localhost",
        "x@mail.invalid",
        "x@example.org\r\nBcc: all@example.org",
        "<script>@example.org",
        "a" * 250 + "@example.org",
        "",
    ],
)
def test_hostile_or_invalid_addresses_are_refused_with_a_clear_message(activity, email):
    response = Client().post(page_of(activity, "fr", "follow/"), {"email": email})
    assert response.status_code == 422
    page = response.content.decode()
    assert 'data-testid="follow-error"' in page and "<script>@" not in page
    assert not Follow.objects.exists()


def test_follow_requests_are_rate_limited(settings, activity, django_capture_on_commit_callbacks):
    settings.SHARAKA_FOLLOW_RATE, settings.SHARAKA_FOLLOW_RATE_IP = "2/h", "3/h"
    client = Client()
    for n in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            r = client.post(page_of(activity, "fr", "follow/"), {"email": "same@example.org"})
        assert r.status_code == 302, n
    r = client.post(page_of(activity, "fr", "follow/"), {"email": "same@example.org"})
    assert r.status_code == 429
    with django_capture_on_commit_callbacks(execute=True):
        assert (
            client.post(page_of(activity, "fr", "follow/"), {"email": "o@example.org"}).status_code
            == 302
        )
    r = client.post(page_of(activity, "fr", "follow/"), {"email": "p@example.org"})
    assert r.status_code == 429 and Follow.objects.count() == 2


def test_unsubscribe_get_shows_a_form_and_the_post_unsubscribes(activity, citizen):
    row = follow.do_follow(activity.commitment, acting_user=citizen)
    path = follow.unsubscribe_url(row).removeprefix("https://sharaka.example.org")
    client = Client(enforce_csrf_checks=True)
    page = client.get(path)
    assert page.status_code == 200 and 'data-testid="unsubscribe"' in page.content.decode()
    assert Follow.objects.exists()  # a scanner's GET changes nothing
    done = client.post(path)  # no CSRF token needed: the signed link is enough
    assert done.status_code == 200 and 'data-testid="unsubscribed"' in done.content.decode()
    assert not Follow.objects.exists()
    assert client.post(path).status_code == 200  # again: still done, nothing to do


def test_rfc_8058_one_click_post_unsubscribes(activity, citizen):
    row = follow.do_follow(activity.commitment, acting_user=citizen)
    path = follow.unsubscribe_url(row).removeprefix("https://sharaka.example.org")
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        path, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 200 and not Follow.objects.exists()


def test_forged_or_expired_links_answer_a_clear_4xx(activity, citizen, monkeypatch):
    row = follow.do_follow(activity.commitment, acting_user=citizen)
    good = follow.token(row, follow.UNSUBSCRIBE)
    client = Client()
    forged = signing.dumps([row.pk, "guessed"], salt=follow.UNSUBSCRIBE)
    other_salt = signing.dumps([row.pk, row.key], salt="another.purpose")
    for value in (good[:-2] + "xx", "no-such-token", other_salt, "%00"):
        response = client.post(f"/fr/follow/unsubscribe/{value}/")
        assert response.status_code == 400, value
        assert "Ce lien n’est pas valide" in response.content.decode()
    response = client.post(f"/fr/follow/unsubscribe/{forged}/")  # signed, names nothing
    assert response.status_code == 200 and Follow.objects.filter(pk=row.pk).exists()
    # A confirmation link does not unsubscribe, nor the other way round.
    assert client.get(f"/fr/follow/confirm/{good}/").status_code == 400
    pending = Follow.objects.create(
        commitment=activity.commitment,
        email="old@example.org",
        language="fr",
        key="k" * 22,
        created_at=timezone.now(),
    )
    past = time.time() - (follow.CONFIRM_DAYS * 86400 + 60)
    with monkeypatch.context() as m:
        m.setattr(signing.time, "time", lambda: past)
        expired = follow.token(pending, follow.CONFIRM)
    for method in (client.get, client.post):
        response = method(f"/fr/follow/confirm/{expired}/")
        assert response.status_code == 400 and "a expiré" in response.content.decode()
    assert Follow.objects.get(pk=pending.pk).confirmed_at is None


def test_unconfirmed_addresses_are_deleted_once_their_link_expired(activity):
    old = timezone.now() - datetime.timedelta(days=follow.CONFIRM_DAYS, minutes=1)
    Follow.objects.create(
        commitment=activity.commitment,
        email="old@example.org",
        language="fr",
        key="k" * 22,
        created_at=old,
    )
    follow.do_request_follow(activity.commitment, email="new@example.org", language="fr")
    assert list(Follow.objects.values_list("email", flat=True)) == ["new@example.org"]


def test_each_mail_goes_out_once_even_when_its_task_runs_again(
    smtp,  # noqa: F811
    activity,
    citizen,
    focal_point_a,
    secretariat,
    django_capture_on_commit_callbacks,
):
    from apps.tracking.tasks import send_follow_update_mail_task

    row = follow.do_follow(activity.commitment, acting_user=citizen)
    update = validate(activity, focal_point_a, secretariat, django_capture_on_commit_callbacks)
    assert len(smtp.to("citizen@example.org")) == 1
    send_follow_update_mail_task.enqueue(row.pk, update.pk)  # a worker died, say
    assert len(smtp.to("citizen@example.org")) == 1


def test_asking_again_before_confirming_sends_the_link_again(
    smtp,  # noqa: F811
    activity,
    django_capture_on_commit_callbacks,
):
    for language in ("fr", "ar"):
        with django_capture_on_commit_callbacks(execute=True):
            follow.do_request_follow(
                activity.commitment, email="slow@example.org", language=language
            )
        if language == "fr":  # six days later, asked again from the Arabic page
            Follow.objects.update(created_at=timezone.now() - datetime.timedelta(days=6))
    mails = smtp.to("slow@example.org")
    assert len(mails) == 2 and Follow.objects.count() == 1
    assert mails[1]["Subject"].strip().startswith("شراكة")
    # The new link's days count from the second request: the address is not purged
    # when the first link expires.
    row = Follow.objects.get()
    assert row.language == "ar" and timezone.now() - row.created_at < datetime.timedelta(minutes=1)


def test_a_visitor_posts_the_follow_form_without_a_token_but_not_from_another_site(
    smtp,  # noqa: F811
    activity,
    django_capture_on_commit_callbacks,
):
    """The visitor's form carries no CSRF token (the page is the same for everyone, served
    from the public cache with no cookie to set): the browser's own word on where the
    post comes from refuses another site's page; nothing is sent then."""
    client = Client(enforce_csrf_checks=True)
    page = client.get(page_of(activity))
    assert 'name="email"' in page.content.decode()
    assert "csrfmiddlewaretoken" not in page.content.decode() and not page.cookies
    follow_path = page_of(activity, "fr", "follow/")
    forged = [
        {"HTTP_ORIGIN": "https://evil.example"},
        {"HTTP_ORIGIN": "null"},
        {"HTTP_SEC_FETCH_SITE": "cross-site"},
        {"HTTP_SEC_FETCH_SITE": "same-site"},
        {"HTTP_REFERER": "https://evil.example/page"},
    ]
    for headers in forged:
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(follow_path, {"email": "v@example.org"}, **headers)
        assert response.status_code == 403, headers
    assert smtp.messages == [] and not Follow.objects.exists()
    own = [
        {"HTTP_ORIGIN": "http://testserver", "HTTP_SEC_FETCH_SITE": "same-origin"},
        {"HTTP_SEC_FETCH_SITE": "same-origin"},
        {"HTTP_REFERER": "http://testserver" + page_of(activity)},
        {},  # no browser at all: it could as well post the form itself
    ]
    for n, headers in enumerate(own):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(follow_path, {"email": f"v{n}@example.org"}, **headers)
        assert response.status_code == 302, headers
        assert len(smtp.to(f"v{n}@example.org")) == 1  # the confirmation link, nothing else
    assert not Follow.objects.filter(confirmed_at__isnull=False).exists()


def test_a_signed_in_follow_or_unfollow_still_needs_its_token(activity, citizen):
    client = Client(enforce_csrf_checks=True)
    client.force_login(citizen)
    path = page_of(activity, "ar", "follow/")
    same_origin = {"HTTP_ORIGIN": "http://testserver", "HTTP_SEC_FETCH_SITE": "same-origin"}
    assert client.post(path, **same_origin).status_code == 403
    assert client.post(path, {"email": "x@example.org"}).status_code == 403
    assert not Follow.objects.exists()
    page = client.get(page_of(activity))
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode())
    assert token is not None and page["Cache-Control"] == "private, no-store"
    form = {"csrfmiddlewaretoken": token.group(1)}
    assert client.post(path, form, **same_origin).status_code == 302
    assert Follow.objects.get().account == citizen
    assert client.post(path, {"action": "unfollow"}, **same_origin).status_code == 403
    assert Follow.objects.exists()
    assert client.post(path, {**form, "action": "unfollow"}, **same_origin).status_code == 302
    assert not Follow.objects.exists()
