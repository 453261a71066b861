"""The write API of progress tracking (mounted under ``/api/v1/`` by :mod:`sharaka.api`).

Authenticated by a personal token only (``Authorization: Bearer <token>``, see
``apps.accounts.tokens``): a session cookie alone is refused with a 401, so a page of
another site cannot make a signed-in browser write (no CSRF to check). Every write is
one of the actions the pages call (``apps.tracking.actions``), with the same forms'
checks and the same rules (``apps.tracking.rules``): a focal point reports on the
activities assigned to them, attaches evidence and submits; the secretariat validates or
returns, never their own update (four eyes).

Answers: an update the user may not see is a 404, as its page; one they see but may
not act on, a 403; one whose state forbids the action (already validated, already
submitted), a 409; bad input, a 422 with each field's reason. Human messages are in the
request's language (``?lang=``, else ``Accept-Language``).
"""

from __future__ import annotations

import datetime
import uuid
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext as _
from ninja import Field, File, Form, Query, Router, Schema, Status, UploadedFile
from ninja.errors import HttpError

from apps.accounts.tokens import TokenAuth
from apps.core.bounds import FactDay
from apps.core.errors import ActionError
from apps.core.languages import Lang, active_language
from apps.plans.models import Activity
from apps.tracking import actions
from apps.tracking.forms import MAX_LINKS, TEXT_MAX_LENGTH, ProgressUpdateForm, ReasonForm
from apps.tracking.models import (
    NARRATIVE_MAX_LENGTH,
    Evidence,
    ProgressUpdate,
    last_reporting_day,
)
from apps.tracking.uploads import limit_evidence_uploads

MAX_ID = 2**63 - 1  # past the databases' 64-bit integers, an id is a 422, not a 500
MAX_PAGE = 200


def _before_body(request: HttpRequest) -> None:
    """Before anything reads the body: the evidence files' size limit, and a 413 for a
    body larger than Django reads (it would answer an HTML 400)."""
    if request.content_type == "multipart/form-data":
        limit_evidence_uploads(request)
        return
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    if limit is not None and length > limit:
        raise HttpError(413, _("The request is too large."))


router = Router(auth=TokenAuth(prepare=_before_body), tags=["write"])


# Schemas (named Write… so that no other app's schema shares their names) -------------


class WriteError(Schema):
    detail: str = Field(..., description="Why, in the request's language.")


class WriteInvalid(Schema):
    detail: Any = Field(..., description="What went wrong, in the request's language.")
    errors: list[dict[str, Any]] = Field(
        default_factory=list,
        description="One entry per field: ``loc`` (where), ``msg`` (why), ``type``.",
    )


class WriteEvidence(Schema):
    id: int
    name: str = Field(..., description="The file's name as uploaded, or the link.")
    url: str = Field(..., description="The link (empty for a file).")
    content_type: str
    size: int | None


class WriteUpdate(Schema):
    id: int
    activity: int
    status: str = Field(..., description="draft, submitted, validated or returned.")
    progress: int
    reported_on: datetime.date
    language: str
    narrative: str = Field(..., description="The narrative in the update's language.")
    author: str
    submitted_at: datetime.datetime | None
    validated_at: datetime.datetime | None
    return_reason: str
    evidence: list[WriteEvidence]


class WriteQueue(Schema):
    items: list[WriteUpdate]
    count: int


class WriteUpdateIn(Schema):
    progress: int = Field(
        ...,
        description="The new figure, a percentage.",
        json_schema_extra={"minimum": 0, "maximum": 100},
    )
    narrative: str = Field(
        ...,
        description="What was done, in ``language``.",
        json_schema_extra={"minLength": 1, "maxLength": NARRATIVE_MAX_LENGTH},
    )
    reported_on: FactDay | None = Field(
        None,
        description="The reporting date (today by default; at most the plan's last day; "
        "never in the future nor before the year 2000).",
    )
    language: Lang | None = Field(
        None, description="The narrative's language (the request's by default)."
    )
    links: list[str] = Field(
        default_factory=list,
        description="Evidence links (http or https).",
        json_schema_extra={"maxItems": MAX_LINKS},
    )
    submit: bool = Field(False, description="Submit at once instead of keeping a draft.")
    token: uuid.UUID | None = Field(
        None,
        description="A fresh UUID per update: sending the same one again (a retry) "
        "answers the update it created instead of creating a second one.",
    )


