"""Action plans, their themes, commitments and activities."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Prefetch, Q
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.accounts.models import Institution
from apps.core import bounds
from apps.plans.choices import CompletionLevel, IrmCompletion, MemberKind, PlanStatus
from apps.plans.progress import (
    commitment_progress,
    commitments_count,
    completion_level,
    completion_level_case,
    mean_commitment_progress,
)


def _check_period(start: Any, end: Any, plan: Any = None) -> None:
    """Dates within the plan's period and its margins (one rule: apps/core/bounds.py),
    the end not before the start."""
    errors = {
        name: message
        for name, value in (("start_date", start), ("end_date", end))
        if (message := bounds.plan_error(value, plan))
    }
    if errors:
        raise ValidationError(errors)
    if start and end and end < start:
        raise ValidationError({"end_date": _("The end date must not be before the start date.")})


class ActionPlanQuerySet(models.QuerySet["ActionPlan"]):
    def with_progress(self) -> ActionPlanQuerySet:
        """The plans with their figures: stored on the plan (``progress``,
        ``commitments_count``, kept current by the actions, see
        :mod:`apps.plans.figures`), so nothing is computed here any more."""
        return self

    def current(self) -> ActionPlan | None:
        """The plan being implemented now (the latest one if several)."""
        return (
            self.order_by(
                models.Case(
                    models.When(status=PlanStatus.IMPLEMENTATION, then=0),
                    default=1,
                ),
                "-period_start",
            )
            .with_progress()
            .first()
        )


class PublicContacts(models.TextChoices):
    """What the public pages show of a commitment's focal point (a person): the
    institution is always public, the person only as far as the plan says."""

    INSTITUTION = "institution", _("The institution's contact address only")
    NAME = "name", _("The focal point's name, with the institution's address")
    NAME_AND_EMAIL = "name_and_email", _("The focal point's name and personal e-mail")


class ActionPlan(models.Model):
    """A national (or local) OGP action plan."""

    member = models.CharField(_("OGP member"), max_length=200, help_text=_("Country or locality."))
    # The member stays a name (plans of one member share it); its kind is what OGP's
    # data says of it. A model of its own would hold nothing more today.
    member_kind = models.CharField(
        _("kind of member"), max_length=10, choices=MemberKind.choices, default=MemberKind.NATIONAL
    )
    ordinal = models.PositiveSmallIntegerField(
        _("ordinal"), validators=[MinValueValidator(1)], help_text=_("1st, 2nd, 3rd plan…")
    )
    title = models.CharField(_("title"), max_length=300)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    status = models.CharField(
        _("status"), max_length=20, choices=PlanStatus.choices, default=PlanStatus.CO_CREATION
    )
    public_contacts = models.CharField(
        _("focal points on public pages"),
        max_length=20,
        choices=PublicContacts.choices,
        default=PublicContacts.INSTITUTION,
        help_text=_(
            "What the public sees of a commitment's focal point. Signed-in secretariat "
            "and committee members always see the person."
        ),
    )
    # Stored figures (apps/plans/figures.py), as apps/plans/progress.py defines them:
    # lists of plans read them instead of computing every plan's roll-up.
    progress = models.FloatField(_("progress (%)"), default=0, editable=False)
    commitments_count = models.PositiveIntegerField(_("commitments"), default=0, editable=False)

    objects = ActionPlanQuerySet.as_manager()

    class Meta:
        verbose_name = _("action plan")
        verbose_name_plural = _("action plans")
        ordering = ["-period_start"]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=F("period_start")), name="plan_period_ordered"
            ),
            models.UniqueConstraint(fields=["member", "ordinal"], name="plan_member_ordinal"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("plan_detail", args=[self.slug])

    @property
    def has_ended(self) -> bool:
        """Its period is over: the pages show its final state, and no follow-up flag
        applies any more (see :mod:`apps.tracking.staleness`)."""
        return self.period_end < timezone.localdate()

    @property
    def current_status(self) -> str:
        """The status as of today: a plan still marked in implementation after its
        period has ended is completed (what the pages say with "ended on …")."""
        if self.has_ended and self.status == PlanStatus.IMPLEMENTATION:
            return PlanStatus.COMPLETED
        return self.status

    def clean(self) -> None:
        # A plan's own period: from 2000 to ten years from now (apps/core/bounds.py).
        errors = {
            name: message
            for name in ("period_start", "period_end")
            if (message := bounds.plan_error(getattr(self, name)))
        }
        if errors:
            raise ValidationError(errors)
        if self.period_start and self.period_end and self.period_end < self.period_start:
            raise ValidationError(
                {"period_end": _("The end of the period must not be before its start.")}
            )


class ThemeQuerySet(models.QuerySet["Theme"]):
    def with_progress(self) -> ThemeQuerySet:
        return self.annotate(
            progress=mean_commitment_progress(theme=models.OuterRef("pk")),
            commitments_count=commitments_count(theme=models.OuterRef("pk")),
        )


class Theme(models.Model):
    """A thematic axis of a plan (محور)."""

    plan = models.ForeignKey(
        ActionPlan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="themes"
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    title = models.CharField(_("title"), max_length=300)

    objects = ThemeQuerySet.as_manager()

    class Meta:
        verbose_name = _("theme")
        verbose_name_plural = _("themes")
        ordering = ["plan", "order", "pk"]

    def __str__(self) -> str:
        return self.title


class Tag(models.Model):
    """A policy area (OGP's tags: "Anti-Corruption and Integrity", "Open Contracting"…)."""

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)

    class Meta:
        verbose_name = _("policy area")
        verbose_name_plural = _("policy areas")
        ordering = ["slug"]

    def __str__(self) -> str:
        return self.name


