"""Pages of the self-assessment reports: the list, a cycle's timeline with its versions
and the state of its generation, the secretariat's forms, downloads and diffs, and the
committees' review (comments per section and per commitment, their resolutions)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import F
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.core.errors import ActionError, report_error
from apps.core.files import serve_file
from apps.core.languages import LANGUAGES, active_language
from apps.plans.models import Commitment
from apps.reports import actions, consultation, review
from apps.reports import publication as publishing
from apps.reports.document import build_report, diff
from apps.reports.forms import (
    ApprovalForm,
    CycleCreateForm,
    CycleForm,
    PublishForm,
    ResolveReviewForm,
    ReviewCommentForm,
    StageForm,
    SubmissionForm,
)
from apps.reports.gaps import gap_entries
from apps.reports.models import (
    FileFormat,
    Publication,
    ReportCycle,
    ReportFile,
    ReportVersion,
    Resolution,
    ReviewComment,
    Section,
    Stage,
    StageKey,
)
from apps.reports.publication import SUBMISSION_LANGUAGE, recorded
from apps.reports.render import render_body
from apps.reports.rules import is_review_open
from apps.reports.stages import is_open


def _require(request: HttpRequest, perm: str, obj: Any) -> None:
    if not request.user.has_perm(perm, obj):
        raise PermissionDenied


def report_list(request: HttpRequest) -> HttpResponse:
    cycles = (
        ReportCycle.objects.select_related("plan")
        .annotate(published_at=F("publication__published_at"))
        .order_by("-year", "pk")
    )
    return render(
        request,
        "reports/report_list.html",
        {"cycles": cycles, "can_add": request.user.has_perm("reports.add_cycle")},
    )


def report_create(request: HttpRequest) -> HttpResponse:
    _require(request, "reports.add_cycle", None)
    form = CycleCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            cycle = actions.do_create_cycle(
                form.cleaned_data["plan"],
                form.cleaned_data["kind"],
                form.cleaned_data["year"],
                acting_user=request.user,
                token=form.cleaned_data["token"],
            )
        except ActionError as error:
            report_error(request, error)
        else:
            messages.success(request, _("The report cycle was created with its six stages."))
            return redirect(cycle)
    return render(request, "reports/report_create.html", {"form": form})


def report_stage_plan(request: HttpRequest, pk: int) -> HttpResponse:
    stage = get_object_or_404(Stage.objects.select_related("cycle"), pk=pk)
    _require(request, "reports.move_stage", stage.cycle)
    initial = {"planned_start": stage.planned_start, "planned_end": stage.planned_end}
    form = StageForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_plan_stage(
                stage,
                form.cleaned_data["planned_start"],
                form.cleaned_data["planned_end"],
                acting_user=request.user,
            )
        except ActionError as error:
            report_error(request, error)
        else:
            messages.success(request, _("The stage's window was saved."))
            return redirect(stage.cycle)
    return render(request, "reports/stage_form.html", {"form": form, "stage": stage})


def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    cycle = get_object_or_404(
        ReportCycle.objects.select_related("plan", "snapshot__meeting__committee").select_related(
            *END_OF_CYCLE
        ),
        pk=pk,
    )
    today = timezone.localdate()
    stages = list(cycle.stages.all())
    for stage in stages:
        stage.late = stage.is_late(today)  # type: ignore[attr-defined]
    current = next((s for s in stages if s.state == "started"), None)
    versions = list(cycle.versions.prefetch_related("files").order_by("-number"))
    for version in versions:
        version.downloads = {  # type: ignore[attr-defined]
            lang: sorted(
                (f for f in version.files.all() if f.language == lang), key=lambda f: f.format
            )
            for lang in LANGUAGES
        }
    job = cycle.jobs.select_related("version").order_by("-requested_at", "-pk").first()
    end = _end_of_cycle(request, cycle, versions, stages)
    shown = end["publication"].version if end["publication"] else None
    shown = shown or (versions[0] if versions else None)
    body = ""
    if shown is not None:
        body = render_body(build_report(shown.content, active_language()))
    return render(
        request,
        "reports/report_detail.html",
        {
            "cycle": cycle,
            "stages": stages,
            # Not "current": base.html names the language menu's entry so.
            "current_stage": current,
            "versions": versions,
            "job": job,
            "running": job is not None and job.is_under_way,
            "body": body,
            "shown": shown,
            "can_manage": request.user.has_perm("reports.change_cycle", cycle),
            "review_open_count": (
                ReviewComment.objects.filter(cycle=cycle, resolution=Resolution.OPEN).count()
                if request.user.has_perm("reports.view_review", cycle)
                else None
            ),
            **end,
            "consultation": consultation.counts(cycle),
            "consultation_open": any(
                s.key == StageKey.CONSULT and is_open(s, today) for s in stages
            ),
        },
    )


def report_edit(request: HttpRequest, pk: int) -> HttpResponse:
    cycle = get_object_or_404(ReportCycle, pk=pk)
    _require(request, "reports.change_cycle", cycle)
    initial: dict[str, Any] = {"snapshot": cycle.snapshot_id}
    initial.update({f"lessons_{lang}": cycle.lessons(lang) for lang in LANGUAGES})
    form = CycleForm(request.POST or None, initial=initial, plan_id=cycle.plan_id)
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_edit_cycle(
                cycle,
                acting_user=request.user,
                snapshot=form.cleaned_data["snapshot"],
                lessons={lang: form.cleaned_data[f"lessons_{lang}"] for lang in LANGUAGES},
            )
        except ActionError as error:
            report_error(request, error)
        else:
            messages.success(request, _("The report was saved."))
            return redirect(cycle)
    return render(request, "reports/report_form.html", {"form": form, "cycle": cycle})


@require_POST
def report_generate(request: HttpRequest, pk: int) -> HttpResponse:
    cycle = get_object_or_404(ReportCycle, pk=pk)
    _require(request, "reports.generate_report", cycle)
    try:
        actions.do_request_generation(cycle, acting_user=request.user)
    except ActionError as error:
        report_error(request, error)
    else:
        messages.success(request, _("The report is being generated; this page shows its progress."))
    return redirect(cycle)


def _stage_action(request: HttpRequest, pk: int, action: Any, done: str) -> HttpResponse:
    stage = get_object_or_404(Stage.objects.select_related("cycle"), pk=pk)
    _require(request, "reports.move_stage", stage.cycle)
    try:
        action(stage, acting_user=request.user)
    except ActionError as error:
        report_error(request, error)
    else:
        messages.success(request, done)
    return redirect(stage.cycle)


@require_POST
def report_stage_start(request: HttpRequest, pk: int) -> HttpResponse:
    return _stage_action(request, pk, actions.do_start_stage, _("The stage has started."))


@require_POST
def report_stage_complete(request: HttpRequest, pk: int) -> HttpResponse:
    return _stage_action(request, pk, actions.do_complete_stage, _("The stage is completed."))


def report_file(request: HttpRequest, pk: int) -> HttpResponseBase:
    item = get_object_or_404(ReportFile.objects.select_related("version__cycle"), pk=pk)
    _require(request, "reports.view_cycle", item.version.cycle)
    name = f"report-{item.version.cycle_id}-v{item.version.number}-{item.language}.{item.format}"
    # The HTML version is shown in the browser, sandboxed like every served file (it is
    # the platform's own rendering, with no script); the others are downloads.
    return serve_file(request, item.file, filename=name, inline_types={"text/html"})


def report_diff(request: HttpRequest, pk: int) -> HttpResponse:
    cycle = get_object_or_404(ReportCycle, pk=pk)
    _require(request, "reports.view_cycle", cycle)
    versions = {v.number: v for v in ReportVersion.objects.filter(cycle=cycle)}
    try:
        old = versions[int(request.GET.get("from", ""))]
        new = versions[int(request.GET.get("to", ""))]
    except (KeyError, ValueError, OverflowError) as error:
        raise Http404 from error
    lines = diff(old.content, new.content, active_language())
    return render(
        request,
        "reports/report_diff.html",
        {"cycle": cycle, "old": old, "new": new, "lines": lines},
    )


# The committees' review -------------------------------------------------------------


def _review_sections(
    cycle: ReportCycle, version: ReportVersion | None, comments: Sequence[ReviewComment]
) -> list[dict[str, Any]]:
    """The latest version's outline in the page's language, each part with its comments:
    the report as a whole, introduction, participation, each commitment, lessons, annex.
    A comment on a commitment the latest version no longer reports on keeps its own part."""
    report = build_report(version.content, active_language()) if version else None
    labels = report.labels if report else {}
    by_number = dict(
        Commitment.objects.filter(
            plan_id=cycle.plan_id,
            number__in=[c.number for c in report.commitments] if report else [],
        ).values_list("number", "pk")
    )

    def part(section: str, title: Any, commitment: int | None = None, **extra: Any) -> dict:
        anchor = f"c{commitment}" if commitment else section
        return {
            "section": section,
            "commitment": commitment,
            "anchor": anchor,
            "title": title,
            "comments": [],
            **extra,
        }

    parts = [part(Section.GENERAL, Section.GENERAL.label, text=report.title if report else "")]
    if report:
        parts.append(part(Section.INTRODUCTION, labels["introduction"], text=report.introduction))
        parts.append(
            part(Section.PARTICIPATION, labels["participation"], figures=report.participation)
        )
        for c in report.commitments:
            if c.number in by_number:
                parts.append(
                    part(
                        Section.COMMITMENT,
                        c.title,
                        by_number[c.number],
                        number=c.number,
                        level=c.level,
                        progress=c.progress,
                    )
                )
        parts.append(part(Section.LESSONS, labels["lessons"], text=report.lessons))
        parts.append(part(Section.ANNEX, labels["annex"], activities=len(report.activities)))
    index = {(p["section"], p["commitment"]): p for p in parts}
    for comment in comments:
        key = (comment.section, comment.commitment_id)
        if key not in index:  # no longer in the latest version (or no version yet)
            commitment = comment.commitment
            index[key] = part(
                comment.section,
                commitment.title if commitment else Section(comment.section).label,
                comment.commitment_id,
                number=commitment.number if commitment else None,
            )
            parts.append(index[key])
        index[key]["comments"].append(comment)
    return parts


def _review_page(
    request: HttpRequest,
    cycle: ReportCycle,
    *,
    bound_comment: ReviewCommentForm | None = None,
    bound_resolve: tuple[int, ResolveReviewForm] | None = None,
) -> HttpResponse:
    """The review page: a fixed number of queries whatever the number of comments."""
    user = request.user
    version = review.latest_version(cycle)
    comments = list(
        ReviewComment.objects.filter(cycle=cycle)
        .select_related("author", "resolved_by", "commitment")
        .annotate(version_number=F("version__number"))
        .order_by("created_at", "pk")
    )
    open_count = sum(1 for c in comments if c.is_open)
    only_open = request.GET.get("open") == "1"
    review_open = is_review_open(user, cycle)
    can_comment = version is not None and user.has_perm("reports.comment_review", cycle)
    parts = _review_sections(cycle, version, comments)
    unplaced = bound_comment  # a posted comment whose part is not on the page
    for p in parts:
        if only_open:
            p["comments"] = [c for c in p["comments"] if c.is_open]
        for comment in p["comments"]:
            comment.resolve_form = None
            if comment.is_open and user.has_perm("reports.resolve_review", comment):
                form = ResolveReviewForm(auto_id=f"id_r{comment.pk}_%s")
                if bound_resolve and bound_resolve[0] == comment.pk:
                    form = bound_resolve[1]
                comment.resolve_form = form
        p["form"] = None
        if can_comment and (p["section"] != Section.COMMITMENT or p.get("number")):
            key = (p["section"], p["commitment"])
            if bound_comment is not None and key == _form_key(bound_comment.data):
                p["form"], unplaced = bound_comment, None
            else:
                p["form"] = ReviewCommentForm(
                    auto_id=f"id_{p['anchor']}_%s",
                    initial={"section": p["section"], "commitment": p["commitment"]},
                )
    return render(
        request,
        "reports/report_review.html",
        {
            "cycle": cycle,
            "version": version,
            "parts": parts,
            "open_count": open_count,
            "resolved_count": len(comments) - open_count,
            "only_open": only_open,
            "can_comment": can_comment,
            "review_open": review_open,
            "unplaced": unplaced.data.get("body", "") if unplaced else "",
        },
    )


def _form_key(data: Any) -> tuple[str, int | None]:
    """The part of the page a posted comment form belongs to: (section, commitment)."""
    try:
        commitment = int(data.get("commitment") or 0) or None
    except (TypeError, ValueError, OverflowError):
        commitment = None
    return str(data.get("section", "")), commitment


def _review_cycle(request: HttpRequest, pk: int) -> ReportCycle:
    cycle = get_object_or_404(ReportCycle.objects.select_related("plan"), pk=pk)
    _require(request, "reports.view_review", cycle)
    return cycle


def report_review(request: HttpRequest, pk: int) -> HttpResponse:
    return _review_page(request, _review_cycle(request, pk))


def _back_to(cycle: ReportCycle, anchor: str) -> HttpResponse:
    return redirect(f"{reverse('report_review', args=[cycle.pk])}#{anchor}")


@require_POST
def report_review_comment(request: HttpRequest, pk: int) -> HttpResponse:
    cycle = _review_cycle(request, pk)
    section, number = _form_key(request.POST)
    # The form's own ids, as on the page, so that its errors show where it was written.
    form = ReviewCommentForm(request.POST, auto_id=f"id_{f'c{number}' if number else section}_%s")
    if not form.is_valid() and form.errors.keys() & {"section", "commitment", "token"}:
        messages.error(request, _("This form could not be read: reload the page and try again."))
    elif form.is_valid():
        data = form.cleaned_data
        commitment = None
        if data["commitment"]:
            commitment = Commitment.objects.filter(pk=data["commitment"]).first()
        try:
            comment = review.do_comment_review(
                cycle,
                section=data["section"],
                commitment=commitment,
                body=data["body"],
                acting_user=request.user,
                token=data["token"],
            )
        except ActionError as error:
            report_error(request, error)
        else:
            messages.success(request, _("Your comment was added."))
            anchor = f"c{comment.commitment_id}" if comment.commitment_id else comment.section
            return _back_to(cycle, anchor)
    return _review_page(request, cycle, bound_comment=form)


@require_POST
def report_review_resolve(request: HttpRequest, pk: int) -> HttpResponse:
    comment = get_object_or_404(ReviewComment.objects.select_related("cycle__plan"), pk=pk)
    cycle = comment.cycle
    # The secretariat's (the action refuses its own comment, or a resolved one, in words).
    _require(request, "reports.resolve_review", cycle)
    form = ResolveReviewForm(request.POST, auto_id=f"id_r{comment.pk}_%s")
    if form.is_valid():
        try:
            review.do_resolve_review(
                comment,
                resolution=form.cleaned_data["resolution"],
                response=form.cleaned_data["response"],
                acting_user=request.user,
            )
        except ActionError as error:
            report_error(request, error)
        else:
            messages.success(request, _("The comment is resolved."))
            return _back_to(cycle, f"comment-{comment.pk}")
    return _review_page(request, cycle, bound_resolve=(comment.pk, form))


# Approval, publication, submission (apps/reports/publication.py) --------------------

# What the report's pages read of the end of the cycle, joined to the cycle.
END_OF_CYCLE = (
    "approval__meeting__committee",
    "approval__version",
    "publication__version",
    "submission",
)


def _end_of_cycle(
    request: HttpRequest, cycle: ReportCycle, versions: list[ReportVersion], stages: list[Stage]
) -> dict[str, Any]:
    """The state of approval, publication and submission, the secretariat's next form
    and the English gaps of the version that counts (published, else approved, else
    the latest)."""
    user = request.user
    approval = recorded(cycle, "approval")
    publication = recorded(cycle, "publication")
    submission = recorded(cycle, "submission")
    done = {s.key for s in stages if s.completed_on is not None}
    context: dict[str, Any] = {
        "approval": approval,
        "publication": publication,
        "submission": submission,
        "meeting_visible": approval is not None
        and user.has_perm("committees.view_meeting", approval.meeting),
        "ready_for_approval": {StageKey.REVIEW, StageKey.CONSULT} <= done,
        "submitted_files": list(submission.files.order_by("language", "format"))
        if submission
        else [],
        "approval_form": None,
        "publish_form": None,
        "submission_form": None,
        "gaps": [],
        "gaps_count": 0,
        "gaps_version": None,
    }
    counted = (publication or approval).version if (publication or approval) else None
    counted = counted or (versions[0] if versions else None)
    # The secretariat (who approves and submits) is told of the English gaps.
    told = user.has_perm("reports.approve_report", cycle) or user.has_perm(
        "reports.submit_report", cycle
    )
    gaps = publishing.english_gaps(counted) if told and counted and not submission else []
    if approval is None and versions and user.has_perm("reports.approve_report", cycle):
        # A version whose English falls back to Arabic is refused at the approval: its
        # gaps, each with a link to translate it, are shown instead of the form.
        if not gaps:
            context["approval_form"] = ApprovalForm(cycle=cycle)
    elif approval and not publication and user.has_perm("reports.publish_report", cycle):
        context["publish_form"] = PublishForm()
    elif publication and not submission and user.has_perm("reports.submit_report", cycle):
        context["submission_form"] = SubmissionForm(version=publication.version)
    if gaps and counted is not None:
        context["gaps"] = gap_entries(counted, gaps, SUBMISSION_LANGUAGE, plan_id=cycle.plan_id)
        context["gaps_count"] = len(gaps)
        context["gaps_version"] = counted
    return context


def _end_form(
    request: HttpRequest, cycle: ReportCycle, form: Any, step: str, status: int = 200
) -> HttpResponse:
    return render(
        request,
        "reports/end_of_cycle_form.html",
        {"cycle": cycle, "form": form, "step": step},
        status=status,
    )


def _cycle_for(request: HttpRequest, pk: int, perm: str) -> ReportCycle:
    cycle = get_object_or_404(ReportCycle.objects.select_related("plan"), pk=pk)
    _require(request, perm, cycle)
    return cycle


def report_approve(request: HttpRequest, pk: int) -> HttpResponse:
    """The steering committee's approval: the version and the meeting."""
    cycle = _cycle_for(request, pk, "reports.approve_report")
    form = ApprovalForm(request.POST or None, cycle=cycle)
    if request.method != "POST":
        return _end_form(request, cycle, form, "approve")
    if form.is_valid():
        try:
            publishing.do_record_approval(
                cycle,
                version=form.cleaned_data["version"],
                meeting=form.cleaned_data["meeting"],
                acting_user=request.user,
            )
        except ActionError as error:
            report_error(request, error)
        else:
            messages.success(request, _("The steering committee's approval is recorded."))
            return redirect(cycle)
    return _end_form(request, cycle, form, "approve", status=422)


