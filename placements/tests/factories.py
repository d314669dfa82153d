"""Placements taken step by step as the officer, the social worker and the head of service take them: every step is
a service call, so permissions, the log and the audit trail are as in use.

`started` → `published` (two homes bid) → `bids_in` → `viewings` → `viewed` (the cheaper home found suitable) →
`assessment` → `awaiting_cost` → `negotiating` (the home asks £1,000) → `awaiting_fee_approval` (£980, above the
plan's £900) → `fee_agreed` → `admission_set` → `commissioned`.
"""

from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal

import time_machine
from django.utils import timezone

from catalogue.codes import ServiceCode
from dps.models import PurchasingArrangement
from dps.tests.factories import PurchasingArrangementFactory, bidder, requirement_fields, submit
from people.tests.factories import make_plan
from placements import services
from placements.models import Placement
from referrals.models import Referral
from referrals.services import take_referral
from referrals.tests.factories import approve, awaiting_funding_referral

PLAN_AMOUNT = Decimal("900.00")  # what the head of service approves out of panel
HOME_COST = Decimal("1000.00")
NEGOTIATED = Decimal("980.00")
LOCATION = "Near Eastbrook park"
SUMMARY = "A residential home for an older person with dementia who needs help with all personal care."


@dataclass
class Case:
    placement: Placement
    officer: object
    worker: object
    head: object
    arrangement: PurchasingArrangement
    bidders: list = field(default_factory=list)
    bids: list = field(default_factory=list)

    def refresh(self) -> "Case":
        self.placement = Placement.objects.get(pk=self.placement.pk)
        return self

    @property
    def referral(self) -> Referral:
        return Referral.objects.get(pk=self.placement.referral_id)


def residential_referral(worker, person, head, *, service_type=ServiceCode.RESIDENTIAL, amount=PLAN_AMOUNT):
    plan = make_plan(
        worker,
        person,
        service_type=service_type,
        weekly_hours=None,
        indicative_weekly_budget=amount,
        preferred_locations=LOCATION,
    )
    referral = awaiting_funding_referral(worker, person, service_type=service_type, plan=plan)
    approve(referral, head, amount)
    return Referral.objects.get(pk=referral.pk)


def started(person, head, officer, **kwargs) -> Case:
    worker = person.allocated_worker
    referral = take_referral(residential_referral(worker, person, head, **kwargs), acting_user=officer)
    arrangement = PurchasingArrangementFactory(name="Care homes DPS", service_type_id=referral.service_type_id)
    return Case(Placement.objects.get(referral=referral), officer, worker, head, arrangement)


def published(person, head, officer, *, prices=(Decimal("950.00"), Decimal("1100.00")), **kwargs) -> Case:
    case = started(person, head, officer, **kwargs)
    services.publish_requirement(
        case.placement,
        acting_user=officer,
        preferred_location=LOCATION,
        **requirement_fields(case.arrangement, summary=SUMMARY, quality_weight=40),
    )
    case.refresh()
    for price in prices:
        user = bidder(case.arrangement)
        case.bidders.append(user)
        case.bids.append(submit(case.placement.requirement, user, price, price_basis="weekly"))
    return case


def bids_in(person, head, officer, **kwargs) -> Case:
    with time_machine.travel(timezone.now() - timedelta(days=3)):
        case = published(person, head, officer, **kwargs)
    services.close_bidding(case.placement, acting_user=officer)
    return case.refresh()


def viewings(person, head, officer, **kwargs) -> Case:
    case = bids_in(person, head, officer, **kwargs)
    services.send_for_viewings(case.placement, acting_user=officer)
    return case.refresh()


def viewed(person, head, officer, **kwargs) -> Case:
    case = viewings(person, head, officer, **kwargs)
    homes = list(case.placement.homes.order_by("id"))
    services.record_viewing(
        homes[0], acting_user=case.worker, outcome="suitable", viewed_on=timezone.localdate(), notes="Liked the garden"
    )
    services.record_viewing(homes[1], acting_user=case.worker, outcome="not_suitable", viewed_on=timezone.localdate())
    return case.refresh()


def assessment(person, head, officer, **kwargs) -> Case:
    case = viewed(person, head, officer, **kwargs)
    home = case.placement.homes.get(outcome="suitable")
    services.arrange_assessment(
        case.placement, acting_user=officer, home=home, arranged_for=timezone.localdate() + timedelta(days=1)
    )
    return case.refresh()


def awaiting_cost(person, head, officer, **kwargs) -> Case:
    case = assessment(person, head, officer, **kwargs)
    services.record_assessment(case.placement, acting_user=officer, accepted=True, notes="Can meet all needs")
    return case.refresh()


def negotiating(person, head, officer, **kwargs) -> Case:
    case = awaiting_cost(person, head, officer, **kwargs)
    services.record_cost(case.placement, acting_user=officer, weekly_amount=HOME_COST, note="After assessment")
    return case.refresh()


def awaiting_fee_approval(person, head, officer, **kwargs) -> Case:
    case = negotiating(person, head, officer, **kwargs)
    services.add_offer(case.placement, acting_user=officer, offered_by="council", weekly_amount=Decimal("940.00"))
    services.add_offer(case.placement, acting_user=officer, offered_by="provider", weekly_amount=NEGOTIATED)
    services.request_fee_approval(case.placement, acting_user=officer, weekly_fee=NEGOTIATED, note="Dementia care")
    return case.refresh()


def fee_agreed(person, head, officer, **kwargs) -> Case:
    case = awaiting_fee_approval(person, head, officer, **kwargs)
    services.decide_fee(case.placement, acting_user=head, approved=True, notes="Specialist dementia care")
    return case.refresh()


def admission_set(person, head, officer, **kwargs) -> Case:
    case = fee_agreed(person, head, officer, **kwargs)
    services.set_admission_date(
        case.placement, acting_user=case.worker, admission_date=timezone.localdate() + timedelta(days=7)
    )
    return case.refresh()


def commissioned(person, head, officer, **kwargs) -> Case:
    case = admission_set(person, head, officer, **kwargs)
    services.commission(case.placement, acting_user=officer)
    return case.refresh()
