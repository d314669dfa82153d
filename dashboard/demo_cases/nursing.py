"""Nursing's demo case (sign in as officer.east, or as provider.docklands-nursing-home to see it from the portal):

- Mabel Ortiz: a head of service approved her nursing placement out of panel; officer.east published the
  requirement on the nursing DPS and Docklands Nursing Home has bid. Bidding is still open: the officer closes it once
  the closing time has passed, then sends the homes to the social worker for viewings.
"""

from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from accounts.models import User
from catalogue.codes import ServiceCode
from dps import services as dps_services
from dps.models import PurchasingArrangement
from placements import services as placement_services
from placements.models import Placement
from referrals import services as referral_services
from referrals.models import Referral


def seed(*, users, person, plan, providers):
    sw, officer, head = users["social.worker"], users["officer.east"], users["head.of.service"]
    mabel = person(sw, "Mabel", "Ortiz", date(1931, 6, 14), "Riverside North", "E3 2LP", "")
    referral = referral_services.create_referral(
        acting_user=sw,
        person=mabel,
        kind=Referral.Kind.SUPPORT_PLAN,
        service_type=ServiceCode.NURSING,
        details="Needs nursing care day and night after a stroke; discharged from Riverside General next month.",
        plan=plan(sw, mabel, ServiceCode.NURSING, None, Decimal("1100.00")),
    )
    referral_services.record_funding_decision(
        referral, acting_user=head, decision="approved", approved_weekly_amount=Decimal("1100.00")
    )
    referral_services.take_referral(referral, acting_user=officer)
    placement = Placement.objects.get(referral=referral)
    placement_services.publish_requirement(
        placement,
        acting_user=officer,
        preferred_location="Riverside North, near her husband",
        arrangement=PurchasingArrangement.objects.get(service_type="nursing"),
        start_date=date.today() + timedelta(days=28),
        closes_at=timezone.now() + timedelta(days=3),
        quality_weight=60,
        outcomes=["Nursing care day and night, with help to eat and to move safely after a stroke"],
        summary="Nursing care for an older woman recovering from a stroke.",
    )
    requirement = Placement.objects.get(pk=placement.pk).requirement
    dps_services.submit_bid(
        requirement,
        acting_user=User.objects.get(username="provider.docklands-nursing-home"),
        price_basis="weekly",
        price=Decimal("1075.00"),
        answers={
            o.pk: "Registered nurses on every shift; a stroke rehabilitation room is free."
            for o in requirement.outcomes.all()
        },
    )
