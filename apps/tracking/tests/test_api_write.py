"""The write API: a focal point reports, attaches evidence and submits; the secretariat
lists, validates or returns — through the pages' actions and rules, with a token.
Every refusal is JSON with its reason and writes nothing."""

from __future__ import annotations

import datetime
import json
import uuid
from pathlib import Path
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from apps.accounts import tokens
from apps.core.models import AuditLog
from apps.plans.models import Activity
from apps.tracking.models import Evidence, ProgressUpdate, UpdateStatus
from apps.tracking.tests.factories import EXE, PDF, assign, make_activity, submitted, upload

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_rate_counters():
    cache.clear()
    yield
    cache.clear()


class Api:
    """A client that sends one person's token (or none) and reads JSON."""

    def __init__(self, user: Any = None, lang: str = "en") -> None:
        self.client = Client(raise_request_exception=False)
        self.headers = {"Accept-Language": lang}
        if user is not None:
            _row, clear = tokens.create_token(user, "test")
            self.headers["Authorization"] = f"Bearer {clear}"

    def post(self, path: str, body: Any = None, **kwargs: Any) -> Any:
        if "files" in kwargs or "data" in kwargs:
            data = {**kwargs.pop("data", {}), **kwargs.pop("files", {})}
            return self.client.post(f"/api/v1/{path}", data, headers=self.headers)
        return self.client.post(
            f"/api/v1/{path}",
            json.dumps(body if body is not None else {}),
            content_type="application/json",
            headers=self.headers,
        )

    def get(self, path: str) -> Any:
        return self.client.get(f"/api/v1/{path}", headers=self.headers)


def _report(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "progress": 60,
        "narrative": "Le registre est en ligne.",
        "language": "fr",
        "reported_on": timezone.localdate().isoformat(),
    }
    body.update(overrides)
    return body


def _state() -> tuple[Any, ...]:
    """What a refused request must leave as it was."""
    return (
        ProgressUpdate.objects.count(),
        Evidence.objects.count(),
        AuditLog.objects.count(),
        list(ProgressUpdate.objects.order_by("pk").values_list("status", "progress")),
        list(Activity.objects.order_by("pk").values_list("progress", flat=True)),
    )


def _stored_files(settings: Any) -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


# The whole flow ---------------------------------------------------------------------------


def test_a_focal_point_reports_with_evidence_and_the_secretariat_validates(
    activity, focal_point_a, secretariat
):
    focal = Api(focal_point_a)
    response = focal.post(
        f"activities/{activity.pk}/updates", _report(links=["https://a.example/1"])
    )
    assert response.status_code == 201, response.content
    update = response.json()
    assert update["status"] == "draft" and update["progress"] == 60
    assert update["narrative"] == "Le registre est en ligne." and update["language"] == "fr"
    assert [e["url"] for e in update["evidence"]] == ["https://a.example/1"]

    response = focal.post(
        f"updates/{update['id']}/evidence", files={"file": upload("rapport.pdf", PDF)}
    )
    assert response.status_code == 201, response.content
    evidence = response.json()["evidence"]
    assert [e["name"] for e in evidence] == ["https://a.example/1", "rapport.pdf"]
    assert evidence[1]["content_type"] == "application/pdf"
    response = focal.post(f"updates/{update['id']}/evidence", data={"url": "https://a.example/2"})
    assert response.status_code == 201 and len(response.json()["evidence"]) == 3

    response = focal.post(f"updates/{update['id']}/submit")
    assert response.status_code == 200 and response.json()["status"] == "submitted"

    office = Api(secretariat)
    queue = office.get("updates/submitted").json()
    assert queue["count"] == 1 and queue["items"][0]["id"] == update["id"]
    assert office.get(f"updates/{update['id']}").json()["status"] == "submitted"
    response = office.post(f"updates/{update['id']}/validate")
    assert response.status_code == 200 and response.json()["status"] == "validated"
    activity.refresh_from_db()
    assert activity.progress == 60
    assert office.get("updates/submitted").json() == {"items": [], "count": 0}
    # The same audit trail as the pages leave.
    actions = list(
        AuditLog.objects.filter(target_type="tracking.progressupdate", target_id=update["id"])
        .order_by("id")
        .values_list("action", "actor")
    )
    assert actions == [
        ("tracking.create_update", focal_point_a.pk),
        ("tracking.edit_update", focal_point_a.pk),
        ("tracking.edit_update", focal_point_a.pk),
        ("tracking.submit_update", focal_point_a.pk),
        ("tracking.validate_update", secretariat.pk),
    ]
    assert AuditLog.objects.filter(
        action="plans.change_activity_progress", target_id=activity.pk, actor=secretariat
    ).exists()


