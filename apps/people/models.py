"""People: the invitations the secretariat sends to bring a person onto the platform."""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from apps.accounts.models import Institution
from apps.accounts.roles import Role
from apps.committees.models import Committee, Member, Seat


class InvitationStatus(models.TextChoices):
    """Stored statuses. "Expired" is not one of them: a pending invitation whose
    ``expires_at`` has passed is expired (:attr:`Invitation.is_expired`), and a resend
    makes it pending again with a new link."""

    PENDING = "pending", pgettext_lazy("invitation", "Pending")
    ACCEPTED = "accepted", pgettext_lazy("invitation", "Accepted")
    WITHDRAWN = "withdrawn", pgettext_lazy("invitation", "Withdrawn")


class InvitationQuerySet(models.QuerySet["Invitation"]):
    def pending(self) -> InvitationQuerySet:
        """Neither accepted nor withdrawn (expired ones included: they can be resent)."""
        return self.filter(status=InvitationStatus.PENDING)

    def open(self, now: datetime.datetime | None = None) -> InvitationQuerySet:
        """Pending and not expired: the link works."""
        return self.pending().filter(expires_at__gt=now or timezone.now())

    def expired(self, now: datetime.datetime | None = None) -> InvitationQuerySet:
        return self.pending().filter(expires_at__lte=now or timezone.now())

    def closed(self, now: datetime.datetime | None = None) -> InvitationQuerySet:
        """Accepted, withdrawn or expired: every invitation whose link no longer works."""
        return self.exclude(status=InvitationStatus.PENDING, expires_at__gt=now or timezone.now())

    def for_list(self) -> InvitationQuerySet:
        """What the secretariat's list shows of each invitation, in one query."""
        return self.select_related("institution", "committee", "invited_by", "accepted_by")


class Invitation(models.Model):
    """A person invited by e-mail to take a role on the platform.

    The mail carries a link with a key; only its SHA-256 digest is stored
    (``key_digest``). The key itself is derived from ``key_nonce`` with the server's
    secret key (``apps.people.invitations.key_of``), so that the background task that
    writes the mail can put it in the link without the clear key ever being stored,
    in this table or in the task queue's. A resend draws a new nonce: the old link dies.
    """

    email = models.EmailField(_("e-mail address"))
    first_name = models.CharField(_("first name"), max_length=150)
    last_name = models.CharField(_("last name"), max_length=150)
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    institution = models.ForeignKey(
        Institution,
        verbose_name=_("institution"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    committee = models.ForeignKey(
        Committee,
        verbose_name=_("committee"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    seat = models.CharField(_("seat"), max_length=20, choices=Seat.choices, blank=True)
    member_role = models.CharField(
        _("role on the committee"), max_length=20, choices=Member.Role.choices, blank=True
    )
    language = models.CharField(_("language"), max_length=5, choices=settings.LANGUAGES)
    key_nonce = models.CharField(max_length=64)
    key_digest = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("invited by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires at"))
    last_sent_at = models.DateTimeField(_("last sent at"))
    times_sent = models.PositiveSmallIntegerField(_("times sent"), default=1)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=InvitationStatus.choices,
        default=InvitationStatus.PENDING,
    )
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("accepted by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at", "-pk"]
        constraints = [
            # One pending invitation per address: a second one would be a second link
            # to the same account (the secretariat resends the first instead).
            models.UniqueConstraint(
                Lower("email"),
                condition=Q(status=InvitationStatus.PENDING),
                name="invitation_one_pending_per_address",
            ),
            models.CheckConstraint(
                condition=~Q(role=Role.FOCAL_POINT) | Q(institution__isnull=False),
                name="invitation_focal_point_institution",
            ),
            models.CheckConstraint(
                condition=~Q(role=Role.COMMITTEE_MEMBER)
                | (Q(committee__isnull=False) & ~Q(seat="") & ~Q(member_role="")),
                name="invitation_member_committee_seat",
            ),
            models.CheckConstraint(
                condition=~Q(status=InvitationStatus.ACCEPTED) | Q(accepted_at__isnull=False),
                name="invitation_accepted_at",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.full_name} <{self.email}>"

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def is_pending(self) -> bool:
        return self.status == InvitationStatus.PENDING

    @property
    def is_accepted(self) -> bool:
        return self.status == InvitationStatus.ACCEPTED

    @property
    def is_withdrawn(self) -> bool:
        return self.status == InvitationStatus.WITHDRAWN

    @property
    def is_expired(self) -> bool:
        return self.is_pending and self.expires_at <= timezone.now()

    @property
    def is_open(self) -> bool:
        """The link works: pending and not expired."""
        return self.is_pending and not self.is_expired

    @property
    def state_label(self) -> Any:
        """The status as the secretariat reads it, "expired" included."""
        if self.is_expired:
            return pgettext_lazy("invitation", "Expired")
        return self.get_status_display()
