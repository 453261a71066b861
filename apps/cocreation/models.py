"""The co-creation of the next action plan: a process with its phases, the themes it
agrees, the public's proposals (comments, supports, follows, moderation, duplicates),
the participatory meetings, the committee's scoring, the commitment cards on OGP's
template, and the links that trace an adopted commitment back to its card and proposals.

Every write goes through :mod:`apps.cocreation.actions`; each model's docstring says who
writes it and through which action. The phase that is open decides what may be done
(:meth:`Process.open_phase`, :class:`Opening`): proposing, commenting, supporting,
scoring, drafting cards.

Content written by the public (proposals, comments) is stored in the language its
author wrote it in (``language``), not in three columns: it is the author's text.
Content the secretariat writes for everyone (process and theme titles, meeting titles,
criteria) has one column per language, read with ``apps.core.content.localized``.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from apps.accounts.models import Institution
from apps.plans.models import ActionPlan, Commitment

LANGUAGE_CHOICES = settings.LANGUAGES


class Opening(models.TextChoices):
    """What a phase opens (a phase may open several)."""

    PROPOSING = "proposing", _("Proposing")
    COMMENTING = "commenting", _("Commenting")
    SUPPORTING = "supporting", _("Supporting")
    SCORING = "scoring", _("Scoring")
    DRAFTING = "drafting", _("Drafting commitment cards")


class PhaseKey(models.TextChoices):
    """The five stages of the source document's co-creation of the third plan."""

    METHOD = "method", _("Agree the method and propose themes")
    IDEAS = "ideas", _("Collect ideas and proposals")
    PRIORITIES = "priorities", _("Set priorities and the institutions responsible")
    CARDS = "cards", _("Draft the commitment cards")
    ADOPTION = "adoption", _("Approve and adopt the plan")
    OTHER = "other", _("Other phase")


# (key, first month, last month, what it opens) of the process's year: the source
# document's calendar (April; May–September; October; November; December).
DEFAULT_PHASES: list[tuple[str, int, int, tuple[str, ...]]] = [
    (PhaseKey.METHOD, 4, 4, (Opening.COMMENTING,)),
    (
        PhaseKey.IDEAS,
        5,
        9,
        (Opening.PROPOSING, Opening.COMMENTING, Opening.SUPPORTING),
    ),
    (PhaseKey.PRIORITIES, 10, 10, (Opening.SCORING,)),
    (PhaseKey.CARDS, 11, 11, (Opening.DRAFTING,)),
    (PhaseKey.ADOPTION, 12, 12, ()),
]

OPENING_FIELDS = {
    Opening.PROPOSING: "opens_proposing",
    Opening.COMMENTING: "opens_commenting",
    Opening.SUPPORTING: "opens_supporting",
    Opening.SCORING: "opens_scoring",
    Opening.DRAFTING: "opens_drafting",
}


class Region(models.Model):
    """A region of the member (proposals, meetings and participants are counted by
    region). Written by the secretariat (admin, ``apps.core.actions.do_save_object``)
    and by the demo loader."""

    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    name_ar = models.CharField(_("name (Arabic)"), max_length=200)
    name_fr = models.CharField(_("name (French)"), max_length=200, blank=True)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.name_ar


class ProcessQuerySet(models.QuerySet["Process"]):
    def with_phases(self) -> ProcessQuerySet:
        return self.prefetch_related(
            models.Prefetch("phases", queryset=Phase.objects.order_by("order"))
        )


