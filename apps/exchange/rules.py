"""Who exchanges data: the secretariat imports and exports the plans' files."""

import rules

from apps.accounts.rules import is_secretariat

# Canada's tracker format: the per-period export of a plan's progress.
rules.add_perm("exchange.export_canada", is_secretariat)
