from django.contrib import admin

from core.admin import AuditedAdmin, ReadOnlyAdmin

from .models import Area, ContactLogEntry


@admin.register(Area)
class AreaAdmin(AuditedAdmin):
    list_display = ["name", "team"]
    list_select_related = ["team"]
    list_filter = ["team"]
    search_fields = ["name"]

    def get_readonly_fields(self, request, obj=None):
        # Moving an area between teams would strand its people's permissions; do that as a data task.
        return ["team"] if obj and obj.people.exists() else []


@admin.register(ContactLogEntry)
class ContactLogEntryAdmin(ReadOnlyAdmin):
    list_display = ["referral", "contact_with", "method", "occurred_at", "recorded_by"]