def test_the_secretariat_returns_an_update_with_a_reason_and_it_comes_back(
    activity, focal_point_a, secretariat
):
    update = submitted(activity, focal_point_a)
    office = Api(secretariat, lang="fr")
    response = office.post(f"updates/{update.pk}/return", {"reason": ""})
    assert response.status_code == 422
    assert response.json()["errors"][0]["loc"] == ["body", "reason"]
    assert "obligatoire" in response.json()["detail"]
    response = office.post(f"updates/{update.pk}/return", {"reason": "Joignez le rapport."})
    assert response.status_code == 200
    assert response.json()["status"] == "returned"
    assert response.json()["return_reason"] == "Joignez le rapport."
    focal = Api(focal_point_a)
    assert focal.post(f"updates/{update.pk}/submit").json()["status"] == "submitted"
    assert AuditLog.objects.filter(action="tracking.resubmit_update", target_id=update.pk).exists()


def test_a_report_submitted_at_once_and_sent_twice_is_one_update(activity, focal_point_a):
    focal = Api(focal_point_a)
    body = _report(submit=True, token=str(uuid.uuid4()))
    first = focal.post(f"activities/{activity.pk}/updates", body)
    second = focal.post(f"activities/{activity.pk}/updates", body)
    assert first.status_code == second.status_code == 201
    assert first.json()["id"] == second.json()["id"] and first.json()["status"] == "submitted"
    assert ProgressUpdate.objects.count() == 1


# Permissions per role -----------------------------------------------------------------


@pytest.mark.parametrize(
    "persona", ["focal_point_b", "committee_member", "translator", "secretariat"]
)
def test_only_the_assigned_focal_point_reports_on_an_activity(
    persona, personas, activity, other_activity
):
    api = Api(personas[persona])
    before = _state()
    response = api.post(f"activities/{activity.pk}/updates", _report())
    assert response.status_code == 403
    assert response.json() == {"detail": "You may only report on the commitments assigned to you."}
    assert _state() == before


def test_without_a_valid_token_nothing_is_written(activity, focal_point_a, secretariat):
    update = submitted(activity, focal_point_a)
    row, clear = tokens.create_token(focal_point_a, "old")
    tokens.revoke_token(row, acting_user=focal_point_a)
    revoked = Client()
    session = Client()
    session.force_login(secretariat)
    before = _state()
    for client, headers in (
        (Client(), {}),
        (revoked, {"Authorization": f"Bearer {clear}"}),
        (session, {}),  # a session cookie is no credential for the write API
    ):
        for path, body in (
            (f"activities/{activity.pk}/updates", _report()),
            (f"updates/{update.pk}/validate", {}),
            (f"updates/{update.pk}/return", {"reason": "no"}),
            (f"updates/{update.pk}/submit", {}),
        ):
            response = client.post(
                f"/api/v1/{path}",
                json.dumps(body),
                content_type="application/json",
                headers=headers,
            )
            assert response.status_code == 401, (path, response.content)
            assert response["Content-Type"].startswith("application/json")
    assert _state() == before


def test_an_inactive_focal_point_cannot_report(activity, focal_point_a):
    api = Api(focal_point_a)
    focal_point_a.is_active = False
    focal_point_a.save(update_fields=["is_active"])
    before = _state()
    response = api.post(f"activities/{activity.pk}/updates", _report())
    assert response.status_code == 401 and response.json()["detail"] == "This account is disabled."
    assert _state() == before


@pytest.mark.parametrize(
    ("persona", "draft", "submitted_"),
    [
        ("focal_point_a", 200, 200),
        ("focal_point_b", 404, 404),
        ("committee_member", 404, 404),
        ("translator", 404, 404),
        ("secretariat", 404, 200),  # drafts are their author's until submitted
    ],
)
def test_an_update_is_seen_by_whom_its_page_shows_it_to(
    persona, draft, submitted_, personas, activity, focal_point_a
):
    from apps.tracking import actions
    from apps.tracking.tests.factories import report

    own_draft = actions.do_record_progress(activity, report(), acting_user=focal_point_a)
    sent = submitted(activity, focal_point_a)
    api = Api(personas[persona])
    assert api.get(f"updates/{own_draft.pk}").status_code == draft
    assert api.get(f"updates/{sent.pk}").status_code == submitted_


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("focal_point_a", 403),  # the author sees it, may not decide
        ("focal_point_b", 404),
        ("committee_member", 404),
        ("translator", 404),
    ],
)
def test_only_the_secretariat_validates_or_returns(
    persona, status, personas, activity, focal_point_a
):
    update = submitted(activity, focal_point_a)
    api = Api(personas[persona])
    before = _state()
    assert api.post(f"updates/{update.pk}/validate").status_code == status
    assert api.post(f"updates/{update.pk}/return", {"reason": "non"}).status_code == status
    assert api.get("updates/submitted").status_code == 403
    assert _state() == before