class WriteReturnIn(Schema):
    reason: str = Field(
        ...,
        description="Why the update is returned (its author reads it).",
        json_schema_extra={"minLength": 1, "maxLength": TEXT_MAX_LENGTH},
    )


class WritePage(Schema):
    limit: int = Field(50, ge=1, le=MAX_PAGE)
    offset: int = Field(0, ge=0, le=2**62)


ERRORS: dict[int, Any] = {
    400: WriteError,
    401: WriteError,
    403: WriteError,
    404: WriteError,
    409: WriteError,
    413: WriteError,
    422: WriteInvalid,
    429: WriteError,
}


def _responses(ok: int, schema: Any, *codes: int) -> dict[int, Any]:
    return {ok: schema, **{code: ERRORS[code] for code in (400, 401, 404, 413, 422, 429, *codes)}}


# Helpers ------------------------------------------------------------------------------


def _user(request: HttpRequest) -> Any:
    return request.auth  # type: ignore[attr-defined]


def _out(update: ProgressUpdate) -> dict[str, Any]:
    return {
        "id": update.pk,
        "activity": update.activity_id,
        "status": update.status,
        "progress": update.progress,
        "reported_on": update.reported_on,
        "language": update.language,
        "narrative": getattr(update, f"narrative_{update.language}", "") or "",
        "author": update.author.get_username(),
        "submitted_at": update.submitted_at,
        "validated_at": update.validated_at,
        "return_reason": update.return_reason,
        "evidence": [_evidence_out(e) for e in update.evidence.all()],
    }


def _evidence_out(evidence: Evidence) -> dict[str, Any]:
    return {
        "id": evidence.pk,
        "name": evidence.original_name or evidence.url,
        "url": evidence.url,
        "content_type": evidence.content_type,
        "size": evidence.size,
    }


def _fresh(update: ProgressUpdate) -> dict[str, Any]:
    return _out(ProgressUpdate.objects.for_list().get(pk=update.pk))


def _check_id(pk: int) -> None:
    if not 1 <= pk <= MAX_ID:
        raise HttpError(404, _("No such update."))


def _visible_update(request: HttpRequest, pk: int) -> ProgressUpdate:
    """The update, if the user may see it (its page's rule); a 404 otherwise, as if it
    did not exist."""
    _check_id(pk)
    update = ProgressUpdate.objects.for_list().filter(pk=pk).first()
    if update is None or not _user(request).has_perm("tracking.view_update", update):
        raise HttpError(404, _("No such update."))
    return update


def _refuse_change(request: HttpRequest, update: ProgressUpdate, message: str) -> None:
    """Unless the user may change ``update`` (the rule): 409 when its author meets an
    update no longer editable, 403 for anyone else."""
    user = _user(request)
    if user.has_perm("tracking.change_update", update):
        return
    if update.author_id == user.pk and not update.is_editable:
        raise HttpError(409, message)
    raise HttpError(
        403, _("You may only change your own updates on the commitments assigned to you.")
    )


def _invalid(form: ProgressUpdateForm | ReasonForm) -> Status[dict[str, Any]]:
    names = {"attachments": "file", "links": "links", "reported_on": "reported_on"}
    errors = []
    for field, messages in form.errors.get_json_data().items():
        loc = "narrative" if field.startswith("narrative_") else names.get(field, field)
        for message in messages:
            errors.append(
                {"loc": ["body", loc], "msg": message["message"], "type": message["code"]}
            )
    detail = errors[0]["msg"] if len(errors) == 1 else _("The request has errors: see each one.")
    return Status(422, {"detail": detail, "errors": errors})


