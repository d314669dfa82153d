from django.contrib import admin

from core.admin import ReadOnlyAdmin

from .models import Approval, ApprovalTransition


@admin.register(Approval)
class ApprovalAdmin(ReadOnlyAdmin):
    list_display = ["plan", "kind", "state", "approved_weekly_amount", "requested_at", "decided_by", "decided_at"]
    list_select_related = ["plan__person", "decided_by"]
    list_filter = ["kind", "state"]


@admin.register(ApprovalTransition)
class ApprovalTransitionAdmin(ReadOnlyAdmin):
    list_display = ["approval", "name", "source", "target", "by", "at"]
    list_select_related = ["approval", "by"]