def report_publish(request: HttpRequest, pk: int) -> HttpResponse:
    """Publish the approved version, once confirmed."""
    cycle = _cycle_for(request, pk, "reports.publish_report")
    form = PublishForm(request.POST or None)
    if request.method != "POST":
        return _end_form(request, cycle, form, "publish")
    if form.is_valid():
        try:
            publishing.do_publish(cycle, acting_user=request.user)
        except ActionError as error:
            report_error(request, error)
        else:
            messages.success(request, _("The report is published."))
            return redirect("report_published", cycle.pk)
    return _end_form(request, cycle, form, "publish", status=422)


def report_submit(request: HttpRequest, pk: int) -> HttpResponse:
    """Record the submission to the OGP Support Unit."""
    cycle = _cycle_for(request, pk, "reports.submit_report")
    published = Publication.objects.filter(cycle=cycle).select_related("version").first()
    form = SubmissionForm(request.POST or None, version=published.version if published else None)
    if request.method != "POST":
        return _end_form(request, cycle, form, "submit")
    if form.is_valid():
        try:
            publishing.do_record_submission(
                cycle,
                submitted_on=form.cleaned_data["submitted_on"],
                reference=form.cleaned_data["reference"],
                files=form.cleaned_data["files_sent"],
                acting_user=request.user,
            )
        except ActionError as error:
            report_error(request, error)
        else:
            messages.success(request, _("The submission to the OGP Support Unit is recorded."))
            return redirect(cycle)
    return _end_form(request, cycle, form, "submit", status=422)


def report_published(request: HttpRequest, pk: int) -> HttpResponse:
    """The published report: when, approved where, and its files in every language."""
    cycle = get_object_or_404(ReportCycle.objects.select_related("plan", *END_OF_CYCLE), pk=pk)
    _require(request, "reports.view_cycle", cycle)
    published = recorded(cycle, "publication")
    if published is None:
        raise Http404
    approval = recorded(cycle, "approval")
    files = list(published.version.files.all())
    order = {FileFormat.PDF: 0, FileFormat.DOCX: 1, FileFormat.HTML: 2}
    downloads = [
        (
            lang,
            sorted((f for f in files if f.language == lang), key=lambda f: order.get(f.format, 9)),
        )
        for lang in LANGUAGES
    ]
    return render(
        request,
        "reports/report_published.html",
        {
            "cycle": cycle,
            "publication": published,
            "approval": approval,
            "submission": recorded(cycle, "submission"),
            "meeting_visible": approval is not None
            and request.user.has_perm("committees.view_meeting", approval.meeting),
            "downloads": downloads,
            "body": render_body(build_report(published.version.content, active_language())),
        },
    )