class CommitmentQuerySet(models.QuerySet["Commitment"]):
    def with_progress(self) -> CommitmentQuerySet:
        return self.annotate(progress=commitment_progress()).annotate(
            completion_level=completion_level_case("progress")
        )

    def for_list(self) -> CommitmentQuerySet:
        """What a list of commitments shows: progress, lead institution, theme."""
        return self.with_progress().select_related("lead_institution", "theme", "plan")

    def with_activities_count(self) -> CommitmentQuerySet:
        """Annotate ``activities_count`` (a subquery: no GROUP BY over a join)."""
        counted = (
            Activity.objects.filter(commitment=models.OuterRef("pk"))
            .order_by()
            .values("commitment")
            .annotate(n=models.Count("pk"))
            .values("n")
        )
        return self.annotate(
            activities_count=Coalesce(
                models.Subquery(counted, output_field=models.IntegerField()), models.Value(0)
            )
        )

    def with_activities(self) -> CommitmentQuerySet:
        return self.prefetch_related(
            Prefetch("activities", queryset=Activity.objects.order_by("order", "pk"))
        )


class Commitment(models.Model):
    """A commitment of a plan, with the fields of OGP's commitment template."""

    plan = models.ForeignKey(
        ActionPlan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="commitments"
    )
    number = models.PositiveSmallIntegerField(_("number"), validators=[MinValueValidator(1)])
    title = models.CharField(_("title"), max_length=500)
    theme = models.ForeignKey(
        Theme,
        verbose_name=_("theme"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="commitments",
    )
    # OGP commitment template (2022+).
    summary = models.TextField(_("brief description"), blank=True)
    problem = models.TextField(_("problem addressed"), blank=True)
    causes = models.TextField(_("causes of the problem"), blank=True)
    done_so_far = models.TextField(_("what has been done so far"), blank=True)
    solution = models.TextField(_("proposed solution"), blank=True)
    expected_results = models.TextField(_("expected results"), blank=True)
    transparency = models.TextField(_("how it promotes transparency"), blank=True)
    accountability = models.TextField(_("how it promotes accountability"), blank=True)
    participation = models.TextField(_("how it promotes participation"), blank=True)
    # OGP values.
    access_to_information = models.BooleanField(_("access to information"), default=False)
    civic_participation = models.BooleanField(_("civic participation"), default=False)
    public_accountability = models.BooleanField(_("public accountability"), default=False)
    technology_innovation = models.BooleanField(
        _("technology and innovation for transparency and accountability"), default=False
    )
    lead_institution = models.ForeignKey(
        Institution,
        verbose_name=_("lead institution"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="led_commitments",
    )
    supporting_institutions = models.ManyToManyField(
        Institution,
        verbose_name=_("supporting institutions"),
        blank=True,
        related_name="supported_commitments",
    )
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    # Dates as a source wrote them when they are not one day ("July 2019", "S II 2023"):
    # shown as written; the date fields then hold the period's first (start) or last
    # (end) day when one can be told, nothing otherwise.
    start_date_text = models.CharField(_("start date as written"), max_length=100, blank=True)
    end_date_text = models.CharField(_("end date as written"), max_length=100, blank=True)
    tags = models.ManyToManyField(
        Tag, verbose_name=_("policy areas"), blank=True, related_name="commitments"
    )
    # OGP's data: its identifier ("AL0002"), the whole text it publishes, and what its
    # Independent Reporting Mechanism (IRM) assessed.
    ogp_id = models.CharField(
        _("OGP identifier"), max_length=40, blank=True, help_text=_("OGP's commitment identifier.")
    )
    full_text = models.TextField(_("full text"), blank=True)
    irm_completion = models.CharField(
        _("completion (IRM)"), max_length=20, choices=IrmCompletion.choices, blank=True
    )
    irm_potential_impact = models.CharField(_("potential impact (IRM)"), max_length=60, blank=True)
    irm_open_government = models.CharField(
        _("did it open government? (IRM)"), max_length=60, blank=True
    )

    objects = CommitmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("commitment")
        verbose_name_plural = _("commitments")
        ordering = ["plan", "number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="commitment_number_per_plan"),
            models.UniqueConstraint(
                fields=["ogp_id"], condition=~Q(ogp_id=""), name="commitment_ogp_id_unique"
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True)
                | Q(start_date__isnull=True)
                | Q(end_date__gte=F("start_date")),
                name="commitment_dates_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("commitment_detail", args=[self.plan.slug, self.number])

    def clean(self) -> None:
        _check_period(self.start_date, self.end_date, self.plan if self.plan_id else None)

    @property
    def ogp_values(self) -> list[str]:
        flags = [
            ("access_to_information", self.access_to_information),
            ("civic_participation", self.civic_participation),
            ("public_accountability", self.public_accountability),
            ("technology_innovation", self.technology_innovation),
        ]
        return [
            str(getattr(self._meta.get_field(name), "verbose_name", name))
            for name, on in flags
            if on
        ]

    @property
    def level(self) -> CompletionLevel:
        return completion_level(getattr(self, "progress", None))


class Activity(models.Model):
    """A milestone of a commitment; its progress is what the focal point reports."""

    commitment = models.ForeignKey(
        Commitment,
        verbose_name=_("commitment"),
        on_delete=models.CASCADE,
        related_name="activities",
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    title = models.CharField(_("title"), max_length=600)
    expected_output = models.TextField(_("expected output"), blank=True)
    stakeholders = models.TextField(_("stakeholders"), blank=True)
    weight = models.DecimalField(
        _("weight"),
        max_digits=7,
        decimal_places=2,
        default=1,
        validators=[MinValueValidator(0)],
        help_text=_("Relative weight in the commitment's progress (0 or more)."),
    )
    progress = models.PositiveSmallIntegerField(
        _("progress (%)"),
        default=0,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    is_grouping = models.BooleanField(
        _("groups completed activities"),
        default=False,
        help_text=_("Stands for completed activities that the source document does not itemise."),
    )
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["commitment", "order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(progress__gte=0) & Q(progress__lte=100), name="activity_progress_0_100"
            ),
            models.CheckConstraint(condition=Q(weight__gte=0), name="activity_weight_non_negative"),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True)
                | Q(start_date__isnull=True)
                | Q(end_date__gte=F("start_date")),
                name="activity_dates_ordered",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        plan = self.commitment.plan if self.commitment_id else None
        _check_period(self.start_date, self.end_date, plan)
