"""Pages of the round's later parts: participatory meetings (public list with the
participation figures, registration, the secretariat's attendance and captured ideas),
prioritisation (criteria, scoring, the ranking, decisions with their reasoned response),
commitment cards (list, page with versions and comments, drafting, validation) and the
adoption of the process. Each view parses, checks the permission, calls one action and
renders; every list costs a fixed number of queries."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.cocreation import adoption, cards, meetings, prioritisation
from apps.cocreation.actions import OGP_VALUES
from apps.cocreation.forms_round import (
    AdoptionForm,
    CaptureForm,
    CardCommentForm,
    CardCreateForm,
    CardForm,
    CriterionForm,
    DecisionForm,
    MeetingForm,
    MilestoneFormSet,
    RegistrationForm,
    ReturnForm,
    ScoreForm,
    card_content,
)
from apps.cocreation.models import (
    CardComment,
    CardStatus,
    CardVersion,
    CommitmentCard,
    Criterion,
    MeetingRegistration,
    ParticipatoryMeeting,
    Process,
    Proposal,
    ProposalStatus,
    Score,
)
from apps.core.errors import ActionError, report_error

RANKING_PAGE = 50


def _process(slug: str) -> Process:
    return get_object_or_404(Process.objects.with_phases(), slug=slug)


def _proposal(process: Process, number: int) -> Proposal:
    proposal = get_object_or_404(
        Proposal.objects.select_related("theme", "region", "lead_institution", "merged_into"),
        process=process,
        number=number,
    )
    proposal.process = process
    return proposal


def _require(request: HttpRequest, perm: str, obj: Any) -> None:
    if not request.user.has_perm(perm, obj):
        raise PermissionDenied


def _status(form: Any) -> int:
    return 400 if form.is_bound else 200


# Meetings -----------------------------------------------------------------------------------


def meeting_list(request: HttpRequest, slug: str) -> HttpResponse:
    """The process's meetings, with seats taken, and the participation figures."""
    process = _process(slug)
    rows = list(
        ParticipatoryMeeting.objects.filter(process=process)
        .select_related("phase", "region", "theme")
        .annotate(
            registered=Count("registrations", distinct=True),
            ideas=Count("proposals", distinct=True),
        )
        .order_by("starts_at", "pk")
    )
    return render(
        request,
        "cocreation/round/meeting_list.html",
        {
            "process": process,
            "meetings": rows,
            "figures": meetings.participation_figures(process),
            "now": timezone.now(),
            "can_manage": request.user.has_perm("cocreation.manage_meetings", process),
        },
    )


def _meeting(process: Process, pk: int) -> ParticipatoryMeeting:
    meeting = get_object_or_404(
        ParticipatoryMeeting.objects.select_related("phase", "region", "theme"),
        process=process,
        pk=pk,
    )
    meeting.process = process
    return meeting


def meeting_form(request: HttpRequest, slug: str, pk: int | None = None) -> HttpResponse:
    process = _process(slug)
    _require(request, "cocreation.manage_meetings", process)
    meeting = _meeting(process, pk) if pk is not None else None
    initial = MeetingForm.initial_from(meeting) if meeting else {}
    form = MeetingForm(request.POST or None, initial=initial, process=process)
    if request.method == "POST" and form.is_valid():
        try:
            saved = meetings.do_save_meeting(
                process, form.data_object(), acting_user=request.user, meeting=meeting
            )
        except ActionError as error:
            form.add_error(None, report_error(request, error))
        else:
            return redirect("cocreation:meeting", process.slug, saved.pk)
    return render(
        request,
        "cocreation/round/meeting_form.html",
        {"process": process, "meeting": meeting, "form": form},
        status=_status(form),
    )


