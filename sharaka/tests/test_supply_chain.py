"""Supply chain: every dependency pinned to one version with its hashes and installed
that way, and the security rules (ruff's port of bandit) on, each exception explained."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _requirements() -> list[tuple[str, list[str]]]:
    """(requirement line, its hash lines) for each package of the lock."""
    entries: list[tuple[str, list[str]]] = []
    for line in (ROOT / "requirements.lock").read_text().splitlines():
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        if line.startswith((" ", "\t")):
            if stripped.startswith("--hash="):
                entries[-1][1].append(stripped)
            continue
        entries.append((stripped.rstrip(" \\"), []))
    return entries


def test_every_dependency_is_pinned_with_its_hashes():
    entries = _requirements()
    assert len(entries) > 50
    for requirement, hashes in entries:
        assert re.fullmatch(r"[A-Za-z0-9_.\-\[\]]+==[A-Za-z0-9_.+!]+( ; .+)?", requirement), (
            requirement
        )
        assert hashes and all(h.startswith("--hash=sha256:") for h in hashes), requirement
    names = {requirement.split("==")[0].lower() for requirement, _ in entries}
    assert {"django", "django-allauth", "django-axes"} <= names


def test_the_bootstrap_installs_only_what_the_hashes_allow():
    bootstrap = (ROOT / "scripts" / "bootstrap.sh").read_text()
    installs = [
        line for line in bootstrap.splitlines() if "requirements.lock" in line and "pip" in line
    ]
    assert installs and all("--require-hashes" in line for line in installs)


def test_the_security_rules_are_on_and_every_exception_says_why():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["ruff"]["lint"]
    assert "S" in config["select"]
    unexplained = []
    for path in [*ROOT.glob("apps/**/*.py"), *ROOT.glob("sharaka/**/*.py")]:
        if "tests" in path.parts:
            continue  # the tests' exceptions are explained once, in pyproject.toml
        for number, line in enumerate(path.read_text().splitlines(), 1):
            match = re.search(r"#\s*noqa:([^#]*\bS\d{3}\b[^#]*)", line)
            if match and not re.search(r"S\d{3}\s*[-—–:]\s*\w", match.group(1)):
                unexplained.append(f"{path.relative_to(ROOT)}:{number}")
    assert not unexplained, unexplained
