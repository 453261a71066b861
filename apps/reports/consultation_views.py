"""Pages of the public consultation: the draft's outline with its comments and
responses and the comment form, the verification link, the secretariat's moderation and
the exports. Each page costs a fixed number of queries, whatever the number of comments.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from apps.core import visitors
from apps.core.content import localized
from apps.core.errors import ActionError, report_error
from apps.core.languages import active_language
from apps.plans.models import Commitment
from apps.reports import consultation, exports
from apps.reports.document import build_report
from apps.reports.forms import CommentForm, HideForm, RespondForm
from apps.reports.models import (
    Participant,
    PublicComment,
    PublicCommentStatus,
    ReportCycle,
    ReportVersion,
    Section,
    StageKey,
)
from apps.reports.stages import CONSULTATION_MIN_DAYS, is_open

# The session remembers the participant whose address it verified: their next comments
# are published at once.
SESSION_KEY = "reports_consultation_participant"


def _cycle(pk: int) -> ReportCycle:
    """The cycle, once it has a draft to consult on (else there is no consultation)."""
    cycle = get_object_or_404(ReportCycle.objects.select_related("plan"), pk=pk)
    if not cycle.versions.exists():
        raise Http404
    return cycle


def _latest_version(cycle: ReportCycle) -> ReportVersion:
    version = cycle.versions.order_by("-number").first()
    assert version is not None  # _cycle found one
    return version


def _window(cycle: ReportCycle) -> dict[str, Any]:
    """The consultation stage, whether it is open and how many days it has left."""
    stage = next((s for s in cycle.stages.all() if s.key == StageKey.CONSULT), None)
    today = timezone.localdate()
    open_now = is_open(stage, today)
    days_left = None
    earliest_close = None
    if stage is not None and open_now:
        days_left = max((stage.planned_end - today).days + 1, 0)
    if stage is not None and stage.started_on:
        earliest_close = stage.started_on + datetime.timedelta(days=CONSULTATION_MIN_DAYS - 1)
    return {
        "stage": stage,
        "open": open_now,
        "days_left": days_left,
        "earliest_close": earliest_close,
        "min_days": CONSULTATION_MIN_DAYS,
    }


def _commitment_choices(cycle: ReportCycle) -> list[tuple[int, str]]:
    return [
        (c.pk, _("Commitment %(number)s: %(title)s") % {"number": c.number, "title": title})
        for c in Commitment.objects.filter(plan_id=cycle.plan_id).order_by("number", "pk")
        for title in [localized(c, "title")]
    ]


def _outline(version: ReportVersion, comments: list[PublicComment]) -> list[dict[str, Any]]:
    """The version's parts in the page's language, each with its comments."""
    report = build_report(version.content, active_language())
    by_part: dict[tuple[str, int | None], list[PublicComment]] = defaultdict(list)
    for c in comments:
        number = c.commitment.number if c.commitment is not None else None
        by_part[(c.section, number)].append(c)
    labels = dict(Section.choices)
    parts: list[dict[str, Any]] = []

    def add(section: str, title: Any, number: int | None = None) -> None:
        anchor = f"part-{section}" if number is None else f"part-commitment-{number}"
        parts.append(
            {
                "section": section,
                "title": title,
                "number": number,
                "anchor": anchor,
                "comments": by_part.pop((section, number), []),
            }
        )

    add(Section.GENERAL, labels[Section.GENERAL])
    add(Section.INTRODUCTION, report.labels["introduction"])
    add(Section.PARTICIPATION, report.labels["participation"])
    for part in report.commitments:
        add(Section.COMMITMENT, part.title, part.number)
    # A commitment the version does not hold (added to the plan since): still shown.
    for section, number in sorted(k for k in by_part if k[1] is not None):
        add(section, _("Commitment %(number)s") % {"number": number}, number)
    add(Section.LESSONS, report.labels["lessons"])
    add(Section.ANNEX, report.labels["annex"])
    return parts


def _page(
    request: HttpRequest, cycle: ReportCycle, form: CommentForm | None, status: int = 200
) -> HttpResponse:
    comments = list(exports.public_comments(cycle).select_related("responded_by"))
    window = _window(cycle)
    counts = consultation.counts(cycle)
    version = _latest_version(cycle)
    return render(
        request,
        "reports/consultation.html",
        {
            "cycle": cycle,
            "version": version,
            "window": window,
            "parts": _outline(version, comments),
            "form": form if window["open"] else None,
            "counts": counts,
            "can_moderate": request.user.has_perm("reports.moderate_consultation", cycle),
        },
        status=status,
    )


# Comments stored are counted per network address and per e-mail address; a post over
# the rate on either is refused. The counters live in the cache (README, Configuration).
RATE_KEYS: tuple[visitors.RateKey, ...] = (
    ("reports.consultation.address", "ip"),
    ("reports.consultation.email", visitors.email_key()),
)


def _rate_limited(request: HttpRequest) -> bool:
    """Whether one more comment would exceed the rate (invalid posts are not counted)."""
    return visitors.over_rate(request, RATE_KEYS, settings.SHARAKA_CONSULTATION_RATE)


def _count_comment(request: HttpRequest) -> None:
    visitors.count(request, RATE_KEYS, settings.SHARAKA_CONSULTATION_RATE)


def _address(request: HttpRequest) -> str:
    """The visitor's address, read where the rate limit reads it."""
    return visitors.client_address(request)


