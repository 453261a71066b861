"""Pages of committees, meetings and minutes.

Public: committees (members, guide, governance figures), announced meetings, published
minutes (HTML, PDF, DOCX) and the iCalendar feed. Drafts are 404 for the public.
The secretariat prepares meetings; committee members approve the minutes.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import OuterRef, QuerySet, Subquery, prefetch_related_objects
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.committees import actions
from apps.committees import minutes as minutes_module
from apps.committees.forms import (
    ATTENDANCE_CHOICES,
    ActionItemStatusForm,
    AgendaItemForm,
    AttendanceForm,
    DecisionForm,
    FreezeSnapshotForm,
    MeetingForm,
    SnapshotNotesForm,
)
from apps.committees.governance import governance_figures
from apps.committees.ical import meetings_calendar
from apps.committees.models import (
    ActionItem,
    AttendanceStatus,
    Committee,
    CommitteeDocument,
    Meeting,
    MeetingStatus,
    Member,
    Snapshot,
    meeting_rows,
    snapshot_rows,
)
from apps.committees.rules import has_snapshot, sees_all_meetings
from apps.core import renderings
from apps.core.errors import ActionError, report_error
from apps.core.files import SANDBOX, serve_file
from apps.core.languages import LANGUAGES, active_language

# Rows of a meeting's progress snapshot its page shows at once.
SNAPSHOT_PAGE_SIZE = 50


def _visible_meeting(
    request: HttpRequest,
    pk: int,
    perm: str = "committees.view_meeting",
    queryset: QuerySet[Meeting] | None = None,
) -> Meeting:
    """The meeting if the user may see it; 404 otherwise (drafts do not exist publicly)."""
    meeting = get_object_or_404(
        queryset if queryset is not None else Meeting.objects.for_page(), pk=pk
    )
    if not request.user.has_perm(perm, meeting):
        raise Http404
    return meeting


def _require(request: HttpRequest, perm: str, meeting: Meeting) -> None:
    if not request.user.has_perm(perm, meeting):
        raise PermissionDenied


def _with_snapshot() -> QuerySet[Meeting]:
    """The meeting with its snapshot, in one query; the rows a page shows are then read
    apart (``meeting_rows``), only those."""
    return Meeting.objects.select_related("committee", "approved_by", "minutes_record", "snapshot")


def _read_rows(meeting: Meeting, *names: str) -> None:
    if names:
        prefetch_related_objects([meeting], *meeting_rows(*names))


def _snapshot(meeting: Meeting, *, activities: bool = True) -> Snapshot | None:
    """The meeting's snapshot (read with it, see :func:`_with_snapshot`) and its rows;
    their activities too unless ``activities`` is false (the minutes list them)."""
    try:
        snapshot = meeting.snapshot
    except Snapshot.DoesNotExist:
        return None
    # The meeting already read (the minutes' history asks for its date): no query.
    snapshot.meeting = meeting
    prefetch_related_objects([snapshot], snapshot_rows(activities=activities))
    return snapshot


def _run(request: HttpRequest, action: Callable[[], Any], success: str) -> bool:
    """Call an action; report its refusal or invalid data as a message."""
    try:
        action()
    except ActionError as error:
        report_error(request, error)
        return False
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return False
    messages.success(request, success)
    return True


def _in_language(
    data: dict[str, Any], names: tuple[str, ...], instance: Any = None
) -> dict[str, Any]:
    """Content typed in the page's language goes to that language's column; Arabic, the
    fallback of every language, is filled too while it is empty."""
    language = active_language()
    result = dict(data)
    for name in names:
        if name not in result:
            continue
        value = result.pop(name)
        result[f"{name}_{language}"] = value
        if language != "ar" and not (instance and getattr(instance, f"{name}_ar")):
            result[f"{name}_ar"] = value
    return result


def committee_list(request: HttpRequest) -> HttpResponse:
    committees = Committee.objects.for_page().order_by("kind", "name")
    return render(request, "committees/committee_list.html", {"committees": committees})


def committee_detail(request: HttpRequest, slug: str) -> HttpResponse:
    committee = get_object_or_404(Committee.objects.for_page(), slug=slug)
    # The public's figures count meetings with published minutes only.
    figures = governance_figures(committee, published=not sees_all_meetings(request.user))
    return render(
        request,
        "committees/committee_detail.html",
        {
            "committee": committee,
            "figures": figures,
            "meetings": figures.meetings,
            "documents": committee.documents.all(),
            "can_add_meeting": request.user.has_perm("committees.add_meeting"),
        },
    )


def committee_document(request: HttpRequest, slug: str, version: int) -> HttpResponse:
    document: CommitteeDocument = get_object_or_404(
        CommitteeDocument.objects.select_related("committee"),
        committee__slug=slug,
        version=version,
    )
    others = document.committee.documents.exclude(pk=document.pk)
    return render(
        request, "committees/document_detail.html", {"document": document, "others": others}
    )


def committee_document_file(request: HttpRequest, slug: str, version: int) -> HttpResponseBase:
    """A guide's file: public, like every version of the guide (its page says so)."""
    document: CommitteeDocument = get_object_or_404(
        CommitteeDocument.objects.select_related("committee"),
        committee__slug=slug,
        version=version,
    )
    extension = os.path.splitext(document.file.name or "")[1].lower()
    return serve_file(
        request,
        document.file,
        filename=f"{document.committee.slug}-guide-v{document.version}{extension}",
        private=False,
    )


