"""Supported living placements taken step by step as each role takes them: every step is a service call, so
permissions, the log and the audit trail are as in use.

`started` → `published` (two providers bid) → `bids_in` → `assessments` (both bidders chosen) → `proposed` (both
sent proposals) → `joint_review` → `reviewed` (officer and social worker) → `negotiating` → `viewing` (£1,150 with
the first) → `awaiting_funding` (viewed as suitable) → `funded` (the panel approves £1,200) → `commissioned`.
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
from referrals.models import Referral
from referrals.services import take_referral
from referrals.tests.factories import approve, awaiting_funding_referral
from supported_living import services
from supported_living.models import ChosenProvider, SupportedLivingPlacement

OUT_OF_PANEL = Decimal("1100.00")  # the head of service's out-of-panel approval
AGREED = Decimal("1150.00")
PANEL = Decimal("1200.00")
SUMMARY = "Supported living for a young adult with autism who needs a calm, quiet home and a consistent team."
AREAS = "N17, Tottenham Hale"
PLACES_TO_AVOID = "Tottenham Hale: past exploitation by a group there."
LINES = {"core": Decimal("600.00"), "one_to_one": Decimal("450.00"), "sleep_in": Decimal("200.00")}


@dataclass
class Case:
    placement: SupportedLivingPlacement
    officer: object
    worker: object
    head: object
    cap: object
    arrangement: PurchasingArrangement
    bidders: list = field(default_factory=list)
    bids: list = field(default_factory=list)

    def refresh(self) -> "Case":
        self.placement = SupportedLivingPlacement.objects.get(pk=self.placement.pk)
        return self

    @property
    def referral(self) -> Referral:
        return Referral.objects.get(pk=self.placement.referral_id)

    def chosen(self) -> list[ChosenProvider]:
        return list(self.placement.chosen.order_by("id"))


def supported_living_referral(worker, person, head, *, amount=OUT_OF_PANEL):
    plan = make_plan(
        worker,
        person,
        service_type=ServiceCode.SUPPORTED_LIVING,
        weekly_hours=None,
        indicative_weekly_budget=amount,
        provision_kind="self_contained",
        one_to_one_hours=Decimal("20.00"),
        places_to_avoid=PLACES_TO_AVOID,
    )
    referral = awaiting_funding_referral(worker, person, service_type=ServiceCode.SUPPORTED_LIVING, plan=plan)
    approve(referral, head, amount)
    return Referral.objects.get(pk=referral.pk)


def started(person, head, officer, cap) -> Case:
    worker = person.allocated_worker
    referral = take_referral(supported_living_referral(worker, person, head), acting_user=officer)
    arrangement = PurchasingArrangementFactory(name="Supported living DPS", service_type_id=referral.service_type_id)
    return Case(SupportedLivingPlacement.objects.get(referral=referral), officer, worker, head, cap, arrangement)


def published(person, head, officer, cap, *, prices=(Decimal("1150.00"), Decimal("1300.00"))) -> Case:
    case = started(person, head, officer, cap)
    services.publish_requirement(
        case.placement,
        acting_user=officer,
        areas_to_avoid=AREAS,
        **requirement_fields(case.arrangement, summary=SUMMARY, quality_weight=50),
    )
    case.refresh()
    for price in prices:
        user = bidder(case.arrangement)
        case.bidders.append(user)
        case.bids.append(submit(case.placement.requirement, user, price, price_basis="weekly"))
    return case


def bids_in(person, head, officer, cap, **kwargs) -> Case:
    with time_machine.travel(timezone.now() - timedelta(days=3)):
        case = published(person, head, officer, cap, **kwargs)
    services.close_bidding(case.placement, acting_user=officer)
    return case.refresh()


def assessments(person, head, officer, cap, **kwargs) -> Case:
    case = bids_in(person, head, officer, cap, **kwargs)
    services.share_details(case.placement, acting_user=officer, bids=case.bids)
    return case.refresh()


def proposed(person, head, officer, cap, **kwargs) -> Case:
    case = assessments(person, head, officer, cap, **kwargs)
    first, second = case.chosen()
    services.submit_proposal(first, acting_user=case.bidders[0], one_to_one_hours=Decimal("20"), lines=LINES)
    services.submit_proposal(
        second,
        acting_user=officer,
        one_to_one_hours=Decimal("18"),
        lines={"core": Decimal("700.00"), "one_to_one": Decimal("600.00")},
        notes="Sent by e-mail",
    )
    return case.refresh()


def joint_review(person, head, officer, cap, **kwargs) -> Case:
    case = proposed(person, head, officer, cap, **kwargs)
    services.review_proposals(case.placement, acting_user=officer)
    return case.refresh()


def reviewed(person, head, officer, cap, **kwargs) -> Case:
    case = joint_review(person, head, officer, cap, **kwargs)
    first = case.chosen()[0]
    services.record_review(case.placement, acting_user=officer, notes="Best value for the hours", preferred=first)
    services.record_review(case.placement, acting_user=case.worker, notes="Quiet, suits the person", preferred=first)
    return case.refresh()


def negotiating(person, head, officer, cap, **kwargs) -> Case:
    case = reviewed(person, head, officer, cap, **kwargs)
    services.start_negotiation(case.placement, acting_user=officer)
    return case.refresh()


def viewing(person, head, officer, cap, **kwargs) -> Case:
    case = negotiating(person, head, officer, cap, **kwargs)
    services.agree_terms(
        case.placement,
        acting_user=officer,
        chosen=case.chosen()[0],
        one_to_one_hours=Decimal("20"),
        weekly_cost=AGREED,
        note="Sleep-in reduced",
    )
    return case.refresh()


def awaiting_funding(person, head, officer, cap, **kwargs) -> Case:
    case = viewing(person, head, officer, cap, **kwargs)
    services.record_viewing(
        case.placement, acting_user=case.worker, suitable=True, viewed_on=timezone.localdate(), notes="Liked the flat"
    )
    return case.refresh()


def funded(person, head, officer, cap, **kwargs) -> Case:
    case = awaiting_funding(person, head, officer, cap, **kwargs)
    services.decide_funding(
        case.placement, acting_user=cap, decision="approved", approved_weekly_amount=PANEL, notes="Agreed at panel"
    )
    return case.refresh()


def commissioned(person, head, officer, cap, **kwargs) -> Case:
    case = funded(person, head, officer, cap, **kwargs)
    services.commission(
        case.placement,
        acting_user=officer,
        start_date=timezone.localdate() + timedelta(days=14),
        provision_address="Flat 2, 10 Mill Lane, London N15 3AB",
    )
    return case.refresh()
