"""Finance and admin officers already signed up get the reference data permissions added since:
the taxonomy mapping, purchasing arrangements and bank holidays
(accounts.services.REFERENCE_DATA_PERMISSIONS)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

NEW = [
    "view_taxonomymapping",
    "add_taxonomymapping",
    "change_taxonomymapping",
    "delete_taxonomymapping",
    "view_purchasingarrangement",
    "add_purchasingarrangement",
    "change_purchasingarrangement",
    "view_bankholiday",
    "add_bankholiday",
    "change_bankholiday",
    "delete_bankholiday",
]


def grant(apps, schema_editor):
    for label in ("providers", "dps", "core"):  # permissions are made after migrations; these are needed now
        app_config = apps.get_app_config(label)
        app_config.models_module = True  # the migration state's app stub has none; create_permissions asks
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Permission = apps.get_model("auth", "Permission")
    User = apps.get_model("accounts", "User")
    permissions = list(Permission.objects.filter(codename__in=NEW))
    for user in User.objects.filter(groups__name="finance_officer", is_staff=True):
        user.user_permissions.add(*permissions)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_user_provider"),
        ("providers", "0002_taxonomy_mapping"),
        ("dps", "0001_initial"),
        ("core", "0003_bank_holidays"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
