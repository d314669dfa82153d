"""Supported living's demo cases (seed_demo's DEMO_CASES), each walked by the services the pages call:

- Jade Morgan: the requirement's bid is in and the officer shared her details with Open Doors Supported Living,
  whose staff (provider.open-doors-supported-living) read them in the portal and send their proposal.
- Owen Price: proposals reviewed, terms agreed with Open Doors and the flat viewed: waiting for the panel
  (cap.member decides on the placement's page, from the home page).
"""

from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from accounts.models import User
from catalogue.codes import ServiceCode
from dps import services as dps_services
from dps.models import DPSRequirement, PurchasingArrangement
from people import services as people_services
from referrals import services as referral_services
from referrals.models import Referral
from supported_living import services
from supported_living.models import SupportedLivingPlacement

PROVIDER_LOGIN = "provider.open-doors-supported-living"


def _plan(worker, person, *, one_to_one_hours: Decimal, places_to_avoid: str):
    assessment = people_services.record_assessment(
        person,
        acting_user=worker,
        assessed_on=date.today() - timedelta(days=21),
        presenting_needs="Leaving the family home; needs support to live independently.",
        eligible_needs="Managing daily tasks; keeping safe; taking part in the community.",
        specific_or_complex_needs="Autism; anxious in busy places.",
    )
    return people_services.create_plan(
        person,
        acting_user=worker,
        assessment=assessment,
        service_type=ServiceCode.SUPPORTED_LIVING,
        weekly_hours=None,
        outcomes="To have my own front door, cook my own meals and go to college.",
        specific_or_complex_needs="Autism; needs a calm home and a consistent staff team.",
        required_specialisms=["autism"],
        places_to_avoid=places_to_avoid,
        provision_kind="self_contained",
        one_to_one_hours=one_to_one_hours,
        indicative_weekly_budget=Decimal("1100.00"),
    )


def _shared(users, person, plan) -> SupportedLivingPlacement:
    """Funded out of panel by the head of service, taken by the East officer, published, one bid, details shared."""
    sw, officer, head = users["social.worker"], users["officer.east"], users["head.of.service"]
    referral = referral_services.create_referral(
        acting_user=sw,
        person=person,
        kind=Referral.Kind.SUPPORT_PLAN,
        service_type=ServiceCode.SUPPORTED_LIVING,
        details="Ready to move on from the family home into supported living.",
        plan=plan,
    )
    referral_services.record_funding_decision(
        referral, acting_user=head, decision="approved", approved_weekly_amount=Decimal("1100.00")
    )
    referral_services.take_referral(referral, acting_user=officer)
    placement = SupportedLivingPlacement.objects.get(referral=referral)
    services.publish_requirement(
        placement,
        acting_user=officer,
        areas_to_avoid="Eastbrook Market",
        arrangement=PurchasingArrangement.objects.get(service_type="supported_living"),
        start_date=date.today() + timedelta(days=28),
        closes_at=timezone.now() + timedelta(days=2),
        quality_weight=60,
        outcomes=["A calm, self-contained home with a consistent staff team"],
        summary="Supported living for a young autistic adult moving on from the family home.",
    )
    requirement = SupportedLivingPlacement.objects.get(pk=placement.pk).requirement
    bid = dps_services.submit_bid(
        requirement,
        acting_user=User.objects.get(username=PROVIDER_LOGIN),
        price_basis="weekly",
        price=Decimal("1180.00"),
        answers={o.pk: "A ground-floor flat in a quiet block with staff on site." for o in requirement.outcomes.all()},
    )
    DPSRequirement.objects.filter(pk=requirement.pk).update(closes_at=timezone.now() - timedelta(hours=1))
    services.close_bidding(placement, acting_user=officer)
    return services.share_details(placement, acting_user=officer, bids=[bid])


def seed(*, users, person, plan, providers):
    sw, officer = users["social.worker"], users["officer.east"]
    jade = person(sw, "Jade", "Morgan", date(2004, 2, 11), "Eastbrook", "E1 4RT", "")
    _shared(
        users,
        jade,
        _plan(sw, jade, one_to_one_hours=Decimal("15"), places_to_avoid="Eastbrook Market: past exploitation."),
    )

    owen = person(sw, "Owen", "Price", date(2001, 9, 30), "Eastbrook", "E1 6LM", "")
    placement = _shared(
        users, owen, _plan(sw, owen, one_to_one_hours=Decimal("20"), places_to_avoid="Eastbrook Market.")
    )
    chosen = placement.chosen.get()
    services.submit_proposal(
        chosen,
        acting_user=User.objects.get(username=PROVIDER_LOGIN),
        one_to_one_hours=Decimal("20"),
        lines={"core": Decimal("620.00"), "one_to_one": Decimal("400.00"), "sleep_in": Decimal("180.00")},
        notes="Assessed at home with his mother.",
    )
    services.review_proposals(placement, acting_user=officer)
    services.record_review(placement, acting_user=officer, preferred=chosen, notes="Within the market rate.")
    services.record_review(placement, acting_user=sw, preferred=chosen, notes="Owen liked the staff team.")
    services.start_negotiation(placement, acting_user=officer)
    services.agree_terms(
        placement,
        acting_user=officer,
        chosen=chosen,
        one_to_one_hours=Decimal("20"),
        weekly_cost=Decimal("1150.00"),
        note="Sleep-in shared with the next flat.",
    )
    services.record_viewing(
        placement, acting_user=sw, suitable=True, viewed_on=date.today(), notes="Owen liked the quiet flat."
    )
