"""Committees, their members and guides; meetings, attendance, decisions, action items;
the progress snapshot frozen at each meeting, and the lifecycle of its minutes."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Exists, F, OuterRef, Prefetch, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.accounts.models import Institution
from apps.plans.models import ActionPlan, Activity, Commitment
from apps.tracking.flags import flag_or_none


class CommitteeQuerySet(models.QuerySet["Committee"]):
    def for_page(self) -> CommitteeQuerySet:
        return self.select_related("plan")


class Committee(models.Model):
    """A multi-stakeholder forum: the steering committee (لجنة الإشراف) or the monitoring
    committee (لجنة التتبع) of a plan, or of the country when ``plan`` is empty."""

    class Kind(models.TextChoices):
        STEERING = "steering", _("Steering committee")
        MONITORING = "monitoring", _("Monitoring committee")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=300)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    plan = models.ForeignKey(
        ActionPlan,
        verbose_name=_("plan"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="committees",
        help_text=_("Leave empty for a committee of the country rather than of one plan."),
    )
    member_country = models.CharField(_("OGP member"), max_length=200, blank=True)

    objects = CommitteeQuerySet.as_manager()

    class Meta:
        verbose_name = _("committee")
        verbose_name_plural = _("committees")
        ordering = ["kind", "name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("committee_detail", args=[self.slug])


class CommitteeDocument(models.Model):
    """A version of the committee's guide or terms of reference (دليل لجنة الإشراف).
    Versions are kept; each is public."""

    committee = models.ForeignKey(
        Committee, verbose_name=_("committee"), on_delete=models.CASCADE, related_name="documents"
    )
    version = models.PositiveSmallIntegerField(_("version"), validators=[MinValueValidator(1)])
    title = models.CharField(_("title"), max_length=300)
    adopted_on = models.DateField(_("adopted on"), null=True, blank=True)
    body = models.TextField(_("text"), blank=True)
    file = models.FileField(_("file"), upload_to="committees/documents/", blank=True)

    class Meta:
        verbose_name = _("guide / terms of reference")
        verbose_name_plural = _("guides / terms of reference")
        ordering = ["committee", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["committee", "version"], name="committee_doc_version")
        ]

    def __str__(self) -> str:
        return f"{self.title} (v{self.version})"

    def get_absolute_url(self) -> str:
        return reverse("committee_document", args=[self.committee.slug, self.version])

    def get_file_url(self) -> str:
        """Where the file is served (never its storage address)."""
        return reverse("committee_document_file", args=[self.committee.slug, self.version])


class Seat(models.TextChoices):
    GOVERNMENT = "government", _("Government")
    CIVIL_SOCIETY = "civil_society", _("Civil society")
    GOVERNANCE_BODY = "governance_body", _("Governance body")
    INDEPENDENT = "independent", _("Independent expert")


class Honorific(models.TextChoices):
    NONE = "", _("(none)")
    MR = "mr", _("Mr")
    MS = "ms", _("Ms")


class MemberQuerySet(models.QuerySet["Member"]):
    def current(self, on: Any = None) -> MemberQuerySet:
        day = on or timezone.localdate()
        return self.filter(Q(term_start__isnull=True) | Q(term_start__lte=day)).filter(
            Q(term_end__isnull=True) | Q(term_end__gte=day)
        )


class Member(models.Model):
    """A person sitting on a committee for an institution (or in their own right)."""

    class Role(models.TextChoices):
        CHAIR = "chair", _("Chair")
        CO_CHAIR = "co_chair", _("Co-chair")
        MEMBER = "member", _("Member")
        SECRETARIAT = "secretariat", _("Secretariat")

    committee = models.ForeignKey(
        Committee, verbose_name=_("committee"), on_delete=models.CASCADE, related_name="members"
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    honorific = models.CharField(
        _("title"), max_length=4, choices=Honorific.choices, blank=True, default=Honorific.NONE
    )
    name = models.CharField(_("name"), max_length=200)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="committee_seats",
    )
    institution = models.ForeignKey(
        Institution,
        verbose_name=_("institution"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="committee_seats",
    )
    affiliation = models.CharField(
        _("affiliation"),
        max_length=300,
        blank=True,
        help_text=_("Shown instead of an institution, e.g. for an independent expert."),
    )
    seat = models.CharField(_("seat"), max_length=20, choices=Seat.choices)
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.MEMBER)
    term_start = models.DateField(_("term start"), null=True, blank=True)
    term_end = models.DateField(_("term end"), null=True, blank=True)

    objects = MemberQuerySet.as_manager()

    class Meta:
        verbose_name = _("committee member")
        verbose_name_plural = _("committee members")
        ordering = ["committee", "order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(term_end__isnull=True)
                | Q(term_start__isnull=True)
                | Q(term_end__gte=F("term_start")),
                name="member_term_ordered",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.term_start and self.term_end and self.term_end < self.term_start:
            raise ValidationError({"term_end": _("The term must not end before it starts.")})

    @property
    def organisation(self) -> str:
        """The institution's name, or the affiliation of a member without one."""
        return self.institution.name if self.institution else self.affiliation


