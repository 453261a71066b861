"""People and the institutions they belong to."""

from __future__ import annotations

from functools import cache
from typing import Any

import rules
from django.apps import apps
from django.conf import settings
from django.contrib.auth.hashers import make_password
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

    def has_perm(self, perm: str, obj: Any = None) -> bool:
        """Django answers yes to an active superuser before any rule runs; here the
        permissions defined with ``rules`` are always decided by their predicates (a
        superuser counts as secretariat there), so the four-eyes rules hold for
        everyone: nobody validates their own update or decides their own request. The
        admin's model permissions (asked without an object) stay a superuser's."""
        if self.is_active and self.is_superuser and rules.perm_exists(perm):
            return rules.has_perm(perm, self, obj) or (obj is None and perm in _model_permissions())
        return super().has_perm(perm, obj)

    def has_role(self, role: str) -> bool:
        """Whether the user holds ``role`` (cached per instance: one query at most)."""
        if not hasattr(self, "_role_names"):
            self._role_names = set(self.groups.values_list("name", flat=True))
        return role in self._role_names

    def role_labels(self) -> list[str]:
        from apps.accounts.roles import Role

        return [str(label) for value, label in Role.choices if self.has_role(value)]


@cache
def _model_permissions() -> frozenset[str]:
    """``app_label.codename`` of every model permission Django creates (the admin's)."""
    names = set()
    for model in apps.get_models():
        opts = model._meta
        for action in opts.default_permissions:
            names.add(f"{opts.app_label}.{action}_{opts.model_name}")
        names.update(f"{opts.app_label}.{codename}" for codename, _label in opts.permissions)
    return frozenset(names)


SYSTEM_USERNAME = "sharaka-system"


def system_user() -> User:
    """The account the platform acts as when no person does (the demo loader, background
    tasks): inactive and without a usable password, so nobody can sign in as it. Created
    on first use; the audit trail names it like anyone else."""
    user, _created = User.objects.get_or_create(
        username=SYSTEM_USERNAME,
        defaults={"first_name": "Sharaka", "is_active": False, "password": make_password(None)},
    )
    return user


def is_system_user(user: Any) -> bool:
    """Whether ``user`` is the platform's own account (see :func:`system_user`)."""
    return (
        getattr(user, "username", None) == SYSTEM_USERNAME
        and not user.is_active
        and not user.has_usable_password()
    )