class Process(models.Model):
    """A co-creation round preparing the next plan. Written by the secretariat
    (``do_create_process``, ``do_update_process``); ``plan`` is set when the process is
    adopted (``do_adopt_process``)."""

    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    year = models.PositiveSmallIntegerField(_("year"))
    title_ar = models.CharField(_("title (Arabic)"), max_length=300)
    title_fr = models.CharField(_("title (French)"), max_length=300, blank=True)
    title_en = models.CharField(_("title (English)"), max_length=300, blank=True)
    member = models.CharField(_("OGP member"), max_length=200, blank=True)
    previous_plan = models.ForeignKey(
        ActionPlan,
        verbose_name=_("previous plan"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="next_processes",
    )
    plan = models.OneToOneField(
        ActionPlan,
        verbose_name=_("plan it prepared"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cocreation_process",
        help_text=_("Created when the process is adopted."),
    )
    adopted_at = models.DateTimeField(_("adopted at"), null=True, blank=True)
    adopted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("adopted by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"))

    objects = ProcessQuerySet.as_manager()

    class Meta:
        verbose_name = _("co-creation process")
        verbose_name_plural = _("co-creation processes")
        ordering = ["-year", "-pk"]

    def __str__(self) -> str:
        return self.title_ar

    def get_absolute_url(self) -> str:
        return reverse("cocreation:process", args=[self.slug])

    def ordered_phases(self) -> list[Phase]:
        """The phases in order (from the prefetch of ``with_phases`` when there is one)."""
        return sorted(self.phases.all(), key=lambda phase: phase.order)

    def open_phase(self) -> Phase | None:
        """The phase under way: started and not completed (the latest if several)."""
        current = [p for p in self.ordered_phases() if p.is_open]
        return current[-1] if current else None

    def opens(self, opening: str) -> bool:
        """Whether the phase under way opens ``opening`` (an :class:`Opening`)."""
        phase = self.open_phase()
        return phase is not None and phase.opens(opening)


class Phase(models.Model):
    """A phase of a process, with its planned window, its actual start and end, and what
    it opens. Written by the secretariat: laid out by ``do_create_process`` from
    :data:`DEFAULT_PHASES`, moved by ``do_plan_phase``, opened and closed by
    ``do_start_phase`` / ``do_complete_phase``."""

    process = models.ForeignKey(
        Process, verbose_name=_("process"), on_delete=models.CASCADE, related_name="phases"
    )
    order = models.PositiveSmallIntegerField(_("order"))
    key = models.CharField(_("phase"), max_length=20, choices=PhaseKey.choices)
    planned_start = models.DateField(_("planned start"))
    planned_end = models.DateField(_("planned end"))
    started_on = models.DateField(_("started on"), null=True, blank=True)
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    opens_proposing = models.BooleanField(_("opens proposing"), default=False)
    opens_commenting = models.BooleanField(_("opens commenting"), default=False)
    opens_supporting = models.BooleanField(_("opens supporting"), default=False)
    opens_scoring = models.BooleanField(_("opens scoring"), default=False)
    opens_drafting = models.BooleanField(_("opens drafting commitment cards"), default=False)

    class Meta:
        verbose_name = _("phase")
        verbose_name_plural = _("phases")
        ordering = ["process", "order"]
        constraints = [
            models.UniqueConstraint(fields=["process", "order"], name="cocreation_phase_order"),
            models.CheckConstraint(
                condition=Q(planned_end__gte=F("planned_start")),
                name="cocreation_phase_planned_window",
            ),
            models.CheckConstraint(
                condition=Q(completed_on__isnull=True)
                | (Q(started_on__isnull=False) & Q(completed_on__gte=F("started_on"))),
                name="cocreation_phase_completed_after_start",
            ),
        ]

    def __str__(self) -> str:
        return str(self.get_key_display())

    @property
    def is_open(self) -> bool:
        return self.started_on is not None and self.completed_on is None

    def opens(self, opening: str) -> bool:
        return bool(getattr(self, OPENING_FIELDS[Opening(opening)]))

    def openings(self) -> list[str]:
        """Labels of what this phase opens."""
        return [str(label) for value, label in Opening.choices if self.opens(value)]

    def is_late(self, today: datetime.date) -> bool:
        """Completed after its window, or still open past it."""
        if self.completed_on is not None:
            return self.completed_on > self.planned_end
        return today > self.planned_end

    @property
    def state(self) -> str:
        if self.completed_on is not None:
            return "completed"
        if self.started_on is not None:
            return "started"
        return "planned"


class Theme(models.Model):
    """A thematic axis proposed and agreed in the first phase. Written by the
    secretariat (``do_save_theme``, ``do_agree_theme``)."""

    process = models.ForeignKey(
        Process, verbose_name=_("process"), on_delete=models.CASCADE, related_name="themes"
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    title_ar = models.CharField(_("title (Arabic)"), max_length=300)
    title_fr = models.CharField(_("title (French)"), max_length=300, blank=True)
    title_en = models.CharField(_("title (English)"), max_length=300, blank=True)
    description_ar = models.TextField(_("description (Arabic)"), blank=True)
    description_fr = models.TextField(_("description (French)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    agreed_on = models.DateField(
        _("agreed on"), null=True, blank=True, help_text=_("Empty while only proposed.")
    )

    class Meta:
        verbose_name = _("co-creation theme")
        verbose_name_plural = _("co-creation themes")
        ordering = ["process", "order", "pk"]

    def __str__(self) -> str:
        return self.title_ar


class ProposalStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    RETAINED = "retained", _("Retained for review")
    ACCEPTED = "accepted", _("Accepted")
    MERGED = "merged", _("Merged")
    REJECTED = "rejected", _("Rejected")
    HIDDEN = "hidden", _("Hidden")


# The committee's decisions: each needs a reasoned response, published.
DECISIONS = (ProposalStatus.ACCEPTED, ProposalStatus.MERGED, ProposalStatus.REJECTED)
# Proposals the public lists by default (a hidden one keeps its page, with the reason).
LISTED = (
    ProposalStatus.SUBMITTED,
    ProposalStatus.RETAINED,
    ProposalStatus.ACCEPTED,
    ProposalStatus.MERGED,
    ProposalStatus.REJECTED,
)


class ProposalQuerySet(models.QuerySet["Proposal"]):
    def listed(self) -> ProposalQuerySet:
        return self.filter(status__in=LISTED)

    def for_list(self) -> ProposalQuerySet:
        """What a list of proposals shows: theme, region, and the target of a merge."""
        return self.select_related("process", "theme", "region", "merged_into__process")


class Proposal(models.Model):
    """An idea for the next plan. Written by its author (``do_submit_proposal``), by the
    secretariat when an idea is captured at a meeting (``do_capture_idea``) or moderated
    (``do_hide_proposal``, ``do_merge_proposal``, ``do_retain_proposal``), and by the
    committee's decision (``do_decide_proposal``). ``supports_count`` and
    ``comments_count`` are kept by the actions that add or remove a support or a comment
    (the list sorts on them without counting 500,000 rows)."""

    process = models.ForeignKey(
        Process, verbose_name=_("process"), on_delete=models.CASCADE, related_name="proposals"
    )
    number = models.PositiveIntegerField(_("number"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author's account"),
        null=True,
        blank=True,
        # The account may be deleted; the published proposal stays under the name
        # its author chose.
        on_delete=models.SET_NULL,
        related_name="cocreation_proposals",
    )
    author_name = models.CharField(
        _("public name"),
        max_length=120,
        help_text=_("The name shown with the proposal: yours, a pseudonym or your organisation's."),
    )
    language = models.CharField(
        _("language"), max_length=5, choices=LANGUAGE_CHOICES, default=settings.LANGUAGE_CODE
    )
    title = models.CharField(_("title"), max_length=200)
    problem = models.TextField(_("problem"))
    solution = models.TextField(_("proposed solution"))
    expected_impact = models.TextField(_("expected impact"), blank=True)
    theme = models.ForeignKey(
        Theme,
        verbose_name=_("theme"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="proposals",
    )
    region = models.ForeignKey(
        Region,
        verbose_name=_("region"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="proposals",
    )
    access_to_information = models.BooleanField(_("access to information"), default=False)
    civic_participation = models.BooleanField(_("civic participation"), default=False)
    public_accountability = models.BooleanField(_("public accountability"), default=False)
    technology_innovation = models.BooleanField(
        _("technology and innovation for transparency and accountability"), default=False
    )
    status = models.CharField(
        _("status"), max_length=12, choices=ProposalStatus.choices, default=ProposalStatus.SUBMITTED
    )
    moderation_reason = models.TextField(
        _("public reason for hiding"), blank=True, help_text=_("Shown on the proposal's page.")
    )
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("merged into"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="merged_proposals",
    )
    response = models.TextField(
        _("reasoned response"),
        blank=True,
        help_text=_("Why the proposal was or was not taken up; published."),
    )
    lead_institution = models.ForeignKey(
        Institution,
        verbose_name=_("lead institution"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cocreation_proposals",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    meeting = models.ForeignKey(
        "ParticipatoryMeeting",
        verbose_name=_("captured at meeting"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="proposals",
    )
    credited: models.ManyToManyField[MeetingRegistration, Any] = models.ManyToManyField(
        "MeetingRegistration",
        verbose_name=_("people credited"),
        blank=True,
        related_name="credited_proposals",
    )
    supports_count = models.PositiveIntegerField(_("supports"), default=0)
    comments_count = models.PositiveIntegerField(_("comments"), default=0)
    created_at = models.DateTimeField(_("submitted at"))

    objects = ProposalQuerySet.as_manager()

    class Meta:
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")
        ordering = ["process", "-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["process", "number"], name="cocreation_proposal_number"
            ),
            models.CheckConstraint(
                condition=~Q(merged_into=F("pk")), name="cocreation_proposal_not_merged_into_self"
            ),
            models.CheckConstraint(
                condition=~Q(status=ProposalStatus.MERGED) | Q(merged_into__isnull=False),
                name="cocreation_proposal_merged_has_target",
            ),
        ]
        indexes = [
            models.Index(
                fields=["process", "-supports_count", "-id"],
                name="cocreation_prop_supports_idx",
            ),
            models.Index(
                fields=["process", "-created_at", "-id"],
                name="cocreation_prop_newest_idx",
            ),
            models.Index(fields=["process", "status"], name="cocreation_prop_status_idx"),
        ]

    def __str__(self) -> str:
        return f"#{self.number} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("cocreation:proposal", args=[self.process.slug, self.number])

    @property
    def is_decided(self) -> bool:
        return self.status in DECISIONS

    @property
    def ogp_values(self) -> list[str]:
        names = [
            "access_to_information",
            "civic_participation",
            "public_accountability",
            "technology_innovation",
        ]
        return [
            str(getattr(self._meta.get_field(name), "verbose_name", name))
            for name in names
            if getattr(self, name)
        ]


def attachment_path(instance: ProposalAttachment, filename: str) -> str:
    return f"cocreation/{instance.proposal.process_id}/{instance.proposal_id}/{filename}"


class ProposalAttachment(models.Model):
    """A file joined to a proposal, checked by its content on upload. Written by the
    proposal's author through ``do_submit_proposal`` / ``do_attach_file``."""

    proposal = models.ForeignKey(
        Proposal, verbose_name=_("proposal"), on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField(_("file"), upload_to=attachment_path, max_length=300)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("content type"), max_length=120)
    size = models.PositiveIntegerField(_("size (bytes)"))
    uploaded_at = models.DateTimeField(_("uploaded at"))

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["proposal", "pk"]

    def __str__(self) -> str:
        return self.original_name


def attachments_stored_by(user: Any) -> int:
    """Bytes of the files joined to ``user``'s proposals (their upload quota)."""
    total = ProposalAttachment.objects.filter(proposal__author=user).aggregate(
        total=models.Sum("size")
    )["total"]
    return int(total or 0)


class Comment(models.Model):
    """A comment on a proposal, or a reply to one (one level: a reply to a reply hangs
    on the same parent). Written by a signed-in person (``do_comment``); hidden by the
    secretariat (``do_hide_comment``); moved with its proposal by ``do_merge_proposal``."""

    proposal = models.ForeignKey(
        Proposal, verbose_name=_("proposal"), on_delete=models.CASCADE, related_name="comments"
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("in reply to"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="replies",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author's account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="cocreation_comments",
    )
    author_name = models.CharField(_("public name"), max_length=120)
    body = models.TextField(_("comment"))
    is_hidden = models.BooleanField(_("hidden"), default=False)
    hidden_reason = models.CharField(_("public reason for hiding"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("written at"))

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["proposal", "created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(parent=F("pk")), name="cocreation_comment_not_own_parent"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.author_name}: {self.body[:40]}"


class Support(models.Model):
    """One account's support of a proposal (one per account, withdrawable). Written by
    the supporter (``do_support`` / ``do_withdraw_support``); moved to the target of a
    merge by ``do_merge_proposal`` (an account that supported both counts once)."""

    proposal = models.ForeignKey(
        Proposal, verbose_name=_("proposal"), on_delete=models.CASCADE, related_name="supports"
    )
    account = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        on_delete=models.CASCADE,
        related_name="cocreation_supports",
    )
    created_at = models.DateTimeField(_("supported at"))

    class Meta:
        verbose_name = _("support")
        verbose_name_plural = _("supports")
        constraints = [
            models.UniqueConstraint(
                fields=["proposal", "account"], name="cocreation_one_support_per_account"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.account_id} → {self.proposal_id}"


class Follow(models.Model):
    """An account following a proposal: mail on a new comment or a decision, in the
    follower's language. Written by the follower (``do_follow`` / ``do_unfollow``)."""

    proposal = models.ForeignKey(
        Proposal, verbose_name=_("proposal"), on_delete=models.CASCADE, related_name="follows"
    )
    account = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        on_delete=models.CASCADE,
        related_name="cocreation_follows",
    )
    created_at = models.DateTimeField(_("followed since"))

    class Meta:
        verbose_name = _("follow")
        verbose_name_plural = _("follows")
        constraints = [
            models.UniqueConstraint(
                fields=["proposal", "account"], name="cocreation_one_follow_per_account"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.account_id} → {self.proposal_id}"


class MeetingKind(models.TextChoices):
    WORKSHOP = "workshop", _("Workshop")
    CONSULTATION = "consultation", _("Consultation")


class MeetingScope(models.TextChoices):
    NATIONAL = "national", _("National")
    REGIONAL = "regional", _("Regional")
    THEMATIC = "thematic", _("Thematic")


class MeetingFormat(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    ONLINE = "online", _("Online")
    HYBRID = "hybrid", _("In person and online")


class ParticipatoryMeeting(models.Model):
    """A workshop or consultation of a phase (regional, thematic, online or in person).
    Written by the secretariat (``do_save_meeting``); its outputs are proposals captured
    on the spot (``do_capture_idea``)."""

    process = models.ForeignKey(
        Process, verbose_name=_("process"), on_delete=models.CASCADE, related_name="meetings"
    )
    phase = models.ForeignKey(
        Phase,
        verbose_name=_("phase"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="meetings",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=MeetingKind.choices)
    scope = models.CharField(_("scope"), max_length=20, choices=MeetingScope.choices)
    format = models.CharField(_("format"), max_length=20, choices=MeetingFormat.choices)
    title_ar = models.CharField(_("title (Arabic)"), max_length=300)
    title_fr = models.CharField(_("title (French)"), max_length=300, blank=True)
    title_en = models.CharField(_("title (English)"), max_length=300, blank=True)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=300, blank=True)
    link = models.URLField(_("online link"), blank=True)
    region = models.ForeignKey(
        Region,
        verbose_name=_("region"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="meetings",
    )
    theme = models.ForeignKey(
        Theme,
        verbose_name=_("theme"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="meetings",
    )
    capacity = models.PositiveIntegerField(_("capacity"), null=True, blank=True)
    outputs = models.TextField(_("outputs"), blank=True)
    created_at = models.DateTimeField(_("created at"))

    class Meta:
        verbose_name = _("participatory meeting")
        verbose_name_plural = _("participatory meetings")
        ordering = ["process", "starts_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__isnull=True) | Q(ends_at__gte=F("starts_at")),
                name="cocreation_meeting_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return self.title_ar


class OrganisationKind(models.TextChoices):
    """Whom a participant speaks for (the statistics count by it)."""

    CITIZEN = "citizen", _("Citizen (in a personal capacity)")
    CIVIL_SOCIETY = "civil_society", _("Civil society organisation")
    GOVERNMENT = "government", _("Government")
    LOCAL_AUTHORITY = "local_authority", _("Local authority")
    PRIVATE_SECTOR = "private_sector", _("Private sector")
    ACADEMIA = "academia", _("Academia and research")
    MEDIA = "media", _("Media")
    INTERNATIONAL = "international", _("International organisation")


class Gender(models.TextChoices):
    FEMALE = "female", _("Woman")
    MALE = "male", _("Man")
    OTHER = "other", _("Other")


class MeetingRegistration(models.Model):
    """A participant registered to a meeting, with the seat or organisation they speak
    for and, optionally, their gender. Written by the participant (``do_register``) or
    the secretariat (``do_register``, ``do_record_attendance``)."""

    meeting = models.ForeignKey(
        ParticipatoryMeeting,
        verbose_name=_("meeting"),
        on_delete=models.CASCADE,
        related_name="registrations",
    )
    account = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="cocreation_registrations",
    )
    name = models.CharField(_("name"), max_length=200)
    organisation = models.CharField(_("seat or organisation"), max_length=300, blank=True)
    organisation_kind = models.CharField(
        _("kind of organisation"),
        max_length=20,
        choices=OrganisationKind.choices,
        default=OrganisationKind.CITIZEN,
    )
    institution = models.ForeignKey(
        Institution,
        verbose_name=_("institution"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="cocreation_registrations",
    )
    gender = models.CharField(
        _("gender (optional)"), max_length=10, choices=Gender.choices, blank=True
    )
    region = models.ForeignKey(
        Region,
        verbose_name=_("region"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="registrations",
    )
    attended = models.BooleanField(_("attended"), null=True, blank=True)
    registered_at = models.DateTimeField(_("registered at"))

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        ordering = ["meeting", "registered_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "account"],
                condition=Q(account__isnull=False),
                name="cocreation_one_registration_per_account",
            ),
        ]

    def __str__(self) -> str:
        return self.name


SCORE_MIN = 0
SCORE_MAX = 5


class Criterion(models.Model):
    """A criterion the committee scores proposals against, with its weight in the
    ranking. Written by the secretariat (``do_save_criterion``)."""

    process = models.ForeignKey(
        Process, verbose_name=_("process"), on_delete=models.CASCADE, related_name="criteria"
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    name_ar = models.CharField(_("name (Arabic)"), max_length=200)
    name_fr = models.CharField(_("name (French)"), max_length=200, blank=True)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    weight = models.DecimalField(
        _("weight"),
        max_digits=6,
        decimal_places=2,
        default=1,
        validators=[MinValueValidator(0)],
    )

    class Meta:
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        ordering = ["process", "order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(weight__gte=0), name="cocreation_criterion_weight_non_negative"
            ),
        ]

    def __str__(self) -> str:
        return self.name_ar


class Score(models.Model):
    """One committee member's score of one proposal against one criterion (0–5).
    Written by the member (``do_score``) while a phase opens scoring."""

    proposal = models.ForeignKey(
        Proposal, verbose_name=_("proposal"), on_delete=models.CASCADE, related_name="scores"
    )
    criterion = models.ForeignKey(
        Criterion, verbose_name=_("criterion"), on_delete=models.CASCADE, related_name="scores"
    )
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("committee member"),
        on_delete=models.CASCADE,
        related_name="cocreation_scores",
    )
    value = models.PositiveSmallIntegerField(
        _("score"), validators=[MinValueValidator(SCORE_MIN), MaxValueValidator(SCORE_MAX)]
    )
    note = models.TextField(_("note"), blank=True)
    scored_at = models.DateTimeField(_("scored at"))

    class Meta:
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        constraints = [
            models.UniqueConstraint(
                fields=["proposal", "criterion", "member"], name="cocreation_one_score"
            ),
            models.CheckConstraint(
                condition=Q(value__gte=SCORE_MIN) & Q(value__lte=SCORE_MAX),
                name="cocreation_score_bounded",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member_id} {self.proposal_id} {self.criterion_id}: {self.value}"


class CardStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted for validation")
    VALIDATED = "validated", _("Validated by the committee")
    RETURNED = "returned", _("Returned for changes")


class CommitmentCard(models.Model):
    """A commitment drafted on OGP's template from one accepted proposal or a cluster of
    them. Created by the secretariat (``do_create_card``), edited by its lead
    institution with civil-society partners (``do_edit_card``: each save is a
    :class:`CardVersion`), validated by the committee (``do_validate_card``); adoption
    (``do_adopt_process``) creates its ``commitment`` in the new plan.

    The text is in the language its drafters wrote it in (``language``); adoption puts
    it in that language's column of the commitment, for translation."""

    process = models.ForeignKey(
        Process, verbose_name=_("process"), on_delete=models.CASCADE, related_name="cards"
    )
    number = models.PositiveSmallIntegerField(_("number"), validators=[MinValueValidator(1)])
    proposals = models.ManyToManyField(
        Proposal, verbose_name=_("proposals"), blank=True, related_name="cards"
    )
    theme = models.ForeignKey(
        Theme,
        verbose_name=_("theme"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="cards",
    )
    language = models.CharField(
        _("language"), max_length=5, choices=LANGUAGE_CHOICES, default=settings.LANGUAGE_CODE
    )
    title = models.CharField(_("title"), max_length=500)
    summary = models.TextField(_("brief description"), blank=True)
    problem = models.TextField(_("problem addressed"), blank=True)
    causes = models.TextField(_("causes of the problem"), blank=True)
    done_so_far = models.TextField(_("what has been done so far"), blank=True)
    solution = models.TextField(_("proposed solution"), blank=True)
    expected_results = models.TextField(_("expected results"), blank=True)
    transparency = models.TextField(_("how it promotes transparency"), blank=True)
    accountability = models.TextField(_("how it promotes accountability"), blank=True)
    participation = models.TextField(_("how it promotes participation"), blank=True)
    access_to_information = models.BooleanField(_("access to information"), default=False)
    civic_participation = models.BooleanField(_("civic participation"), default=False)
    public_accountability = models.BooleanField(_("public accountability"), default=False)
    technology_innovation = models.BooleanField(
        _("technology and innovation for transparency and accountability"), default=False
    )
    lead_institution = models.ForeignKey(
        Institution,
        verbose_name=_("lead institution"),
        on_delete=models.PROTECT,
        related_name="cocreation_cards",
    )
    supporting_institutions = models.ManyToManyField(
        Institution,
        verbose_name=_("supporting institutions"),
        blank=True,
        related_name="supported_cocreation_cards",
    )
    other_stakeholders = models.TextField(
        _("other stakeholders (civil society, private sector…)"), blank=True
    )
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=CardStatus.choices, default=CardStatus.DRAFT
    )
    validated_at = models.DateTimeField(_("validated at"), null=True, blank=True)
    validated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("validated by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    commitment = models.OneToOneField(
        Commitment,
        verbose_name=_("commitment in the adopted plan"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="cocreation_card",
    )
    created_at = models.DateTimeField(_("created at"))
    updated_at = models.DateTimeField(_("updated at"))

    class Meta:
        verbose_name = _("commitment card")
        verbose_name_plural = _("commitment cards")
        ordering = ["process", "number"]
        constraints = [
            models.UniqueConstraint(fields=["process", "number"], name="cocreation_card_number"),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True)
                | Q(start_date__isnull=True)
                | Q(end_date__gte=F("start_date")),
                name="cocreation_card_dates_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"


class CardMilestone(models.Model):
    """A milestone of a card (OGP's milestones table). Written with its card
    (``do_edit_card``); adoption makes it an activity of the commitment."""

    card = models.ForeignKey(
        CommitmentCard, verbose_name=_("card"), on_delete=models.CASCADE, related_name="milestones"
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    title = models.CharField(_("milestone"), max_length=600)
    expected_output = models.TextField(_("expected output"), blank=True)
    due_date = models.DateField(_("expected completion date"), null=True, blank=True)
    stakeholders = models.TextField(_("stakeholders"), blank=True)

    class Meta:
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        ordering = ["card", "order", "pk"]

    def __str__(self) -> str:
        return self.title


class CardVersion(models.Model):
    """A numbered save of a card (its fields and milestones as they stood). Written by
    ``do_edit_card``, never changed afterwards."""

    card = models.ForeignKey(
        CommitmentCard, verbose_name=_("card"), on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveSmallIntegerField(_("number"))
    content = models.JSONField(_("content"))
    saved_at = models.DateTimeField(_("saved at"))
    saved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("saved by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("card version")
        verbose_name_plural = _("card versions")
        ordering = ["card", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["card", "number"], name="cocreation_card_version"),
        ]

    def __str__(self) -> str:
        return f"{self.card} v{self.number}"


class CardComment(models.Model):
    """A comment on a card (on one of its versions), by its drafters, partners or the
    committee. Written through ``do_comment_card``."""

    card = models.ForeignKey(
        CommitmentCard, verbose_name=_("card"), on_delete=models.CASCADE, related_name="comments"
    )
    version = models.ForeignKey(
        CardVersion,
        verbose_name=_("version"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="comments",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    body = models.TextField(_("comment"))
    created_at = models.DateTimeField(_("written at"))

    class Meta:
        verbose_name = _("card comment")
        verbose_name_plural = _("card comments")
        ordering = ["card", "created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.card_id}: {self.body[:40]}"
