from django.contrib import admin

from core.admin import AuditedAdmin

from .models import PurchasingArrangement


@admin.register(PurchasingArrangement)
class PurchasingArrangementAdmin(AuditedAdmin):
    """Reference data for admin staff; the DPS team keeps arrangements and their members in the app
    (dps.arrangements), where changing the service of one in use is refused."""

    list_display = ["name", "kind", "service_type", "starts_on", "expires_on"]
    list_select_related = ["service_type"]
    list_filter = ["kind", "service_type"]
    search_fields = ["name"]

    def get_readonly_fields(self, request, obj=None):
        # Members were admitted, and requirements put out, for this service.
        in_use = obj is not None and (obj.members.exists() or obj.requirements.exists())
        return ["service_type"] if in_use else []
