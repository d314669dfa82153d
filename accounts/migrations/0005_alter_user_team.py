"""A user's team becomes a catalogue.Team; a user with no team had an empty string, now none."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0004_reference_data_permissions'),
        ('catalogue', '0002_rows_for_existing_data'),
    ]

    operations = [
        migrations.AlterField(model_name="user", name="team", field=models.CharField(max_length=8, null=True, blank=True)),
        migrations.RunPython(
            lambda apps, schema_editor: apps.get_model("accounts", "User").objects.filter(team="").update(team=None),
            migrations.RunPython.noop,
        ),
        migrations.AlterField(
            model_name='user',
            name='team',
            field=models.ForeignKey(db_index=False, blank=True, db_column='team', help_text='Brokerage officers and team leads belong to a team.', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='members', to='catalogue.team'),
        ),
    ]
