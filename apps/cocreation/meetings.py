"""Participatory meetings of the round: workshops and consultations (regional, thematic,
online or in person) that belong to a phase, the people registered to them with whom
they speak for, their attendance, and the ideas captured on the spot, which become
proposals linked to the meeting with the people who raised them credited.

Every write here owns its transaction, checks the permission (``rules.py``) and writes
the audit row, as :mod:`apps.cocreation.actions` does. Capacity is enforced under a lock
on the meeting's row: two registrations at once cannot both take the last seat.

:func:`participation_figures` counts the participants by region, gender (where given)
and kind of organisation; the public statistics and the self-assessment report call it.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext

from apps.accounts.models import Institution
from apps.cocreation.actions import (
    OGP_VALUES,
    CocreationError,
    ProposalDraft,
    _next_number,
    _proposal_state,
    _refused,
)
from apps.cocreation.models import (
    Gender,
    MeetingFormat,
    MeetingKind,
    MeetingRegistration,
    MeetingScope,
    Opening,
    OrganisationKind,
    ParticipatoryMeeting,
    Phase,
    Process,
    Proposal,
    Region,
    Theme,
)
from apps.core import bounds
from apps.core.content import localized
from apps.core.errors import check_permission
from apps.core.models import AuditLog


@dataclass
class MeetingData:
    """What the secretariat sets for a meeting (parsed by the form)."""

    kind: str
    scope: str
    format: str
    titles: dict[str, str]
    starts_at: datetime.datetime
    ends_at: datetime.datetime | None = None
    place: str = ""
    link: str = ""
    capacity: int | None = None
    phase: Phase | None = None
    region: Region | None = None
    theme: Theme | None = None
    outputs: str = ""


@dataclass
class Registrant:
    """A participant's registration: who they are and whom they speak for."""

    name: str
    organisation: str = ""
    organisation_kind: str = OrganisationKind.CITIZEN
    region: Region | None = None
    gender: str = ""
    institution: Institution | None = None


def _meeting_state(meeting: ParticipatoryMeeting) -> dict[str, Any]:
    return {
        "kind": meeting.kind,
        "scope": meeting.scope,
        "format": meeting.format,
        "title_ar": meeting.title_ar,
        "starts_at": meeting.starts_at.isoformat(),
        "place": meeting.place,
        "link": meeting.link,
        "capacity": meeting.capacity,
        "phase": meeting.phase_id,
    }


@transaction.atomic
def do_save_meeting(
    process: Process,
    data: MeetingData,
    *,
    acting_user: Any,
    meeting: ParticipatoryMeeting | None = None,
) -> ParticipatoryMeeting:
    """Plan a meeting of the process, or change one. An in-person meeting needs a place,
    an online one a link (a hybrid one both); the capacity cannot drop below the people
    already registered."""
    check_permission(acting_user, "cocreation.manage_meetings", process, _refused())
    if process.plan_id is not None:
        raise CocreationError(_("This process was adopted: its meetings are closed."))
    if not data.titles.get("ar", "").strip():
        raise CocreationError(_("A meeting needs an Arabic title."))
    if data.kind not in MeetingKind.values or data.scope not in MeetingScope.values:
        raise CocreationError(_("Choose the kind and scope of the meeting."))
    if data.format not in MeetingFormat.values:
        raise CocreationError(_("Choose whether the meeting is online or in person."))
    if data.format in (MeetingFormat.IN_PERSON, MeetingFormat.HYBRID) and not data.place.strip():
        raise CocreationError(_("A meeting in person needs a place."))
    if data.format in (MeetingFormat.ONLINE, MeetingFormat.HYBRID) and not data.link.strip():
        raise CocreationError(_("An online meeting needs a link."))
    bounds.check_plan(data.starts_at, error=CocreationError)
    bounds.check_plan(data.ends_at, error=CocreationError)
    if data.ends_at is not None and data.ends_at < data.starts_at:
        raise CocreationError(_("A meeting cannot end before it starts."))
    for related in (data.phase, data.theme):
        if related is not None and related.process_id != process.pk:
            raise CocreationError(_("This phase or theme belongs to another process."))
    if meeting is None:
        meeting = ParticipatoryMeeting(process=process, created_at=timezone.now())
        before: dict[str, Any] = {}
    else:
        meeting = ParticipatoryMeeting.objects.select_for_update().get(
            pk=meeting.pk, process=process
        )
        before = _meeting_state(meeting)
        taken = MeetingRegistration.objects.filter(meeting=meeting).count()
        if data.capacity is not None and data.capacity < taken:
            raise CocreationError(
                _("%(count)s people are already registered: the capacity cannot be lower.")
                % {"count": taken}
            )
    meeting.kind, meeting.scope, meeting.format = data.kind, data.scope, data.format
    for lang in ("ar", "fr", "en"):
        setattr(meeting, f"title_{lang}", data.titles.get(lang, "").strip())
    meeting.starts_at, meeting.ends_at = data.starts_at, data.ends_at
    meeting.place, meeting.link = data.place.strip(), data.link.strip()
    meeting.capacity = data.capacity
    meeting.phase, meeting.region, meeting.theme = data.phase, data.region, data.theme
    meeting.outputs = data.outputs
    meeting.save()
    AuditLog.record(
        actor=acting_user,
        action="cocreation.save_meeting",
        target=meeting,
        before=before,
        after=_meeting_state(meeting),
    )
    return meeting