def meeting_list(request: HttpRequest) -> HttpResponse:
    meetings = Meeting.objects.visible_to(request.user).for_list()
    now = timezone.now()
    return render(
        request,
        "committees/meeting_list.html",
        {
            "upcoming": [m for m in meetings if m.starts_at >= now][::-1],
            "past": [m for m in meetings if m.starts_at < now],
            "new_meeting_committees": (
                list(Committee.objects.order_by("kind", "name"))
                if request.user.has_perm("committees.add_meeting")
                else []
            ),
        },
    )


def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    # The committee's previous meeting's date comes with the meeting (one query less).
    previous_meeting = (
        Meeting.objects.filter(committee=OuterRef("committee"), starts_at__lt=OuterRef("starts_at"))
        .order_by("-starts_at")
        .values("starts_at")[:1]
    )
    meeting = _visible_meeting(
        request,
        pk,
        queryset=_with_snapshot().annotate(previous_starts_at=Subquery(previous_meeting)),
    )
    user = request.user
    sees_all = sees_all_meetings(user)
    can_see_minutes = user.has_perm("committees.view_minutes", meeting)
    # Only the rows the page shows: the agenda; with the minutes, the action items and
    # what the minutes read (a draft's live rows; nothing more once they are approved).
    _read_rows(
        meeting,
        "agenda_items",
        *(("action_items", *minutes_module.rows_to_read(meeting)) if can_see_minutes else ()),
    )
    # The table of the snapshot shows no activity.
    snapshot = _snapshot(meeting, activities=False) if can_see_minutes else None
    carried_to = ActionItem.objects.carried_to(meeting)
    if not sees_all:
        # The public learns of action items through published minutes only.
        carried_to = carried_to.filter(meeting__status=MeetingStatus.PUBLISHED)
    carried = list(carried_to)
    change_requests_url = None
    if user.has_perm("tracking.view_change_requests"):
        # The change requests proposed since the committee's previous meeting.
        previous = meeting.previous_starts_at  # type: ignore[attr-defined]
        query = {"until": timezone.localdate(meeting.starts_at).isoformat()}
        if previous:
            query["since"] = timezone.localdate(previous).isoformat()
        change_requests_url = f"{reverse('tracking:change_requests')}?{urlencode(query)}"
    # Attendance and agreed points as the minutes say them (fixed at approval). A
    # draft's minutes list the carried action items too: the ones read above.
    minutes = (
        minutes_module.build_minutes(
            meeting, None, active_language(), carried=carried if sees_all else None
        )
        if can_see_minutes
        else None
    )
    return render(
        request,
        "committees/meeting_detail.html",
        {
            "meeting": meeting,
            "minutes": minutes,
            "snapshot": snapshot,
            # The snapshot's rows a page at a time (``?rows=``); the minutes have them all.
            "snapshot_rows": Paginator(
                list(snapshot.rows.all()) if snapshot else [], SNAPSHOT_PAGE_SIZE
            ).get_page(request.GET.get("rows")),
            "can_see_minutes": can_see_minutes,
            "carried": carried,
            "change_requests_url": change_requests_url,
            "perms_": {
                "change": user.has_perm("committees.change_meeting", meeting),
                "freeze": user.has_perm("committees.freeze_snapshot", meeting),
                "notes": user.has_perm("committees.edit_snapshot_notes", meeting),
                "approve": user.has_perm("committees.approve_minutes", meeting),
                "publish": user.has_perm("committees.publish_minutes", meeting),
                "action_items": user.has_perm("committees.change_action_item", meeting),
            },
            "status_form": ActionItemStatusForm(),
        },
    )


