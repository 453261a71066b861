"""What the platform holds about one person, as they download it (JSON): their account,
their proposals, comments, supports, follows and meeting registrations."""

from __future__ import annotations

from typing import Any

from apps.cocreation.models import Comment, Follow, MeetingRegistration, Proposal, Support


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def personal_data(user: Any) -> dict[str, Any]:
    proposals = Proposal.objects.filter(author=user).select_related("process").order_by("pk")
    comments = Comment.objects.filter(author=user).select_related("proposal__process")
    supports = Support.objects.filter(account=user).select_related("proposal__process")
    follows = Follow.objects.filter(account=user).select_related("proposal__process")
    registrations = MeetingRegistration.objects.filter(account=user).select_related("meeting")
    return {
        "account": {
            "username": user.get_username(),
            "email": user.email,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "preferred_language": user.preferred_language,
            "date_joined": _iso(user.date_joined),
            "last_login": _iso(user.last_login),
        },
        "proposals": [
            {
                "process": p.process.slug,
                "number": p.number,
                "public_name": p.author_name,
                "language": p.language,
                "title": p.title,
                "problem": p.problem,
                "solution": p.solution,
                "expected_impact": p.expected_impact,
                "status": p.status,
                "submitted_at": _iso(p.created_at),
            }
            for p in proposals
        ],
        "comments": [
            {
                "process": c.proposal.process.slug,
                "proposal": c.proposal.number,
                "public_name": c.author_name,
                "comment": c.body,
                "written_at": _iso(c.created_at),
            }
            for c in comments
        ],
        "supports": [
            {
                "process": s.proposal.process.slug,
                "proposal": s.proposal.number,
                "at": _iso(s.created_at),
            }
            for s in supports
        ],
        "follows": [
            {"process": f.proposal.process.slug, "proposal": f.proposal.number} for f in follows
        ],
        "meeting_registrations": [
            {
                "meeting": r.meeting.title_ar,
                "name": r.name,
                "organisation": r.organisation,
                "organisation_kind": r.organisation_kind,
                "gender": r.gender,
                "attended": r.attended,
                "registered_at": _iso(r.registered_at),
            }
            for r in registrations
        ],
    }