def meeting_detail(request: HttpRequest, slug: str, pk: int, **forms: Any) -> HttpResponse:
    process = _process(slug)
    meeting = _meeting(process, pk)
    user = request.user
    staff = user.has_perm("cocreation.view_registrations", meeting)
    registrations = (
        list(MeetingRegistration.objects.filter(meeting=meeting).select_related("region"))
        if staff
        else []
    )
    registered = (
        len(registrations) if staff else MeetingRegistration.objects.filter(meeting=meeting).count()
    )
    mine = (
        MeetingRegistration.objects.filter(meeting=meeting, account=user).first()
        if user.is_authenticated
        else None
    )
    ideas = list(
        Proposal.objects.filter(meeting=meeting)
        .listed()
        .prefetch_related("credited")
        .order_by("number")
    )
    for idea in ideas:
        idea.process = process
    initial = {"name": user.get_full_name()} if user.is_authenticated else {}
    return render(
        request,
        "cocreation/round/meeting_detail.html",
        {
            "process": process,
            "meeting": meeting,
            "registrations": registrations,
            "registered": registered,
            "seats_left": meetings.seats_left(meeting, registered),
            "started": meeting.starts_at <= timezone.now(),
            "mine": mine,
            "ideas": ideas,
            "staff": staff,
            "can_register": user.has_perm("cocreation.register", meeting),
            "can_capture": user.has_perm("cocreation.capture_idea", meeting),
            "can_manage": user.has_perm("cocreation.manage_meetings", meeting),
            "register_form": forms.get("register_form") or RegistrationForm(initial=initial),
            "walk_in_form": forms.get("walk_in_form") or RegistrationForm(prefix="walk_in"),
        },
        status=forms.get("status", 200),
    )