def _form_data(update: ProgressUpdate) -> MultiValueDict[str, Any]:
    """An update's current content as the report form would post it."""
    initial = ProgressUpdateForm.initial_from(update)
    data: MultiValueDict[str, Any] = MultiValueDict()
    for key, value in initial.items():
        data[key] = value.isoformat() if isinstance(value, datetime.date) else str(value)
    return data


# Focal points -------------------------------------------------------------------------


@router.post(
    "activities/{activity_id}/updates",
    response=_responses(201, WriteUpdate, 403, 409),
    operation_id="write_create_update",
    url_name="write_create_update",
)
def create_update(
    request: HttpRequest, activity_id: int, payload: WriteUpdateIn
) -> Status[dict[str, Any]]:
    """Report progress on an activity assigned to you: a draft, or submitted at once
    with ``submit``. Attach files with ``POST /updates/{id}/evidence``."""
    user = _user(request)
    activity = None
    if 1 <= activity_id <= MAX_ID:
        activity = (
            Activity.objects.select_related("commitment__plan").filter(pk=activity_id).first()
        )
    if activity is None:
        raise HttpError(404, _("No such activity."))
    if not user.has_perm("tracking.report_progress", activity):
        raise HttpError(403, _("You may only report on the commitments assigned to you."))
    language = payload.language or active_language()
    bad_links = [
        link for link in payload.links if not link.strip() or any(c.isspace() for c in link)
    ]
    data: MultiValueDict[str, Any] = MultiValueDict(
        {
            "progress": [str(payload.progress)],
            "reported_on": [
                (payload.reported_on or last_reporting_day(activity.commitment.plan)).isoformat()
            ],
            f"narrative_{language}": [payload.narrative],
            "links": ["\n".join(payload.links)],
        }
    )
    form = ProgressUpdateForm(
        data, MultiValueDict(), language=language, plan=activity.commitment.plan
    )
    if not form.is_valid() or bad_links:
        if bad_links:
            form.add_error(
                "links",
                _("“%(link)s” is not a valid web address.") % {"link": bad_links[0][:100]},
            )
        return _invalid(form)
    try:
        update = actions.do_record_progress(
            activity, form.report(), acting_user=user, submit=payload.submit, token=payload.token
        )
    except ActionError as error:
        raise HttpError(409, str(error)) from error
    return Status(201, _fresh(update))


@router.post(
    "updates/{update_id}/evidence",
    response=_responses(201, WriteUpdate, 403, 409),
    operation_id="write_add_evidence",
    url_name="write_add_evidence",
)
def add_evidence(
    request: HttpRequest,
    update_id: int,
    file: UploadedFile | None = File(None),  # noqa: B008
    url: str | None = Form(None),  # noqa: B008
) -> Status[dict[str, Any]]:
    """Attach one piece of evidence to your draft or returned update: a ``file``
    (PDF, DOCX, XLSX, ODT or an image, checked by its content; at most 10 MB) or a
    ``url``, as multipart form data."""
    update = _visible_update(request, update_id)
    _refuse_change(request, update, _("This update can no longer be changed."))
    oversized = getattr(request, "oversized_uploads", [])
    if (file is None and not oversized) == (not url):
        return Status(
            422,
            {
                "detail": _("Send one file or one link."),
                "errors": [
                    {
                        "loc": ["body", "file"],
                        "msg": _("Send one file or one link."),
                        "type": "required",
                    }
                ],
            },
        )
    data = _form_data(update)
    data["links"] = url or ""
    files: MultiValueDict[str, Any] = MultiValueDict({"attachments": [file] if file else []})
    form = ProgressUpdateForm(
        data,
        files,
        language=update.language,
        plan=update.activity.commitment.plan,
        oversized=oversized,
    )
    if not form.is_valid():
        return _invalid(form)
    try:
        update = actions.do_edit_update(update, form.report(), acting_user=_user(request))
    except ActionError as error:
        raise HttpError(409, str(error)) from error
    return Status(201, _fresh(update))


