"""Content in Arabic, French and English (Arabic is the default and the fallback)."""

from modeltranslation.translator import TranslationOptions, register

from apps.committees.models import (
    ActionItem,
    AgendaItem,
    Committee,
    CommitteeDocument,
    Decision,
    Meeting,
    Member,
    SnapshotActivity,
    SnapshotRow,
)


@register(Committee)
class CommitteeTranslation(TranslationOptions):
    fields = ("name",)


@register(CommitteeDocument)
class CommitteeDocumentTranslation(TranslationOptions):
    fields = ("title", "body")


@register(Member)
class MemberTranslation(TranslationOptions):
    fields = ("affiliation",)


@register(Meeting)
class MeetingTranslation(TranslationOptions):
    fields = ("place", "opening_remarks")


@register(AgendaItem)
class AgendaItemTranslation(TranslationOptions):
    fields = ("title", "note", "blocks")


@register(Decision)
class DecisionTranslation(TranslationOptions):
    fields = ("text",)


@register(ActionItem)
class ActionItemTranslation(TranslationOptions):
    fields = ("title",)


@register(SnapshotRow)
class SnapshotRowTranslation(TranslationOptions):
    # Titles as they were when the snapshot was frozen, in the three languages.
    fields = ("title", "suggested_note", "note")


@register(SnapshotActivity)
class SnapshotActivityTranslation(TranslationOptions):
    fields = ("title",)
