"""The sourcing steps leave the referral for the commission (commissioning 0002 moves the data first): the fields
they wrote go, and the indexes and constraints over its states are remade for the states it keeps."""

import django_fsm
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('catalogue', '0002_rows_for_existing_data'),
        ('people', '0011_delete_fundingdecision'),
        ('referrals', '0007_alter_referral_service_type_alter_referral_team'),
        ('commissioning', '0002_move_sourcing_off_referrals'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name='referral',
            name='referral_allocated_has_officer',
        ),
        migrations.RemoveConstraint(
            model_name='referral',
            name='one_live_referral_per_plan_and_kind',
        ),
        migrations.RemoveIndex(
            model_name='referral',
            name='referral_team_work',
        ),
        migrations.RemoveIndex(
            model_name='referral',
            name='referral_team_queue',
        ),
        migrations.RemoveField(
            model_name='referral',
            name='chosen_bid',
        ),
        migrations.RemoveField(
            model_name='referral',
            name='chosen_provider',
        ),
        migrations.RemoveField(
            model_name='referral',
            name='spot_contract_reason',
        ),
        migrations.AlterField(
            model_name='referral',
            name='state',
            field=django_fsm.FSMField(choices=[('draft', 'Draft'), ('awaiting_funding', 'Awaiting a funding decision'), ('held_for_risk', 'Held until risk strategies are agreed'), ('queued', 'In the team queue'), ('allocated', 'With a brokerage officer'), ('active', 'Active: purchase order issued'), ('options_returned', 'Options returned to the social worker'), ('referred_on', 'Referred on'), ('declined', 'Funding declined'), ('withdrawn', 'Withdrawn')], db_index=True, default='draft', max_length=50, protected=True),
        ),
        migrations.AlterField(
            model_name='referraltransition',
            name='source',
            field=models.CharField(choices=[('draft', 'Draft'), ('awaiting_funding', 'Awaiting a funding decision'), ('held_for_risk', 'Held until risk strategies are agreed'), ('queued', 'In the team queue'), ('allocated', 'With a brokerage officer'), ('active', 'Active: purchase order issued'), ('options_returned', 'Options returned to the social worker'), ('referred_on', 'Referred on'), ('declined', 'Funding declined'), ('withdrawn', 'Withdrawn')], max_length=32),
        ),
        migrations.AlterField(
            model_name='referraltransition',
            name='target',
            field=models.CharField(choices=[('draft', 'Draft'), ('awaiting_funding', 'Awaiting a funding decision'), ('held_for_risk', 'Held until risk strategies are agreed'), ('queued', 'In the team queue'), ('allocated', 'With a brokerage officer'), ('active', 'Active: purchase order issued'), ('options_returned', 'Options returned to the social worker'), ('referred_on', 'Referred on'), ('declined', 'Funding declined'), ('withdrawn', 'Withdrawn')], max_length=32),
        ),
        migrations.AddIndex(
            model_name='referral',
            index=models.Index(condition=models.Q(('state__in', ('queued', 'allocated', 'active'))), fields=['team', 'person'], name='referral_team_work'),
        ),
        migrations.AddIndex(
            model_name='referral',
            index=models.Index(condition=models.Q(('state__in', ('queued', 'allocated'))), fields=['team', '-urgent', 'queued_at', 'id'], include=('state', 'allocated_to', 'due_by'), name='referral_team_queue'),
        ),
        migrations.AddConstraint(
            model_name='referral',
            constraint=models.UniqueConstraint(condition=models.Q(('plan__isnull', False), ('state__in', ('draft', 'awaiting_funding', 'held_for_risk', 'queued', 'allocated', 'active'))), fields=('plan', 'kind', 'change'), name='one_live_referral_per_plan_and_kind', violation_error_message='There is already a referral of this kind for this plan.'),
        ),
        migrations.AddConstraint(
            model_name='referral',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('state__in', ['allocated', 'options_returned', 'active']), _negated=True), ('allocated_to__isnull', False), _connector='OR'), name='referral_allocated_has_officer'),
        ),
    ]
