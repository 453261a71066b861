"""Who may import and export (django-rules; the table is in docs/permissions.md).

Only the secretariat imports a file (any kind: plan sheet, OGP dataset, Canada tracker)
and exports a plan's sheet: an import rewrites the plans and their figures, and the
sheet is the secretariat's working copy. The public bulk downloads are open data's.
"""

from __future__ import annotations

import rules

from apps.accounts.rules import is_secretariat

rules.add_perm("exchange.import", is_secretariat)
rules.add_perm("exchange.export_plan", is_secretariat)
# Canada's tracker format: the per-period export of a plan's progress.
rules.add_perm("exchange.export_canada", is_secretariat)