def _minutes(request: HttpRequest, pk: int) -> minutes_module.Minutes:
    meeting = _visible_meeting(request, pk, "committees.view_minutes", queryset=_with_snapshot())
    _read_rows(meeting, *minutes_module.rows_to_read(meeting))
    return minutes_module.build_minutes(meeting, _snapshot(meeting), active_language())


def minutes_page(request: HttpRequest, pk: int) -> HttpResponse:
    minutes = _minutes(request, pk)
    return render(
        request,
        "committees/minutes.html",
        {"minutes": minutes, "body": minutes_module.render_html(minutes)},
    )


def _download(meeting: Meeting, language: str, content: bytes, extension: str) -> HttpResponse:
    response = HttpResponse(content, content_type=MIME_TYPES[extension])
    name = _file_name(meeting, language, extension)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Content-Security-Policy"] = SANDBOX
    if not meeting.is_published:
        response["Cache-Control"] = "private, no-store"
    return response


def _file_name(meeting: Meeting, language: str, extension: str) -> str:
    day = timezone.localtime(meeting.starts_at).date().isoformat()
    return f"minutes-{day}-{language}.{extension}"


MIME_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}
# Seconds between two looks of the waiting page.
POLL_SECONDS = 3


def _minutes_file(request: HttpRequest, pk: int, extension: str) -> HttpResponse:
    """The minutes' file if it is laid out; else a page that waits for the background
    task (enqueued once, :mod:`apps.core.renderings`), refreshing itself, and offers the
    download when the file is ready. The request never waits for a layout, nor builds
    the minutes to find their file (:func:`~apps.committees.minutes.document_name`)."""
    from apps.committees.tasks import render_minutes_task

    # Approved minutes are named from their record: then nothing but the meeting is read.
    meeting = _visible_meeting(request, pk, "committees.view_minutes", queryset=_with_snapshot())
    _read_rows(meeting, *minutes_module.rows_to_read(meeting))
    language = active_language()
    name = minutes_module.document_name(meeting, language, extension)
    waiting = "prepared" in request.GET  # the waiting page looking again
    if not waiting:
        data = renderings.stored(name)
        if data is not None:
            return _download(meeting, language, data, extension)
    state = renderings.request_rendering(
        name, lambda: render_minutes_task.enqueue(pk, language, extension, name)
    )
    response = render(
        request,
        "committees/minutes_waiting.html",
        {
            # The title and the breadcrumb only: the minutes without their progress table.
            "minutes": minutes_module.build_minutes(meeting, None, language),
            "extension": extension.upper(),
            "file_name": _file_name(meeting, language, extension),
            "download_url": request.path,
            "poll_url": f"{request.path}?prepared",
            "poll_seconds": POLL_SECONDS,
            "state": state.value,
        },
        status=200 if state is renderings.State.READY else 202,
    )
    response["Cache-Control"] = "no-store"
    if state is renderings.State.WAITING:
        # Also said in the page (meta refresh): a header works before the page is parsed.
        response["Refresh"] = f"{POLL_SECONDS};url={request.path}?prepared"
    return response


def minutes_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    return _minutes_file(request, pk, "pdf")


def minutes_docx(request: HttpRequest, pk: int) -> HttpResponse:
    return _minutes_file(request, pk, "docx")


def meetings_ics(request: HttpRequest) -> HttpResponse:
    """Every public meeting as an iCalendar feed (RFC 5545)."""
    meetings = (
        Meeting.objects.public()
        .select_related("committee")
        .prefetch_related("agenda_items")
        .order_by("starts_at", "pk")
    )
    body = meetings_calendar(list(meetings), request)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="meetings.ics"'
    return response


