"""Sections other apps add to the self-assessment report, from their own side.

Dependencies point one way: ``reports`` does not ask the apps after it (the
co-creation) what they know. An app with a section to add registers a *provider* when
it starts (in its ``AppConfig.ready``)::

    register_section("cocreation", provider)

:func:`~apps.reports.document.capture` calls every provider once with the plan and the
instant of the cycle's snapshot, and keeps what they return in the version's content
(``content["sections"][name]``): a kept version regenerates identically whatever
happens later to the provider's data. :func:`~apps.reports.document.build_report`
renders each section after the introduction, in the order of registration.

A provider returns ``None`` (nothing to say) or JSON-ready data in this shape, where
``T`` is text in every language, ``{"ar": …, "fr": …, "en": …}`` (labels translated
by the provider; content as stored, falling back to Arabic like the rest of the
report)::

    {"title": T,
     "paragraphs": [T],
     "facts": [[T, "12"]],                       # a figure and its value
     "tables": [{"title": T, "header": [T], "rows": [[T or "text"]]}]}

Every key but ``title`` may be left out. A plain string in a cell is the same in every
language (a number, a date already written in ISO form is not: give ``T``).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

from apps.plans.models import ActionPlan

SectionProvider = Callable[[ActionPlan, datetime.datetime], dict[str, Any] | None]

SECTION_PROVIDERS: dict[str, SectionProvider] = {}


def register_section(name: str, provider: SectionProvider) -> SectionProvider:
    """Add (or replace) the provider of the section ``name``."""
    SECTION_PROVIDERS[name] = provider
    return provider


def section(name: str) -> Callable[[SectionProvider], SectionProvider]:
    """:func:`register_section` as a decorator."""

    def decorate(provider: SectionProvider) -> SectionProvider:
        return register_section(name, provider)

    return decorate


def captured_sections(plan: ActionPlan, at: datetime.datetime) -> dict[str, Any]:
    """What every provider says of ``plan`` as of ``at`` (providers with nothing to say
    are left out)."""
    found: dict[str, Any] = {}
    for name, provider in SECTION_PROVIDERS.items():
        data = provider(plan, at)
        if data is not None:
            found[name] = data
    return found
