"""Sections added to the report by the apps above (``apps/reports/extensions.py``):
kept in the version's content, rendered after the introduction, listed by the diff."""

from __future__ import annotations

import pytest

from apps.reports import actions
from apps.reports.document import build_report, diff
from apps.reports.extensions import SECTION_PROVIDERS, register_section
from apps.reports.render import render_body

pytestmark = pytest.mark.django_db

SAID = {"value": "4"}


def _provider(plan, at):
    return {
        "title": {"ar": "قسم مضاف", "fr": "Section ajoutée", "en": "Added section"},
        "facts": [[{"ar": "عدد", "fr": "Nombre", "en": "Count"}, SAID["value"]]],
        "tables": [
            {
                "title": {"ar": "جدول", "fr": "Tableau", "en": "Table"},
                "header": [{"ar": "اسم", "fr": "Nom", "en": "Name"}],
                "rows": [[{"ar": "الرباط", "fr": "", "en": "Rabat"}]],
            }
        ],
    }


@pytest.fixture
def added():
    register_section("test", _provider)
    yield
    SECTION_PROVIDERS.pop("test", None)
    SAID["value"] = "4"


def _generate(cycle, secretariat):
    job = actions.do_request_generation(cycle, acting_user=secretariat, enqueue=False)
    return actions.run_generation(job.pk)


def test_an_added_section_is_kept_rendered_and_compared(demo_cycle, secretariat, added):
    first = _generate(demo_cycle, secretariat)
    assert first.content["schema"] == 2
    assert first.content["sections"]["test"] == _provider(None, None)
    body = render_body(build_report(first.content, "fr"))
    assert body.index("Section ajoutée") < body.index("Participation pendant la mise en œuvre")
    # French missing: the Arabic stands in, marked as Arabic.
    assert '<span lang="ar" dir="rtl">الرباط</span>' in body

    SAID["value"] = "5"
    second = _generate(demo_cycle, secretariat)
    assert first.content["sections"]["test"]["facts"][0][1] == "4"  # the kept version
    assert diff(first.content, second.content, "en") == ["Section changed: Added section"]
    assert diff(first.content, second.content, "ar") == ["تغيّر القسم: قسم مضاف"]

    # A version captured before sections existed builds, and compares with a new one.
    old = {k: v for k, v in first.content.items() if k != "sections"} | {"schema": 1}
    assert build_report(old, "en").sections == []
    assert "Section changed: Added section" in diff(old, second.content, "en")
