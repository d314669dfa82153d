"""What more than one demo case makes the same way."""

from datetime import date
from decimal import Decimal

from catalogue.codes import ServiceCode
from commissioning import services as commissioning
from commissioning.models import Commission
from providers.models import Provider
from referrals import services as referral_services
from referrals.models import Referral


def running_home_care(p, plan, *, officer, funder, hours, provider):
    """Home care for `p` from today, commissioned on a spot contract by the services the pages call: its package
    is active, its order issued. Returns the commission."""
    sw = p.allocated_worker
    referral = referral_services.create_referral(
        acting_user=sw,
        person=p,
        kind=Referral.Kind.SUPPORT_PLAN,
        service_type=ServiceCode.HOME_CARE,
        details="Morning support at home.",
        plan=plan(sw, p, ServiceCode.HOME_CARE, hours, (hours * 25).quantize(Decimal("0.01"))),
    )
    referral_services.record_funding_decision(
        referral,
        acting_user=funder,
        decision="approved",
        approved_weekly_amount=(hours * 25).quantize(Decimal("0.01")),
    )
    referral_services.take_referral(referral, acting_user=officer)
    commission = Commission.objects.get(referral=referral)
    commissioning.commission_spot_contract(
        commission,
        acting_user=officer,
        provider=Provider.objects.get(name=provider),
        reason="The only provider with a carer for these times",
    )
    commissioning.award(commission, acting_user=officer, start_date=date.today(), hourly_rate=Decimal("22.50"))
    commissioning.issue_purchase_order(commission, acting_user=officer)
    return commission