class MeetingStatus(models.TextChoices):
    """Lifecycle of a meeting's minutes: draft → approved by the committee → published."""

    DRAFT = "draft", _("Draft")
    APPROVED = "approved", _("Approved")
    PUBLISHED = "published", _("Published")


class MeetingQuerySet(models.QuerySet["Meeting"]):
    def public(self) -> MeetingQuerySet:
        """What the public sees: announced meetings and meetings with published minutes."""
        return self.filter(Q(announced_at__isnull=False) | Q(status=MeetingStatus.PUBLISHED))

    def with_published_minutes(self) -> MeetingQuerySet:
        """Meetings whose minutes, and the snapshot frozen for them, the public reads
        (the ``committees.view_minutes`` rule, as a query)."""
        return self.filter(status=MeetingStatus.PUBLISHED)

    def visible_to(self, user: Any) -> MeetingQuerySet:
        from apps.committees.rules import sees_all_meetings

        return self if sees_all_meetings(user) else self.public()

    def for_list(self) -> MeetingQuerySet:
        return self.select_related("committee").annotate(
            has_snapshot=Exists(Snapshot.objects.filter(meeting=OuterRef("pk")))
        )

    def for_page(self) -> MeetingQuerySet:
        """A meeting with everything its page and its minutes show (a fixed number of
        queries whatever the size)."""
        return self.select_related("committee", "approved_by", "minutes_record").prefetch_related(
            *meeting_rows(*MEETING_ROWS)
        )


# The rows of a meeting (its related names) that its page and its minutes show.
MEETING_ROWS = ("agenda_items", "attendances", "invitations", "decisions", "action_items")


def meeting_rows(*names: str) -> list[Prefetch]:
    """Prefetches of these rows of a meeting (names of ``MEETING_ROWS``, each once, in
    the order given), each in its order. A page that shows only some of them reads
    only those (``prefetch_related_objects``)."""
    rows = {
        "agenda_items": Prefetch(
            "agenda_items", queryset=AgendaItem.objects.order_by("order", "pk")
        ),
        "attendances": Prefetch(
            "attendances",
            queryset=Attendance.objects.select_related("member__institution").order_by(
                "member__order", "member__pk"
            ),
        ),
        "invitations": Prefetch(
            "invitations",
            queryset=Invitation.objects.select_related("institution", "member").order_by(
                "order", "pk"
            ),
        ),
        "decisions": Prefetch("decisions", queryset=Decision.objects.order_by("order", "pk")),
        "action_items": Prefetch(
            "action_items",
            queryset=ActionItem.objects.select_related("owner_institution", "commitment").order_by(
                "due_date", "pk"
            ),
        ),
    }
    return [rows[name] for name in dict.fromkeys(names)]


