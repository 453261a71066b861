"""Who may do what with self-assessment reports (django-rules).

- Everyone sees a cycle's timeline and its generated versions (the draft report is
  public: the consultation asks for comments on it).
- The secretariat creates cycles, moves stages, chooses the snapshot, edits the lessons
  learned and asks for generations.
- The public consultation is everyone's to read and (while it is open) to comment on;
  the secretariat moderates it: hides a comment with a public reason, responds.
"""

from __future__ import annotations

import rules

from apps.accounts.rules import is_secretariat

rules.add_perm("reports.view_cycle", rules.always_allow)
rules.add_perm("reports.add_cycle", is_secretariat)
rules.add_perm("reports.change_cycle", is_secretariat)
rules.add_perm("reports.move_stage", is_secretariat)
rules.add_perm("reports.generate_report", is_secretariat)

# The public consultation: anyone reads the published comments and responses (and, in
# place of a hidden comment, the moderators' reason); the secretariat hides comments and
# publishes the responses. Unverified comments are read by nobody.
rules.add_perm("reports.moderate_consultation", is_secretariat)
