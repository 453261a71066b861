from django.db import models
from django.utils.translation import gettext_lazy as _


class CompletionLevel(models.TextChoices):
    """OGP's completion levels, derived from the percentage (thresholds in settings)."""

    NOT_STARTED = "not_started", _("Not started")
    LIMITED = "limited", _("Limited")
    SUBSTANTIAL = "substantial", _("Substantial")
    COMPLETE = "complete", _("Complete")


class PlanStatus(models.TextChoices):
    CO_CREATION = "co_creation", _("Co-creation")
    IMPLEMENTATION = "implementation", _("Implementation")
    COMPLETED = "completed", _("Completed")


class MemberKind(models.TextChoices):
    """An OGP member is a country (national plans) or a locality (OGP Local plans)."""

    NATIONAL = "national", _("Country")
    LOCAL = "local", _("Locality")


class IrmCompletion(models.TextChoices):
    """Completion as OGP's Independent Reporting Mechanism assessed it (its own scale,
    imported from OGP's data; not derived from the platform's percentages)."""

    NOT_STARTED = "not_started", _("Not started")
    LIMITED = "limited", _("Limited")
    SUBSTANTIAL = "substantial", _("Substantial")
    COMPLETE = "complete", _("Complete")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    NO_EVIDENCE = "no_evidence", _("No evidence available")
