"""Who may manage people: the secretariat invites, changes roles and deactivates
accounts (superusers count as secretariat and obey the same rules)."""

import rules

from apps.accounts.rules import is_secretariat

rules.add_perm("people.manage", is_secretariat)
