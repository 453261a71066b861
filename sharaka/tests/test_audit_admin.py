"""Every model the administration can change leaves an audit row when it is changed or
deleted there: the walk reads the admin's registry, so a model registered tomorrow is
walked too (docs/architecture.md, "What is audited")."""

from __future__ import annotations

from html.parser import HTMLParser
from typing import Any

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.usersessions.models import UserSession
from django.contrib import admin
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command
from django.db import models
from django.test import RequestFactory

from apps.core.models import AuditLog

pytestmark = pytest.mark.django_db


class AdminFormReader(HTMLParser):
    """What a browser posts for the page's main form, exactly as shown."""

    def __init__(self) -> None:
        super().__init__()
        self.data: dict[str, list[str]] = {}
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        name = a.get("name", "")
        if tag == "input" and name and a.get("type") not in ("submit", "button", "file"):
            if a.get("type") in ("checkbox", "radio") and "checked" not in a:
                return
            default = "on" if a.get("type") in ("checkbox", "radio") else ""
            self.data.setdefault(name, []).append(a.get("value", default))
        elif tag == "select" and name:
            self._select = name
            self.data.setdefault(name, [])
        elif tag == "option" and self._select and "selected" in a:
            self.data[self._select].append(a.get("value", ""))
        elif tag == "textarea" and name:
            self._textarea = name
            self.data[name] = [""]

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data: str) -> None:
        if self._textarea:
            self.data[self._textarea][0] += data


def _read(html: str) -> dict[str, list[str]]:
    reader = AdminFormReader()
    reader.feed(html)
    # A textarea's first newline is the markup's, not the value's.
    return {k: [v[1:] if v.startswith("\n") else v for v in vs] for k, vs in reader.data.items()}


def _text_field(model: type[models.Model], data: dict[str, list[str]]) -> str | None:
    """A text field of the model that the change form posts, to change."""
    for field in model._meta.concrete_fields:
        if (
            isinstance(field, models.CharField | models.TextField)
            and not field.choices
            and field.name in data
            and field.name not in ("password", "username", "email", "slug")
            and not isinstance(field, models.EmailField | models.SlugField | models.URLField)
        ):
            return field.name
    return None


@pytest.fixture
def every_kind(db, superuser, focal_point_a, settings, tmp_path):
    """The demo, and one of each account record the demo does not hold."""
    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("load_demo", "--no-admin", verbosity=0)
    from apps.exchange.models import OpenDataSettings
    from apps.plans.models import Tag
    from apps.tracking.models import Reminder

    group = Group.objects.create(name="Readers")
    group.permissions.add(Permission.objects.get(codename="view_meeting"))
    EmailAddress.objects.create(user=focal_point_a, email="focal@example.org", verified=True)
    Authenticator.objects.create(
        user=focal_point_a, type=Authenticator.Type.RECOVERY_CODES, data={"seed": "x"}
    )
    UserSession.objects.create(
        user=focal_point_a,
        session_key="k" * 32,
        ip="192.0.2.1",
        user_agent="Firefox",
        data={"walk": 1},
    )
    Tag.objects.create(name_ar="النزاهة", name_en="Integrity", slug="integrity")
    Reminder.objects.create(recipient=focal_point_a, period="2023-01")
    OpenDataSettings.objects.get_or_create(
        defaults={
            "licence_name": "ODbL",
            "licence_title": "Licence",
            "licence_url": "https://opendatacommons.org/licenses/odbl/",
        }
    )


def _errors(response: Any) -> list[str]:
    import re

    return re.findall(r'class="errorlist[^"]*"[^>]*>(.*?)</ul>', response.content.decode(), re.S)


def _request(user: Any) -> Any:
    request = RequestFactory().get("/")
    request.user = user
    return request


def _url(model: type[models.Model], pk: Any, what: str) -> str:
    return f"/en/admin/{model._meta.app_label}/{model._meta.model_name}/{pk}/{what}/"