class Meeting(models.Model):
    """A meeting of a committee, and the lifecycle of its minutes."""

    class Mode(models.TextChoices):
        IN_PERSON = "in_person", _("In person")
        ONLINE = "online", _("Online")
        HYBRID = "hybrid", _("Hybrid")

    committee = models.ForeignKey(
        Committee, verbose_name=_("committee"), on_delete=models.PROTECT, related_name="meetings"
    )
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=300, blank=True)
    mode = models.CharField(_("mode"), max_length=20, choices=Mode.choices, default=Mode.IN_PERSON)
    opening_remarks = models.TextField(_("opening remarks"), blank=True)
    announced_at = models.DateTimeField(
        _("announced at"),
        null=True,
        blank=True,
        help_text=_("Once announced, the meeting's date, place and agenda are public."),
    )
    status = models.CharField(
        _("minutes status"),
        max_length=20,
        choices=MeetingStatus.choices,
        default=MeetingStatus.DRAFT,
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)

    objects = MeetingQuerySet.as_manager()

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["-starts_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__isnull=True) | Q(ends_at__gte=F("starts_at")),
                name="meeting_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.committee} — {timezone.localtime(self.starts_at):%Y-%m-%d}"

    def get_absolute_url(self) -> str:
        return reverse("meeting_detail", args=[self.pk])

    def clean(self) -> None:
        if self.starts_at and self.ends_at and self.ends_at < self.starts_at:
            raise ValidationError({"ends_at": _("The meeting must not end before it starts.")})

    @property
    def is_draft(self) -> bool:
        return self.status == MeetingStatus.DRAFT

    @property
    def is_approved(self) -> bool:
        return self.status == MeetingStatus.APPROVED

    @property
    def is_published(self) -> bool:
        return self.status == MeetingStatus.PUBLISHED

    @property
    def is_public(self) -> bool:
        return self.announced_at is not None or self.is_published


class MinutesRecord(models.Model):
    """What the minutes say, fixed when the committee approved them: the committee's
    name, the place, the members with their seats, roles, institutions and attendance,
    the invited institutions, the agenda, the agreed points and the action items (those
    carried over as they stood at the meeting). Approved and published minutes render
    from it, so editing a member or closing an action item later changes nothing in them.

    ``content`` is a JSON document whose shape is :data:`apps.committees.record.SCHEMA`;
    ``schema`` names that shape, so that a later version can still read earlier records.
    Written once by :func:`apps.committees.actions.do_approve_minutes`, never updated.
    """

    meeting = models.OneToOneField(
        Meeting,
        verbose_name=_("meeting"),
        on_delete=models.CASCADE,
        related_name="minutes_record",
    )
    # When: the meeting's ``approved_at`` (no second date to disagree with it).
    schema = models.PositiveSmallIntegerField(_("schema version"))
    content = models.JSONField(_("content"))

    class Meta:
        verbose_name = _("approved minutes record")
        verbose_name_plural = _("approved minutes records")

    def __str__(self) -> str:
        return str(self.meeting)


class AgendaItem(models.Model):
    """An item of a meeting's agenda, with what was said about it.

    ``blocks`` is the ordered discussion: a list of ``{"kind": "paragraph", "text": …}``,
    ``{"kind": "list", "items": [...]}`` or ``{"kind": "table", "headers": [a, b],
    "rows": [[a, b], …]}`` (the seed's stage / timeline tables). The item flagged
    ``shows_progress`` is where the minutes insert the frozen progress table.
    """

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="agenda_items"
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    title = models.CharField(_("title"), max_length=500)
    note = models.CharField(_("note"), max_length=500, blank=True)
    presenter = models.CharField(_("presenter"), max_length=300, blank=True)
    shows_progress = models.BooleanField(
        _("shows the progress table"),
        default=False,
        help_text=_("The minutes insert the frozen progress table under this item."),
    )
    blocks = models.JSONField(_("discussion"), default=list, blank=True)

    class Meta:
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        ordering = ["meeting", "order", "pk"]

    def __str__(self) -> str:
        return self.title


class Invitation(models.Model):
    """An institution (or a member) invited to a meeting. Invited institutions none of
    whose people attended are the minutes' "bodies that did not attend"."""

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="invitations"
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    institution = models.ForeignKey(
        Institution,
        verbose_name=_("institution"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    member = models.ForeignKey(
        Member,
        verbose_name=_("member"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="invitations",
    )
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["meeting", "order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(institution__isnull=False) | Q(member__isnull=False),
                name="invitation_has_invitee",
            ),
            models.UniqueConstraint(
                fields=["meeting", "institution"], name="invitation_institution_once"
            ),
        ]

    def __str__(self) -> str:
        return str(self.institution or self.member)


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", _("Present")
    REMOTE = "remote", _("Remote")
    ABSENT = "absent", _("Absent")
    EXCUSED = "excused", _("Excused")


ATTENDED = (AttendanceStatus.PRESENT, AttendanceStatus.REMOTE)


class Attendance(models.Model):
    """Whether a member attended a meeting (in the room or remotely)."""

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="attendances"
    )
    member = models.ForeignKey(
        Member, verbose_name=_("member"), on_delete=models.CASCADE, related_name="attendances"
    )
    status = models.CharField(_("attendance"), max_length=20, choices=AttendanceStatus.choices)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        ordering = ["meeting", "member__order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "member"], name="attendance_once")
        ]

    def __str__(self) -> str:
        return f"{self.member}: {self.get_status_display()}"

    @property
    def attended(self) -> bool:
        return self.status in ATTENDED


class Decision(models.Model):
    """An agreed point of a meeting (النقاط المتفق عليها)."""

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="decisions"
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    text = models.TextField(_("text"))

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        ordering = ["meeting", "order", "pk"]

    def __str__(self) -> str:
        return self.text[:80]


class ActionItemQuerySet(models.QuerySet["ActionItem"]):
    def open(self) -> ActionItemQuerySet:
        return self.filter(status__in=ActionItem.OPEN_STATUSES)

    def carried_to(self, meeting: Meeting) -> ActionItemQuerySet:
        """Items raised at earlier meetings of the same committee and still open when
        this one started: they stay on every next agenda until closed. Judged at the
        meeting's start, so published minutes do not change when an item closes later."""
        return (
            self.filter(
                meeting__committee_id=meeting.committee_id,
                meeting__starts_at__lt=meeting.starts_at,
            )
            .filter(Q(closed_at__isnull=True) | Q(closed_at__gt=meeting.starts_at))
            .select_related("owner_institution", "commitment", "meeting")
            .order_by("due_date", "pk")
        )


class ActionItem(models.Model):
    """Something a meeting asked someone to do, by a date."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")
        CANCELLED = "cancelled", _("Cancelled")

    OPEN_STATUSES = (Status.OPEN, Status.IN_PROGRESS)

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="action_items"
    )
    decision = models.ForeignKey(
        Decision,
        verbose_name=_("decision"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="action_items",
    )
    title = models.TextField(_("action"))
    owner_institution = models.ForeignKey(
        Institution,
        verbose_name=_("owner institution"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    owner_name = models.CharField(_("owner (person)"), max_length=200, blank=True)
    due_date = models.DateField(_("due date"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.OPEN
    )
    commitment = models.ForeignKey(
        Commitment,
        verbose_name=_("commitment"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="action_items",
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    objects = ActionItemQuerySet.as_manager()

    class Meta:
        verbose_name = _("action item")
        verbose_name_plural = _("action items")
        ordering = ["meeting", "due_date", "pk"]

    def __str__(self) -> str:
        return self.title[:80]

    @property
    def owner(self) -> str:
        parts = [self.owner_name, self.owner_institution.name if self.owner_institution else ""]
        return " — ".join(p for p in parts if p)

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES


class SnapshotQuerySet(models.QuerySet["Snapshot"]):
    def with_rows(self) -> SnapshotQuerySet:
        return self.prefetch_related(snapshot_rows())


def snapshot_rows(*, activities: bool = True) -> Prefetch:
    """A snapshot's rows in the order of the plan, with their activities (the minutes
    list the pending ones) unless ``activities`` is false (the meeting page's table)."""
    rows = SnapshotRow.objects.order_by("number")
    if activities:
        rows = rows.prefetch_related(
            Prefetch("activities", queryset=SnapshotActivity.objects.order_by("order"))
        )
    return Prefetch("rows", queryset=rows)


class Snapshot(models.Model):
    """Every figure of the plan as it stood when the meeting froze it. Rows are written
    once by :func:`apps.committees.actions.do_freeze_snapshot` and never recomputed;
    only the notes can be edited, while the minutes are a draft."""

    meeting = models.OneToOneField(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="snapshot"
    )
    plan = models.ForeignKey(
        ActionPlan, verbose_name=_("plan"), on_delete=models.PROTECT, related_name="snapshots"
    )
    previous = models.ForeignKey(
        "self",
        verbose_name=_("previous snapshot"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    frozen_at = models.DateTimeField(_("frozen at"))
    frozen_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("frozen by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    plan_progress = models.FloatField(_("plan progress (%)"))

    objects = SnapshotQuerySet.as_manager()

    class Meta:
        verbose_name = _("progress snapshot")
        verbose_name_plural = _("progress snapshots")
        ordering = ["-frozen_at"]

    def __str__(self) -> str:
        return str(self.meeting)


_PERCENT = [MinValueValidator(0), MaxValueValidator(100)]


class SnapshotRow(models.Model):
    """One commitment as it stood at the meeting: its title in the three languages, its
    percentage (and the previous meeting's), its flags and the note of the minutes."""

    snapshot = models.ForeignKey(
        Snapshot, verbose_name=_("snapshot"), on_delete=models.CASCADE, related_name="rows"
    )
    commitment = models.ForeignKey(
        Commitment,
        verbose_name=_("commitment"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    number = models.PositiveSmallIntegerField(_("number"))
    title = models.CharField(_("title"), max_length=500)
    progress = models.FloatField(_("progress (%)"), validators=_PERCENT)
    previous_progress = models.FloatField(
        _("progress at the previous meeting (%)"), null=True, blank=True, validators=_PERCENT
    )
    flags = models.JSONField(_("flags"), default=list, blank=True)
    suggested_note = models.TextField(_("suggested note"), blank=True)
    note = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("snapshot row")
        verbose_name_plural = _("snapshot rows")
        ordering = ["snapshot", "number"]
        constraints = [
            models.UniqueConstraint(fields=["snapshot", "number"], name="snapshot_row_number"),
            models.CheckConstraint(
                condition=Q(progress__gte=0) & Q(progress__lte=100),
                name="snapshot_row_progress_0_100",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"

    @property
    def delta(self) -> float | None:
        if self.previous_progress is None:
            return None
        return self.progress - self.previous_progress

    @property
    def pending_activities(self) -> list[SnapshotActivity]:
        """Activities below 100%, without the grouping of completed activities."""
        return [a for a in self.activities.all() if a.is_pending]

    @property
    def note_lines(self) -> list[str]:
        return [line.strip() for line in self.note.splitlines() if line.strip()]

    def flag_labels(self) -> list[str]:
        """The flags' labels (tracking's vocabulary); an unknown code as it is."""
        return [str(flag.label) if (flag := flag_or_none(code)) else code for code in self.flags]


class SnapshotActivity(models.Model):
    """One activity of a commitment as it stood at the meeting."""

    row = models.ForeignKey(
        SnapshotRow, verbose_name=_("row"), on_delete=models.CASCADE, related_name="activities"
    )
    activity = models.ForeignKey(
        Activity,
        verbose_name=_("activity"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    title = models.CharField(_("title"), max_length=600)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), validators=_PERCENT)
    is_grouping = models.BooleanField(_("groups completed activities"), default=False)

    class Meta:
        verbose_name = _("snapshot activity")
        verbose_name_plural = _("snapshot activities")
        ordering = ["row", "order"]
        constraints = [
            models.CheckConstraint(
                condition=Q(progress__gte=0) & Q(progress__lte=100),
                name="snapshot_activity_progress_0_100",
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_pending(self) -> bool:
        return self.progress < 100 and not self.is_grouping
