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
