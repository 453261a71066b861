"""The code is shaped as docs/architecture.md says: dependencies point one way.

``settings.PROJECT_APPS`` lists the apps in order, each after the ones it builds on. An
app refers only to the apps before it: its Python modules (every ``import``, including
imports inside functions, and dotted ``"apps.<app>."`` strings such as
``import_string`` or ``monkeypatch`` targets), its templates (``{% load %}`` of another
app's template tags, ``{% extends %}`` / ``{% include %}`` of another app's templates,
``{% url %}`` of another app's pages). Its tests too. The apps after it plug in through
registries (``apps/tracking/meetings.py``, the note providers of
``apps/committees/snapshots.py``, ``load_demo`` hooks on AppConfigs).
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

from django.conf import settings
from django.urls import URLPattern, URLResolver, get_resolver

ROOT = Path(settings.BASE_DIR)
LAYERS = [name.removeprefix("apps.") for name in settings.PROJECT_APPS]
# The project package sits above every app (its settings, URLs and site-wide tests).
PROJECT = "sharaka"
RANK = {app: rank for rank, app in enumerate([*LAYERS, PROJECT])}


def _app_of_path(path: Path) -> str:
    return path.relative_to(ROOT / "apps").parts[0]


def _python_files() -> Iterator[Path]:
    for app in LAYERS:
        yield from sorted((ROOT / "apps" / app).rglob("*.py"))


def _template_files() -> Iterator[Path]:
    for app in LAYERS:
        for path in sorted((ROOT / "apps" / app).rglob("templates/**/*")):
            if path.is_file() and path.suffix in {".html", ".txt", ".xml"}:
                yield path


DOTTED = re.compile(r"^apps\.(\w+)(\.|$)")


def python_references(path: Path) -> set[str]:
    """The apps a module refers to by import or dotted string."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module] + [f"{node.module}.{alias.name}" for alias in node.names]
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            names = [node.value]
        for name in names:
            match = DOTTED.match(name)
            if match and match.group(1) in RANK:
                found.add(match.group(1))
            if not isinstance(node, ast.Constant) and name.split(".")[0] == PROJECT:
                found.add(PROJECT)
    return found


def _template_libraries() -> dict[str, str]:
    return {
        module.stem: _app_of_path(module)
        for app in LAYERS
        for module in (ROOT / "apps" / app / "templatetags").glob("*.py")
        if module.stem != "__init__"
    }


def _template_dirs() -> dict[str, str]:
    """First folder of a template name → the app whose templates/ holds it."""
    return {
        folder.name: app
        for app in LAYERS
        for folder in (ROOT / "apps" / app / "templates").glob("*")
        if folder.is_dir()
    }


def _url_names(resolver: URLResolver, ns: str = "") -> Iterator[tuple[str, str]]:
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            yield from _url_names(entry, f"{ns}{entry.namespace}:" if entry.namespace else ns)
        elif isinstance(entry, URLPattern) and entry.name:
            module = getattr(entry.callback, "__module__", "") or ""
            match = DOTTED.match(module)
            if match and match.group(1) in RANK:
                yield f"{ns}{entry.name}", match.group(1)


LOAD = re.compile(r"{%\s*load\s+([^%]+?)\s*%}")
TEMPLATE_NAME = re.compile(r"{%\s*(?:extends|include)\s+[\"']([^\"'/]+)/")
URL_NAME = re.compile(r"{%\s*url\s+[\"']([^\"']+)[\"']")


def template_references(path: Path) -> set[str]:
    text = path.read_text()
    libraries, folders = _template_libraries(), _template_dirs()
    urls = dict(_url_names(get_resolver()))
    found: set[str] = set()
    for match in LOAD.finditer(text):
        words = match.group(1).split()
        if "from" in words:  # {% load a b from library %}
            words = words[words.index("from") + 1 :]
        found |= {libraries[w] for w in words if w in libraries}
    found |= {folders[m.group(1)] for m in TEMPLATE_NAME.finditer(text) if m.group(1) in folders}
    found |= {urls[m.group(1)] for m in URL_NAME.finditer(text) if m.group(1) in urls}
    return found


def upward_references() -> set[tuple[str, str]]:
    """(file, app above the file's app) for every reference that points up."""
    found = set()
    files = [(p, python_references) for p in _python_files()]
    files += [(p, template_references) for p in _template_files()]
    for path, references in files:
        app = _app_of_path(path)
        for other in references(path):
            if RANK[other] > RANK[app]:
                found.add((str(path.relative_to(ROOT)), other))
    return found


