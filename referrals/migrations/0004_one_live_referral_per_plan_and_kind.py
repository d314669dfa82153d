"""One live referral of a kind for a plan: the same form sent twice, or from two tabs, cannot make two."""

from django.db import migrations, models

LIVE_STATES = ("draft", "awaiting_funding", "held_for_risk", "queued", "allocated", "requirement_published",
               "bidding_closed", "provider_selected", "details_shared", "active")


class Migration(migrations.Migration):
    dependencies = [("referrals", "0003_withdraw_duplicate_referrals")]

    operations = [
        migrations.AddConstraint(
            model_name="referral",
            constraint=models.UniqueConstraint(
                condition=models.Q(("plan__isnull", False), ("state__in", LIVE_STATES)),
                fields=("plan", "kind", "change"),
                name="one_live_referral_per_plan_and_kind",
                violation_error_message="There is already a referral of this kind for this plan.",
            ),
        ),
    ]