# The secretariat's pages ---------------------------------------------------------------


def meeting_create(request: HttpRequest, slug: str) -> HttpResponse:
    committee = get_object_or_404(Committee, slug=slug)
    if not request.user.has_perm("committees.add_meeting"):
        raise PermissionDenied
    form = MeetingForm(request.POST or None, plan=committee.plan)
    if request.method == "POST" and form.is_valid():
        try:
            meeting = actions.do_create_meeting(
                committee,
                acting_user=request.user,
                **_in_language(form.cleaned_data, ("place", "opening_remarks")),
            )
        except ActionError as error:
            report_error(request, error)
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("The meeting was created."))
            return redirect(meeting)
    return render(request, "committees/meeting_form.html", {"form": form, "committee": committee})


def meeting_edit(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _visible_meeting(request, pk)
    _require(request, "committees.change_meeting", meeting)
    initial = {
        "starts_at": timezone.localtime(meeting.starts_at),
        "ends_at": timezone.localtime(meeting.ends_at) if meeting.ends_at else None,
        "place": meeting.place,
        "mode": meeting.mode,
        "opening_remarks": meeting.opening_remarks,
    }
    form = MeetingForm(request.POST or None, initial=initial, plan=meeting.committee.plan)
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_update_meeting(
                meeting,
                acting_user=request.user,
                **_in_language(form.cleaned_data, ("place", "opening_remarks"), meeting),
            )
        except ActionError as error:
            report_error(request, error)
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("The meeting was saved."))
            return redirect(meeting)
    return render(
        request,
        "committees/meeting_form.html",
        {"form": form, "committee": meeting.committee, "meeting": meeting},
    )


