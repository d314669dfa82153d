from django.contrib import admin

from core.admin import ReadOnlyAdmin

from .models import Invoice


@admin.register(Invoice)
class InvoiceAdmin(ReadOnlyAdmin):
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
