from django.contrib import admin

from core.admin import ReadOnlyAdmin

from .models import Concern


@admin.register(Concern)
class ConcernAdmin(ReadOnlyAdmin):
    list_display = ["id", "kind", "routed_to", "status", "created_at"]