def meeting_attendance(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _visible_meeting(request, pk)
    _require(request, "committees.change_meeting", meeting)
    current = {a.member_id: a.status for a in meeting.attendances.all()}
    # Members whose term covers the meeting day, and whoever is already recorded.
    day = timezone.localtime(meeting.starts_at).date()
    in_office = Member.objects.filter(committee=meeting.committee).current(day)
    members = list(
        (in_office | Member.objects.filter(pk__in=current))
        .select_related("institution")
        .order_by("order", "pk")
    )
    order = {i.institution_id: i.order for i in meeting.invitations.all() if i.institution_id}
    data = request.POST.copy() if request.method == "POST" else None
    everyone_present = data is not None and "all_present" in data
    if everyone_present:
        # "Mark everyone present" fills the form again; nothing is saved until "Save".
        for member in members:
            data[f"member_{member.pk}"] = AttendanceStatus.PRESENT  # type: ignore[index]
    form = AttendanceForm(
        data,
        members=members,
        initial_statuses=current,
        initial={"invited": list(order)},
    )
    if data is not None and not everyone_present and form.is_valid():
        # Institutions already invited keep their place; new ones follow.
        invited = sorted(
            form.cleaned_data["invited"],
            key=lambda i: (order.get(i.pk, 10**6), i.kind, i.name),
        )

        @transaction.atomic
        def record() -> None:
            actions.do_record_attendance(meeting, form.statuses(), acting_user=request.user)
            actions.do_set_invitations(meeting, invited, acting_user=request.user)

        done = _run(request, record, _("Attendance was recorded."))
        if done:
            return redirect(meeting)
    return render(
        request,
        "committees/attendance_form.html",
        {
            "form": form,
            "meeting": meeting,
            "statuses": ATTENDANCE_CHOICES,
            "everyone_present": everyone_present,
        },
    )


def agenda_item_create(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _visible_meeting(request, pk)
    _require(request, "committees.change_meeting", meeting)
    form = AgendaItemForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        done = _run(
            request,
            lambda: actions.do_add_agenda_item(
                meeting,
                acting_user=request.user,
                title=data["title"],
                presenter=data["presenter"],
                shows_progress=data["shows_progress"],
                blocks=data["discussion"],
                **_in_language({"title": data["title"], "note": data["note"]}, ("title", "note")),
            ),
            _("The agenda item was added."),
        )
        if done:
            return redirect(meeting)
    return render(
        request,
        "committees/simple_form.html",
        {"form": form, "meeting": meeting, "heading": _("Add an agenda item")},
    )


def decision_create(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _visible_meeting(request, pk)
    _require(request, "committees.change_meeting", meeting)
    form = DecisionForm(request.POST or None, meeting=meeting)
    if request.method == "POST" and form.is_valid():
        item = form.action_item()
        if item is not None:
            item.update(_in_language({"title": item["title"]}, ("title",)))
        done = _run(
            request,
            lambda: actions.do_add_decision(
                meeting,
                acting_user=request.user,
                text=form.cleaned_data["text"],
                action_item=item,
                **_in_language({"text": form.cleaned_data["text"]}, ("text",)),
            ),
            _("The agreed point was added."),
        )
        if done:
            return redirect(meeting)
    return render(
        request,
        "committees/simple_form.html",
        {"form": form, "meeting": meeting, "heading": _("Add an agreed point")},
    )


@require_POST
def meeting_announce(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _visible_meeting(request, pk)
    _require(request, "committees.change_meeting", meeting)
    _run(
        request,
        lambda: actions.do_announce_meeting(meeting, acting_user=request.user),
        _("The meeting is announced publicly."),
    )
    return redirect(meeting)


def snapshot_freeze(request: HttpRequest, pk: int) -> HttpResponse:
    """Freezing cannot be undone: a page says so and asks for a ticked confirmation."""
    meeting = _visible_meeting(request, pk)
    if not request.user.has_perm("committees.freeze_snapshot", meeting):
        if has_snapshot(request.user, meeting) and request.user.has_perm(
            "committees.change_meeting", meeting
        ):
            messages.error(request, _("This meeting's snapshot is already frozen."))
            return redirect(meeting)
        raise PermissionDenied
    form = FreezeSnapshotForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        _run(
            request,
            lambda: actions.do_freeze_snapshot(meeting, acting_user=request.user),
            _("The progress snapshot is frozen."),
        )
        return redirect(meeting)
    plan = meeting.committee.plan
    return render(
        request,
        "committees/freeze_confirm.html",
        {
            "form": form,
            "meeting": meeting,
            "plan": plan,
            "commitments": plan.commitments.count() if plan else 0,
        },
    )


def snapshot_notes(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _visible_meeting(request, pk)
    _require(request, "committees.edit_snapshot_notes", meeting)
    language = request.GET.get("language", active_language())
    if language not in LANGUAGES:
        raise Http404
    snapshot = get_object_or_404(Snapshot, meeting=meeting)
    rows = list(snapshot.rows.order_by("number"))
    form = SnapshotNotesForm(request.POST or None, rows=rows, language=language)
    if request.method == "POST" and form.is_valid():
        done = _run(
            request,
            lambda: actions.do_edit_snapshot_notes(
                snapshot, form.notes(), acting_user=request.user, language=language
            ),
            _("The notes were saved."),
        )
        if done:
            return redirect(meeting)
    return render(
        request,
        "committees/notes_form.html",
        {"form": form, "meeting": meeting, "language": language, "languages": LANGUAGES},
    )


@require_POST
def minutes_approve(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _visible_meeting(request, pk)
    _require(request, "committees.approve_minutes", meeting)
    _run(
        request,
        lambda: actions.do_approve_minutes(meeting, acting_user=request.user),
        _("The minutes are approved."),
    )
    return redirect(meeting)


@require_POST
def minutes_publish(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _visible_meeting(request, pk)
    _require(request, "committees.publish_minutes", meeting)
    _run(
        request,
        lambda: actions.do_publish_minutes(meeting, acting_user=request.user),
        _("The minutes are published."),
    )
    return redirect(meeting)


@require_POST
def action_item_status(request: HttpRequest, pk: int) -> HttpResponse:
    item: ActionItem = get_object_or_404(ActionItem.objects.select_related("meeting"), pk=pk)
    meeting = item.meeting
    if not request.user.has_perm("committees.view_meeting", meeting):
        raise Http404
    _require(request, "committees.change_action_item", meeting)
    form = ActionItemStatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Unknown status."))
    else:
        _run(
            request,
            lambda: actions.do_set_action_item_status(
                item, form.cleaned_data["status"], acting_user=request.user
            ),
            _("The action item was updated."),
        )
    return redirect(meeting)