def seats_left(meeting: ParticipatoryMeeting, registered: int) -> int | None:
    """Seats still free (None: no limit)."""
    if meeting.capacity is None:
        return None
    return max(meeting.capacity - registered, 0)


@transaction.atomic
def do_register(
    meeting: ParticipatoryMeeting,
    registrant: Registrant,
    *,
    acting_user: Any,
    for_someone_else: bool = False,
) -> MeetingRegistration:
    """Register a participant to a meeting: oneself (until the meeting starts) or, for
    the secretariat, someone else (``for_someone_else``: a person registered on the
    spot, without an account). A full meeting takes no one more."""
    if for_someone_else:
        check_permission(acting_user, "cocreation.record_attendance", meeting, _refused())
    else:
        check_permission(acting_user, "cocreation.register", meeting, _refused())
    # The lock on the meeting serialises registrations: the capacity holds.
    meeting = ParticipatoryMeeting.objects.select_for_update().get(pk=meeting.pk)
    if not registrant.name.strip():
        raise CocreationError(_("A registration needs a name."))
    if registrant.organisation_kind not in OrganisationKind.values:
        raise CocreationError(_("Choose whom you speak for."))
    if registrant.gender and registrant.gender not in Gender.values:
        raise CocreationError(_("Choose a gender from the list, or none."))
    if not for_someone_else and meeting.starts_at <= timezone.now():
        raise CocreationError(_("Registration closed when the meeting started."))
    account = None if for_someone_else else acting_user
    if (
        account is not None
        and MeetingRegistration.objects.filter(meeting=meeting, account=account).exists()
    ):
        raise CocreationError(_("You are already registered to this meeting."))
    taken = MeetingRegistration.objects.filter(meeting=meeting).count()
    if meeting.capacity is not None and taken >= meeting.capacity:
        raise CocreationError(_("This meeting is full."))
    try:
        with transaction.atomic():
            registration = MeetingRegistration.objects.create(
                meeting=meeting,
                account=account,
                name=registrant.name.strip()[:200],
                organisation=registrant.organisation.strip()[:300],
                organisation_kind=registrant.organisation_kind,
                institution=registrant.institution,
                gender=registrant.gender,
                region=registrant.region,
                registered_at=timezone.now(),
            )
    except IntegrityError:  # the same account, at the same moment, in another request
        raise CocreationError(_("You are already registered to this meeting.")) from None
    AuditLog.record(
        actor=acting_user,
        action="cocreation.register",
        target=registration,
        after={"meeting": meeting.pk, "organisation_kind": registration.organisation_kind},
    )
    return registration


@transaction.atomic
def do_cancel_registration(registration: MeetingRegistration, *, acting_user: Any) -> None:
    """Withdraw one's own registration before the meeting starts."""
    if not getattr(acting_user, "is_authenticated", False):
        raise _refused()
    registration = MeetingRegistration.objects.select_related("meeting").get(pk=registration.pk)
    if registration.account_id != acting_user.pk:
        raise _refused()
    if registration.meeting.starts_at <= timezone.now():
        raise CocreationError(_("The meeting has started: the registration stays."))
    AuditLog.record(
        actor=acting_user,
        action="cocreation.cancel_registration",
        target=registration.meeting,
        before={"registration": registration.pk},
    )
    registration.delete()


@transaction.atomic
def do_record_attendance(
    meeting: ParticipatoryMeeting, *, present: Sequence[int], acting_user: Any
) -> int:
    """Record who attended: the registrations in ``present`` attended, the others did
    not. Returns how many attended."""
    check_permission(acting_user, "cocreation.record_attendance", meeting, _refused())
    meeting = ParticipatoryMeeting.objects.select_for_update().get(pk=meeting.pk)
    registrations = MeetingRegistration.objects.filter(meeting=meeting)
    chosen = set(present)
    unknown = chosen - set(registrations.values_list("pk", flat=True))
    if unknown:
        raise CocreationError(_("Someone in the list is not registered to this meeting."))
    attended = registrations.filter(pk__in=chosen).update(attended=True)
    registrations.exclude(pk__in=chosen).update(attended=False)
    AuditLog.record(
        actor=acting_user,
        action="cocreation.record_attendance",
        target=meeting,
        after={"attended": attended, "registered": registrations.count()},
    )
    return attended


