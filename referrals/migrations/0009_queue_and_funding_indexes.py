"""Indexes for the officer's own queue (in the queue's order) and for the plans awaiting a funding decision."""

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('catalogue', '0002_rows_for_existing_data'),
        ('people', '0011_delete_fundingdecision'),
        ('referrals', '0008_sourcing_moves_to_commissioning'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddIndex(
            model_name='referral',
            index=models.Index(condition=models.Q(('state__in', ('queued', 'allocated'))), fields=['allocated_to', '-urgent', 'queued_at', 'id'], name='referral_officer_queue'),
        ),
        migrations.AddIndex(
            model_name='referral',
            index=models.Index(condition=models.Q(('state', 'awaiting_funding')), fields=['submitted_at', 'id'], name='referral_awaiting_funding'),
        ),
    ]
