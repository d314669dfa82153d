from django.contrib import admin

from .models import RespiteAllowance, RespiteBooking


@admin.register(RespiteAllowance)
class RespiteAllowanceAdmin(admin.ModelAdmin):
    """Read only: an allowance moves by its machine and its services."""

    list_display = ["reference", "person", "state", "amount", "booked", "year_start", "year_end"]
    list_filter = ["state"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(RespiteBooking)
class RespiteBookingAdmin(admin.ModelAdmin):
    list_display = ["reference", "allowance", "provider", "start_date", "end_date", "cost", "state"]
    list_filter = ["state"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