def test_it_audits_every_change_and_delete_made_in_the_administration(
    client, superuser, every_kind
):
    client.force_login(superuser)
    request = _request(superuser)
    registry = [(m, a) for m, a in admin.site._registry.items() if m is not AuditLog]
    changed, deleted = [], []
    for model, model_admin in registry:
        if not (
            model_admin.has_change_permission(request) or model_admin.has_delete_permission(request)
        ):
            continue  # read only (the task results)
        obj = model._default_manager.order_by("pk").last()
        assert obj is not None, f"nothing to walk for {model._meta.label}"
        if not model_admin.has_change_permission(request, obj):
            continue
        page = client.get(_url(model, obj.pk, "change"))
        assert page.status_code == 200, model._meta.label
        data = _read(page.content.decode())
        name = _text_field(model, data)
        if name is None:
            continue
        limit = model._meta.get_field(name).max_length or 1000
        data[name] = [(data[name][0] + " (revised)")[-limit:]]
        data["_save"] = ["Save"]
        response = client.post(_url(model, obj.pk, "change"), data)
        assert response.status_code == 302, (model._meta.label, _errors(response))
        row = AuditLog.objects.filter(
            target_type=model._meta.label_lower, target_id=obj.pk, after__has_key=name
        ).first()
        assert row is not None, f"{model._meta.label}: no audit row for {name}"
        assert row.actor == superuser
        assert row.after[name].endswith("(revised)") and name in row.before
        changed.append(model._meta.label)
    # Leaves first: a plan's deletion takes its commitments with it.
    for model, model_admin in reversed(registry):
        obj = model._default_manager.order_by("pk").last()
        if obj is None or not model_admin.has_delete_permission(request, obj):
            continue
        pk = obj.pk
        response = client.post(_url(model, pk, "delete"), {"post": "yes"})
        if response.status_code == 200 and "Cannot delete" in response.content.decode():
            continue  # protected by what refers to it (a snapshot by its report)
        assert response.status_code == 302, (model._meta.label, response.content[:3000])
        assert not model._default_manager.filter(pk=pk).exists()
        row = AuditLog.objects.get(
            target_type=model._meta.label_lower,
            target_id=pk,
            action__endswith=f"delete_{model._meta.model_name}",
        )
        assert row.before and row.actor == superuser
        assert "password" not in row.before or row.before["password"] == "***"
        deleted.append(model._meta.label)
    # What the walk reached (a model that stops being reachable fails here).
    assert {
        "accounts.User",
        "auth.Group",
        "usersessions.UserSession",
        "plans.Commitment",
        "committees.Committee",
    } <= set(changed)
    assert {
        "accounts.User",
        "auth.Group",
        "account.EmailAddress",
        "mfa.Authenticator",
        "usersessions.UserSession",
        "tracking.Reminder",
        "tracking.ProgressUpdate",
    } <= set(deleted)


def test_it_audits_the_bulk_delete_action(client, superuser, every_kind):
    client.force_login(superuser)
    sessions = list(UserSession.objects.values_list("pk", flat=True))
    response = client.post(
        "/en/admin/usersessions/usersession/",
        {"action": "delete_selected", "_selected_action": sessions, "post": "yes"},
    )
    assert response.status_code == 302
    assert not UserSession.objects.exists()
    rows = AuditLog.objects.filter(action="usersessions.delete_usersession")
    assert sorted(rows.values_list("target_id", flat=True)) == sorted(sessions)
    assert all(row.before["session_key"] == "***" for row in rows)


def test_it_audits_many_to_many_changes_and_inlines(client, superuser, every_kind):
    from apps.committees.models import Committee

    client.force_login(superuser)
    group = Group.objects.get(name="Readers")
    added = Permission.objects.get(codename="view_commitment")
    data = _read(client.get(_url(Group, group.pk, "change")).content.decode())
    data["permissions"] = [*data["permissions"], str(added.pk)]
    assert client.post(_url(Group, group.pk, "change"), data).status_code == 302
    row = AuditLog.objects.get(action="auth.change_group", target_id=group.pk)
    assert row.after["permissions"] == sorted([*row.before["permissions"], added.pk])

    committee = Committee.objects.filter(members__isnull=False).order_by("pk").first()
    assert committee is not None
    member = committee.members.order_by("pk").first()
    data = _read(client.get(_url(Committee, committee.pk, "change")).content.decode())
    key = next(k for k, v in data.items() if k.endswith("-id") and v == [str(member.pk)])
    prefix = key[: -len("-id")]
    data[f"{prefix}-name"] = ["Nadia Bennani"]
    assert client.post(_url(Committee, committee.pk, "change"), data).status_code == 302
    row = AuditLog.objects.get(action="committees.change_member", target_id=member.pk)
    assert row.after == {"name": "Nadia Bennani"} and row.actor == superuser


def test_it_audits_a_password_set_in_the_administration_without_the_password(
    client, superuser, focal_point_a
):
    client.force_login(superuser)
    response = client.post(
        f"/en/admin/accounts/user/{focal_point_a.pk}/password/",
        {"password1": "A-new-secret-42", "password2": "A-new-secret-42", "usable_password": "true"},
    )
    assert response.status_code == 302
    row = AuditLog.objects.get(action="accounts.set_password", target_id=focal_point_a.pk)
    assert row.actor == superuser and "A-new-secret-42" not in str(row.before) + str(row.after)


def test_nobody_edits_or_erases_the_audit_trail_in_the_administration(client, superuser):
    row = AuditLog.record(actor=superuser, action="core.test", target=superuser)
    client.force_login(superuser)
    assert client.post(_url(AuditLog, row.pk, "delete"), {"post": "yes"}).status_code == 403
    assert AuditLog.objects.filter(pk=row.pk).exists()
