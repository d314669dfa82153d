from django.contrib import admin

from core.admin import ReadOnlyAdmin

from .models import CareAndSupportPlan, NeedsAssessment, Person


@admin.register(Person)
class PersonAdmin(ReadOnlyAdmin):
    list_display = ["last_name", "first_name", "area", "allocated_worker"]
    search_fields = ["last_name", "first_name"]


@admin.register(NeedsAssessment)
class NeedsAssessmentAdmin(ReadOnlyAdmin):
    list_display = ["person", "version", "assessed_on"]


@admin.register(CareAndSupportPlan)
class CareAndSupportPlanAdmin(ReadOnlyAdmin):
    list_display = ["person", "version", "service_type", "indicative_weekly_budget"]
    list_select_related = ["person", "service_type"]