def test_nobody_validates_their_own_update_not_even_a_superuser(superuser, secretariat, ministry_a):
    """The demo's admin is a superuser and a focal point of ministry A: the API applies
    the four-eyes rule to them as the pages do."""
    activity = make_activity(ministry_a)
    assign(activity.commitment, superuser, secretariat)
    admin = Api(superuser)
    created = admin.post(f"activities/{activity.pk}/updates", _report(submit=True))
    assert created.status_code == 201
    pk = created.json()["id"]
    assert admin.get("updates/submitted").json()["count"] == 1  # sees the queue
    before = _state()
    response = admin.post(f"updates/{pk}/validate")
    assert response.status_code == 403
    assert response.json() == {"detail": "You may not validate this update."}
    assert admin.post(f"updates/{pk}/return", {"reason": "x"}).status_code == 403
    assert _state() == before
    assert Api(secretariat).post(f"updates/{pk}/validate").status_code == 200


def test_a_decided_or_sent_update_answers_409_with_the_reason(activity, focal_point_a, secretariat):
    update = submitted(activity, focal_point_a)
    office = Api(secretariat, lang="ar")
    focal = Api(focal_point_a)
    assert office.post(f"updates/{update.pk}/validate").status_code == 200
    before = _state()
    response = office.post(f"updates/{update.pk}/validate")
    assert response.status_code == 409
    assert response.json() == {"detail": "سبقت المصادقة على هذا التحيين."}
    assert focal.post(f"updates/{update.pk}/submit").status_code == 409
    assert (
        focal.post(f"updates/{update.pk}/evidence", data={"url": "https://a.example"}).status_code
        == 409
    )
    assert _state() == before


def test_unknown_or_out_of_range_ids_are_404s(secretariat, focal_point_a):
    office, focal = Api(secretariat), Api(focal_point_a)
    for path in ("updates/987654321", f"updates/{'9' * 30}", "updates/0", "updates/-1"):
        assert office.get(path).status_code == 404, path
        assert office.post(f"{path}/validate").status_code == 404, path
    for path in ("activities/987654321/updates", f"activities/{'9' * 30}/updates"):
        assert focal.post(path, _report()).status_code == 404, path
    assert office.get("updates/abc").status_code == 422


# Bad input ------------------------------------------------------------------------------

BAD_REPORTS = [
    ({"progress": 101}, "progress"),
    ({"progress": -5}, "progress"),
    ({"progress": 10**30}, "progress"),
    ({"progress": "abc"}, "progress"),
    ({"progress": 50.5}, "progress"),
    ({"narrative": ""}, "narrative"),
    ({"narrative": "x" * 20_001}, "narrative"),
    ({"narrative": "a\x00b"}, "narrative"),
    ({"reported_on": "2023-13-45"}, "reported_on"),
    ({"reported_on": "9999-12-31"}, "reported_on"),
    ({"language": "xx"}, "language"),
    ({"links": ["javascript:alert(1)"]}, "links"),
    ({"links": ["https://a.example/1\nhttps://b.example"]}, "links"),
    ({"links": [f"https://a.example/{n}" for n in range(11)]}, "links"),
    ({"links": "https://a.example"}, "links"),
    ({"token": "not-a-uuid"}, "token"),
]


@pytest.mark.parametrize(("change", "field"), BAD_REPORTS, ids=[f for _c, f in BAD_REPORTS])
def test_a_bad_report_is_a_422_naming_the_field(change, field, activity, focal_point_a):
    api = Api(focal_point_a)
    before = _state()
    response = api.post(f"activities/{activity.pk}/updates", _report(**change))
    assert response.status_code == 422, response.content
    body = response.json()
    assert body["detail"] and any(field in error["loc"] for error in body["errors"]), body
    assert _state() == before


@pytest.mark.parametrize(
    ("lang", "message"),
    [
        ("fr", "Assurez-vous que cette valeur est inférieure ou égale à 100."),
        ("en", "Ensure this value is less than or equal to 100."),
        ("ar", "تحقق من أن تكون هذه القيمة أقل من 100 أو مساوية لها."),
    ],
)
def test_a_bad_figure_is_explained_in_the_requests_language(lang, message, activity, focal_point_a):
    response = Api(focal_point_a, lang=lang).post(
        f"activities/{activity.pk}/updates", _report(progress=101)
    )
    assert response.status_code == 422
    assert response.json()["detail"] == message


