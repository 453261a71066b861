"""Administration of committees, members, guides and meetings (secretariat staff).

Snapshots are read-only here: they are written once by ``do_freeze_snapshot``. Every
other change goes through the generic actions (permission on the object, audit row):
a meeting whose minutes are approved is read-only here as everywhere.
"""

from django.contrib import admin
from django.db import models
from modeltranslation.admin import TranslationAdmin, TranslationTabularInline

from apps.committees.models import (
    ActionItem,
    AgendaItem,
    Attendance,
    Committee,
    CommitteeDocument,
    Decision,
    Invitation,
    Meeting,
    Member,
    Snapshot,
    SnapshotRow,
)
from apps.core.admin import ActionAdmin, AuditedAdmin, ServedFileWidget


class MemberInline(TranslationTabularInline):
    model = Member
    extra = 0
    fields = [
        "order",
        "honorific",
        "name",
        "institution",
        "affiliation",
        "seat",
        "role",
        "term_start",
        "term_end",
        "user",
    ]
    autocomplete_fields = ["institution"]
    raw_id_fields = ["user"]


class DocumentInline(TranslationTabularInline):
    model = CommitteeDocument
    extra = 0
    # The current file links to the guide's file view, not to a storage address.
    formfield_overrides = {models.FileField: {"widget": ServedFileWidget}}


@admin.register(Committee)
class CommitteeAdmin(ActionAdmin, TranslationAdmin):
    list_display = ["name", "kind", "plan"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [MemberInline, DocumentInline]


class AgendaItemInline(TranslationTabularInline):
    model = AgendaItem
    extra = 0


class InvitationInline(admin.TabularInline):
    model = Invitation
    extra = 0
    autocomplete_fields = ["institution"]


class AttendanceInline(admin.TabularInline):
    model = Attendance
    extra = 0


class DecisionInline(TranslationTabularInline):
    model = Decision
    extra = 0


class ActionItemInline(TranslationTabularInline):
    model = ActionItem
    extra = 0
    fields = ["title", "owner_institution", "owner_name", "due_date", "status", "commitment"]
    autocomplete_fields = ["owner_institution", "commitment"]


@admin.register(Meeting)
class MeetingAdmin(ActionAdmin, TranslationAdmin):
    list_display = ["__str__", "starts_at", "mode", "status", "announced_at", "published_at"]
    list_filter = ["committee", "status", "mode"]
    list_select_related = ["committee"]
    readonly_fields = ["status", "approved_by", "approved_at", "published_at"]
    inlines = [
        AgendaItemInline,
        InvitationInline,
        AttendanceInline,
        DecisionInline,
        ActionItemInline,
    ]


class SnapshotRowInline(admin.TabularInline):
    model = SnapshotRow
    extra = 0
    fields = ("number", "title", "progress", "previous_progress", "flags", "note")
    readonly_fields = ("number", "title", "progress", "previous_progress", "flags", "note")
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Snapshot)
class SnapshotAdmin(AuditedAdmin):
    list_display = ["meeting", "plan", "frozen_at", "plan_progress"]
    list_select_related = ["meeting__committee", "plan"]
    readonly_fields = ["meeting", "plan", "previous", "frozen_at", "frozen_by", "plan_progress"]
    inlines = [SnapshotRowInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
