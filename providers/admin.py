from django.contrib import admin

from audit.services import diff, record_change, snapshot
from core.admin import AuditedAdmin

from .models import Provider, ProviderService, TaxonomyMapping


class ProviderServiceInline(admin.TabularInline):
    model = ProviderService
    extra = 0
    fields = ["service_type", "arrangement", "districts", "specialisms", "languages", "weekly_hours_capacity"]


@admin.register(Provider)
class ProviderAdmin(AuditedAdmin):
    list_display = ["name", "cqc_rating", "cqc_registration_number", "active", "in_house", "open_referral_id"]
    list_filter = ["active", "in_house", "cqc_rating"]
    search_fields = ["name", "cqc_registration_number", "open_referral_id", "email"]
    readonly_fields = ["created_at", "modified_at", "created_by"]
    inlines = [ProviderServiceInline]

    def save_formset(self, request, form, formset, change):
        """Services changed on the provider's page go on the audit trail too."""
        before = {s.pk: snapshot(s) for s in ProviderService.objects.filter(provider=form.instance)}
        # Recorded first, while each still has its id; the admin's transaction undoes both if the save fails.
        for deleted in formset.deleted_forms:
            if deleted.instance.pk in before:
                record_change(
                    actor=request.user,
                    obj=deleted.instance,
                    summary="Admin: deleted provider service",
                    changes=before[deleted.instance.pk],
                )
        super().save_formset(request, form, formset, change)
        for obj in formset.new_objects:
            record_change(
                actor=request.user,
                obj=obj,
                created=True,
                summary="Admin: added provider service",
                changes=snapshot(obj),
            )
        for obj, _ in formset.changed_objects:
            record_change(
                actor=request.user,
                obj=obj,
                summary="Admin: saved provider service",
                changes=diff(before.get(obj.pk, {}), snapshot(obj)),
            )


@admin.register(ProviderService)
class ProviderServiceAdmin(AuditedAdmin):
    list_display = ["provider", "service_type", "arrangement", "weekly_hours_capacity"]
    list_filter = ["service_type", "arrangement"]
    search_fields = ["provider__name"]
    list_select_related = ["provider", "arrangement", "service_type"]


@admin.register(TaxonomyMapping)
class TaxonomyMappingAdmin(AuditedAdmin):
    """The terms provider directories use, and what each means to us (read by providers.importers)."""

    list_display = ["term", "taxonomy", "meaning"]
    list_select_related = ["service_type"]
    list_filter = ["service_type", "specialism", "ignored"]
    search_fields = ["term", "taxonomy"]
    fields = ["taxonomy", "term", "service_type", "specialism", "ignored"]
