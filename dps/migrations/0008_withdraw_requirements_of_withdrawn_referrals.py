"""A requirement whose referral was withdrawn stayed open for bids (a withdrawal did not reach it). Each one still
open or under review is withdrawn now, as a withdrawal does from here on: not awarded, its step logged as taken by
whoever withdrew the referral, and no e-mail (its bidders were not told of the bids they can no longer win, nor
will be now: a migration sends nothing)."""

from django.db import migrations
from django.utils import timezone


def forwards(apps, schema_editor):
    DPSRequirement = apps.get_model("dps", "DPSRequirement")
    RequirementTransition = apps.get_model("dps", "RequirementTransition")
    ReferralTransition = apps.get_model("referrals", "ReferralTransition")
    stranded = DPSRequirement.objects.filter(status__in=["open", "closed"], referral__state="withdrawn")
    for requirement in stranded.select_related("referral"):
        withdrawal = (
            ReferralTransition.objects.filter(referral_id=requirement.referral_id, name="withdraw").order_by("-at").first()
        )
        by_id = withdrawal.by_id if withdrawal else requirement.published_by_id
        record = RequirementTransition.objects.create(
            requirement=requirement,
            name="withdraw",
            source=requirement.status,
            target="not_awarded",
            by_id=by_id,
            note=(withdrawal.note if withdrawal else "") or "The referral was withdrawn.",
        )
        RequirementTransition.objects.filter(pk=record.pk).update(at=withdrawal.at if withdrawal else timezone.now())
        DPSRequirement.objects.filter(pk=requirement.pk).update(  # the state field refuses a plain assignment
            status="not_awarded", selection_reason="The referral was withdrawn."
        )


class Migration(migrations.Migration):
    dependencies = [
        ("dps", "0007_dpsrequirement_preferred_location"),
        ("referrals", "0008_sourcing_moves_to_commissioning"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
