"""What other apps add to the public plan pages, from their own side.

Dependencies point one way (``plans`` ← ``tracking`` ← ``committees``): the plan and
commitment pages do not ask tracking for flags or focal points. An app with something
to say about a plan registers a *provider* when it starts (in its
``AppConfig.ready``); the page's view calls every provider once and gives the template
what they return. Templates only render: no template tag queries the database.

- :func:`register_plan_page`: ``provider(request, plan, commitments)`` for the plan page
  and the home page (``commitments`` empty there);
- :func:`register_commitment_page`: ``provider(request, commitment, activities)``;
- :func:`register_commitment_rows`: ``annotate(request, commitments)`` adds what an app
  knows of the commitment (whether the visitor follows it, the card it was drafted as)
  to the commitment page's own query of it: no query of its own;
- :func:`register_activity_rows`: ``annotate(request, commitment, activities)`` adds what
  an app computes of each activity (tracking's flags) to the commitment page's own query
  of its activities, which the providers then receive: one query for both;
- :func:`register_methodology_page`: ``provider(request)`` for the methodology page
  (how the other apps' figures and flags are computed);
- :func:`register_institution_page`: ``provider(request, institution, led)`` for an
  institution's page (``led``: the commitments it leads, with their progress).

Panels go to the slots ``main``, ``aside``, ``head`` (in the page's ``<head>``) and
``charts`` (the charts, shown before the list of commitments; see
``partials/_charts_panel.html``).

A provider returns :class:`PageExtras` and costs a fixed number of queries, whatever the
size of the plan. Without providers (plans alone), the pages show the plan as it is.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.functional import Promise
from django.utils.html import format_html_join
from django.utils.safestring import SafeString

from apps.accounts.models import Institution
from apps.plans.models import ActionPlan, Activity, Commitment


@dataclass(frozen=True)
class Panel:
    """A template the page includes in one of its slots (``main``, ``aside``, ``head``), with the
    provider's data as ``extra`` in its context."""

    template: str
    slot: str
    context: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class RowFlag:
    """A flag a provider puts on rows: its code (the ``?flag=`` value), its label and
    meaning (shown in the page's legend), and whether it singles the row out as late.
    A provider names the flags it knows (``PageExtras.flags``) and which rows carry them
    (``PageExtras.row_flags``); the plan page filters, sorts and explains its
    commitments by them without knowing what they mean."""

    code: str
    label: str | Promise
    help: str | Promise
    late: bool = False


@dataclass
class PageExtras:
    """What the providers add to a page.

    ``badges``: HTML shown next to the page's object (the commitment on its page);
    ``row_badges``: HTML shown next to each row (commitment on the plan page, activity
    on the commitment page), by primary key; ``as_of``: the date the page's figures are
    as of (the latest any provider knows: last validated update, last snapshot);
    ``panels``: templates to include; ``flags``: the flags the providers know on this
    page, in the order shown; ``row_flags``: the codes each row carries, by primary key.
    """

    badges: list[SafeString] = field(default_factory=list)
    row_badges: dict[int, list[SafeString]] = field(default_factory=dict)
    as_of: datetime.date | None = None
    panels: list[Panel] = field(default_factory=list)
    flags: list[RowFlag] = field(default_factory=list)
    row_flags: dict[int, list[str]] = field(default_factory=dict)

    def merge(self, other: PageExtras) -> None:
        self.badges += other.badges
        for pk, html in other.row_badges.items():
            self.row_badges.setdefault(pk, []).extend(html)
        known = {f.code for f in self.flags}
        self.flags += [f for f in other.flags if f.code not in known]
        for pk, codes in other.row_flags.items():
            self.row_flags.setdefault(pk, []).extend(codes)
        if other.as_of is not None and (self.as_of is None or other.as_of > self.as_of):
            self.as_of = other.as_of
        self.panels += other.panels

    # What templates read.
    def badges_html(self) -> SafeString:
        return _join(self.badges)

    def row_badges_html(self) -> dict[int, SafeString]:
        return {pk: _join(html) for pk, html in self.row_badges.items()}

    def slot(self, name: str) -> list[Panel]:
        return [p for p in self.panels if p.slot == name]

    @property
    def main_panels(self) -> list[Panel]:
        return self.slot("main")

    @property
    def aside_panels(self) -> list[Panel]:
        return self.slot("aside")

    @property
    def head_panels(self) -> list[Panel]:
        """Included in the page's ``<head>`` (a feed's ``<link rel="alternate">``)."""
        return self.slot("head")

    @property
    def chart_panels(self) -> list[Panel]:
        """The charts (``charts`` slot), in the order the providers give
        (``context["order"]``), whatever the order the apps were registered in; the
        charts of panels under the same heading (two apps' charts "at a glance") are
        shown together, side by side."""
        merged: dict[str, Panel] = {}
        for panel in sorted(self.slot("charts"), key=lambda p: p.context.get("order", 0)):
            heading = str(panel.context.get("heading", ""))
            if heading in merged:
                first = merged[heading]
                charts = [*first.context["charts"], *panel.context["charts"]]
                merged[heading] = Panel(
                    first.template, first.slot, {**first.context, "charts": charts}
                )
            else:
                merged[heading] = panel
        return list(merged.values())


