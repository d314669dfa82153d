"""Cases taken step by step through sourcing, as officers and providers take them: every step is a
service call, so permissions, the timeline and the audit trail are as in use.

Each step builds on the one before and returns a `Sourcing`: `allocated` → `published` (open, with
bids) → `closed` → `selected` → `awarded` → `active`, each a step of the referral's commission. The referral comes from
referrals.tests.factories.queued_referral: a 10-hour home care plan funded at £250 a week.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

import factory
import time_machine
from django.utils import timezone

from accounts.roles import Role
from accounts.tests.factories import UserFactory
from brokerage.models import ServiceAgreement
from catalogue.codes import ServiceCode
from commissioning import services as commissioning
from commissioning.models import Commission, CommissionTransition
from dps import services
from dps.models import Bid, DPSRequirement, PurchasingArrangement, SpotContractNotice
from providers.tests.factories import ProviderFactory, ProviderServiceFactory
from purchase_orders.models import PurchaseOrder
from referrals.models import Referral, ReferralTransition
from referrals.services import take_referral
from referrals.tests.factories import queued_referral

SUMMARY = "Morning and evening visits for an older person living alone with early-stage dementia."
OUTCOMES = ["Supports the person to wash and dress each morning", "Prompts medication twice a day"]
APPROVED_WEEKLY = Decimal("250.00")  # what queued_referral's panel approves
PLAN_HOURS = Decimal("10.00")  # the hours in make_plan's plan


class PurchasingArrangementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PurchasingArrangement

    name = factory.Sequence(lambda n: f"Home care DPS {n}")
    kind = PurchasingArrangement.Kind.DPS
    service_type_id = ServiceCode.HOME_CARE
    starts_on = date(2023, 4, 1)

    @classmethod
    def _adjust_kwargs(cls, **kwargs):
        if isinstance(kwargs.get("service_type"), str):  # a test may name the service by its code
            kwargs["service_type_id"] = kwargs.pop("service_type")
        return kwargs


def enrol(provider, arrangement, districts=("E1",)):
    """The provider joins the arrangement for its service, covering these districts."""
    return ProviderServiceFactory(
        provider=provider,
        arrangement=arrangement,
        service_type_id=arrangement.service_type_id,
        districts=list(districts),
    )


def provider_staff(provider=None):
    return UserFactory(roles=[Role.PROVIDER_USER], provider=provider or ProviderFactory())


def bidder(arrangement, districts=("E1",)):
    """A user of a provider enrolled on the arrangement and covering the districts."""
    user = provider_staff()
    enrol(user.provider, arrangement, districts)
    return user


def requirement_fields(arrangement, **overrides) -> dict:
    return {
        "arrangement": arrangement,
        "start_date": timezone.localdate() + timedelta(days=7),
        "closes_at": timezone.now() + timedelta(days=2),
        "summary": SUMMARY,
        "outcomes": list(OUTCOMES),
        "quality_weight": 60,
    } | overrides


def closing_fields(closes_at) -> dict[str, str]:
    """A closing time as the officer types it: the date in the Day, Month and Year boxes, the time as 14:30."""
    closes_at = timezone.localtime(closes_at)
    return {
        "closes_on_day": str(closes_at.day),
        "closes_on_month": str(closes_at.month),
        "closes_on_year": str(closes_at.year),
        "closes_time": f"{closes_at:%H:%M}",
    }


def answers_for(requirement, text="We will, with a regular team of two carers.") -> dict[int, str]:
    return {outcome.pk: text for outcome in requirement.outcomes.all()}


def submit(requirement, user, price=Decimal("20.00"), price_basis=Bid.Basis.HOURLY, **answers) -> Bid:
    return services.submit_bid(
        requirement,
        acting_user=user,
        price_basis=price_basis,
        price=Decimal(price),
        answers=answers_for(requirement, **answers),
    )


def after_closing(requirement):
    """Time moved to just after the requirement's closing time."""
    return time_machine.travel(requirement.closes_at + timedelta(minutes=1))


def score_all(requirement, officer, scores_by_bid: dict | None = None, default: int = 4) -> None:
    """Score every answer: `scores_by_bid` maps a bid to the score for each of its answers."""
    scores_by_bid = scores_by_bid or {}
    scores = {}
    for bid in requirement.bids.all():
        for answer in bid.answers.all():
            scores[answer.pk] = scores_by_bid.get(bid, default)
    services.score_answers(requirement, acting_user=officer, scores=scores)


