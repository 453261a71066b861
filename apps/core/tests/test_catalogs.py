"""Every user-facing string is translated in the three catalogs."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings

CATALOGS = sorted(
    [
        *Path(settings.BASE_DIR, "locale").glob("*/LC_MESSAGES/django.po"),
        *Path(settings.BASE_DIR, "apps").glob("*/locale/*/LC_MESSAGES/django.po"),
    ]
)


def entries(path: Path) -> list[tuple[str, list[str], bool]]:
    """(msgid, msgstrs, fuzzy) for each entry of a .po file (header excluded)."""
    result = []
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        if "msgid" not in block or block.lstrip().startswith("#~"):
            continue
        fuzzy = "#, fuzzy" in block or ", fuzzy" in block
        strings: dict[str, str] = {}
        key = None
        for line in block.splitlines():
            match = re.match(r'^(msgid|msgid_plural|msgstr(?:\[\d\])?) "(.*)"$', line)
            if match:
                key = match.group(1)
                strings[key] = match.group(2)
            elif line.startswith('"') and key:
                strings[key] += line[1:-1]
        msgid = strings.get("msgid", "")
        if msgid:
            result.append((msgid, [v for k, v in strings.items() if k.startswith("msgstr")], fuzzy))
    return result


def test_there_are_catalogs_for_the_three_languages():
    languages = {p.parts[-3] for p in CATALOGS}
    assert languages == {"ar", "fr", "en"}


@pytest.mark.parametrize("path", CATALOGS, ids=lambda p: "/".join(p.parts[-5:]))
def test_every_string_is_translated(path):
    untranslated = [msgid for msgid, msgstrs, fuzzy in entries(path) if fuzzy or not all(msgstrs)]
    assert untranslated == []
