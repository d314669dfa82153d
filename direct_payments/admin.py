from django.contrib import admin

from core.admin import ReadOnlyAdmin

from .models import DirectPayment, ScheduledPayment


class ScheduledPaymentInline(admin.TabularInline):
    model = ScheduledPayment
    extra = 0
    can_delete = False
    readonly_fields = ["due_on", "amount", "cancelled_on"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(DirectPayment)
class DirectPaymentAdmin(ReadOnlyAdmin):
    """Read only: a direct payment changes only through its steps (direct_payments.services)."""

    list_display = ["reference", "person", "state", "recipient_name", "amount", "period", "first_payment_on"]
    list_filter = ["state", "period"]
    inlines = [ScheduledPaymentInline]
