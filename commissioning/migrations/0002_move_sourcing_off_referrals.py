"""Each referral of a commissioned service type that reached an officer gets its commission, at the step its
sourcing had reached, with the provider it chose; the referral goes back to "allocated" (or stays "active"). The
logged sourcing steps move from the referral's log to the commission's; a purchase order's step stays on the
referral as "record commissioned". A referral withdrawn part-way has its commission "stopped". The audit trail is not touched: it already holds every step as it happened."""

from django.db import migrations

COMMISSIONED_HERE = [
    "home_care",
    "reablement",
    "respite",
    "supported_living",
    "shared_lives",
    "day_opportunities",
    "direct_payment",
    "transport",
    "meals",
    "carers_relief",
    "escort",
    "outreach",
]
SOURCING_STATES = ["requirement_published", "bidding_closed", "provider_selected", "details_shared"]
SOURCING_STEPS = [
    "publish_requirement",
    "close_bidding",
    "republish",
    "select_provider",
    "commission_spot_contract",
    "award",
    "issue_purchase_order",
]
# A referral state as the commission's: the rest are named alike.
AS_COMMISSION_STATE = {"allocated": "sourcing", "active": "commissioned"}


def _commission_state(referral, steps) -> str:
    if referral.state in SOURCING_STATES:
        return referral.state
    if referral.state == "active":
        return "commissioned"
    if referral.state == "withdrawn":  # withdrawn part-way: its sourcing stopped (commissioning 0003 names the state)
        return "stopped"
    return "sourcing"


def forwards(apps, schema_editor):
    Referral = apps.get_model("referrals", "Referral")
    ReferralTransition = apps.get_model("referrals", "ReferralTransition")
    Commission = apps.get_model("commissioning", "Commission")
    CommissionTransition = apps.get_model("commissioning", "CommissionTransition")
    candidates = Referral.objects.filter(service_type_id__in=COMMISSIONED_HERE).exclude(kind="sourcing_support")
    for referral in candidates.iterator():
        steps = list(
            ReferralTransition.objects.filter(referral=referral, name__in=SOURCING_STEPS).order_by("at", "id")
        )
        if not steps and referral.state not in ("allocated", "active", *SOURCING_STATES):
            continue  # never reached an officer (or reached one and ended before any sourcing): nothing to move
        commission = Commission.objects.create(
            referral=referral,
            state=_commission_state(referral, steps),
            chosen_provider_id=referral.chosen_provider_id,
            chosen_bid_id=referral.chosen_bid_id,
            spot_contract_reason=referral.spot_contract_reason,
        )
        Commission.objects.filter(pk=commission.pk).update(created_at=referral.allocated_at or referral.created_at)
        moved = CommissionTransition.objects.bulk_create(
            CommissionTransition(
                commission=commission,
                name=step.name,
                source=AS_COMMISSION_STATE.get(step.source, step.source),
                target=AS_COMMISSION_STATE.get(step.target, step.target),
                by_id=step.by_id,
                note=step.note,
            )
            for step in steps
        )
        for record, step in zip(moved, steps, strict=True):
            record.at = step.at  # auto_now_add set it to now
        CommissionTransition.objects.bulk_update(moved, ["at"])
        ordered = [s.pk for s in steps if s.name == "issue_purchase_order"]
        ReferralTransition.objects.filter(pk__in=ordered).update(
            name="record_commissioned", source="allocated", target="active"
        )
        ReferralTransition.objects.filter(pk__in=[s.pk for s in steps if s.pk not in ordered]).delete()
    Referral.objects.filter(state__in=SOURCING_STATES).update(state="allocated")


class Migration(migrations.Migration):
    dependencies = [
        ("commissioning", "0001_initial"),
        ("referrals", "0007_alter_referral_service_type_alter_referral_team"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
