"""Public pages of the action plans. Each page costs a fixed number of queries."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.html import format_html

from apps.accounts.models import Institution
from apps.core.links import INT, SLUG, link_format
from apps.plans.extensions import (
    PageExtras,
    commitment_activities,
    commitment_page_extras,
    commitment_rows,
    institution_page_extras,
    methodology_page_extras,
    plan_page_extras,
)
from apps.plans.forms import CommitmentFilterForm
from apps.plans.history import public_changes
from apps.plans.models import ActionPlan, Commitment
from apps.plans.progress import FORMULA_HELP, THRESHOLD_VARIABLES

# Commitments a plan's page lists at once; ``?page=`` (kept with the filters) turns it.
PLAN_PAGE_SIZE = 50


def home(request: HttpRequest) -> HttpResponse:
    plan = ActionPlan.objects.current()
    themes = list(plan.themes.with_progress()) if plan else []
    others = ActionPlan.objects.with_progress()
    if plan is not None:
        others = others.exclude(pk=plan.pk)
    extras = plan_page_extras(request, plan) if plan else PageExtras()
    return render(
        request,
        "plans/home.html",
        {"plan": plan, "themes": themes, "other_plans": others, "extras": extras},
    )


def methodology(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "plans/methodology.html",
        {
            "formula": FORMULA_HELP,
            "thresholds": settings.SHARAKA_COMPLETION_THRESHOLDS,
            "extras": methodology_page_extras(request),
            **{
                f"{level}_var": format_html('<code dir="ltr">{}</code>', name)
                for level, name in THRESHOLD_VARIABLES.items()
            },
        },
    )


def plan_list(request: HttpRequest) -> HttpResponse:
    plans = ActionPlan.objects.with_progress()
    return render(request, "plans/plan_list.html", {"plans": plans})


def _filtered(rows: list[Any], data: dict[str, Any], extras: PageExtras) -> list[Any]:
    """The rows the filters keep, in the order asked (plan order by default). ``data``
    holds the filters that were understood: an invalid one is left out, not applied."""
    if data.get("theme"):
        rows = [c for c in rows if c.theme_id == data["theme"].pk]
    if data.get("institution"):
        rows = [c for c in rows if c.lead_institution_id == data["institution"].pk]
    if data.get("level"):
        rows = [c for c in rows if c.completion_level == data["level"]]
    if data.get("flag"):
        rows = [c for c in rows if data["flag"] in extras.row_flags.get(c.pk, ())]
    sort = data.get("sort")
    if not sort:
        # Plan order, theme by theme (the page shows a heading where a theme begins).
        rows.sort(key=_theme_order)
    elif sort == "progress":
        rows.sort(key=lambda c: (c.progress, c.number))
    elif sort == "-progress":
        rows.sort(key=lambda c: (-c.progress, c.number))
    elif sort == "late":
        rows.sort(key=lambda c: (not c.is_late, -len(c.flag_codes), c.number))
    return rows


def _theme_order(c: Any) -> tuple[bool, int, int, int]:
    theme = c.theme
    return (theme is None, theme.order if theme else 0, c.theme_id or 0, c.number)


def _with_urls(rows: Sequence[Any], plan: ActionPlan) -> None:
    """Each row's address and its lead institution's, from one reversed pattern each
    (reversing per row would cost more than the row's own data)."""
    commitment_url = link_format("commitment_detail", plan.slug, INT)
    institution_url = link_format("institution_detail", SLUG)
    for c in rows:
        c.url = commitment_url.format(c.number)
        if c.lead_institution is not None:
            c.lead_institution_url = institution_url.format(c.lead_institution.slug)


def plan_detail(request: HttpRequest, slug: str) -> HttpResponse:
    plan = get_object_or_404(ActionPlan.objects.with_progress(), slug=slug)
    # Every commitment of the plan (a plan has tens): the flags' counts are the plan's,
    # and filtering or sorting costs no query.
    rows = list(Commitment.objects.for_list().filter(plan=plan))
    # What other apps know about the plan (tracking's flags, the dates of the figures).
    extras = plan_page_extras(request, plan, rows)
    late = {f.code for f in extras.flags if f.late}
    badges = extras.row_badges_html()
    for commitment in rows:
        commitment.extra_badges = badges.get(commitment.pk, "")
        commitment.flag_codes = extras.row_flags.get(commitment.pk, [])
        commitment.is_late = bool(late.intersection(commitment.flag_codes))
    form = CommitmentFilterForm(request.GET or None, rows=rows, flags=extras.flags)
    understood: dict[str, Any] = {}
    if form.is_bound:
        form.is_valid()  # the fields understood are kept, the others reported
        understood = form.cleaned_data
    shown = _filtered(list(rows), understood, extras)
    # A page of the rows kept (the counts, legend and charts stay the whole plan's).
    page = Paginator(shown, PLAN_PAGE_SIZE).get_page(request.GET.get("page"))
    _with_urls(list(page.object_list), plan)
    legend = [(flag, sum(1 for c in rows if flag.code in c.flag_codes)) for flag in extras.flags]
    return render(
        request,
        "plans/plan_detail.html",
        {
            "plan": plan,
            "form": form,
            "commitments": page.object_list,
            "page": page,
            "by_theme": not understood.get("sort"),
            "extras": extras,
            "filtered": form.is_bound,
            "formula": FORMULA_HELP,
            "legend": legend,
            "late_count": sum(1 for c in rows if c.is_late),
            "late_flag": next((f for f in extras.flags if f.late), None),
            "total": len(rows),
        },
    )


def commitment_detail(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    commitment = get_object_or_404(
        commitment_rows(
            request,
            Commitment.objects.for_list().prefetch_related("supporting_institutions", "tags"),
        ),
        plan__slug=slug,
        number=number,
    )
    activities = commitment_activities(request, commitment)
    total_weight = sum(a.weight for a in activities)
    for activity in activities:
        # The share shown publicly: how much this activity counts in the commitment.
        activity.share = (
            float(activity.weight / total_weight * 100) if total_weight else (100 / len(activities))
        )
    extras = commitment_page_extras(request, commitment, activities)
    badges = extras.row_badges_html()
    for activity in activities:
        activity.extra_badges = badges.get(activity.pk, "")
    return render(
        request,
        "plans/commitment_detail.html",
        {
            "commitment": commitment,
            "activities": activities,
            "formula": FORMULA_HELP,
            "extras": extras,
            "changes": public_changes(commitment, activities),
        },
    )


def institution_list(request: HttpRequest) -> HttpResponse:
    institutions = Institution.objects.annotate(
        led=Count("led_commitments", distinct=True)
    ).order_by("kind", "name")
    return render(request, "plans/institution_list.html", {"institutions": institutions})


def institution_detail(request: HttpRequest, slug: str) -> HttpResponse:
    institution = get_object_or_404(Institution, slug=slug)
    led = list(Commitment.objects.for_list().filter(lead_institution=institution))
    supported = Commitment.objects.for_list().filter(supporting_institutions=institution)
    # Each list a page at a time (``?led=``, ``?supported=``); what other apps add is
    # about every commitment it leads.
    led_page = Paginator(led, PLAN_PAGE_SIZE).get_page(request.GET.get("led"))
    supported_page = Paginator(list(supported), PLAN_PAGE_SIZE).get_page(
        request.GET.get("supported")
    )
    return render(
        request,
        "plans/institution_detail.html",
        {
            "institution": institution,
            "led": led_page.object_list,
            "led_page": led_page,
            "supported": supported_page.object_list,
            "supported_page": supported_page,
            "extras": institution_page_extras(request, institution, led),
        },
    )
