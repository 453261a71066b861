"""Every message of the committees catalog is translated in Arabic, French and English."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

LOCALE = Path(__file__).resolve().parents[1] / "locale"


def entries(path: Path) -> list[tuple[str, str]]:
    text = path.read_text(encoding="utf-8")
    result = []
    for block in text.split("\n\n")[1:]:
        msgid = "".join(re.findall(r'^(?:msgid )?"(.*)"$', block.split("msgstr")[0], re.M))
        msgstr = "".join(re.findall(r"^\s*\"(.*)\"$", block.split("msgstr", 1)[1], re.M))
        result.append((msgid, msgstr))
    return result


@pytest.mark.parametrize("lang", ["ar", "fr", "en"])
def test_every_message_is_translated(lang):
    found = entries(LOCALE / lang / "LC_MESSAGES" / "django.po")
    assert len(found) > 200
    assert [msgid for msgid, msgstr in found if not msgstr] == []


def test_the_minutes_use_the_seeds_wording():
    from django.utils import translation
    from django.utils.translation import gettext, pgettext

    with translation.override("ar"):
        assert gettext("Pending activities") == "الأنشطة الغير منجزة"
        assert (
            gettext("Bodies that did not attend the meeting:")
            == "الهيئات التي لم تشارك في الاجتماع:"
        )
        assert pgettext("honorific", "Ms") == "السيدة"
        assert gettext("%(person)s (remote participation)") % {"person": "x"} == "x (مشاركة عن بعد)"
