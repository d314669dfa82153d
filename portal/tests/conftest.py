"""A home care package taken through the services as officers and providers take it, step by step:
`open_case` (published, two bids) → `closed_case` → `awarded_case` (the first bidder chosen) →
`active_case` (purchase order issued, its PDF rendered).

Three provider organisations are enrolled on the arrangement and cover E1: `a` (who wins), `b` (who
bids and loses) and `c` (who never bids). The person's details are made distinctive so a search of a
page for them cannot match anything else.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from types import SimpleNamespace

import pytest
import time_machine
from django.utils import timezone

from accounts.roles import Role
from accounts.tests.factories import UserFactory
from catalogue.codes import ServiceCode
from commissioning import services as commissioning
from commissioning.services import issue_purchase_order
from dps import services as dps
from dps.models import Bid, BidAnswer, DPSRequirement, PurchasingArrangement
from people.models import Specialism
from people.tests.factories import make_person, make_plan
from providers.tests.factories import ProviderFactory, ProviderServiceFactory
from purchase_orders.models import PurchaseOrder
from referrals.services import take_referral
from referrals.tests.factories import queued_referral

PERSONAL = {
    "first_name": "Ottoline",
    "last_name": "Quennell-Marwood",
    "date_of_birth": date(1938, 11, 23),
    "nhs_number": "9434765919",
    "address_line_1": "17 Larkspur Mews",
    "address_line_2": "Tidewater Quay",
    "postcode": "E1 6AN",
    "phone": "020 7946 0738",
    "representative_name": "Perpetua Ashdown-Vey",
    "representative_relationship": "Niece",
    "representative_phone": "07700 900418",
}
PLAN = {
    "weekly_hours": Decimal("10.00"),
    "visit_schedule": [
        {"day": "Monday", "time": "08:00", "minutes": 45, "carers": 2},
        {"day": "Thursday", "time": "18:30", "minutes": 30, "carers": 1},
    ],
    "outcomes": "Ottoline wants to keep going to the Thursday lunch club at St Brannoc's hall.",
    "specific_or_complex_needs": "Transfers with a ceiling hoist; carers trained in its use.",
    "required_specialisms": [Specialism.DEMENTIA],
    "preferred_language": "cym",
    "preferred_locations": "The lunch club at St Brannoc's hall",
    "places_to_avoid": "The Gullwing Arcade betting shop",
    "indicative_weekly_budget": Decimal("250.00"),
}
SUMMARY = "Two visits a week for an older person living alone with early-stage dementia, double-handed mornings."
OUTCOMES = ["Supports the person to wash and dress", "Prompts medication and records it"]
WIN_PRICE = Decimal("21.37")  # an hour: £213.70 a week, within the £250 the panel approved
LOSE_PRICE = Decimal("248.88")  # a week


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def provider_user(provider=None, **fields):
    return UserFactory(roles=[Role.PROVIDER_USER], provider=provider or ProviderFactory(), **fields)


def enrolled_user(arrangement, districts=("E1",), **fields):
    """A user of a provider on the arrangement, covering the districts."""
    user = provider_user(**fields)
    ProviderServiceFactory(
        provider=user.provider,
        arrangement=arrangement,
        service_type_id=arrangement.service_type_id,
        districts=list(districts),
    )
    return user


def answers(requirement, text) -> dict[int, str]:
    return {o.pk: f"{text} (outcome {o.position})" for o in requirement.outcomes.all()}


@dataclass
class Case:
    person: object
    plan: object
    referral: object
    officer: object
    arrangement: PurchasingArrangement
    requirement: DPSRequirement
    a: object
    b: object
    c: object
    bids: dict = field(default_factory=dict)
    agreement: object = None
    order: PurchaseOrder | None = None

    def refresh(self) -> "Case":
        self.requirement.refresh_from_db()
        self.referral.refresh_from_db()
        return self


@pytest.fixture
def quennell(social_worker, east_area):
    return make_person(social_worker, east_area, **PERSONAL)


@pytest.fixture
def arrangement(db):
    return PurchasingArrangement.objects.create(
        name="Home care DPS 2023",
        kind=PurchasingArrangement.Kind.DPS,
        service_type_id=ServiceCode.HOME_CARE,
        starts_on=date(2023, 4, 1),
    )


@pytest.fixture
def build(quennell, social_worker, cap_member, officer_east, arrangement, django_capture_on_commit_callbacks):
    """Make the case, then take it as far as asked; background tasks run as each step commits."""

    def publish(*, bid=True) -> Case:
        plan = make_plan(social_worker, quennell, **PLAN)
        referral = take_referral(
            queued_referral(social_worker, quennell, cap_member, plan=plan), acting_user=officer_east
        )
        a = enrolled_user(arrangement, first_name="Alys", last_name="Winner")
        b = enrolled_user(arrangement, first_name="Bryn", last_name="Loser")
        c = enrolled_user(arrangement, first_name="Cerys", last_name="Bystander")
        with django_capture_on_commit_callbacks(execute=True):
            requirement = commissioning.publish_requirement(
                referral.commission,
                acting_user=officer_east,
                arrangement=arrangement,
                start_date=timezone.localdate() + timedelta(days=10),
                closes_at=timezone.now() + timedelta(days=2),
                summary=SUMMARY,
                outcomes=list(OUTCOMES),
                quality_weight=60,
            )
        case = Case(quennell, plan, referral, officer_east, arrangement, requirement, a, b, c)
        if bid:
            case.bids[a] = dps.submit_bid(
                requirement,
                acting_user=a,
                price_basis=Bid.Basis.HOURLY,
                price=WIN_PRICE,
                answers=answers(requirement, "Alys Care will do this"),
            )
            case.bids[b] = dps.submit_bid(
                requirement,
                acting_user=b,
                price_basis=Bid.Basis.WEEKLY,
                price=LOSE_PRICE,
                answers=answers(requirement, "Bryn Homecare will do this"),
            )
        return case.refresh()

    def close(case: Case) -> Case:
        with time_machine.travel(case.requirement.closes_at + timedelta(minutes=1)):
            commissioning.close_bidding(case.referral.commission, acting_user=officer_east)
        return case.refresh()

    def select(case: Case) -> Case:
        scores = {
            a.pk: (5 if a.bid.provider_id == case.a.provider_id else 2)
            for a in BidAnswer.objects.filter(bid__requirement=case.requirement).select_related("bid")
        }
        dps.score_answers(case.requirement, acting_user=officer_east, scores=scores)
        commissioning.select_bid(
            case.referral.commission, acting_user=officer_east, bid=case.bids[case.a], reason="Best overall score"
        )
        return case.refresh()

    def award(case: Case) -> Case:
        with django_capture_on_commit_callbacks(execute=True):
            case.agreement = commissioning.award(
                case.referral.commission, acting_user=officer_east, start_date=timezone.localdate() + timedelta(days=7)
            )
        return case.refresh()

    def issue(case: Case) -> Case:
        with django_capture_on_commit_callbacks(execute=True):
            case.order = issue_purchase_order(case.referral.commission, acting_user=officer_east).purchase_order
        case.order.refresh_from_db()
        return case.refresh()

    def closed() -> Case:
        """Published and bid on three days ago; bidding closed after its closing time."""
        with time_machine.travel(timezone.now() - timedelta(days=3)):
            case = publish()
        return close(case)

    return SimpleNamespace(publish=publish, close=close, select=select, award=award, issue=issue, closed=closed)


@pytest.fixture
def open_case(build) -> Case:
    return build.publish()


@pytest.fixture
def closed_case(build) -> Case:
    return build.closed()


@pytest.fixture
def awarded_case(build) -> Case:
    return build.award(build.select(build.closed()))


@pytest.fixture
def active_case(build, awarded_case) -> Case:
    return build.issue(awarded_case)