@require_POST
@login_required
def meeting_register(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    process = _process(slug)
    meeting = _meeting(process, pk)
    walk_in = bool(request.POST.get("walk_in"))
    if walk_in:
        _require(request, "cocreation.record_attendance", meeting)
    form = RegistrationForm(request.POST, prefix="walk_in" if walk_in else None)
    key = "walk_in_form" if walk_in else "register_form"
    if not form.is_valid():
        return meeting_detail(request, slug, pk, status=400, **{key: form})
    try:
        meetings.do_register(
            meeting, form.registrant(), acting_user=request.user, for_someone_else=walk_in
        )
    except ActionError as error:
        report_error(request, error)
    else:
        messages.success(request, _("The registration was recorded."))
    return redirect("cocreation:meeting", process.slug, meeting.pk)


@require_POST
@login_required
def meeting_cancel(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    process = _process(slug)
    meeting = _meeting(process, pk)
    registration = MeetingRegistration.objects.filter(
        meeting=meeting, account_id=request.user.pk
    ).first()
    if registration is None:
        raise Http404
    try:
        meetings.do_cancel_registration(registration, acting_user=request.user)
    except ActionError as error:
        report_error(request, error)
    return redirect("cocreation:meeting", process.slug, meeting.pk)


@require_POST
def meeting_attendance(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    process = _process(slug)
    meeting = _meeting(process, pk)
    _require(request, "cocreation.record_attendance", meeting)
    present = []
    for value in request.POST.getlist("present"):
        if not value.isdigit() or len(value) > 12:
            messages.error(request, _("Someone in the list is not registered to this meeting."))
            return redirect("cocreation:meeting", process.slug, meeting.pk)
        present.append(int(value))
    try:
        count = meetings.do_record_attendance(meeting, present=present, acting_user=request.user)
    except ActionError as error:
        report_error(request, error)
    else:
        messages.success(request, _("Attendance recorded: %(count)s present.") % {"count": count})
    return redirect("cocreation:meeting", process.slug, meeting.pk)


def meeting_capture(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    process = _process(slug)
    meeting = _meeting(process, pk)
    _require(request, "cocreation.capture_idea", meeting)
    form = CaptureForm(
        request.POST or None,
        meeting=meeting,
        initial={"language": (request.LANGUAGE_CODE or "ar")[:2], "theme": meeting.theme_id},
    )
    if request.method == "POST" and form.is_valid():
        try:
            proposal = meetings.do_capture_idea(
                meeting,
                form.draft(),
                credited=list(form.cleaned_data.get("credited") or []),
                acting_user=request.user,
            )
        except ActionError as error:
            form.add_error(None, report_error(request, error))
        else:
            messages.success(
                request,
                _("The idea was recorded as proposal #%(number)s.") % {"number": proposal.number},
            )
            return redirect("cocreation:meeting", process.slug, meeting.pk)
    return render(
        request,
        "cocreation/round/meeting_capture.html",
        {"process": process, "meeting": meeting, "form": form},
        status=_status(form),
    )


# Prioritisation -----------------------------------------------------------------------------


def criteria(request: HttpRequest, slug: str, pk: int | None = None) -> HttpResponse:
    """The secretariat's criteria and weights (and the form to add or change one)."""
    process = _process(slug)
    _require(request, "cocreation.set_criteria", process)
    criterion = get_object_or_404(Criterion, process=process, pk=pk) if pk is not None else None
    initial: dict[str, Any] = {}
    if criterion is not None:
        initial = {
            f"name_{lang}": getattr(criterion, f"name_{lang}") for lang in ("ar", "fr", "en")
        }
        initial["weight"] = criterion.weight
    form = CriterionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            prioritisation.do_save_criterion(
                process,
                names={lang: data.get(f"name_{lang}") or "" for lang in ("ar", "fr", "en")},
                weight=data["weight"],
                criterion=criterion,
                acting_user=request.user,
            )
        except ActionError as error:
            form.add_error(None, report_error(request, error))
        else:
            return redirect("cocreation:criteria", process.slug)
    return render(
        request,
        "cocreation/round/criteria.html",
        {
            "process": process,
            "criteria": list(Criterion.objects.filter(process=process).order_by("order", "pk")),
            "criterion": criterion,
            "form": form,
        },
        status=_status(form),
    )


def ranking(request: HttpRequest, slug: str) -> HttpResponse:
    """The aggregated, weighted ranking with the spread between scorers; a fixed number
    of queries whatever the number of proposals (see prioritisation.ranking_page)."""
    process = _process(slug)
    _require(request, "cocreation.view_ranking", process)
    paginator = Paginator(range(prioritisation.ranking_count(process)), RANKING_PAGE)
    page = paginator.get_page(request.GET.get("page"))
    rows = prioritisation.ranking_page(
        process, offset=page.start_index() - 1 if page.object_list else 0, limit=RANKING_PAGE
    )
    user = request.user
    return render(
        request,
        "cocreation/round/ranking.html",
        {
            "ProposalStatus": ProposalStatus,
            "process": process,
            "page": page,
            "rows": rows,
            "criteria": list(Criterion.objects.filter(process=process).order_by("order", "pk")),
            "can_score": user.has_perm("cocreation.score", process),
            "can_decide": user.has_perm("cocreation.decide", process),
            "can_set_criteria": user.has_perm("cocreation.set_criteria", process),
        },
    )


def proposal_score(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    process = _process(slug)
    proposal = _proposal(process, number)
    _require(request, "cocreation.score", proposal)
    listed = list(Criterion.objects.filter(process=process).order_by("order", "pk"))
    mine = {
        s.criterion_id: s
        for s in Score.objects.filter(proposal=proposal, member_id=request.user.pk)
    }
    note = next((s.note for s in mine.values() if s.note), "")
    form = ScoreForm(
        request.POST or None,
        criteria=listed,
        initial_scores={pk: s.value for pk, s in mine.items()},
        initial={"note": note},
    )
    if request.method == "POST" and form.is_valid():
        try:
            prioritisation.do_score_proposal(
                proposal, form.values(), acting_user=request.user, note=form.cleaned_data["note"]
            )
        except ActionError as error:
            form.add_error(None, report_error(request, error))
        else:
            messages.success(request, _("Your scores were saved."))
            return redirect("cocreation:ranking", process.slug)
    return render(
        request,
        "cocreation/round/score.html",
        {"process": process, "proposal": proposal, "form": form, "criteria": listed},
        status=_status(form),
    )


def proposal_decide(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    process = _process(slug)
    proposal = _proposal(process, number)
    _require(request, "cocreation.decide", proposal)
    initial: dict[str, Any] = {}
    if proposal.is_decided:
        initial = {
            "decision": proposal.status,
            "response": proposal.response,
            "lead_institution": proposal.lead_institution_id,
        }
    form = DecisionForm(request.POST or None, proposal=proposal, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            prioritisation.do_decide_proposal(
                proposal,
                decision=data["decision"],
                response=data["response"],
                lead_institution=data.get("lead_institution"),
                merged_into=data.get("target"),
                acting_user=request.user,
            )
        except ActionError as error:
            form.add_error(None, report_error(request, error))
        else:
            messages.success(request, _("The decision and its reasoned response are published."))
            return redirect(proposal.get_absolute_url())
    listed = list(Criterion.objects.filter(process=process).order_by("order", "pk"))
    figures = prioritisation.proposal_figures(proposal)
    return render(
        request,
        "cocreation/round/decide.html",
        {
            "process": process,
            "proposal": proposal,
            "form": form,
            "criteria": [(c, figures.get(c.pk)) for c in listed],
        },
        status=_status(form),
    )


# Commitment cards --------------------------------------------------------------------------


def card_list(request: HttpRequest, slug: str) -> HttpResponse:
    process = _process(slug)
    rows = list(
        CommitmentCard.objects.filter(process=process)
        .select_related("lead_institution", "commitment__plan", "theme")
        .prefetch_related("proposals")
        .annotate(versions_count=Count("versions", distinct=True))
        .order_by("number")
    )
    for card in rows:
        for proposal in card.proposals.all():
            proposal.process = process
    return render(
        request,
        "cocreation/round/card_list.html",
        {
            "CardStatus": CardStatus,
            "process": process,
            "cards": rows,
            "counts": {
                "validated": sum(1 for c in rows if c.status == CardStatus.VALIDATED),
                "total": len(rows),
            },
            "can_create": request.user.has_perm("cocreation.create_card", process),
            "can_adopt": request.user.has_perm("cocreation.adopt", process),
        },
    )


def card_new(request: HttpRequest, slug: str) -> HttpResponse:
    process = _process(slug)
    _require(request, "cocreation.create_card", process)
    form = CardCreateForm(request.POST or None, process=process)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            card = cards.do_create_card(
                process,
                list(data["proposals"]),
                lead_institution=data.get("lead_institution"),
                title=data.get("title") or "",
                acting_user=request.user,
            )
        except ActionError as error:
            form.add_error(None, report_error(request, error))
        else:
            return redirect("cocreation:card", process.slug, card.number)
    return render(
        request,
        "cocreation/round/card_new.html",
        {"process": process, "form": form},
        status=_status(form),
    )


def _card(process: Process, number: int) -> CommitmentCard:
    card = get_object_or_404(
        CommitmentCard.objects.select_related(
            "lead_institution", "theme", "commitment__plan", "validated_by"
        ),
        process=process,
        number=number,
    )
    card.process = process
    return card


def card_detail(request: HttpRequest, slug: str, number: int, **forms: Any) -> HttpResponse:
    process = _process(slug)
    card = _card(process, number)
    proposals = list(card.proposals.order_by("number"))
    for proposal in proposals:
        proposal.process = process
    user = request.user
    return render(
        request,
        "cocreation/round/card_detail.html",
        {
            "CardStatus": CardStatus,
            "process": process,
            "card": card,
            "proposals": proposals,
            "supporting": list(card.supporting_institutions.order_by("kind", "name")),
            "values": [str(cards.value_label(name)) for name in OGP_VALUES if getattr(card, name)],
            "milestones": list(card.milestones.order_by("order", "pk")),
            "versions": list(
                CardVersion.objects.filter(card=card).select_related("saved_by").order_by("-number")
            ),
            "comments": list(
                CardComment.objects.filter(card=card)
                .select_related("author", "version")
                .order_by("created_at", "pk")
            ),
            "can_edit": user.has_perm("cocreation.edit_card", card),
            "can_submit": user.has_perm("cocreation.submit_card", card),
            "can_comment": user.has_perm("cocreation.comment_card", card),
            "can_validate": user.has_perm("cocreation.validate_card", card),
            "comment_form": forms.get("comment_form") or CardCommentForm(),
            "return_form": forms.get("return_form") or ReturnForm(),
        },
        status=forms.get("status", 200),
    )


def card_edit(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    process = _process(slug)
    card = _card(process, number)
    _require(request, "cocreation.edit_card", card)
    if request.method == "POST":
        form = CardForm(request.POST)
        milestones = MilestoneFormSet(request.POST, prefix="milestones")
        if form.is_valid() and milestones.is_valid():
            try:
                _card_saved, version = cards.do_edit_card(
                    card, card_content(form, milestones), acting_user=request.user
                )
            except ActionError as error:
                form.add_error(None, report_error(request, error))
            else:
                if version is None:
                    messages.info(request, _("Nothing changed: no new version."))
                else:
                    messages.success(
                        request, _("Saved as version %(number)s.") % {"number": version.number}
                    )
                return redirect("cocreation:card", process.slug, card.number)
        status = 400
    else:
        form = CardForm(initial=CardForm.initial_from(card))
        milestones = MilestoneFormSet(
            prefix="milestones",
            initial=[
                {
                    "title": m.title,
                    "expected_output": m.expected_output,
                    "due_date": m.due_date,
                    "stakeholders": m.stakeholders,
                }
                for m in card.milestones.order_by("order", "pk")
            ],
        )
        status = 200
    return render(
        request,
        "cocreation/round/card_edit.html",
        {"process": process, "card": card, "form": form, "milestones": milestones},
        status=status,
    )


def card_version(request: HttpRequest, slug: str, number: int, version: int) -> HttpResponse:
    """What a version changed from the one before (the first: everything it held)."""
    process = _process(slug)
    card = _card(process, number)
    shown = get_object_or_404(
        CardVersion.objects.select_related("saved_by"), card=card, number=version
    )
    previous = (
        CardVersion.objects.filter(card=card, number__lt=shown.number).order_by("-number").first()
    )
    return render(
        request,
        "cocreation/round/card_version.html",
        {
            "process": process,
            "card": card,
            "version": shown,
            "previous": previous,
            "changes": cards.card_diff(previous.content if previous else None, shown.content),
        },
    )


@require_POST
def card_comment(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    process = _process(slug)
    card = _card(process, number)
    _require(request, "cocreation.comment_card", card)
    form = CardCommentForm(request.POST)
    if not form.is_valid():
        return card_detail(request, slug, number, comment_form=form, status=400)
    try:
        cards.do_comment_card(card, form.cleaned_data["body"], acting_user=request.user)
    except ActionError as error:
        report_error(request, error)
    return redirect("cocreation:card", process.slug, card.number)


@require_POST
def card_submit(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    process = _process(slug)
    card = _card(process, number)
    _require(request, "cocreation.submit_card", card)
    try:
        cards.do_submit_card(card, acting_user=request.user)
    except ActionError as error:
        report_error(request, error)
    else:
        messages.success(request, _("The card was submitted to the committee."))
    return redirect("cocreation:card", process.slug, card.number)


@require_POST
def card_validate(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    process = _process(slug)
    card = _card(process, number)
    _require(request, "cocreation.validate_card", card)
    try:
        cards.do_validate_card(card, acting_user=request.user)
    except ActionError as error:
        report_error(request, error)
    else:
        messages.success(request, _("The committee's validation was recorded."))
    return redirect("cocreation:card", process.slug, card.number)


@require_POST
def card_return(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    process = _process(slug)
    card = _card(process, number)
    _require(request, "cocreation.validate_card", card)
    form = ReturnForm(request.POST)
    if not form.is_valid():
        return card_detail(request, slug, number, return_form=form, status=400)
    try:
        cards.do_return_card(card, reason=form.cleaned_data["reason"], acting_user=request.user)
    except ActionError as error:
        report_error(request, error)
    return redirect("cocreation:card", process.slug, card.number)


# Adoption -----------------------------------------------------------------------------------


def adopt(request: HttpRequest, slug: str) -> HttpResponse:
    process = _process(slug)
    if not request.user.has_perm("cocreation.manage_process", process):
        raise PermissionDenied
    state = adoption.readiness(process)
    form = AdoptionForm(request.POST or None, initial=AdoptionForm.initial_for(process))
    if request.method == "POST":
        _require(request, "cocreation.adopt", process)
        if form.is_valid():
            try:
                plan = adoption.do_adopt_process(
                    process, form.plan(process), acting_user=request.user
                )
            except ActionError as error:
                form.add_error(None, report_error(request, error))
            else:
                messages.success(request, _("The plan was adopted from the validated cards."))
                return redirect(plan.get_absolute_url())
    pending = CommitmentCard.objects.filter(process=process).filter(~Q(status=CardStatus.VALIDATED))
    return render(
        request,
        "cocreation/round/adopt.html",
        {
            "process": process,
            "state": state,
            "pending": list(pending.order_by("number")),
            "form": form,
            "can_adopt": request.user.has_perm("cocreation.adopt", process),
        },
        status=_status(form),
    )
