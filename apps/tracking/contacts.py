"""What the public may see of a commitment's focal point: the one rule every public place
asks (the commitment's page and its history of focal points, a progress update's page,
the read API). Open data and the exports carry institutions only, never a person.

Institutions and roles are public; the person behind a focal point is shown as far as
their plan's setting (:class:`apps.plans.models.PublicContacts`, chosen by the
secretariat) says:

- *institution* (the default): the institution and its contact address
  (``Institution.contact_email``), never the person's name or e-mail;
- *name*: the person's name, with the institution's address;
- *name and e-mail*: the person's name and their own e-mail address.

Those who work with the person see them whatever the setting: the secretariat and the
committee members, signed in (``tracking.view_focal_point_person``), and the person
themselves.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from apps.accounts.models import Institution
from apps.plans.models import ActionPlan, Commitment, PublicContacts
from apps.tracking.models import FocalPointAssignment


@dataclass(frozen=True)
class Contact:
    """What a page may show of one person acting as a focal point. ``name`` and
    ``email`` are empty when they may not be shown (or are unknown); ``personal``
    says whether ``email`` is the person's own address rather than the institution's."""

    name: str
    email: str
    institution: Institution | None
    personal: bool = False


def sees_the_person(viewer: Any, person: Any = None) -> bool:
    """Whether ``viewer`` sees the person behind a focal point whatever the plan says."""
    if viewer is None or not getattr(viewer, "is_authenticated", False):
        return False
    if person is not None and viewer.pk == getattr(person, "pk", None):
        return True
    return bool(viewer.has_perm("tracking.view_focal_point_person"))


def contact_of(person: Any, plan: ActionPlan, *, viewer: Any = None) -> Contact:
    """What ``viewer`` (None: the public, as the API and the exports are) may see of
    ``person`` acting as a focal point of ``plan``. No query beyond the person's
    institution (select it with the person) and, for a signed-in viewer, their roles."""
    institution = person.institution
    office = institution.contact_email if institution is not None else ""
    name = person.get_full_name() or person.get_username()
    if sees_the_person(viewer, person):
        return Contact(name, person.email or office, institution, personal=bool(person.email))
    setting = plan.public_contacts
    if setting == PublicContacts.NAME_AND_EMAIL and person.email:
        return Contact(name, person.email, institution, personal=True)
    if setting in (PublicContacts.NAME, PublicContacts.NAME_AND_EMAIL):
        return Contact(name, office, institution)
    return Contact("", office, institution)


def focal_point_contact(commitment: Commitment, *, viewer: Any = None) -> Contact | None:
    """What ``viewer`` may see of ``commitment``'s current focal point (None: nobody is
    assigned). One query (two with the viewer's roles)."""
    current = (
        FocalPointAssignment.objects.current()
        .filter(commitment=commitment)
        .select_related("user__institution", "commitment__plan")
        .first()
    )
    if current is None:
        return None
    return contact_of(current.user, current.commitment.plan, viewer=viewer)


def with_contacts(
    assignments: list[FocalPointAssignment], plan: ActionPlan, *, viewer: Any = None
) -> list[FocalPointAssignment]:
    """Set ``contact`` on each assignment (their users selected with their institution):
    what the history of a commitment's focal points shows ``viewer``."""
    for assignment in assignments:
        assignment.contact = contact_of(assignment.user, plan, viewer=viewer)  # type: ignore[attr-defined]
    return assignments
