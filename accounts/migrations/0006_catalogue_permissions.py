"""Finance and admin officers already signed up may keep teams and service types too
(accounts.services.REFERENCE_DATA_PERMISSIONS). The per-team groups go: a user's team is now their
catalogue.Team, and nothing read the groups."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

NEW = ["view_team", "add_team", "change_team", "view_servicetype", "change_servicetype"]


def grant(apps, schema_editor):
    app_config = apps.get_app_config("catalogue")
    app_config.models_module = True  # the migration state's app stub has none; create_permissions asks
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Permission = apps.get_model("auth", "Permission")
    User = apps.get_model("accounts", "User")
    permissions = list(Permission.objects.filter(content_type__app_label="catalogue", codename__in=NEW))
    for user in User.objects.filter(groups__name="finance_officer", is_staff=True):
        user.user_permissions.add(*permissions)
    apps.get_model("auth", "Group").objects.filter(name__startswith="brokerage-team-").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0005_alter_user_team"),
        ("catalogue", "0002_rows_for_existing_data"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
