"""People and the institutions they belong to."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class Institution(models.Model):
    """A body taking part in the action plan: a ministry, an agency, an NGO…"""

    class Kind(models.TextChoices):
        GOVERNMENT = "government", _("Government")
        CIVIL_SOCIETY = "civil_society", _("Civil society")
        GOVERNANCE_BODY = "governance_body", _("Governance body")
        LOCAL_AUTHORITY = "local_authority", _("Local authority")
        PRIVATE_SECTOR = "private_sector", _("Private sector")
        INTERNATIONAL = "international", _("International organisation")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=300)
    acronym = models.CharField(_("acronym"), max_length=30, blank=True)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    website = models.URLField(_("website"), blank=True)

    class Meta:
        verbose_name = _("institution")
        verbose_name_plural = _("institutions")
        ordering = ["kind", "name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("institution_detail", args=[self.slug])


class User(AbstractUser):
    """A person with an account. Roles are groups named after :class:`Role`."""

    preferred_language = models.CharField(
        _("preferred language"),
        max_length=5,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
    )
    institution = models.ForeignKey(
        Institution,
        verbose_name=_("institution"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="members",
    )

    def has_role(self, role: str) -> bool:
        """Whether the user holds ``role`` (cached per instance: one query at most)."""
        if not hasattr(self, "_role_names"):
            self._role_names = set(self.groups.values_list("name", flat=True))
        return role in self._role_names

    def role_labels(self) -> list[str]:
        from apps.accounts.roles import Role

        return [str(label) for value, label in Role.choices if self.has_role(value)]