@router.post(
    "updates/{update_id}/submit",
    response=_responses(200, WriteUpdate, 403, 409),
    operation_id="write_submit_update",
    url_name="write_submit_update",
)
def submit_update(request: HttpRequest, update_id: int) -> Status[dict[str, Any]]:
    """Send your draft (or returned) update to the secretariat."""
    update = _visible_update(request, update_id)
    _refuse_change(request, update, _("This update can no longer be submitted."))
    try:
        update = actions.do_submit_update(update, acting_user=_user(request))
    except ActionError as error:
        raise HttpError(409, str(error)) from error
    return Status(200, _fresh(update))


# The secretariat ------------------------------------------------------------------------


@router.get(
    "updates/submitted",
    response=_responses(200, WriteQueue, 403),
    operation_id="write_list_submitted_updates",
    url_name="write_list_submitted_updates",
)
def list_submitted(request: HttpRequest, page: Query[WritePage]) -> Status[dict[str, Any]]:
    """The updates waiting for validation, oldest first (the secretariat's queue)."""
    if not _user(request).has_perm("tracking.view_validation_queue"):
        raise HttpError(403, _("The validation queue is for the secretariat."))
    pending: QuerySet[ProgressUpdate] = (
        ProgressUpdate.objects.pending().for_list().order_by("submitted_at", "pk")
    )
    items = pending[page.offset : page.offset + page.limit]
    return Status(200, {"items": [_out(u) for u in items], "count": pending.count()})


@router.get(
    "updates/{update_id}",
    response=_responses(200, WriteUpdate),
    operation_id="write_get_update",
    url_name="write_get_update",
)
def get_update(request: HttpRequest, update_id: int) -> Status[dict[str, Any]]:
    """An update you may see: yours, one of your commitments, or (secretariat) any
    submitted one."""
    return Status(200, _out(_visible_update(request, update_id)))


def _refuse_decision(request: HttpRequest, update: ProgressUpdate, message: str) -> None:
    if not _user(request).has_perm("tracking.validate_update", update):
        raise HttpError(403, message)


@router.post(
    "updates/{update_id}/validate",
    response=_responses(200, WriteUpdate, 403, 409),
    operation_id="write_validate_update",
    url_name="write_validate_update",
)
def validate_update(request: HttpRequest, update_id: int) -> Status[dict[str, Any]]:
    """Validate a submitted update: its figure becomes the activity's. Nobody validates
    their own update."""
    update = _visible_update(request, update_id)
    _refuse_decision(request, update, _("You may not validate this update."))
    try:
        update = actions.do_validate_update(update, acting_user=_user(request))
    except ActionError as error:
        raise HttpError(409, str(error)) from error
    return Status(200, _fresh(update))


@router.post(
    "updates/{update_id}/return",
    response=_responses(200, WriteUpdate, 403, 409),
    operation_id="write_return_update",
    url_name="write_return_update",
)
def return_update(
    request: HttpRequest, update_id: int, payload: WriteReturnIn
) -> Status[dict[str, Any]]:
    """Return a submitted update to its author with a reason."""
    update = _visible_update(request, update_id)
    _refuse_decision(request, update, _("You may not return this update."))
    form = ReasonForm({"reason": payload.reason})
    if not form.is_valid():
        return _invalid(form)
    try:
        update = actions.do_return_update(
            update, acting_user=_user(request), reason=form.cleaned_data["reason"]
        )
    except ActionError as error:
        raise HttpError(409, str(error)) from error
    return Status(200, _fresh(update))
