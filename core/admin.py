from django.contrib import admin

from audit.services import diff, record_change, snapshot

from .models import BankHoliday


class AuditedAdmin(admin.ModelAdmin):
    """Reference data edited in the admin goes on the audit trail like any other change."""

    def save_model(self, request, obj, form, change):
        before = snapshot(type(obj).objects.get(pk=obj.pk)) if change else {}
        super().save_model(request, obj, form, change)
        record_change(
            actor=request.user,
            obj=obj,
            created=not change,
            summary=f"Admin: saved {obj._meta.verbose_name}",
            changes=diff(before, snapshot(obj)),
        )

    def delete_model(self, request, obj):
        record_change(
            actor=request.user, obj=obj, summary=f"Admin: deleted {obj._meta.verbose_name}", changes=snapshot(obj)
        )
        super().delete_model(request, obj)


class ReadOnlyAdmin(admin.ModelAdmin):
    """Case data is changed only through the services that enforce SPEC §2, never in the admin."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(BankHoliday)
class BankHolidayAdmin(AuditedAdmin):
    """Reference data for admin staff: routine sourcing targets skip these days (core.calendar)."""

    list_display = ["date", "name"]
    date_hierarchy = "date"
    search_fields = ["name"]
