from django.contrib import admin

from core.admin import ReadOnlyAdmin

from .models import Referral, ReferralTransition


@admin.register(Referral)
class ReferralAdmin(ReadOnlyAdmin):
    list_display = ["id", "person", "kind", "service_type", "state", "team", "allocated_to"]
    list_select_related = ["person", "service_type", "team", "allocated_to"]
    list_filter = ["state", "team", "kind"]


@admin.register(ReferralTransition)
class ReferralTransitionAdmin(ReadOnlyAdmin):
    list_display = ["referral", "name", "source", "target", "by", "at"]
