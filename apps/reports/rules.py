"""Who may do what with self-assessment reports (django-rules).

- Everyone sees a cycle's timeline and its generated versions (the draft report is
  public: the consultation asks for comments on it).
- The secretariat creates cycles, moves stages, chooses the snapshot, edits the lessons
  learned and asks for generations; it records the steering committee's approval,
  publishes the approved version and records its submission to the OGP Support Unit.
- The committees' review is internal: members of both committees (the committee member
  role) and the secretariat see its comments; members comment while the review stage is
  open; the secretariat resolves each comment, never one it wrote itself (four eyes).
- The public consultation is everyone's to read and (while it is open) to comment on;
  the secretariat moderates it: hides a comment with a public reason, responds.
"""

from __future__ import annotations

from typing import Any

import rules

from apps.accounts.rules import is_committee_member, is_secretariat
from apps.reports.models import ReportCycle, StageKey
from apps.reports.stages import stage_is_open


@rules.predicate
def is_review_open(user: Any, cycle: Any) -> bool:
    """The cycle's review stage is open today (``stages.stage_is_open`` decides)."""
    if not isinstance(cycle, ReportCycle):
        return False
    # Cached on the cycle: a page asks once per section whether to show its form.
    if not hasattr(cycle, "_review_open"):
        cycle._review_open = stage_is_open(cycle, StageKey.REVIEW)  # type: ignore[attr-defined]
    return bool(cycle._review_open)  # type: ignore[attr-defined]


@rules.predicate
def is_author(user: Any, obj: Any) -> bool:
    return obj is not None and getattr(obj, "author_id", None) == getattr(user, "pk", object())


rules.add_perm("reports.view_cycle", rules.always_allow)
rules.add_perm("reports.add_cycle", is_secretariat)
rules.add_perm("reports.change_cycle", is_secretariat)
rules.add_perm("reports.move_stage", is_secretariat)
rules.add_perm("reports.generate_report", is_secretariat)
# The end of the cycle (apps/reports/publication.py): the secretariat records the steering
# committee's approval, publishes the approved version and records the submission.
rules.add_perm("reports.approve_report", is_secretariat)
rules.add_perm("reports.publish_report", is_secretariat)
rules.add_perm("reports.submit_report", is_secretariat)
rules.add_perm("reports.view_review", is_committee_member | is_secretariat)
rules.add_perm("reports.comment_review", is_committee_member & is_review_open)
rules.add_perm("reports.resolve_review", is_secretariat & ~is_author)

# The public consultation: anyone reads the published comments and responses (and, in
# place of a hidden comment, the moderators' reason); the secretariat hides comments and
# publishes the responses. Unverified comments are read by nobody.
rules.add_perm("reports.moderate_consultation", is_secretariat)
