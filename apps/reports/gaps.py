"""Where each text a version shows in Arabic instead of another language can be
translated: the side-by-side editor of ``apps.translations`` for the row the text was
captured from (the snapshot's commitment titles and activities, the commitment's texts,
the institutions, the plan), the report's own form for the lessons learned.

:func:`apps.reports.document.untranslated` says *which* texts fall back; this module only
finds their source rows, in a fixed number of queries, and groups the places that show
the same text (an unfinished activity is both a next step and a row of the annex).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from apps.committees.models import SnapshotRow
from apps.plans.models import Commitment
from apps.reports.document import Gap
from apps.reports.models import ReportVersion
from apps.translations.registry import kind_of

# The report's field → the commitment's column it was captured from (document.capture).
COMMITMENT_FIELDS = {"problem": "problem", "description": "summary", "results": "expected_results"}


@dataclass
class GapEntry:
    """One text to translate, the places of the report that show it, and where to
    translate it (empty when nothing on the platform edits it)."""

    source: str
    places: list[str] = field(default_factory=list)
    link: str = ""

    @property
    def where(self) -> str:
        """The places, as a list in the reader's language ("؛" in Arabic)."""
        return f"{pgettext('list separator', ';')} ".join(self.places)


def place_label(gap: Gap) -> str:
    names = {
        "title": _("Title"),
        "member": _("OGP member"),
        "lead": _("Lead institution"),
        "supporting": _("Supporting institutions"),
        "problem": _("Problem addressed"),
        "description": _("Description"),
        "results": _("Results"),
        "next_steps": _("Next steps"),
    }
    if gap.part == "plan":
        return f"{_('Plan')} — {names.get(gap.field, gap.field)}"
    if gap.part == "commitment":
        return _("Commitment %(number)s — %(field)s") % {
            "number": gap.number,
            "field": names.get(gap.field, gap.field),
        }
    if gap.part == "annex":
        return _("Annex: activities — commitment %(number)s") % {"number": gap.number}
    return _("Lessons learned")


def _arabic(obj: Any, name: str) -> str:
    return str(getattr(obj, f"{name}_ar", "") or "")


def _editor(kind: str, pk: int | None, name: str, language: str) -> str:
    if pk is None or kind_of(kind) is None:
        return ""
    url = reverse("translations:edit", args=[kind, pk])
    return f"{url}?{urlencode({'language': language})}#{name}"


def gap_entries(
    version: ReportVersion, gaps: list[Gap], language: str, *, plan_id: int
) -> list[GapEntry]:
    """The gaps of ``version`` in ``language``, one entry per text, with the link to the
    editor of the row it comes from (four queries, whatever the number of gaps)."""
    if not gaps:
        return []
    rows = {
        r.number: r
        for r in SnapshotRow.objects.filter(snapshot_id=version.snapshot_id).prefetch_related(
            "activities"
        )
    }
    commitments = {
        c.pk: c
        for c in Commitment.objects.filter(
            pk__in=[r.commitment_id for r in rows.values() if r.commitment_id]
        )
        .select_related("lead_institution")
        .prefetch_related("supporting_institutions")
    }
    entries: dict[tuple[str, ...], GapEntry] = {}
    for gap in gaps:
        link = _link(gap, rows, commitments, language, plan_id=plan_id, cycle_id=version.cycle_id)
        key = (link,) if link else (gap.part, gap.field, gap.source)
        entry = entries.setdefault(key, GapEntry(source=gap.source, link=link))
        entry.places.append(place_label(gap))
    return list(entries.values())


def _link(
    gap: Gap,
    rows: dict[int, SnapshotRow],
    commitments: dict[int, Commitment],
    language: str,
    *,
    plan_id: int,
    cycle_id: int,
) -> str:
    if gap.part == "plan":
        return _editor("plans.actionplan", plan_id, gap.field, language)
    if gap.part == "lessons":
        return reverse("report_edit", args=[cycle_id])
    row = rows.get(gap.number or 0)
    if row is None:
        return ""
    if gap.part == "annex" or gap.field == "next_steps":
        found = next((a for a in row.activities.all() if _arabic(a, "title") == gap.source), None)
        pk = found.pk if found else None
        return _editor("committees.snapshotactivity", pk, "title", language)
    if gap.field == "title":
        return _editor("committees.snapshotrow", row.pk, "title", language)
    commitment = commitments.get(row.commitment_id or 0)
    if commitment is None:
        return ""
    if gap.field in COMMITMENT_FIELDS:
        name = COMMITMENT_FIELDS[gap.field]
        return _editor("plans.commitment", commitment.pk, name, language)
    institutions: list[Any] = [commitment.lead_institution] if gap.field == "lead" else []
    if gap.field == "supporting":
        institutions = list(commitment.supporting_institutions.all())
    same = [i for i in institutions if i is not None and _arabic(i, "name") == gap.source]
    return _editor("accounts.institution", same[0].pk if same else None, "name", language)
