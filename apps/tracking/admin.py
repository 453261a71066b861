from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from modeltranslation.admin import TranslationAdmin

from apps.core.admin import ActionAdmin, AuditedAdmin
from apps.tracking.models import (
    ChangeRequest,
    Evidence,
    FocalPointAssignment,
    ProgressUpdate,
    Reminder,
)


@admin.register(FocalPointAssignment)
class FocalPointAssignmentAdmin(ActionAdmin):
    """Read-only: assignments change through the hand-over page (``do_hand_over``) and
    the plans' institution changes, which keep the history and the audit trail. A
    deletion (ActionAdmin) is audited."""

    list_display = ["commitment", "user", "started_on", "ended_on"]
    list_select_related = ["commitment", "user"]
    raw_id_fields = ["commitment", "user", "assigned_by"]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


class EvidenceInline(admin.TabularInline[Evidence, ProgressUpdate]):
    model = Evidence
    extra = 0
    readonly_fields = ["file", "original_name", "content_type", "size", "url"]


@admin.register(ProgressUpdate)
class ProgressUpdateAdmin(ActionAdmin, TranslationAdmin):
    """Read-only: updates change state only through the tracking pages (actions); a
    deletion is audited (ActionAdmin)."""

    list_display = ["activity", "author", "status", "progress", "reported_on", "validated_at"]
    list_filter = ["status", "source"]
    list_select_related = ["activity", "author"]
    inlines = [EvidenceInline]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(ChangeRequest)
class ChangeRequestAdmin(ActionAdmin):
    list_display = ["activity", "proposed_by", "current_progress", "proposed_progress", "status"]
    list_filter = ["status"]
    list_select_related = ["activity", "proposed_by"]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Reminder)
class ReminderAdmin(AuditedAdmin):
    list_display = ["recipient", "period", "sent_at"]
    list_select_related = ["recipient"]
