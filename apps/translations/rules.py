"""Who translates (django-rules): translators and the secretariat write and review
translations; nobody reviews a translation they wrote last (four eyes, checked on the
translation's status row)."""

from __future__ import annotations

from typing import Any

import rules

from apps.accounts.rules import is_secretariat, is_translator


@rules.predicate
def not_the_last_editor(user: Any, status: Any) -> bool:
    """``status`` is a TranslationStatus (or None: nobody known wrote it)."""
    editor_id = getattr(status, "edited_by_id", None)
    return editor_id is None or editor_id != user.pk


may_translate = is_translator | is_secretariat

rules.add_perm("translations.view_coverage", may_translate)
rules.add_perm("translations.edit_translation", may_translate)
rules.add_perm("translations.review_translation", may_translate & not_the_last_editor)
