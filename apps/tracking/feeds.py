"""Atom feeds of a plan's and a commitment's validated progress updates, in the page's
language (``/<lang>/plans/<slug>/feed/``, ``/<lang>/plans/<slug>/commitments/<n>/feed/``).

Only validated updates (the public ones), the latest :data:`LATEST`; each entry's
``updated`` is its validation time, the feed's the latest of them. Links are absolute
(``SITE_URL``). A title or text shown in another language than the feed's (the Arabic
original where no translation exists) carries ``xml:lang``, in the summary as a
``<span lang dir>``. Two queries per feed, whatever the number of updates."""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import format_html
from django.utils.translation import gettext as _

from apps.core.content import Fallback, localized, marked
from apps.plans.models import ActionPlan, Commitment
from apps.tracking.models import ProgressUpdate

LATEST = 50


def absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


class _Marked:
    """A feed writer's handler that adds ``xml:lang`` to an entry's title."""

    def __init__(self, handler: Any, language: str) -> None:
        self._handler, self._language = handler, language

    def addQuickElement(self, name: str, contents: Any = None, attrs: Any = None) -> None:  # noqa: N802
        if name == "title":
            attrs = {**(attrs or {}), "xml:lang": self._language}
        self._handler.addQuickElement(name, contents, attrs)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._handler, name)


class ProgressAtom(Atom1Feed):
    def add_item_elements(self, handler: Any, item: dict[str, Any]) -> None:
        language = item.get("title_language")
        super().add_item_elements(
            _Marked(handler, language) if language else handler,  # type: ignore[arg-type]
            item,
        )


class _ProgressFeed(Feed):
    feed_type = ProgressAtom

    def updates(self, obj: Any) -> QuerySet[ProgressUpdate]:
        """The validated updates of ``obj``."""
        raise NotImplementedError

    def items(self, obj: Any) -> list[ProgressUpdate]:
        return list(
            self.updates(obj)
            .select_related("activity__commitment__plan")
            .order_by("-validated_at", "-pk")[:LATEST]
        )

    def feed_url(self, obj: Any) -> str:
        return absolute(self.feed_path(obj))

    def feed_path(self, obj: Any) -> str:
        raise NotImplementedError

    def link(self, obj: Any) -> str:
        return absolute(obj.get_absolute_url())

    def item_link(self, item: ProgressUpdate) -> str:
        return absolute(item.get_absolute_url())

    def item_guid(self, item: ProgressUpdate) -> str:
        # The same entry whatever the feed's language: its id is the update's address
        # without the language (which leads to the reader's language).
        return absolute("/" + reverse("tracking:update_detail", args=[item.pk]).split("/", 2)[2])

    def item_title(self, item: ProgressUpdate) -> str:
        return f"{localized(item.activity, 'title')} — {item.progress}%"

    def item_extra_kwargs(self, item: ProgressUpdate) -> dict[str, Any]:
        title = localized(item.activity, "title")
        return {"title_language": title.language if isinstance(title, Fallback) else None}

    def item_description(self, item: ProgressUpdate) -> str:
        activity = item.activity
        commitment = activity.commitment
        figures = _("From %(before)s%% to %(after)s%%, reported on %(date)s.") % {
            "before": item.previous_progress if item.previous_progress is not None else "—",
            "after": item.progress,
            "date": item.reported_on.isoformat(),
        }
        narrative = localized(item, "narrative")
        return str(
            format_html(
                "<p>{} {}: {}</p><p>{}</p>{}",
                _("Commitment"),
                commitment.number,
                marked(localized(commitment, "title")),
                figures,
                format_html("<p>{}</p>", marked(narrative)) if narrative else "",
            )
        )

    def item_pubdate(self, item: ProgressUpdate) -> datetime.datetime | None:
        return item.validated_at

    def item_updateddate(self, item: ProgressUpdate) -> datetime.datetime | None:
        return item.validated_at


class PlanFeed(_ProgressFeed):
    def get_object(self, request: HttpRequest, slug: str) -> ActionPlan:
        return get_object_or_404(ActionPlan, slug=slug)

    def title(self, obj: ActionPlan) -> str:
        return _("%(plan)s: validated progress updates") % {"plan": localized(obj, "title")}

    def description(self, obj: ActionPlan) -> str:
        return _("The latest validated progress updates of the plan's activities.")

    def feed_path(self, obj: ActionPlan) -> str:
        return reverse("plan_feed", args=[obj.slug])

    def updates(self, obj: ActionPlan) -> QuerySet[ProgressUpdate]:
        return ProgressUpdate.objects.validated().filter(activity__commitment__plan=obj)


class CommitmentFeed(_ProgressFeed):
    def get_object(self, request: HttpRequest, slug: str, number: int) -> Commitment:
        return get_object_or_404(
            Commitment.objects.select_related("plan"), plan__slug=slug, number=number
        )

    def title(self, obj: Commitment) -> str:
        return _("Commitment %(number)s: validated progress updates") % {"number": obj.number}

    def description(self, obj: Commitment) -> str:
        return localized(obj, "title")

    def feed_path(self, obj: Commitment) -> str:
        return reverse("commitment_feed", args=[obj.plan.slug, obj.number])

    def updates(self, obj: Commitment) -> QuerySet[ProgressUpdate]:
        return ProgressUpdate.objects.validated().filter(activity__commitment=obj)
