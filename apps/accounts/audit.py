"""The audit rows of what happens to an account outside the platform's own actions:
signing in and out, failed sign-ins, passwords changed, set and reset (never the
password), e-mail addresses added, confirmed, made primary and removed, two-factor
authenticators added, removed and reset. django-allauth and Django send the signals;
``AccountsConfig.ready`` connects them."""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from apps.core.models import AuditLog


def _actor(request: Any, user: Any) -> Any:
    """Who acted: the signed-in person of the request, else the account itself."""
    acting = getattr(request, "user", None)
    return acting if getattr(acting, "is_authenticated", False) else user


def _address(request: Any) -> str:
    return (getattr(request, "META", None) or {}).get("REMOTE_ADDR", "") if request else ""


def signed_in(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    AuditLog.record(
        actor=user, action="accounts.sign_in", target=user, after={"ip": _address(request)}
    )


def signed_out(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if user is not None and user.pk is not None:
        AuditLog.record(actor=user, action="accounts.sign_out", target=user)


def sign_in_failed(sender: Any, credentials: dict[str, Any], request: Any = None, **_: Any) -> None:
    """A wrong password for an existing account (an unknown name leaves no row: the
    audit trail is no list of what strangers typed)."""
    from apps.accounts.models import User

    login = str(credentials.get("username") or credentials.get("email") or "")[:254]
    if not login:
        return
    user = User.objects.filter(Q(username=login) | Q(email__iexact=login)).first()
    if user is not None:
        AuditLog.record(
            actor=None,
            action="accounts.sign_in_failed",
            target=user,
            after={"ip": _address(request)},
        )


def _password(action: str) -> Any:
    def receiver(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
        AuditLog.record(actor=_actor(request, user), action=action, target=user)

    return receiver


def email_added(sender: Any, request: Any, user: Any, email_address: Any, **_: Any) -> None:
    AuditLog.record(
        actor=_actor(request, user),
        action="accounts.add_email",
        target=user,
        after={"email": email_address.email},
    )


def email_confirmed(sender: Any, request: Any, email_address: Any, **_: Any) -> None:
    user = email_address.user
    AuditLog.record(
        actor=_actor(request, user),
        action="accounts.confirm_email",
        target=user,
        after={"email": email_address.email},
    )


def email_changed(
    sender: Any, request: Any, user: Any, from_email_address: Any, to_email_address: Any, **_: Any
) -> None:
    AuditLog.record(
        actor=_actor(request, user),
        action="accounts.change_email",
        target=user,
        before={"email": from_email_address.email if from_email_address else ""},
        after={"email": to_email_address.email},
    )


def email_removed(sender: Any, request: Any, user: Any, email_address: Any, **_: Any) -> None:
    AuditLog.record(
        actor=_actor(request, user),
        action="accounts.remove_email",
        target=user,
        before={"email": email_address.email},
    )


def _authenticator(action: str) -> Any:
    def receiver(sender: Any, request: Any, user: Any, authenticator: Any, **_: Any) -> None:
        AuditLog.record(
            actor=_actor(request, user),
            action=action,
            target=user,
            after={"type": authenticator.type},
        )

    return receiver


def connect() -> None:
    from allauth.account import signals as account
    from allauth.mfa import signals as mfa
    from django.contrib.auth import signals as auth

    uid = "accounts_audit_"
    auth.user_logged_in.connect(signed_in, dispatch_uid=uid + "in")
    auth.user_logged_out.connect(signed_out, dispatch_uid=uid + "out")
    auth.user_login_failed.connect(sign_in_failed, dispatch_uid=uid + "failed")
    for signal, action in (
        (account.password_changed, "accounts.change_password"),
        (account.password_set, "accounts.set_password"),
        (account.password_reset, "accounts.reset_password"),
    ):
        signal.connect(_password(action), dispatch_uid=uid + action, weak=False)
    account.email_added.connect(email_added, dispatch_uid=uid + "email_added")
    account.email_confirmed.connect(email_confirmed, dispatch_uid=uid + "email_confirmed")
    account.email_changed.connect(email_changed, dispatch_uid=uid + "email_changed")
    account.email_removed.connect(email_removed, dispatch_uid=uid + "email_removed")
    for signal, action in (
        (mfa.authenticator_added, "accounts.add_authenticator"),
        (mfa.authenticator_removed, "accounts.remove_authenticator"),
        (mfa.authenticator_reset, "accounts.reset_authenticator"),
    ):
        signal.connect(_authenticator(action), dispatch_uid=uid + action, weak=False)
