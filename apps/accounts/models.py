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
    # What the public pages show to reach the institution about a commitment, unless the
    # plan's setting names the focal point (see ``apps.tracking.contacts``).
    contact_email = models.EmailField(
        _("contact e-mail"),
        blank=True,
        help_text=_(
            "The institution's own address (not a person's): shown on public pages "
            "to reach it about its commitments."
        ),
    )

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
        if obj is None:
            self._load_access()
        return super().has_perm(perm, obj)

    # Kept by _load_access (or the authentication backend, apps/accounts/access.py).
    _role_names: set[str]

    def has_role(self, role: str) -> bool:
        """Whether the user holds ``role`` (cached per instance: one query at most)."""
        self._load_access()
        return role in self._role_names

    def _load_access(self) -> None:
        """The user's roles and model permissions in ONE query, kept on the instance;
        none when the authentication backend loaded them with the user
        (:mod:`apps.accounts.access`)."""
        if hasattr(self, "_role_names"):
            return
        from apps.accounts.access import access_columns, apply_access

        columns = access_columns(facts=False)
        values = (
            type(self)._default_manager.filter(pk=self.pk).annotate(**columns).values(*columns)
        ).first()
        apply_access(self, values or dict.fromkeys(columns))

    def forget_access(self) -> None:
        """Forget the kept roles, permissions and facts (after they changed)."""
        from apps.accounts.access import forget

        forget(self)

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


class ApiTokenQuerySet(models.QuerySet["ApiToken"]):
    def active(self) -> ApiTokenQuerySet:
        """Neither revoked nor expired."""
        from django.utils import timezone

        return self.filter(revoked_at__isnull=True).filter(
            models.Q(expires_at__isnull=True) | models.Q(expires_at__gt=timezone.now())
        )


class ApiToken(models.Model):
    """A person's key to the write API (``Authorization: Bearer <token>``).

    Only the SHA-256 digest of the token is stored: the clear token is shown once, when
    it is created (``apps.accounts.tokens.create_token``). ``prefix``, its first
    characters, lets its owner tell their tokens apart without revealing them."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="api_tokens",
    )
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(_("prefix"), max_length=16)
    digest = models.CharField(_("digest"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    @property
    def is_expired(self) -> bool:
        from django.utils import timezone

        return self.expires_at is not None and self.expires_at <= timezone.now()

    @property
    def is_active(self) -> bool:
        return not self.is_revoked and not self.is_expired
