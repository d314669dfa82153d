from django.contrib import admin

from core.admin import AuditedAdmin

from .models import ServiceType, Team


@admin.register(Team)
class TeamAdmin(AuditedAdmin):
    """Teams are plain data: a new one needs areas (Areas) and its officers and leads (Users)."""

    list_display = ["name", "code", "email"]
    search_fields = ["name", "code"]

    def get_readonly_fields(self, request, obj=None):
        return ["code"] if obj else []  # other tables refer to a team by its code


@admin.register(ServiceType)
class ServiceTypeAdmin(AuditedAdmin):
    """Names, whether a service is offered and what a refused referral is told are the council's to keep;
    which workflow a service follows is the code's, so services are not added or deleted here."""

    list_display = ["name", "code", "offered", "follows", "position"]
    list_editable = ["offered", "position"]
    list_filter = ["offered"]
    fields = ["code", "follows", "name", "offered", "refusal", "position"]
    readonly_fields = ["code", "follows"]

    @admin.display(description="What Brokerage does with it")
    def follows(self, obj: ServiceType) -> str:
        if not obj.is_brokered:
            return "Turns the referral away, saying where it should go"
        if obj.is_referral_only:
            return "Records the referral and where it went; nothing is sourced"
        funding = "a head of service's out-of-panel approval" if obj.needs_out_of_panel_approval else "the panel"
        return f"Sources and commissions it, funded through {funding}"

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
