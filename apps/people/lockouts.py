"""Sign-in lockouts as the secretariat sees them: the accounts and addresses locked out
after too many failed sign-ins (django-axes' attempts, ``apps.accounts.lockout``), and
the action that unlocks one, audited."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from axes.models import AccessAttempt
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.accounts.lockout import cool_off
from apps.accounts.models import User
from apps.core.errors import ActionError, check_permission
from apps.core.models import AuditLog

# The attempts read for the page at most (a large attack shows its first this many).
ATTEMPTS_READ = 10_000


class LockoutError(ActionError):
    """An unlock that cannot happen; the message is for the user."""


@dataclass
class Lockout:
    """One locked account (``kind`` "account": ``key`` is the username typed or the
    account's) or address (``kind`` "address")."""

    kind: str
    key: str
    failures: int
    last: datetime.datetime
    until: datetime.datetime
    person: User | None = None
    others: set[str] = field(default_factory=set)


def _locked(rows: list[dict[str, Any]], group: str, other: str, kind: str) -> list[Lockout]:
    limit = settings.AXES_FAILURE_LIMIT
    by_key: dict[str, list[dict[str, Any]]] = {}
    for row in rows:  # newest first
        by_key.setdefault(row[group] or "", []).append(row)
    found = []
    for key, attempts in by_key.items():
        total = 0
        for row in attempts:
            total += row["failures_since_start"]
            if total >= limit:
                # The lock lasts until this attempt leaves the cool-off window.
                found.append(
                    Lockout(
                        kind=kind,
                        key=key,
                        failures=sum(r["failures_since_start"] for r in attempts),
                        last=attempts[0]["attempt_time"],
                        until=row["attempt_time"] + cool_off(),
                        others={r[other] or "" for r in attempts},
                    )
                )
                break
    return sorted(found, key=lambda lock: lock.last, reverse=True)


def current_lockouts() -> tuple[list[Lockout], list[Lockout]]:
    """The accounts and the addresses locked out now (two queries)."""
    rows = list(
        AccessAttempt.objects.filter(attempt_time__gte=timezone.now() - cool_off())
        .order_by("-attempt_time", "-pk")
        .values("username", "ip_address", "failures_since_start", "attempt_time")[:ATTEMPTS_READ]
    )
    accounts = _locked(rows, "username", "ip_address", "account")
    addresses = _locked(rows, "ip_address", "username", "address")
    people = {
        user.username: user
        for user in User.objects.filter(username__in=[lock.key for lock in accounts])
    }
    for lock in accounts:
        lock.person = people.get(lock.key)
    return accounts, addresses


def do_unlock(*, acting_user: Any, kind: str, key: str) -> int:
    """Remove the failed attempts of an account (``kind`` "account", by username) or of
    an address ("address"), which ends its lock; the audit row names what was removed.
    Returns how many attempt rows went."""
    check_permission(
        acting_user,
        "people.manage",
        None,
        LockoutError(_("Only the secretariat unlocks sign-ins.")),
    )
    if kind not in ("account", "address") or not key:
        raise LockoutError(_("Nothing to unlock."))
    column = "username" if kind == "account" else "ip_address"
    with transaction.atomic():
        attempts = AccessAttempt.objects.select_for_update().filter(**{column: key})
        rows = list(attempts.values("pk", "failures_since_start"))
        if not rows:
            raise LockoutError(_("This sign-in is no longer locked."))
        failures = sum(row["failures_since_start"] for row in rows)
        person = User.objects.filter(username=key).first() if kind == "account" else None
        target: Any = person or AccessAttempt.objects.get(pk=rows[0]["pk"])
        AuditLog.record(
            actor=acting_user,
            action=f"people.unlock_{kind}",
            target=target,
            before={column: key, "failed_attempts": failures},
            after={column: key, "failed_attempts": 0},
        )
        attempts.delete()
    return len(rows)
