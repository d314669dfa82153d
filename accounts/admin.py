from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from .models import User


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    fieldsets = DjangoUserAdmin.fieldsets + (("Brokerage", {"fields": ("team",)}),)
    list_display = ["username", "first_name", "last_name", "team", "is_active"]
    list_select_related = ["team"]
    list_filter = ["team", "groups", "is_active"]