def _join(html: Sequence[SafeString]) -> SafeString:
    return format_html_join(" ", "{}", ((h,) for h in html))


PlanPageProvider = Callable[[HttpRequest, ActionPlan, Sequence[Commitment]], PageExtras]
CommitmentPageProvider = Callable[[HttpRequest, Commitment, Sequence[Activity]], PageExtras]
MethodologyPageProvider = Callable[[HttpRequest], PageExtras]
InstitutionPageProvider = Callable[[HttpRequest, Institution, Sequence[Commitment]], PageExtras]

ActivityRows = Callable[[HttpRequest, Commitment, QuerySet[Activity]], QuerySet[Activity]]
CommitmentRows = Callable[[HttpRequest, QuerySet[Commitment]], QuerySet[Commitment]]

PLAN_PAGE_PROVIDERS: list[PlanPageProvider] = []
ACTIVITY_ROWS: list[ActivityRows] = []
COMMITMENT_ROWS: list[CommitmentRows] = []
COMMITMENT_PAGE_PROVIDERS: list[CommitmentPageProvider] = []
METHODOLOGY_PAGE_PROVIDERS: list[MethodologyPageProvider] = []
INSTITUTION_PAGE_PROVIDERS: list[InstitutionPageProvider] = []


def register_plan_page(provider: PlanPageProvider) -> PlanPageProvider:
    """Add a provider to the plan and home pages (usable as a decorator)."""
    if provider not in PLAN_PAGE_PROVIDERS:
        PLAN_PAGE_PROVIDERS.append(provider)
    return provider


def register_commitment_page(provider: CommitmentPageProvider) -> CommitmentPageProvider:
    """Add a provider to the commitment page (usable as a decorator)."""
    if provider not in COMMITMENT_PAGE_PROVIDERS:
        COMMITMENT_PAGE_PROVIDERS.append(provider)
    return provider


def register_commitment_rows(annotate: CommitmentRows) -> CommitmentRows:
    """Add annotations (or related rows) to the commitment page's query of its
    commitment (usable as a decorator)."""
    if annotate not in COMMITMENT_ROWS:
        COMMITMENT_ROWS.append(annotate)
    return annotate


def commitment_rows(
    request: HttpRequest, commitments: QuerySet[Commitment]
) -> QuerySet[Commitment]:
    """``commitments`` with what each app adds (:func:`register_commitment_rows`)."""
    for annotate in COMMITMENT_ROWS:
        commitments = annotate(request, commitments)
    return commitments


def register_activity_rows(annotate: ActivityRows) -> ActivityRows:
    """Add annotations to the commitment page's activities (usable as a decorator)."""
    if annotate not in ACTIVITY_ROWS:
        ACTIVITY_ROWS.append(annotate)
    return annotate


def commitment_activities(request: HttpRequest, commitment: Commitment) -> list[Any]:
    """The commitment's activities in their order, with what each app annotates on them
    (:func:`register_activity_rows`): one query."""
    activities: QuerySet[Activity] = Activity.objects.filter(commitment=commitment).order_by(
        "order", "pk"
    )
    for annotate in ACTIVITY_ROWS:
        activities = annotate(request, commitment, activities)
    return list(activities)


def register_methodology_page(provider: MethodologyPageProvider) -> MethodologyPageProvider:
    """Add a provider to the methodology page (usable as a decorator)."""
    if provider not in METHODOLOGY_PAGE_PROVIDERS:
        METHODOLOGY_PAGE_PROVIDERS.append(provider)
    return provider


def register_institution_page(provider: InstitutionPageProvider) -> InstitutionPageProvider:
    """Add a provider to an institution's page (usable as a decorator)."""
    if provider not in INSTITUTION_PAGE_PROVIDERS:
        INSTITUTION_PAGE_PROVIDERS.append(provider)
    return provider


def plan_page_extras(
    request: HttpRequest, plan: ActionPlan, commitments: Sequence[Commitment] = ()
) -> PageExtras:
    extras = PageExtras()
    for provider in PLAN_PAGE_PROVIDERS:
        extras.merge(provider(request, plan, commitments))
    return extras


def commitment_page_extras(
    request: HttpRequest, commitment: Commitment, activities: Sequence[Activity]
) -> PageExtras:
    extras = PageExtras()
    for provider in COMMITMENT_PAGE_PROVIDERS:
        extras.merge(provider(request, commitment, activities))
    return extras


def methodology_page_extras(request: HttpRequest) -> PageExtras:
    extras = PageExtras()
    for provider in METHODOLOGY_PAGE_PROVIDERS:
        extras.merge(provider(request))
    return extras


def institution_page_extras(
    request: HttpRequest, institution: Institution, led: Sequence[Commitment]
) -> PageExtras:
    extras = PageExtras()
    for provider in INSTITUTION_PAGE_PROVIDERS:
        extras.merge(provider(request, institution, led))
    return extras
