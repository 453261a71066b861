"""Statuses, the four-eyes review, stale translations, permissions and the coverage."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from apps.core.models import AuditLog
from apps.plans.models import Activity
from apps.plans.tests.factories import make_commitment, make_plan
from apps.translations.actions import (
    TranslationError,
    do_review_translation,
    do_save_translation,
)
from apps.translations.models import TranslationState
from apps.translations.registry import kinds
from apps.translations.status import entries

pytestmark = pytest.mark.django_db

PERSONAS = (
    "anonymous",
    "citizen",
    "focal_point_a",
    "committee_member",
    "translator",
    "secretariat",
    "superuser",
)
TRANSLATORS = {"translator", "secretariat", "superuser"}


def state(obj, field, language):
    kind = kinds()[obj._meta.label_lower]
    found = entries(kind, language, type(obj).objects.filter(pk=obj.pk), [field])
    return found[0].state, found[0]


def test_every_registered_text_field_is_a_kind_of_content():
    found = kinds()
    assert found["plans.activity"].fields == ("title", "expected_output")
    assert "narrative" in found["tracking.progressupdate"].fields
    assert {"place", "opening_remarks"} <= set(found["committees.meeting"].fields)
    assert {"title", "note"} <= set(found["committees.agendaitem"].fields)
    assert "text" in found["committees.decision"].fields
    assert "name" in found["accounts.institution"].fields


def test_missing_draft_reviewed_and_the_audit_row(done, translator, secretariat):
    assert state(done, "title", "fr")[0] == TranslationState.DRAFT  # filled before, no row
    assert state(done, "title", "en")[0] == TranslationState.MISSING
    do_save_translation(done, "title", "en", "  Activity one ", acting_user=translator)
    done.refresh_from_db()
    assert done.title_en == "Activity one"
    current, entry = state(done, "title", "en")
    assert current == TranslationState.DRAFT and entry.last_editor == translator
    audit = AuditLog.objects.get(action="translations.save_translation")
    assert audit.actor == translator and audit.target_id == done.pk
    assert audit.before == {"title_en": ""}
    assert audit.after == {"title_en": "Activity one", "status": "draft"}
    do_review_translation(done, "title", "en", acting_user=secretariat)
    assert state(done, "title", "en")[0] == TranslationState.REVIEWED
    assert AuditLog.objects.filter(action="translations.review_translation").count() == 1
    # Editing a reviewed translation makes it a draft again, for someone else to review.
    do_save_translation(done, "title", "en", "Activity 1", acting_user=secretariat)
    assert state(done, "title", "en")[0] == TranslationState.DRAFT
    # An empty text removes it.
    do_save_translation(done, "title", "en", "", acting_user=translator)
    assert state(done, "title", "en")[0] == TranslationState.MISSING


def test_nobody_reviews_their_own_translation(done, translator, secretariat):
    do_save_translation(done, "title", "en", "Activity one", acting_user=translator)
    with pytest.raises(TranslationError):
        do_review_translation(done, "title", "en", acting_user=translator)
    assert state(done, "title", "en")[0] == TranslationState.DRAFT
    do_review_translation(done, "title", "en", acting_user=secretariat)
    with pytest.raises(TranslationError):  # already reviewed
        do_review_translation(done, "title", "en", acting_user=translator)


def test_a_reviewed_translation_is_stale_once_the_arabic_source_changes(
    done, translator, secretariat
):
    do_save_translation(done, "title", "en", "Activity one", acting_user=translator)
    do_review_translation(done, "title", "en", acting_user=secretariat)
    Activity.objects.filter(pk=done.pk).update(title_ar="نشاط معدل")
    current, entry = state(done, "title", "en")
    assert current == TranslationState.DRAFT and entry.stale
    # Reviewed again against the new source: up to date.
    do_review_translation(done, "title", "en", acting_user=secretariat)
    current, entry = state(done, "title", "en")
    assert current == TranslationState.REVIEWED and not entry.stale


def test_arabic_is_never_written_and_unknown_fields_are_refused(done, translator):
    with pytest.raises(TranslationError):
        do_save_translation(done, "title", "ar", "x", acting_user=translator)
    with pytest.raises(TranslationError):
        do_save_translation(done, "weight", "en", "3", acting_user=translator)
    with pytest.raises(TranslationError):
        do_save_translation(done, "title", "en", "x" * 1000, acting_user=translator)
    done.refresh_from_db()
    assert done.title_ar == "نشاط 1" and not done.title_en


@pytest.mark.parametrize("persona", PERSONAS)
def test_who_translates(persona, personas, done, translator):
    user = personas[persona]
    allowed = persona in TRANSLATORS
    assert user.has_perm("translations.edit_translation", done) is allowed
    assert user.has_perm("translations.view_coverage") is allowed
    client = Client()
    if persona != "anonymous":
        client.force_login(user)
    page = client.get("/en/translations/")
    edit = client.get(f"/en/translations/plans.activity/{done.pk}/?language=en")
    posted = client.post(
        f"/en/translations/plans.activity/{done.pk}/",
        {"field": "title", "language": "en", "text": "Activity one", "action": "save"},
    )
    done.refresh_from_db()
    if allowed:
        assert page.status_code == 200 and edit.status_code == 200
        assert posted.status_code == 302 and done.title_en == "Activity one"
        if persona != "translator":
            # The translator wrote it above: another translator reviews it.
            do_save_translation(done, "title", "en", "Activity 1", acting_user=translator)
            reviewed = client.post(
                f"/en/translations/plans.activity/{done.pk}/",
                {"field": "title", "language": "en", "action": "review"},
            )
            assert reviewed.status_code == 302
            assert state(done, "title", "en")[0] == TranslationState.REVIEWED
    else:
        expected = 302 if persona == "anonymous" else 403
        assert (page.status_code, edit.status_code, posted.status_code) == (expected,) * 3
        assert (
            not done.title_en
            and not AuditLog.objects.exclude(action__startswith="accounts.").exists()
        )
        with pytest.raises(TranslationError):
            do_save_translation(done, "title", "en", "x", acting_user=personas["citizen"])


def test_the_editor_puts_the_arabic_source_beside_the_target(done, translator):
    client = Client()
    client.force_login(translator)
    html = client.get(f"/fr/translations/plans.activity/{done.pk}/?language=en").content.decode()
    assert 'lang="ar" dir="rtl"><div' in html and "نشاط 1" in html
    assert 'name="text" id="text-title" rows="3" lang="en" dir="ltr"' in html
    # Its own translation: no review button for its author.
    client.post(
        f"/fr/translations/plans.activity/{done.pk}/",
        {"field": "title", "language": "en", "text": "Activity one", "action": "save"},
    )
    html = client.get(f"/fr/translations/plans.activity/{done.pk}/?language=en").content.decode()
    assert "Activity one" in html and 'data-testid="review-title"' not in html
    refused = client.post(
        f"/fr/translations/plans.activity/{done.pk}/",
        {"field": "title", "language": "en", "action": "review"},
    )
    assert refused.status_code == 400
    assert "Une autre personne que son dernier traducteur" in refused.content.decode()


def test_completed_activities_without_an_english_translation(done, ongoing, secretariat):
    client = Client()
    client.force_login(secretariat)
    query = {"kind": "plans.activity", "language": "en", "status": "missing", "completed": "on"}
    html = client.get("/en/translations/", query).content.decode()
    listed = html.split('id="entries"')[1]
    assert f'data-object="{done.pk}" data-field="title"' in listed
    assert f'data-object="{ongoing.pk}"' not in listed
    # Without the completion filter, both.
    query.pop("completed")
    listed = client.get("/en/translations/", query).content.decode().split('id="entries"')[1]
    assert f'data-object="{ongoing.pk}" data-field="title"' in listed
    # Counts per kind and language: two activity titles missing in English, none in French.
    html = client.get("/en/translations/").content.decode()
    row = html.split('data-kind="plans.activity"')[1].split("</tr>")[0]
    assert 'data-language="en" data-state="missing"><bdi>2</bdi>' in row
    assert 'data-language="fr" data-state="missing"><bdi>0</bdi>' in row


def test_the_coverage_costs_the_same_queries_whatever_the_size(secretariat):
    client = Client()
    client.force_login(secretariat)
    plan = make_plan()
    make_commitment(plan, activities=[(100, 1)] * 3)
    query = {"kind": "plans.activity", "language": "en", "completed": "on"}
    client.get("/en/translations/", query)  # content types cached

    def cost() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/en/translations/", query).status_code == 200
        return len(queries)

    small = cost()
    for _ in range(5):
        make_commitment(plan, activities=[(100, 1)] * 10)
    assert cost() == small


class Bracketing:
    """A stand-in machine translator: what it suggests is recognisable."""

    def suggest(self, text: str, source: str, target: str) -> str:
        return f"[{source}→{target}] {text}"


def test_a_translation_backend_only_suggests_and_is_off_by_default(settings, done, translator):
    from apps.translations.models import TranslationStatus

    client = Client()
    client.force_login(translator)
    url = f"/en/translations/plans.activity/{done.pk}/?language=en"
    assert settings.SHARAKA_TRANSLATION_BACKEND == ""
    assert 'data-testid="suggestion-title"' not in client.get(url).content.decode()
    settings.SHARAKA_TRANSLATION_BACKEND = "apps.translations.tests.test_translations.Bracketing"
    html = client.get(url).content.decode()
    assert 'data-testid="suggestion-title"' in html and "[ar→en] نشاط 1" in html
    done.refresh_from_db()
    assert not done.title_en
    assert (
        not TranslationStatus.objects.exists()
        and not AuditLog.objects.exclude(action__startswith="accounts.").exists()
    )