def test_the_project_apps_are_the_installed_apps_in_order():
    installed = [name for name in settings.INSTALLED_APPS if name.startswith("apps.")]
    assert installed == settings.PROJECT_APPS
    assert sorted(p.name for p in (ROOT / "apps").iterdir() if (p / "apps.py").exists()) == (
        sorted(LAYERS)
    )


def test_no_app_refers_to_an_app_above_it():
    assert upward_references() == set()


def test_it_sees_an_import_hidden_in_a_function(tmp_path):
    module = tmp_path / "m.py"
    module.write_text(
        "def f():\n"
        "    from apps.committees.demo import load_committee_demo\n"
        "    import apps.tracking.staleness\n"
        "    from sharaka.tests.test_robustness import FormReader\n"
        "    return 'apps.nowhere.x', 'sharaka.example.org'\n"
    )
    assert python_references(module) == {"committees", "tracking", "sharaka"}


def test_it_sees_a_template_reaching_up(tmp_path):
    template = tmp_path / "t.html"
    template.write_text(
        '{% load i18n tracking %}{% include "committees/_meeting_table.html" %}'
        "{% url 'tracking:queue' %}"
    )
    assert template_references(template) == {"tracking", "committees"}


STATUS_LITERAL_IN_TEMPLATE = re.compile(
    r"""(status\s*(==|!=)\s*["'])|(["']\s*(==|!=)\s*\S*status\b)"""
)


def _is_status(node: ast.AST) -> bool:
    name = node.attr if isinstance(node, ast.Attribute) else getattr(node, "id", "")
    return str(name).endswith("status")


def _strings(node: ast.AST) -> bool:
    if isinstance(node, ast.Constant):
        return isinstance(node.value, str)
    if isinstance(node, ast.List | ast.Tuple | ast.Set):
        return any(_strings(e) for e in node.elts)
    return False


def status_literals(path: Path) -> list[int]:
    """Lines of a module comparing a status with a string literal, or filtering on one
    (``obj.status == "validated"``, ``Q(status="remote")``)."""
    lines = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Compare):
            sides = [node.left, *node.comparators]
            if any(_is_status(s) for s in sides) and any(_strings(s) for s in sides):
                lines.append(node.lineno)
        elif isinstance(node, ast.keyword) and node.arg:
            field = node.arg.removesuffix("__in")
            if field.endswith("status") and _strings(node.value):
                lines.append(node.value.lineno)
    return lines


def test_statuses_are_enums_not_literals():
    """Rules, views and templates name a status by its TextChoices member (or a property
    such as ``update.is_draft``), never by its string."""
    found = []
    for path in _python_files():
        if "migrations" in path.parts or "tests" in path.parts:
            continue
        found += [f"{path.relative_to(ROOT)}:{line}" for line in status_literals(path)]
    for path in [*_template_files(), *sorted((ROOT / "templates").rglob("*.html"))]:
        for number, line in enumerate(path.read_text().splitlines(), 1):
            if STATUS_LITERAL_IN_TEMPLATE.search(line):
                found.append(f"{path.relative_to(ROOT)}:{number}")
    assert found == []


def test_it_sees_a_status_literal(tmp_path):
    module = tmp_path / "m.py"
    module.write_text(
        "ok = update.status == UpdateStatus.DRAFT\n"
        "bad = obj.status == 'validated'\n"
        "q = Q(attendances__status='remote')\n"
        "r = Q(status__in=['draft', 'returned'])\n"
    )
    assert status_literals(module) == [2, 3, 4]
    assert STATUS_LITERAL_IN_TEMPLATE.search('{% if update.status == "draft" %}')
    assert not STATUS_LITERAL_IN_TEMPLATE.search("{% if update.is_draft %}")


PERMISSION_NAME = re.compile(r"`([a-z_]+(?:\.[a-z_]+)?)`")


def test_every_registered_permission_is_in_the_permissions_page():
    from rules.permissions import permissions

    documented = set(PERMISSION_NAME.findall((ROOT / "docs" / "permissions.md").read_text()))
    assert set(permissions) - documented == set()


def test_the_permissions_page_names_no_permission_that_does_not_exist():
    from rules.permissions import permissions

    text = (ROOT / "docs" / "permissions.md").read_text()
    named = {
        name for name in PERMISSION_NAME.findall(text) if "." in name and name.split(".")[0] in RANK
    }
    assert named - set(permissions) == set()