@dataclass
class Sourcing:
    referral: Referral
    officer: object
    arrangement: PurchasingArrangement
    requirement: DPSRequirement | None = None
    bidders: list = field(default_factory=list)
    bids: list = field(default_factory=list)
    agreement: ServiceAgreement | None = None
    order: PurchaseOrder | None = None
    package: object | None = None  # a packages.models.CarePackage, once active
    version: object | None = None  # its version the order was issued for

    @property
    def commission(self):
        """The referral's commission, read afresh: taking the referral started it."""
        return Commission.objects.get(referral=self.referral)

    def refresh(self) -> "Sourcing":
        self.referral = Referral.objects.get(pk=self.referral.pk)
        if self.requirement is not None:
            self.requirement.refresh_from_db()
        return self


def allocated(person, funder, officer, *, arrangement=None, plan=None) -> Sourcing:
    """A funded plan for the person, taken from the queue by `officer`."""
    plan_fields = {"plan": plan, "service_type": plan.service_type_id} if plan else {}
    referral = queued_referral(person.allocated_worker, person, funder, **plan_fields)
    referral = take_referral(referral, acting_user=officer)
    return Sourcing(Referral.objects.get(pk=referral.pk), officer, arrangement or PurchasingArrangementFactory())


def published(
    person,
    funder,
    officer,
    *,
    prices=(Decimal("22.00"), Decimal("24.00")),
    price_basis=Bid.Basis.HOURLY,
    arrangement=None,
    plan=None,
    **fields,
) -> Sourcing:
    """Out for bids, with one bid per price (hourly unless `price_basis` says), each from its own enrolled provider."""
    case = allocated(person, funder, officer, arrangement=arrangement, plan=plan)
    case.requirement = commissioning.publish_requirement(
        case.commission, acting_user=officer, **requirement_fields(case.arrangement, **fields)
    )
    for price in prices:
        user = bidder(case.arrangement)
        case.bidders.append(user)
        case.bids.append(submit(case.requirement, user, price, price_basis=price_basis))
    return case.refresh()


def closed(person, funder, officer, **kwargs) -> Sourcing:
    """Published and bid on three days ago, bidding closed a day ago, the bids now opened for review."""
    with time_machine.travel(timezone.now() - timedelta(days=3)):
        case = published(person, funder, officer, **kwargs)
    commissioning.close_bidding(case.commission, acting_user=officer)
    return case.refresh()


def selected(person, funder, officer, **kwargs) -> Sourcing:
    """The first bid chosen, every answer scored 4."""
    case = closed(person, funder, officer, **kwargs)
    score_all(case.requirement, officer)
    commissioning.select_bid(case.commission, acting_user=officer, bid=case.bids[0], reason="Best overall score")
    return case.refresh()


def awarded(person, funder, officer, *, start_date=None, **kwargs) -> Sourcing:
    case = selected(person, funder, officer, **kwargs)
    case.agreement = commissioning.award(
        case.commission, acting_user=officer, start_date=start_date or timezone.localdate() + timedelta(days=7)
    )
    return case.refresh()


def active(person, funder, officer, **kwargs) -> Sourcing:
    """The purchase order issued (commissioning.services.issue_purchase_order): the referral and its care package
    active."""
    case = awarded(person, funder, officer, **kwargs)
    case.version = commissioning.issue_purchase_order(case.commission, acting_user=officer)
    case.package, case.order = case.version.package, case.version.purchase_order
    return case.refresh()


def footprint(referral) -> dict:
    """Everything a sourcing step could change, to show a refusal changed nothing."""
    referral = Referral.objects.get(pk=referral.pk)
    commission = Commission.objects.filter(referral=referral).first()
    return {
        "state": referral.state,
        "commission": commission and (commission.state, commission.chosen_provider_id, commission.chosen_bid_id),
        "transitions": ReferralTransition.objects.filter(referral=referral).count(),
        "commission_transitions": CommissionTransition.objects.filter(commission__referral=referral).count(),
        "requirements": sorted(DPSRequirement.objects.values_list("pk", "status", "selected_bid")),
        "bids": sorted(Bid.objects.values_list("pk", "price", "weekly_price")),
        "agreements": ServiceAgreement.objects.count(),
        "orders": PurchaseOrder.objects.count(),
        "notices": SpotContractNotice.objects.count(),
    }
