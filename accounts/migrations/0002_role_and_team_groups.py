from django.db import migrations

ROLES = [
    "social_worker", "brokerage_officer", "brokerage_team_lead", "cap_member", "head_of_service", "spa_worker",
    "review_team", "contract_monitoring_officer", "dps_team", "first_response", "monitoring_officer",
    "finance_officer", "provider_user",
]
TEAMS = ["brokerage-team-east", "brokerage-team-west"]


def create_groups(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for name in ROLES + TEAMS:
        Group.objects.get_or_create(name=name)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial"), ("auth", "0012_alter_user_first_name_max_length")]
    operations = [migrations.RunPython(create_groups, migrations.RunPython.noop)]
