"""Before one live referral of a kind for a plan is a rule (0004): a database made earlier may hold
duplicates (the same form sent twice). The first stands; each later one is withdrawn, with a step on its
timeline saying why."""

from django.conf import settings
from django.db import migrations

LIVE_STATES = ("draft", "awaiting_funding", "held_for_risk", "queued", "allocated", "requirement_published",
               "bidding_closed", "provider_selected", "details_shared", "active")


def withdraw_duplicates(apps, schema_editor):
    Referral = apps.get_model("referrals", "Referral")
    ReferralTransition = apps.get_model("referrals", "ReferralTransition")
    standing: dict[tuple, int] = {}
    live = Referral.objects.filter(plan__isnull=False, state__in=LIVE_STATES).order_by("created_at", "id")
    for referral in live:
        key = (referral.plan_id, referral.kind, referral.change)
        if key not in standing:
            standing[key] = referral.pk
            continue
        ReferralTransition.objects.create(
            referral=referral, name="withdraw", source=referral.state, target="withdrawn", by_id=referral.referred_by_id,
            note=f"Withdrawn on upgrade: a duplicate of BR-{standing[key]:06d} for the same plan.",
        )
        Referral.objects.filter(pk=referral.pk).update(state="withdrawn")  # a data repair, not a workflow step


class Migration(migrations.Migration):
    dependencies = [
        ("dps", "0002_bid_dpsrequirement_bid_requirement_outcomestatement_and_more"),
        ("people", "0005_plain_messages_for_hours_and_budget"),
        ("providers", "0001_initial"),
        ("referrals", "0002_remove_referral_referral_allocated_has_officer_and_more"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    # Its own migration, so its own transaction: the constraint's index is built after these rows commit.
    operations = [migrations.RunPython(withdraw_duplicates, migrations.RunPython.noop)]
