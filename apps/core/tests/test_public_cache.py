"""The public cache (apps/core/public_cache.py): one rule, a new generation after every
committed write, whatever made it; what is kept and for whom; the HTTP validators."""

from __future__ import annotations

import uuid

import pytest
from django.contrib.messages.storage.cookie import CookieStorage
from django.db import connection, transaction
from django.test import Client

from apps.core import public_cache
from apps.core.models import FormSubmission
from apps.core.tests.public_cache import cached_twice, page
from apps.core.tests.public_cache import public_cache as _public_cache

committed = pytest.mark.django_db(transaction=True)
enabled = pytest.fixture(autouse=True)(_public_cache.__wrapped__)  # type: ignore[attr-defined]

HOME = "/ar/"


def _generation() -> str:
    return public_cache.current_generation()[1]


def _submission() -> FormSubmission:
    return FormSubmission.objects.create(token=uuid.uuid4(), action="test")


@pytest.mark.parametrize(
    "sql,write",
    [
        ('SELECT "plans_actionplan"."id" FROM "plans_actionplan"', False),
        ('INSERT INTO "plans_actionplan" ("slug") VALUES (%s)', True),
        ('UPDATE "tracking_progressupdate" SET "status" = %s', True),
        ('DELETE FROM "plans_commitment" WHERE "id" IN (%s)', True),
        ("TRUNCATE plans_commitment", True),
        ('SAVEPOINT "s1"', False),
        ('UPDATE "django_session" SET "expire_date" = %s', False),
        ('DELETE FROM "django_session" WHERE "session_key" = %s', False),
        ('INSERT INTO "core_workerbeat" ("worker_id") VALUES (%s)', False),
        ("WITH x AS (SELECT 1) SELECT * FROM x", False),
        ("WITH x AS (UPDATE t SET a = 1 RETURNING *) SELECT * FROM x", True),
        ("CREATE TABLE t (a int)", True),
    ],
)
def test_a_write_is_any_statement_but_a_read_out_of_the_unshown_tables(sql, write):
    assert public_cache.is_public_write(sql) is write


@committed
def test_a_committed_write_renews_the_generation_a_rolled_back_one_does_not():
    before = _generation()
    with transaction.atomic():
        _submission()
        assert _generation() == before  # not before the commit
    after = _generation()
    assert after != before
    with pytest.raises(RuntimeError), transaction.atomic():
        _submission()
        raise RuntimeError
    assert _generation() == after


@committed
def test_a_write_kept_after_a_rolled_back_savepoint_still_renews_it():
    before = _generation()
    with transaction.atomic():
        _submission()
        try:
            with transaction.atomic():
                _submission()
                raise RuntimeError
        except RuntimeError:
            pass
    assert _generation() != before


@committed
def test_bulk_writes_and_raw_sql_renew_it_too():
    seen = {_generation()}
    FormSubmission.objects.bulk_create(
        [FormSubmission(token=uuid.uuid4(), action="bulk") for _ in range(3)]
    )
    seen.add(_generation())
    FormSubmission.objects.filter(action="bulk").update(action="bulk2")
    seen.add(_generation())
    FormSubmission.objects.filter(action="bulk2").delete()
    seen.add(_generation())
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM core_formsubmission")
    seen.add(_generation())
    assert len(seen) == 5


@committed
def test_a_hit_costs_no_query_and_a_change_is_seen_at_once(django_assert_num_queries):
    first = cached_twice(HOME)
    with django_assert_num_queries(0):
        assert page(HOME)["X-Public-Cache"] == "hit"
    _submission()  # any committed write: the next visitor gets a fresh rendering
    again = page(HOME)
    assert again["X-Public-Cache"] == "miss"
    assert again.content.decode() == first


@committed
def test_a_page_made_by_other_code_is_never_served(monkeypatch):
    from apps.core import release

    cached_twice("/ar/methodology/")
    monkeypatch.setattr(release, "code_version", lambda: "a-new-release")
    assert page("/ar/methodology/")["X-Public-Cache"] == "miss"
    assert page("/ar/methodology/")["X-Public-Cache"] == "hit"


