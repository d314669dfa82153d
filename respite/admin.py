from django.contrib import admin

from core.admin import ReadOnlyAdmin

from .models import RespiteAllowance, RespiteBooking


@admin.register(RespiteAllowance)
class RespiteAllowanceAdmin(ReadOnlyAdmin):
    """Read only: an allowance moves by its machine and its services."""

    list_display = ["reference", "person", "state", "amount", "booked", "year_start", "year_end"]
    list_filter = ["state"]


@admin.register(RespiteBooking)
class RespiteBookingAdmin(ReadOnlyAdmin):
    list_display = ["reference", "allowance", "provider", "start_date", "end_date", "cost", "state"]
    list_filter = ["state"]
