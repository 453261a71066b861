"""The co-creation's writes: phases, proposals, supports, comments, follows, moderation,
merges and a person's own data."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from apps.accounts.models import User
from apps.accounts.tests.personas import make_user
from apps.cocreation import actions
from apps.cocreation.actions import CocreationError
from apps.cocreation.mail import notify_followers
from apps.cocreation.models import (
    Comment,
    Follow,
    PhaseKey,
    Process,
    Proposal,
    ProposalAttachment,
    ProposalStatus,
    Support,
)
from apps.cocreation.tests.factories import draft, make_process, make_theme, phase, submit
from apps.core.models import AuditLog

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    """The refusals' messages are matched in English."""
    with translation.override("en"):
        yield


def fresh(proposal: Proposal) -> Proposal:
    return Proposal.objects.get(pk=proposal.pk)


def test_it_lays_out_the_five_phases_of_the_source_document(secretariat):
    process = make_process(secretariat, open_phase=None)
    phases = list(process.phases.order_by("order"))
    assert [p.key for p in phases] == [
        PhaseKey.METHOD,
        PhaseKey.IDEAS,
        PhaseKey.PRIORITIES,
        PhaseKey.CARDS,
        PhaseKey.ADOPTION,
    ]
    assert [(p.planned_start.month, p.planned_end.month) for p in phases] == [
        (4, 4),
        (5, 9),
        (10, 10),
        (11, 11),
        (12, 12),
    ]
    assert phases[1].opens_proposing and phases[1].opens_supporting
    assert phases[2].opens_scoring and phases[3].opens_drafting
    assert process.open_phase() is None


def test_it_refuses_a_process_from_anyone_but_the_secretariat(citizen, committee_member):
    for user in (citizen, committee_member):
        with pytest.raises(CocreationError):
            actions.do_create_process(slug="x", year=2026, titles={"ar": "س"}, acting_user=user)
    assert not Process.objects.exists()


def test_it_keeps_one_phase_under_way(secretariat):
    process = make_process(secretariat, open_phase=PhaseKey.METHOD)
    with pytest.raises(CocreationError, match="complete it first"):
        actions.do_start_phase(phase(process, PhaseKey.IDEAS), acting_user=secretariat)
    assert fresh_phase_started(process, PhaseKey.IDEAS) is None


def fresh_phase_started(process, key):
    return phase(process, key).started_on


def test_it_takes_a_proposal_while_the_ideas_phase_is_under_way(process, citizen):
    theme = make_theme(process, process_secretariat(process))
    proposal = submit(process, citizen, theme=theme, values=["civic_participation"])
    assert proposal.number == 1 and proposal.status == ProposalStatus.SUBMITTED
    assert proposal.author == citizen and proposal.civic_participation
    assert not proposal.access_to_information
    # The author follows their own proposal.
    assert Follow.objects.filter(proposal=proposal, account=citizen).exists()
    assert AuditLog.objects.filter(action="cocreation.submit_proposal").count() == 1
    assert submit(process, citizen).number == 2


def process_secretariat(process):
    return User.objects.get(username="secretariat")


@pytest.mark.parametrize("open_phase", [None, PhaseKey.METHOD, PhaseKey.PRIORITIES])
def test_it_refuses_a_proposal_outside_its_phase(secretariat, citizen, open_phase):
    process = make_process(secretariat, open_phase=open_phase)
    with pytest.raises(CocreationError, match="Proposals are not open"):
        submit(process, citizen)
    assert not Proposal.objects.exists()


def test_it_refuses_a_support_and_a_comment_after_the_window(process, secretariat, citizen):
    proposal = submit(process, citizen)
    actions.do_complete_phase(phase(process, PhaseKey.IDEAS), acting_user=secretariat)
    other = make_user("voter")
    with pytest.raises(CocreationError, match="Supports are not open"):
        actions.do_support(proposal, acting_user=other)
    with pytest.raises(CocreationError, match="Comments are not open"):
        actions.do_comment(proposal, "رأي", acting_user=other)
    assert fresh(proposal).supports_count == 0 and not Support.objects.exists()
    assert not Comment.objects.exists()


def test_a_second_support_from_one_account_has_no_effect(process, citizen):
    proposal = submit(process, citizen)
    voter = make_user("voter")
    _support, created = actions.do_support(proposal, acting_user=voter)
    assert created
    _support, created = actions.do_support(proposal, acting_user=voter)
    assert not created
    assert fresh(proposal).supports_count == 1 == Support.objects.count()
    assert actions.do_withdraw_support(proposal, acting_user=voter)
    assert not actions.do_withdraw_support(proposal, acting_user=voter)
    assert fresh(proposal).supports_count == 0


def test_the_public_cannot_support(process, citizen, anonymous):
    proposal = submit(process, citizen)
    with pytest.raises(CocreationError):
        actions.do_support(proposal, acting_user=anonymous)
    assert fresh(proposal).supports_count == 0


def test_replies_stay_one_level_deep(process, citizen):
    proposal = submit(process, citizen)
    first = actions.do_comment(proposal, "سؤال", acting_user=citizen)
    reply = actions.do_comment(proposal, "جواب", acting_user=citizen, parent=first)
    again = actions.do_comment(proposal, "تعقيب", acting_user=citizen, parent=reply)
    assert reply.parent == first and again.parent == first
    assert fresh(proposal).comments_count == 3