@transaction.atomic
def do_capture_idea(
    meeting: ParticipatoryMeeting,
    draft: ProposalDraft,
    *,
    credited: Sequence[MeetingRegistration] = (),
    acting_user: Any,
) -> Proposal:
    """Record an idea raised at a meeting as a proposal linked to the meeting, crediting
    the people who raised it (registrations of that meeting). Open while the meeting's
    phase is under way or proposals are open."""
    check_permission(acting_user, "cocreation.capture_idea", meeting, _refused())
    process = Process.objects.select_for_update().get(pk=meeting.process_id)
    phases = sorted(Phase.objects.filter(process=process), key=lambda p: p.order)
    current = [p for p in phases if p.is_open]
    phase = current[-1] if current else None
    if process.plan_id is not None or phase is None:
        raise CocreationError(_("Ideas can be captured only while a phase is under way."))
    if not (phase.pk == meeting.phase_id or phase.opens(Opening.PROPOSING)):
        raise CocreationError(
            _("Ideas can be captured during the meeting's phase or while proposals are open.")
        )
    if any(r.meeting_id != meeting.pk for r in credited):
        raise CocreationError(_("Only people registered to this meeting can be credited."))
    if not draft.title.strip() or not draft.problem.strip() or not draft.solution.strip():
        raise CocreationError(_("An idea needs a title, a problem and a proposed solution."))
    if draft.theme is not None and draft.theme.process_id != process.pk:
        raise CocreationError(_("This theme belongs to another process."))
    with translation.override(draft.language):  # the idea's own list separator (، in Arabic)
        comma = pgettext("list separator", ", ")
    names = comma.join(r.name for r in credited) or draft.author_name.strip()
    if not names:
        names = str(localized(meeting, "title"))
    proposal = Proposal.objects.create(
        process=process,
        number=_next_number(process),
        author=None,
        author_name=names[:120],
        language=draft.language,
        title=draft.title.strip(),
        problem=draft.problem,
        solution=draft.solution,
        expected_impact=draft.expected_impact,
        theme=draft.theme or meeting.theme,
        region=draft.region or meeting.region,
        meeting=meeting,
        created_at=timezone.now(),
        **{name: name in draft.values for name in OGP_VALUES},
    )
    proposal.credited.set(credited)
    AuditLog.record(
        actor=acting_user,
        action="cocreation.capture_idea",
        target=proposal,
        after={**_proposal_state(proposal), "meeting": meeting.pk, "credited": len(credited)},
    )
    return proposal


# Participation figures ----------------------------------------------------------------


@dataclass
class FigureRow:
    label: str
    registered: int
    attended: int


@dataclass
class ParticipationFigures:
    """Participants of a process's meetings: registrations and attendance, in total and
    by region, gender (where given) and kind of organisation."""

    meetings: int = 0
    registered: int = 0
    attended: int = 0
    by_region: list[FigureRow] = field(default_factory=list)
    by_gender: list[FigureRow] = field(default_factory=list)
    by_kind: list[FigureRow] = field(default_factory=list)


def _grouped(registrations: Any, key: str, labels: dict[Any, str], unknown: str) -> list[FigureRow]:
    rows = registrations.values(key).annotate(
        registered=Count("pk"), attended=Count("pk", filter=Q(attended=True))
    )
    figures = [
        FigureRow(
            label=labels.get(row[key], unknown) if row[key] not in (None, "") else unknown,
            registered=row["registered"],
            attended=row["attended"],
        )
        for row in rows
    ]
    return sorted(figures, key=lambda r: (-r.registered, r.label))


def participation_figures(process: Process) -> ParticipationFigures:
    """The participation figures of ``process``'s meetings (six queries, whatever the
    number of meetings and people). Labels are in the active language; a person who
    did not give their gender or region is counted under "not given"."""
    registrations = MeetingRegistration.objects.filter(meeting__process=process).order_by()
    totals = registrations.aggregate(
        registered=Count("pk"), attended=Count("pk", filter=Q(attended=True))
    )
    not_given = str(_("Not given"))
    regions = {r.pk: str(localized(r, "name")) for r in Region.objects.all()}
    return ParticipationFigures(
        meetings=ParticipatoryMeeting.objects.filter(process=process).count(),
        registered=totals["registered"] or 0,
        attended=totals["attended"] or 0,
        by_region=_grouped(registrations, "region", regions, not_given),
        by_gender=_grouped(
            registrations, "gender", {k: str(v) for k, v in Gender.choices}, not_given
        ),
        by_kind=_grouped(
            registrations,
            "organisation_kind",
            {k: str(v) for k, v in OrganisationKind.choices},
            not_given,
        ),
    )
