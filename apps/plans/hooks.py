"""What other apps do when a commitment's institutions change.

Dependencies point one way (``plans`` ← ``tracking``): plans does not know who answers
for a commitment. Tracking registers a hook here when it starts (``TrackingConfig.ready``)
that ends the focal-point assignments the new institutions no longer allow. A hook runs
inside the action's transaction: it may refuse the change by raising an ``ActionError``
(everything is rolled back), and returns what it did, in words for the secretariat.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from apps.plans.models import Commitment


class InstitutionsChanged(Protocol):
    def __call__(
        self, commitment: Commitment, *, acting_user: Any, on: datetime.date
    ) -> list[str]: ...


_hooks: list[InstitutionsChanged] = []


def on_institutions_changed(hook: InstitutionsChanged) -> InstitutionsChanged:
    """Register ``hook`` (once, however often the app starts)."""
    if hook not in _hooks:
        _hooks.append(hook)
    return hook


def institutions_changed(
    commitment: Commitment, *, acting_user: Any, on: datetime.date
) -> list[str]:
    """Tell every registered app that ``commitment``'s lead or supporting institutions
    changed; return what they did."""
    done: list[str] = []
    for hook in _hooks:
        done += hook(commitment, acting_user=acting_user, on=on)
    return done


__all__ = ["institutions_changed", "on_institutions_changed"]
