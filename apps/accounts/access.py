"""What a signed-in person may do, loaded with the person in ONE query.

Every signed-in page needs the person (from the session), their roles and model
permissions (menus, ``has_perm``), and facts other apps keep of them: the commitments a
focal point answers for now, whether they chair the steering committee, whether they
must use a second factor and have one. Asked one by one, that was up to five queries
before the page asked anything of its own. Here each
is a scalar subquery of the person's row (:func:`access_columns`):

- the authentication backend (:class:`apps.accounts.backends.AuthenticationBackend`)
  loads the signed-in person with them (:func:`load_person`);
- :meth:`apps.accounts.models.User._load_access` asks for the roles and permissions in
  one query when the person was loaded otherwise (a list of people, a test); their
  facts are then asked by the rules that read them, when they do.

An app registers what it knows of a person in its ``AppConfig.ready`` with
:func:`register_fact`: the attribute its rules read on the user, the rows that make
it (filtered on the person's ``OuterRef("pk")``), the column to read and how to read
it. Its
rules keep their own query for a user whose fact is not loaded (or was dropped after
a change), so a fact is a shortcut, never a second definition.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.db.models import F, Func, OuterRef, QuerySet, Subquery, TextField, Value
from django.db.models.functions import Cast, Concat

# Between two values of one column; never in a role's name, a permission or a number.
SEPARATOR = "\x1f"


class Joined(Func):
    """The values of a subquery's one column joined in one string (``NULL`` for none):
    an aggregate over the whole subquery, so no ``GROUP BY`` is added."""

    function = "GROUP_CONCAT"
    output_field = TextField()

    def __init__(self, expression: Any) -> None:
        super().__init__(Cast(expression, TextField()), Value(SEPARATOR))

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return self.as_sql(compiler, connection, function="STRING_AGG", **extra)


def joined(rows: QuerySet[Any], column: Any) -> Subquery:
    """A scalar subquery: ``column`` of every row of ``rows``, joined."""
    return Subquery(rows.order_by().annotate(joined=Joined(column)).values("joined"))


def split(value: str | None) -> list[str]:
    return value.split(SEPARATOR) if value else []


@dataclass(frozen=True)
class Fact:
    """What an app knows of a person: ``rows()`` gives the rows filtered on the person
    (``OuterRef("pk")``), or ``None`` when the app has nothing to say; ``read`` turns
    their ``column`` (as strings) into what is kept as ``attribute``."""

    attribute: str
    rows: Callable[[], QuerySet[Any] | None]
    read: Callable[[list[str]], Any]
    column: str = "pk"


FACTS: list[Fact] = []


def register_fact(
    attribute: str,
    rows: Callable[[], QuerySet[Any] | None],
    read: Callable[[list[str]], Any],
    column: str = "pk",
) -> None:
    """Load ``attribute`` with every signed-in person (see the module's docstring)."""
    if all(f.attribute != attribute for f in FACTS):
        FACTS.append(Fact(attribute, rows, read, column))


def access_columns(*, facts: bool = True) -> dict[str, Subquery]:
    """The person's roles, permissions (their own and their groups') and, with
    ``facts``, the registered facts: each a column of the person's row."""
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    me = OuterRef("pk")
    name = Concat(F("content_type__app_label"), Value("."), F("codename"), output_field=TextField())
    columns = {
        "access_roles": joined(Group.objects.filter(user=me), F("name")),
        "access_perms": joined(Permission.objects.filter(user=me), name),
        "access_group_perms": joined(Permission.objects.filter(group__user=me), name),
    }
    for number, fact in enumerate(FACTS if facts else ()):
        rows = fact.rows()
        if rows is not None:
            columns[f"access_fact_{number}"] = joined(rows, F(fact.column))
    return columns


def apply_access(user: Any, values: Mapping[str, Any]) -> None:
    """Keep on ``user`` what :func:`access_columns` read: the roles, the model
    permissions Django's ``ModelBackend`` reads from ``_perm_cache`` (a superuser's,
    every permission, are left to Django), and each fact's attribute."""
    user._role_names = set(split(values["access_roles"]))
    if user.is_active and not user.is_superuser:
        user._perm_cache = {*split(values["access_perms"]), *split(values["access_group_perms"])}
    for number, fact in enumerate(FACTS):
        key = f"access_fact_{number}"
        if key in values:
            setattr(user, fact.attribute, fact.read(split(values[key])))


def load_person(pk: Any) -> Any:
    """The person with primary key ``pk`` and their access (one query), or ``None``."""
    User = apps.get_model("accounts", "User")
    columns = access_columns()
    person = User._default_manager.annotate(**columns).filter(pk=pk).first()
    if person is not None:
        apply_access(person, {key: person.__dict__.pop(key) for key in columns})
    return person


def known(user: Any, attribute: str, compute: Callable[[], Any]) -> Any:
    """The fact ``attribute`` of ``user``: as loaded with them, or computed now (and
    kept for the rest of the request)."""
    if not hasattr(user, attribute):
        setattr(user, attribute, compute())
    return getattr(user, attribute)


def forget(user: Any) -> None:
    """Drop what was kept on ``user`` (after their roles or facts changed)."""
    for attribute in (
        "_role_names",
        "_perm_cache",
        "_user_perm_cache",
        "_group_perm_cache",
        *(f.attribute for f in FACTS),
    ):
        user.__dict__.pop(attribute, None)
