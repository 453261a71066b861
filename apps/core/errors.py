"""The one error every action raises, and the one way a view tells the user about it.

An action refuses a change the state or the permissions do not allow by raising an
:class:`ActionError` (or one of the apps' subclasses: ``TrackingError``,
``CommitteeError``, ``PlanError``). Its message is translated and meant for the user;
a view shows it with :func:`report_error`, whatever the app.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest


class ActionError(Exception):
    """A state change that cannot happen (already validated, not allowed, frozen…).

    ``message`` may be a lazy translation: it is rendered in the language active when
    the user reads it, not when the action ran.
    """

    def __init__(self, message: Any) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return str(self.message)


def report_error(request: HttpRequest, error: ActionError) -> str:
    """Show an action's refusal to the user as an error message and return its text.

    An htmx request swaps in a fragment that shows the returned text itself: a message
    queued as well would show up again on the next full page."""
    text = str(error)
    if not getattr(request, "htmx", False):
        messages.error(request, text)
    return text


def check_permission(acting_user: Any, perm: str, obj: Any, error: ActionError) -> None:
    """Raise ``error`` unless ``acting_user`` holds ``perm`` (on ``obj``). Every action
    acts for someone: a person, or the platform's own account
    (``apps.accounts.system_user()``) for the demo and background tasks."""
    if acting_user is None:
        raise TypeError("An action needs an acting user (apps.accounts.system_user()).")
    if not acting_user.has_perm(perm, obj):
        raise error