@committed
def test_the_language_and_the_query_are_part_of_the_key():
    arabic, french = page("/ar/methodology/"), page("/fr/methodology/")
    assert arabic["X-Public-Cache"] == french["X-Public-Cache"] == "miss"
    assert 'lang="fr"' in page("/fr/methodology/").content.decode()
    assert page("/ar/search/?q=plan")["X-Public-Cache"] == "miss"
    assert page("/ar/search/?q=other")["X-Public-Cache"] == "miss"
    assert page("/ar/search/?q=plan")["X-Public-Cache"] == "hit"
    # The API's language, from its query.
    ar, fr = page("/api/v1/plans"), page("/api/v1/plans?lang=fr")
    assert fr["X-Public-Cache"] == "miss" and fr["Content-Language"] == "fr"
    assert page("/api/v1/plans")["Content-Language"] == ar["Content-Language"] == "ar"


@committed
def test_etag_and_last_modified_answer_304():
    response = page(HOME)
    etag, modified = response["ETag"], response["Last-Modified"]
    assert response["Cache-Control"] == "public, no-cache"
    assert Client().get(HOME, headers={"If-None-Match": etag}).status_code == 304
    assert Client().get(HOME, headers={"If-None-Match": '"other"'}).status_code == 200
    # The same content rendered again after a change keeps its ETag: still a 304.
    _submission()
    assert Client().get(HOME, headers={"If-None-Match": etag}).status_code == 304
    # A date alone gets the page (other processes' clocks may lag).
    assert Client().get(HOME, headers={"If-Modified-Since": modified}).status_code == 200


@committed
def test_a_signed_in_person_never_gets_the_anonymous_copy_nor_leaves_theirs(secretariat):
    anonymous = cached_twice(HOME)
    assert 'data-testid="sign-out"' not in anonymous
    signed_in = Client()
    signed_in.force_login(secretariat)
    mine = signed_in.get(HOME)
    assert 'data-testid="sign-out"' in mine.content.decode()
    assert "X-Public-Cache" not in mine and mine["Cache-Control"] == "private, no-store"
    # Signed in first, on a page no one had read: nothing kept for the next visitor.
    assert "X-Public-Cache" not in signed_in.get("/fr/methodology/")
    assert page("/fr/methodology/")["X-Public-Cache"] == "miss"
    assert 'data-testid="sign-out"' not in page("/fr/methodology/").content.decode()


@committed
def test_a_visitor_with_a_message_waiting_is_served_fresh():
    cached_twice(HOME)
    visitor = Client()
    storage = CookieStorage(type("Request", (), {"COOKIES": {}})())
    visitor.cookies["messages"] = storage._encode(["x"]) or ""
    response = visitor.get(HOME)
    assert "X-Public-Cache" not in response


@committed
def test_a_hit_is_served_from_the_process_memory_never_after_a_change(monkeypatch):
    """The entries are also kept in the web process (no reading and unpickling of the
    whole page on each hit), under the same key: a change is seen at once all the same,
    and an entry read from the shared cache is kept no longer than it is there."""
    cached_twice(HOME)
    shared_reads = []
    real_store = public_cache.store

    class Counting:
        def __getattr__(self, name):
            return getattr(real_store(), name)

        def get(self, key, *args):
            shared_reads.append(key)
            return real_store().get(key, *args)

    monkeypatch.setattr(public_cache, "store", Counting)
    assert page(HOME)["X-Public-Cache"] == "hit"
    assert [k for k in shared_reads if k.startswith("page:")] == []  # only the generation
    public_cache.recent.clear()  # as in another process: read from the shared cache once
    assert page(HOME)["X-Public-Cache"] == "hit" and page(HOME)["X-Public-Cache"] == "hit"
    assert len([k for k in shared_reads if k.startswith("page:")]) == 1
    before = page(HOME).content
    _submission()
    assert page(HOME)["X-Public-Cache"] == "miss"
    assert page(HOME).content == before  # the same page, rendered again


def test_the_process_memory_is_bounded_and_entries_expire(monkeypatch):
    recent = public_cache._Recent(1000)
    for n in range(5):
        recent.put(f"k{n}", {"content": b"x" * 240}, 60)
    assert recent.size <= 1000 and recent.get("k0") is None and recent.get("k4") is not None
    recent.put("big", {"content": b"x" * 300}, 60)  # more than a quarter: not kept
    assert recent.get("big") is None
    recent.put("old", {"content": b"x"}, 0)
    assert recent.get("old") is None and "old" not in recent.entries
