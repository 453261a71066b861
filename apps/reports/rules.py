"""Who may do what with self-assessment reports (django-rules).

- Everyone sees a cycle's timeline and its generated versions (the draft report is
  public: the consultation asks for comments on it).
- The secretariat creates cycles, moves stages, chooses the snapshot, edits the lessons
  learned and asks for generations; it records the steering committee's approval,
  publishes the approved version and records its submission to the OGP Support Unit.
"""

from __future__ import annotations

import rules

from apps.accounts.rules import is_secretariat

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