def test_followers_hear_of_a_comment_in_their_language(process, citizen):
    proposal = submit(process, citizen)
    follower = make_user("follower", language="fr")
    actions.do_follow(proposal, acting_user=follower)
    commenter = make_user("commenter")
    comment = actions.do_comment(proposal, "<b>فكرة</b> جيدة", acting_user=commenter)
    mail.outbox.clear()
    assert notify_followers(proposal.pk, "comment", comment.pk, exclude=commenter.pk) == 2
    by_address = {m.to[0]: m for m in mail.outbox}
    french = by_address["follower@example.org"]
    assert "Nouveau commentaire" in french.subject and "/fr/" in french.body
    assert "<b>فكرة</b> جيدة" in french.body  # plain text mail: the text as written
    assert "تعليق جديد" in by_address["citizen@example.org"].subject


def test_a_comment_mails_the_followers_after_commit(
    process, citizen, settings, django_capture_on_commit_callbacks
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    proposal = submit(process, citizen)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        actions.do_comment(proposal, "رأي", acting_user=make_user("other"))
    assert [m.to for m in mail.outbox] == [["citizen@example.org"]]


def test_hiding_needs_a_public_reason(process, secretariat, citizen):
    proposal = submit(process, citizen)
    with pytest.raises(CocreationError, match="public reason"):
        actions.do_hide_proposal(proposal, reason="  ", acting_user=secretariat)
    with pytest.raises(CocreationError):
        actions.do_hide_proposal(proposal, reason="إشهار", acting_user=citizen)
    assert fresh(proposal).status == ProposalStatus.SUBMITTED
    actions.do_hide_proposal(proposal, reason="محتوى إشهاري", acting_user=secretariat)
    hidden = fresh(proposal)
    assert hidden.status == ProposalStatus.HIDDEN and hidden.moderation_reason == "محتوى إشهاري"
    with pytest.raises(CocreationError):
        actions.do_support(hidden, acting_user=make_user("voter"))


def test_a_merge_keeps_supports_and_comments_counted_once(process, secretariat, citizen):
    source = submit(process, citizen, title="نشر الميزانيات")
    target = submit(process, make_user("author2"), title="ميزانيات مفتوحة")
    both, only_source, only_target = make_user("both"), make_user("src"), make_user("tgt")
    for user in (both, only_source):
        actions.do_support(source, acting_user=user)
    for user in (both, only_target):
        actions.do_support(target, acting_user=user)
    question = actions.do_comment(source, "سؤال", acting_user=only_source)
    actions.do_comment(source, "جواب", acting_user=citizen, parent=question)
    actions.do_comment(target, "رأي", acting_user=only_target)
    actions.do_follow(source, acting_user=both)
    actions.do_follow(target, acting_user=both)

    actions.do_merge_proposal(source, target, response="مقترحان متطابقان", acting_user=secretariat)

    source, target = fresh(source), fresh(target)
    assert source.status == ProposalStatus.MERGED and source.merged_into == target
    assert source.response == "مقترحان متطابقان"
    assert target.supports_count == 3 == Support.objects.filter(proposal=target).count()
    assert set(Support.objects.values_list("account__username", flat=True)) == {
        "both",
        "src",
        "tgt",
    }
    assert target.comments_count == 3 == Comment.objects.filter(proposal=target).count()
    assert Comment.objects.get(body="جواب").parent == Comment.objects.get(body="سؤال")
    assert Follow.objects.filter(proposal=target, account=both).count() == 1
    assert source.supports_count == 0 and not Support.objects.filter(proposal=source).exists()


def test_a_merge_into_itself_is_refused(process, secretariat, citizen):
    proposal = submit(process, citizen)
    actions.do_support(proposal, acting_user=make_user("voter"))
    with pytest.raises(CocreationError, match="into itself"):
        actions.do_merge_proposal(proposal, proposal, response="x", acting_user=secretariat)
    proposal = fresh(proposal)
    assert proposal.status == ProposalStatus.SUBMITTED and proposal.supports_count == 1


def test_a_merge_needs_a_response_and_open_proposals(process, secretariat, citizen):
    a, b, c = (submit(process, citizen) for _ in range(3))
    with pytest.raises(CocreationError, match="reasoned response"):
        actions.do_merge_proposal(a, b, response="", acting_user=secretariat)
    actions.do_merge_proposal(a, b, response="مكرر", acting_user=secretariat)
    with pytest.raises(CocreationError):  # already merged
        actions.do_merge_proposal(a, c, response="مكرر", acting_user=secretariat)
    with pytest.raises(CocreationError):  # into a merged one
        actions.do_merge_proposal(c, a, response="مكرر", acting_user=secretariat)
    with pytest.raises(CocreationError):
        actions.do_merge_proposal(c, b, response="مكرر", acting_user=citizen)
    assert fresh(c).status == ProposalStatus.SUBMITTED


def test_the_same_form_twice_submits_one_proposal(process, citizen):
    import uuid

    token = uuid.uuid4()
    first = actions.do_submit_proposal(process, draft(), acting_user=citizen, token=token)
    second = actions.do_submit_proposal(process, draft(), acting_user=citizen, token=token)
    assert first == second and Proposal.objects.count() == 1


def test_a_refused_proposal_leaves_no_file(process, citizen, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    pdf = SimpleUploadedFile("note.pdf", b"%PDF-1.4\n%\xe2\xe3\n")
    files = [(pdf, "application/pdf")] * (actions.MAX_ATTACHMENTS + 1)
    with pytest.raises(CocreationError):
        actions.do_submit_proposal(process, draft(files=files), acting_user=citizen)
    assert not ProposalAttachment.objects.exists()
    assert not any(p.is_file() for p in tmp_path.rglob("*"))
