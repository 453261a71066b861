"""One-time form tokens: the same form posted twice creates one record, not two."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any, TypeVar

from django import forms
from django.db import IntegrityError, models, transaction
from django.utils.translation import gettext_lazy as _

from apps.core.errors import ActionError
from apps.core.models import FormSubmission
from apps.core.public_cache import personal

M = TypeVar("M", bound=models.Model)


class OnceField(forms.UUIDField):
    """A hidden field holding a fresh token each time the form is shown (see
    :class:`apps.core.models.FormSubmission`). A post without one is still accepted
    (and not protected); a malformed one is a form error."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def get_bound_field(self, form: forms.BaseForm, field_name: str) -> forms.BoundField:
        if not form.is_bound:
            form.initial.setdefault(field_name, uuid.uuid4())
            personal()  # this token is the visitor's: the page is not kept for others
        return super().get_bound_field(form, field_name)


def once(
    token: uuid.UUID | None,
    action: str,
    model: type[M],
    acting_user: Any,
    create: Callable[[], M],
) -> tuple[M, bool]:
    """Run ``create`` once per form ``token`` (inside the caller's transaction); return
    the record and whether it was created now. A token already claimed returns the
    record it created. Two concurrent posts: the second waits on the unique index until
    the first commits, then finds its record (or, if the first rolled back, creates)."""
    if token is None:
        return create(), True
    actor = acting_user if getattr(acting_user, "is_authenticated", False) else None
    try:
        with transaction.atomic():
            claim = FormSubmission.objects.create(token=token, action=action, actor=actor)
    except IntegrityError:
        claim = FormSubmission.objects.get(token=token)
        if claim.action != action or claim.actor_id != getattr(actor, "pk", None):
            raise ActionError(_("This form was already sent.")) from None
        existing = model._default_manager.filter(pk=claim.target_id).first()
        if existing is None:  # created, then deleted: nothing to give back
            raise ActionError(_("This form was already sent.")) from None
        return existing, False
    record = create()
    claim.target_id = record.pk
    claim.save(update_fields=["target_id"])
    return record, True