def test_a_body_that_is_not_json_or_too_large_is_refused_in_json(activity, focal_point_a, settings):
    api = Api(focal_point_a)
    before = _state()
    path = f"/api/v1/activities/{activity.pk}/updates"
    response = api.client.post(
        path, "{not json", content_type="application/json", headers=api.headers
    )
    assert response.status_code in (400, 422) and response["Content-Type"].startswith(
        "application/json"
    )
    huge = json.dumps(_report(narrative="x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)))
    response = api.client.post(path, huge, content_type="application/json", headers=api.headers)
    assert response.status_code == 413 and response.json() == {
        "detail": "The request is too large."
    }
    assert _state() == before


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        ({"file": ("tool.pdf", EXE)}, "is not really a PDF file"),
        ({"file": ("tool.exe", EXE)}, "only PDF, DOCX, XLSX, ODT"),
        ({"file": ("big.pdf", PDF + b"0" * 3000)}, "is larger than"),
        ({"url": "ftp://a.example/x"}, "is not a valid web address"),
        ({"url": "https://a.example", "file": ("a.pdf", PDF)}, "Send one file or one link."),
        ({}, "Send one file or one link."),
    ],
)
def test_bad_evidence_is_refused_and_nothing_is_stored(
    data, reason, activity, focal_point_a, settings
):
    from apps.tracking import actions
    from apps.tracking.tests.factories import report

    settings.SHARAKA_EVIDENCE_MAX_BYTES = 2048
    draft = actions.do_record_progress(activity, report(), acting_user=focal_point_a)
    api = Api(focal_point_a)
    before, files_before = _state(), _stored_files(settings)
    body = {k: upload(*v) if isinstance(v, tuple) else v for k, v in data.items()}
    response = api.post(f"updates/{draft.pk}/evidence", data=body)
    assert response.status_code == 422, response.content
    assert reason in response.json()["detail"]
    assert _state() == before and _stored_files(settings) == files_before


def test_evidence_on_someone_elses_update_is_refused(
    activity, focal_point_a, secretariat, focal_point_b
):
    from apps.tracking import actions
    from apps.tracking.tests.factories import report

    draft = actions.do_record_progress(activity, report(), acting_user=focal_point_a)
    sent = submitted(activity, focal_point_a)
    other, office = Api(focal_point_b), Api(secretariat)
    before = _state()
    assert (
        other.post(f"updates/{draft.pk}/evidence", data={"url": "https://a.example"}).status_code
        == 404
    )
    assert other.post(f"updates/{draft.pk}/submit").status_code == 404
    assert (
        office.post(f"updates/{sent.pk}/evidence", data={"url": "https://a.example"}).status_code
        == 403
    )
    assert office.post(f"updates/{sent.pk}/submit").status_code == 403
    assert _state() == before


def test_a_report_dated_after_an_ended_plan_is_refused(activity, focal_point_a):
    plan = activity.commitment.plan
    plan.period_end = timezone.localdate() - datetime.timedelta(days=30)
    plan.save(update_fields=["period_end"])
    api = Api(focal_point_a)
    response = api.post(f"activities/{activity.pk}/updates", _report())
    assert response.status_code == 422 and "ended on" in response.json()["detail"]
    # Without a date, the plan's last day is the reporting date.
    body = _report()
    del body["reported_on"]
    response = api.post(f"activities/{activity.pk}/updates", body)
    assert response.status_code == 201
    assert response.json()["reported_on"] == plan.period_end.isoformat()


def test_the_return_reason_is_bounded(activity, focal_point_a, secretariat):
    update = submitted(activity, focal_point_a)
    office = Api(secretariat)
    before = _state()
    response = office.post(f"updates/{update.pk}/return", {"reason": "x" * 5001})
    assert response.status_code == 422 and _state() == before
    assert ProgressUpdate.objects.get(pk=update.pk).status == UpdateStatus.SUBMITTED


def test_every_write_endpoint_declares_the_codes_it_answers(client):
    schema = client.get("/api/v1/openapi.json").json()
    write = {
        (path, method): op
        for path, item in schema["paths"].items()
        for method, op in item.items()
        if "write" in op.get("tags", [])
    }
    assert len(write) == 7
    for (path, method), op in write.items():
        codes = set(op["responses"])
        assert {"401", "404", "422", "429"} <= codes, (path, codes)
        assert op["security"] == [{"TokenAuth": []}], path
        if method == "post":
            assert {"403", "409", "413"} <= codes, (path, codes)
    assert schema["components"]["securitySchemes"]["TokenAuth"] == {
        "type": "http",
        "scheme": "bearer",
    }
