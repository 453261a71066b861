"""The public figures of a process: participants, proposals per theme and region,
supports, decisions; and the bars of their charts (drawn as SVG by the template,
mirrored in Arabic). Every figure is a database aggregate: a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, Sum

from apps.cocreation.models import (
    LISTED,
    Comment,
    MeetingRegistration,
    Process,
    Proposal,
    ProposalStatus,
    Region,
    Support,
    Theme,
)
from apps.core.content import localized

# The chart's drawing, in SVG user units: labels on the start side, bars after them.
WIDTH = 600
LABELS = 200
BAR_MAX = 320
ROW = 28


@dataclass
class Bar:
    label: str
    value: int
    share: float  # of the longest bar, 0–100

    def drawn(self, row: int, rtl: bool) -> dict[str, Any]:
        """Coordinates of the label, the bar and the value. In Arabic (``rtl``) the
        chart is mirrored: labels on the right, bars growing leftwards."""
        width = BAR_MAX * self.share / 100
        if rtl:
            start = WIDTH - LABELS - 10
            at = {
                "label_x": WIDTH - 4,
                "bar_x": start - width,
                "value_x": start - width - 6,
                "value_anchor": "end",
            }
        else:
            at = {
                "label_x": LABELS,
                "bar_x": LABELS + 10,
                "value_x": LABELS + 16 + width,
                "value_anchor": "start",
            }
        # Strings, not numbers: a template would print 210,5 in French.
        return {
            **{k: (f"{v:.1f}" if isinstance(v, float | int) else v) for k, v in at.items()},
            "y": str(row * ROW),
            "width": f"{width:.1f}",
            # In Arabic the label reads right to left from the right edge (its ellipsis
            # at its end, on the left).
            "label_anchor": "start" if rtl else "end",
            "label_direction": "rtl" if rtl else "ltr",
        }


@dataclass
class Chart:
    key: str
    title: str
    bars: list[Bar]

    rtl: bool = False

    @property
    def height(self) -> int:
        return ROW * len(self.bars) + 8

    @property
    def rows(self) -> list[tuple[Bar, dict[str, Any]]]:
        return [(bar, bar.drawn(i, self.rtl)) for i, bar in enumerate(self.bars)]


def _bars(rows: list[tuple[str, int]]) -> list[Bar]:
    top = max((value for _label, value in rows), default=0) or 1
    return [Bar(label, value, round(100 * value / top, 1)) for label, value in rows]


def process_statistics(process: Process) -> dict[str, Any]:
    from django.utils.translation import get_language_bidi
    from django.utils.translation import gettext as _

    rtl = get_language_bidi()
    proposals = Proposal.objects.filter(process=process, status__in=LISTED)
    totals = proposals.aggregate(
        count=Count("pk"),
        supports=Sum("supports_count"),
        accepted=Count("pk", filter=Q(status=ProposalStatus.ACCEPTED)),
        merged=Count("pk", filter=Q(status=ProposalStatus.MERGED)),
        rejected=Count("pk", filter=Q(status=ProposalStatus.REJECTED)),
        retained=Count("pk", filter=Q(status=ProposalStatus.RETAINED)),
        submitted=Count("pk", filter=Q(status=ProposalStatus.SUBMITTED)),
    )
    # Participants: every account that proposed, commented or supported, or registered
    # to a meeting of the process, once (a UNION in the database, not sets in Python:
    # half a million supports), and every registration made without an account.
    registrations = MeetingRegistration.objects.filter(meeting__process=process)
    accounts = (
        Proposal.objects.filter(process=process)
        .exclude(author=None)
        .order_by()
        .values("author_id")
        .union(
            Comment.objects.filter(proposal__process=process)
            .exclude(author=None)
            .order_by()
            .values("author_id"),
            Support.objects.filter(proposal__process=process).order_by().values("account_id"),
            registrations.exclude(account=None).order_by().values("account_id"),
        )
    )
    participants = accounts.count() + registrations.filter(account=None).count()

    themes = {t.pk: t for t in Theme.objects.filter(process=process)}
    by_theme: dict[int | None, int] = dict(
        proposals.values_list("theme").annotate(n=Count("pk")).values_list("theme", "n")
    )
    regions = {r.pk: r for r in Region.objects.all()}
    by_region: dict[int | None, int] = dict(
        proposals.values_list("region").annotate(n=Count("pk")).values_list("region", "n")
    )
    theme_rows = [
        (str(localized(theme, "title")), by_theme.get(pk, 0))
        for pk, theme in sorted(themes.items(), key=lambda kv: (kv[1].order, kv[0]))
    ]
    if by_theme.get(None):
        theme_rows.append((_("No theme"), by_theme[None]))
    region_rows = [
        (str(localized(region, "name")), by_region[pk])
        for pk, region in regions.items()
        if by_region.get(pk)
    ]
    if by_region.get(None):
        region_rows.append((_("No region given"), by_region[None]))
    status_rows = [
        (str(label), totals[value] or 0)
        for value, label in ProposalStatus.choices
        if value in LISTED
    ]
    return {
        "participants": participants,
        "proposals": totals["count"] or 0,
        "supports": totals["supports"] or 0,
        "accepted": totals["accepted"] or 0,
        "merged": totals["merged"] or 0,
        "rejected": totals["rejected"] or 0,
        "charts": [
            Chart("themes", _("Proposals per theme"), _bars(theme_rows), rtl),
            Chart("regions", _("Proposals per region"), _bars(region_rows), rtl),
            Chart("statuses", _("Proposals by outcome"), _bars(status_rows), rtl),
        ],
    }
