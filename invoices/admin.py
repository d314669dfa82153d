from django.contrib import admin

from .models import Invoice


@admin.register(Invoice)
class InvoiceAdmin(admin.ModelAdmin):
    """Read only: an invoice is recorded and moves by its services and its machine."""

    list_display = [
        "reference",
        "number",
        "provider",
        "purchase_order",
        "period_start",
        "period_end",
        "amount",
        "state",
    ]
    list_filter = ["state"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