def _verified_participant(request: HttpRequest) -> Participant | None:
    pk = request.session.get(SESSION_KEY)
    if not isinstance(pk, int):
        return None
    return Participant.objects.filter(pk=pk, verified_at__isnull=False).first()


def report_consultation(request: HttpRequest, pk: int) -> HttpResponse:
    cycle = _cycle(pk)
    commitments = _commitment_choices(cycle)
    if request.method != "POST":
        return _page(request, cycle, CommentForm(commitments=commitments))
    form = CommentForm(request.POST, commitments=commitments)
    if _rate_limited(request):
        messages.error(
            request,
            _(
                "You have sent too many comments in a short time. Nothing was saved: "
                "please try again in an hour."
            ),
        )
        return _page(request, cycle, form, status=429)
    if not form.is_valid():
        return _page(request, cycle, form, status=422)
    data = form.cleaned_data
    commitment = None
    if data["commitment_id"] is not None:
        commitment = Commitment.objects.filter(pk=data["commitment_id"]).first()
    try:
        comment = consultation.do_submit_public_comment(
            cycle,
            name=data["name"],
            email=data["email"],
            organisation=data["organisation"],
            section=data["section"],
            commitment=commitment,
            body=data["body"],
            address=_address(request),
            verified_participant=_verified_participant(request),
            token=data["token"],
        )
    except ActionError as error:
        report_error(request, error)
        return _page(request, cycle, form, status=422)
    _count_comment(request)
    if comment.is_published:
        messages.success(request, _("Your comment is published. Thank you."))
        return redirect(f"{reverse('report_consultation', args=[cycle.pk])}#comment-{comment.pk}")
    return redirect("report_consultation_sent", pk=cycle.pk)


@require_safe
def report_consultation_sent(request: HttpRequest, pk: int) -> HttpResponse:
    cycle = _cycle(pk)
    return render(request, "reports/consultation_sent.html", {"cycle": cycle})


def report_consultation_verify(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows a button; only the POST publishes (a mail scanner that fetches every
    link must not publish on the reader's behalf)."""
    comment = consultation.comment_for_token(token)
    if comment is None:
        raise Http404
    status = 200
    if request.method == "POST":
        try:
            comment = consultation.do_verify_comment(token)
        except ActionError as error:
            report_error(request, error)
            status = 422
        else:
            request.session[SESSION_KEY] = comment.participant_id
            messages.success(request, _("Thank you: your comment is published."))
            url = reverse("report_consultation", args=[comment.cycle_id])
            return redirect(f"{url}#comment-{comment.pk}")
    return render(request, "reports/consultation_verify.html", {"comment": comment}, status=status)


def _moderated(request: HttpRequest, pk: int) -> ReportCycle:
    cycle = _cycle(pk)
    if not request.user.has_perm("reports.moderate_consultation", cycle):
        raise PermissionDenied
    return cycle


@require_safe
def report_consultation_moderate(request: HttpRequest, pk: int) -> HttpResponse:
    cycle = _moderated(request, pk)
    awaiting = request.GET.get("awaiting") == "1"
    comments = exports.public_comments(cycle).select_related("responded_by", "moderated_by")
    if awaiting:
        comments = comments.filter(status=PublicCommentStatus.PUBLISHED, response="")
    return render(
        request,
        "reports/consultation_moderate.html",
        {
            "cycle": cycle,
            "comments": list(comments),
            "awaiting": awaiting,
            "counts": consultation.counts(cycle),
            "window": _window(cycle),
            "hide_form": HideForm(),
        },
    )


def _moderation(request: HttpRequest, pk: int, comment_pk: int) -> PublicComment:
    cycle = _moderated(request, pk)
    return get_object_or_404(
        PublicComment.objects.select_related("cycle"), pk=comment_pk, cycle=cycle
    )


def _back(comment: PublicComment) -> HttpResponse:
    url = reverse("report_consultation_moderate", args=[comment.cycle_id])
    return redirect(f"{url}#comment-{comment.pk}")


@require_POST
def report_comment_hide(request: HttpRequest, pk: int, comment: int) -> HttpResponse:
    item = _moderation(request, pk, comment)
    form = HideForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the public reason for hiding the comment."))
        return _back(item)
    try:
        consultation.do_hide_comment(
            item, reason=form.cleaned_data["reason"], acting_user=request.user
        )
    except ActionError as error:
        report_error(request, error)
    else:
        messages.success(request, _("The comment is hidden; its reason is public."))
    return _back(item)


@require_POST
def report_comment_respond(request: HttpRequest, pk: int, comment: int) -> HttpResponse:
    item = _moderation(request, pk, comment)
    form = RespondForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Write the response first (5,000 characters at most)."))
        return _back(item)
    try:
        consultation.do_respond(
            item, response=form.cleaned_data["response"], acting_user=request.user
        )
    except ActionError as error:
        report_error(request, error)
    else:
        messages.success(request, _("The response is published."))
    return _back(item)


def _download(data: bytes, content_type: str, name: str) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require_safe
def report_consultation_csv(request: HttpRequest, pk: int) -> HttpResponse:
    cycle = _cycle(pk)
    data = exports.to_csv(exports.public_comments(cycle))
    return _download(data, "text/csv; charset=utf-8", f"consultation-{cycle.pk}.csv")


@require_safe
def report_consultation_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    cycle = _cycle(pk)
    data = exports.to_excel(exports.public_comments(cycle), translation.get_language_bidi())
    return _download(
        data,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        f"consultation-{cycle.pk}.xlsx",
    )
