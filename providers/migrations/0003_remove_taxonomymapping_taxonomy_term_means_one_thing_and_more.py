"""Service types become catalogue rows; a taxonomy term that maps to no service type had an empty string, now
none."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('catalogue', '0002_rows_for_existing_data'),
        ('providers', '0002_taxonomy_mapping'),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="providerservice", options={"ordering": ["provider__name", "service_type_id"]}
        ),
        migrations.RemoveConstraint(
            model_name='taxonomymapping',
            name='taxonomy_term_means_one_thing',
        ),
        migrations.AlterField(
            model_name='providerservice',
            name='service_type',
            field=models.ForeignKey(db_index=False, db_column='service_type', on_delete=django.db.models.deletion.PROTECT, related_name='+', to='catalogue.servicetype'),
        ),
        migrations.AlterField(
            model_name="taxonomymapping", name="service_type", field=models.CharField(max_length=32, null=True, blank=True)
        ),
        migrations.RunPython(
            lambda apps, schema_editor: apps.get_model("providers", "TaxonomyMapping")
            .objects.filter(service_type="")
            .update(service_type=None),
            migrations.RunPython.noop,
        ),
        migrations.AlterField(
            model_name='taxonomymapping',
            name='service_type',
            field=models.ForeignKey(db_index=False, blank=True, db_column='service_type', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='catalogue.servicetype'),
        ),
        migrations.AddConstraint(
            model_name='taxonomymapping',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('ignored', False), ('service_type__isnull', False), ('specialism', '')), models.Q(('ignored', False), ('service_type__isnull', True), ('specialism__gt', '')), models.Q(('ignored', True), ('service_type__isnull', True), ('specialism', '')), _connector='OR'), name='taxonomy_term_means_one_thing', violation_error_message='Choose one: a service type, a specialism, or not used by Brokerage.'),
        ),
    ]
