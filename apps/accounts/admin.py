from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from modeltranslation.admin import TranslationAdmin

from apps.accounts.models import Institution, User
from apps.core.admin import ActionAdmin


@admin.register(Institution)
class InstitutionAdmin(ActionAdmin, TranslationAdmin):
    list_display = ["name", "acronym", "kind", "contact_email"]
    list_filter = ["kind"]
    search_fields = ["name", "name_fr", "name_en", "acronym"]
    prepopulated_fields = {"slug": ["acronym"]}


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "email", "first_name", "last_name", "institution", "is_staff"]
    list_filter = ["is_staff", "is_superuser", "institution"]
    fieldsets = (
        *(BaseUserAdmin.fieldsets or ()),
        (None, {"fields": ("institution", "preferred_language")}),
    )
