"""What the minutes of a meeting say, as one JSON document.

:func:`capture` reads it from the live rows. Draft minutes are rendered from a fresh
capture; :func:`apps.committees.actions.do_approve_minutes` stores one in a
:class:`~apps.committees.models.MinutesRecord`, and approved and published minutes are
rendered from that stored copy (see :func:`apps.committees.minutes.build_minutes`): one
document, one builder, one template, whichever the source.

The document (``SCHEMA`` = 1); ``T`` is content in every language,
``{"ar": …, "fr": …, "en": …}``, read with :func:`pick`::

    {"schema": 1, "committee": {"name": T}, "starts_at": "2023-03-28T09:00:00+00:00",
     "place": T, "opening_remarks": T,
     "members": [{"member": id, "honorific": "ms", "name": "…", "organisation": T,
                  "institution": id | null, "seat": "government", "role": "member",
                  "attendance": "present"}],
     "invited": [{"institution": id, "name": T}],
     "agenda": [{"title": T, "note": T, "presenter": "…", "shows_progress": bool,
                 "blocks": T (lists of blocks)}],
     "decisions": [{"text": T}],
     "action_items": [ITEM], "carried_items": [ITEM]}

    ITEM = {"id": id, "meeting": id, "title": T, "owner_name": "…",
            "owner_institution": T | null, "due_date": "2023-04-30" | null,
            "status": "open", "commitment": {"number": 3, "title": T} | null}

Action items carry their status as at the meeting, read back from the audit log of
their status changes: those raised at the meeting, when it ended (``ends_at``, or the end
of its day); those carried over from earlier meetings, when it started (the instant that
decides whether they are carried, see ``ActionItemQuerySet.carried_to``).

:func:`capture` uses only plain managers and the ``<field>_<language>`` columns, so a
data migration can call it with historical models.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from apps.core.content import in_language
from apps.core.dates import start_of_day

SCHEMA = 1
LANGUAGES = [code for code, _name in settings.LANGUAGES]

# The audit actions whose "before" tells an action item's status before a change (the
# meeting page's action, and the admin's generic change, see apps.core.actions).
STATUS_CHANGES = ("committees.set_action_item_status", "committees.change_actionitem")


def translated(obj: Any, name: str) -> dict[str, Any]:
    """``obj.<name>`` in every language, as stored (no fallback applied)."""
    return {lang: getattr(obj, f"{name}_{lang}", None) for lang in LANGUAGES}


def pick(values: dict[str, Any] | None, language: str) -> Any:
    """The content in ``language``, by the rule of the live rows
    (:func:`apps.core.content.in_language`): where it is empty, the first filled one of
    Arabic, French, English, marked as such on the page, in the PDF and the DOCX."""
    return in_language(values, language)


def _organisation(member: Any) -> dict[str, Any]:
    if member.institution_id is not None:
        return translated(member.institution, "name")
    return translated(member, "affiliation")


def _item(item: Any, status: str) -> dict[str, Any]:
    commitment = item.commitment
    return {
        "id": item.pk,
        "meeting": item.meeting_id,
        "title": translated(item, "title"),
        "owner_name": item.owner_name,
        "owner_institution": (
            translated(item.owner_institution, "name") if item.owner_institution_id else None
        ),
        "due_date": item.due_date.isoformat() if item.due_date else None,
        "status": status,
        "commitment": (
            {"number": commitment.number, "title": translated(commitment, "title")}
            if commitment is not None
            else None
        ),
    }


def _statuses_at(*groups: tuple[list[Any], Any]) -> list[dict[int, str]]:
    """For each group of ``(items, moment)``, each item's status at ``moment``: the
    status before its first change after that moment, or its status now when it has not
    changed since. One query for every group."""
    results = [{item.pk: item.status for item in items} for items, _moment in groups]
    asked = [(items, moment) for items, moment in groups if items]
    if not asked:
        return results
    model = asked[0][0][0]._meta
    audit_log = model.apps.get_model("core", "AuditLog")
    changed_after = Q()
    for items, moment in asked:
        changed_after |= Q(target_id__in=[item.pk for item in items], at__gt=moment)
    group_of = {pk: result for result in results for pk in result}
    seen: set[int] = set()
    changes = audit_log.objects.filter(
        changed_after, action__in=STATUS_CHANGES, target_type=model.label_lower
    ).order_by("at", "pk")
    for change in changes:
        before = (change.before or {}).get("status")
        if change.target_id in seen or not before:
            continue  # (an admin change of other fields says nothing of the status)
        seen.add(change.target_id)
        group_of[change.target_id][change.target_id] = before
    return results


def meeting_end(meeting: Any) -> datetime.datetime:
    """When the meeting ended: ``ends_at``, or midnight after the day it started."""
    if meeting.ends_at is not None:
        return meeting.ends_at
    return start_of_day(timezone.localtime(meeting.starts_at).date() + datetime.timedelta(days=1))


def carried_items(meeting: Any) -> list[Any]:
    """Action items raised at earlier meetings of the committee and still open when this
    one started (the rule of ``ActionItemQuerySet.carried_to``, with a plain manager)."""
    action_item = type(meeting)._meta.apps.get_model("committees", "ActionItem")
    return list(
        action_item.objects.filter(
            meeting__committee_id=meeting.committee_id,
            meeting__starts_at__lt=meeting.starts_at,
        )
        .filter(Q(closed_at__isnull=True) | Q(closed_at__gt=meeting.starts_at))
        .select_related("owner_institution", "commitment")
        .order_by("due_date", "pk")
    )


def capture(meeting: Any, carried: list[Any] | None = None) -> dict[str, Any]:
    """The minutes' content as the live rows say it now.

    With a meeting from ``Meeting.objects.for_page()`` this costs two queries (the
    carried action items, and the status changes of both kinds of items) whatever the
    size of the meeting; one when the page has read the carried action items already
    (``carried``: :func:`carried_items`, or ``ActionItem.objects.carried_to(meeting)``,
    the same rule).
    """
    members = [
        {
            "member": a.member.pk,
            "honorific": a.member.honorific,
            "name": a.member.name,
            "organisation": _organisation(a.member),
            "institution": a.member.institution_id,
            "seat": a.member.seat,
            "role": a.member.role,
            "attendance": a.status,
        }
        for a in meeting.attendances.all()
    ]
    invited = [
        {"institution": i.institution_id, "name": translated(i.institution, "name")}
        for i in meeting.invitations.all()
        if i.institution_id is not None
    ]
    if carried is None:
        carried = carried_items(meeting)
    raised = list(meeting.action_items.all())
    carried_status, raised_status = _statuses_at(
        (carried, meeting.starts_at), (raised, meeting_end(meeting))
    )
    return {
        "schema": SCHEMA,
        "committee": {"name": translated(meeting.committee, "name")},
        "starts_at": meeting.starts_at.isoformat(),
        "place": translated(meeting, "place"),
        "opening_remarks": translated(meeting, "opening_remarks"),
        "members": members,
        "invited": invited,
        "agenda": [
            {
                "title": translated(item, "title"),
                "note": translated(item, "note"),
                "presenter": item.presenter,
                "shows_progress": item.shows_progress,
                "blocks": translated(item, "blocks"),
            }
            for item in meeting.agenda_items.all()
        ],
        "decisions": [{"text": translated(d, "text")} for d in meeting.decisions.all()],
        "action_items": [_item(item, raised_status[item.pk]) for item in raised],
        "carried_items": [_item(item, carried_status[item.pk]) for item in carried],
    }
