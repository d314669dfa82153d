"""Demo data for `make run`: one login per role, two teams, people with plans and referrals in
several states. Runs once; a second run changes nothing."""

import re
from datetime import date, timedelta
from decimal import Decimal
from importlib import import_module

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from accounts.roles import Role
from accounts.services import create_staff_user
from brokerage.models import Area
from brokerage.services import log_contact
from catalogue.codes import ServiceCode
from catalogue.models import Team
from changes import services as change_services
from changes.models import PackageChange
from commissioning import services as commissioning
from commissioning.models import Commission
from concerns.services import raise_concern
from core.models import BankHoliday
from dashboard import demo_invoices
from dashboard.demo_cases.common import running_home_care
from dps import services as dps_services
from dps.models import DPSRequirement, PurchasingArrangement
from people import services as people_services
from placements import services as placement_services
from placements.models import Placement
from providers.models import Provider, ProviderService, TaxonomyMapping
from reablement import services as reablement_services
from referrals import services as referral_services
from referrals.models import Referral

DEMO_PASSWORD = "demo-password-2026"

# A service type's own demo case lives beside this command, in dashboard/demo_cases/<app>.py: each is
# seed(*, users, person, plan, providers), where person(worker, first, last, dob, area, postcode, nhs) and
# plan(worker, person, service, hours, budget) make what the cases here make, and providers is by name.
DEMO_CASES = ("nursing", "respite", "supported_living", "shared_lives", "simple_services", "call_monitoring")

DEMO_USERS = [
    ("social.worker", [Role.SOCIAL_WORKER], "", "Sam", "Okafor"),
    ("social.worker2", [Role.SOCIAL_WORKER], "", "Priya", "Shah"),
    ("officer.east", [Role.BROKERAGE_OFFICER], "east", "Eddie", "Marsh"),
    ("officer.west", [Role.BROKERAGE_OFFICER], "west", "Wendy", "Lowe"),
    ("lead.east", [Role.TEAM_LEAD], "east", "Lena", "Adeyemi"),
    ("lead.west", [Role.TEAM_LEAD], "west", "Liam", "Walsh"),
    ("cap.member", [Role.CAP_MEMBER], "", "Carol", "Penn"),
    ("head.of.service", [Role.HEAD_OF_SERVICE], "", "Hugo", "Stanton"),
    ("spa.worker", [Role.SPA_WORKER], "", "Sofia", "Pereira"),
    ("review.team", [Role.REVIEW_TEAM], "", "Rita", "Vance"),
    ("contract.monitoring", [Role.CONTRACT_MONITORING], "", "Conor", "Mills"),
    ("dps.team", [Role.DPS_TEAM], "", "Dana", "Price"),
    ("first.response", [Role.FIRST_RESPONSE], "", "Farah", "Rahman"),
    ("monitoring.officer", [Role.MONITORING_OFFICER], "", "Martin", "Ogden"),
    ("finance.officer", [Role.FINANCE_OFFICER], "", "Fiona", "Grant"),
    ("provider.user", [Role.PROVIDER_USER], "", "Pat", "Kowalski"),
    ("provider.user2", [Role.PROVIDER_USER], "", "Quinn", "Adebayo"),
]
# Which demo provider each provider user works for.
PROVIDER_OF = {"provider.user": "Brightcare Homecare Ltd", "provider.user2": "Careway Support"}

ALL_DISTRICTS = ["E1", "E2", "E3", "E14", "W2", "W6", "W9"]
# (name, CQC rating, service type, on the framework?, districts, specialisms, capacity in hours a week)
PROVIDERS = [
    ("Brightcare Homecare Ltd", "good", "home_care", True, ["E1", "E3", "E14"], ["dementia"], 60),
    ("Careway Support", "outstanding", "home_care", True, ["E1", "E2", "W2"], ["dementia", "learning_disability"], 40),
    ("Westside Care", "requires_improvement", "home_care", True, ["W2", "W6", "W9"], ["physical_disability"], 80),
    ("Homely Hands", "good", "home_care", False, ["E1", "E3"], [], 20),
    ("Riverside Reablement", "good", "reablement", True, ["E1", "E3", "W2", "W6"], [], 100),
    # One member on the arrangement for every other service Brokerage arranges, covering both teams' districts.
    ("Thameside Care Homes", "good", "residential", True, ALL_DISTRICTS, ["dementia", "end_of_life"], None),
    ("Docklands Nursing Home", "outstanding", "nursing", True, ALL_DISTRICTS, ["complex_care"], None),
    ("Harbour House Short Breaks", "good", "respite", True, ALL_DISTRICTS, ["learning_disability"], None),
    ("Open Doors Supported Living", "good", "supported_living", True, ALL_DISTRICTS, ["autism"], 120),
    ("Riverside Shared Lives Scheme", "outstanding", "shared_lives", True, ALL_DISTRICTS, [], None),
    ("Millwall Day Centre", "good", "day_opportunities", True, ALL_DISTRICTS, ["dementia"], None),
    ("Riverside Council Day Centre, Brook Road", "good", "day_opportunities", False, ALL_DISTRICTS, [], None),
    ("Direct Payments Support Service", "not_rated", "direct_payment", True, ALL_DISTRICTS, [], None),
    ("Riverside Community Transport", "not_rated", "transport", True, ALL_DISTRICTS, [], None),
    ("Hot Meals Riverside", "not_rated", "meals", True, ALL_DISTRICTS, [], None),
    ("Carers Relief Riverside", "good", "carers_relief", True, ALL_DISTRICTS, [], 40),
    ("Safe Escort Services", "not_rated", "escort", True, ALL_DISTRICTS, [], None),
    ("Reach Out Community Support", "good", "outreach", True, ALL_DISTRICTS, ["mental_health"], 60),
    ("Westgate Extra Care Court", "good", "extra_care", True, ALL_DISTRICTS, [], None),
    ("Carers Centre Riverside", "not_rated", "carers_support", True, ALL_DISTRICTS, [], None),
]


# The council's own services (providers.Provider.in_house): a place there is arranged with no requirement or bid.
IN_HOUSE = {"Riverside Council Day Centre, Brook Road"}


def provider_slug(name: str) -> str:
    """'Brightcare Homecare Ltd' is brightcare-homecare-ltd: for a demo provider's login and e-mail."""
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


# What the terms of the council's own provider directory mean (providers/demo/riverside_services_page.json):
# (taxonomy, or "" for any; the term's code or label; service type; specialism)
TAXONOMY_MAPPINGS = [
    ("Riverside adult social care services", "ASC-HC", "home_care", ""),
    ("Riverside adult social care services", "ASC-RES", "residential", ""),
    ("Riverside adult social care services", "ASC-SL", "supported_living", ""),
    ("Riverside adult social care services", "ASC-REA", "reablement", ""),
    ("", "People living with dementia", "", "dementia"),
    ("", "Learning disabilities", "", "learning_disability"),
    ("", "Autistic adults", "", "autism"),
    ("", "End of life", "", "end_of_life"),
]

# England and Wales (www.gov.uk/bank-holidays), for the routine sourcing target's working days.
BANK_HOLIDAYS = [
    (date(2026, 1, 1), "New Year's Day"),
    (date(2026, 4, 3), "Good Friday"),
    (date(2026, 4, 6), "Easter Monday"),
    (date(2026, 5, 4), "Early May bank holiday"),
    (date(2026, 5, 25), "Spring bank holiday"),
    (date(2026, 8, 31), "Summer bank holiday"),
    (date(2026, 12, 25), "Christmas Day"),
    (date(2026, 12, 28), "Boxing Day (substitute day)"),
    (date(2027, 1, 1), "New Year's Day"),
    (date(2027, 3, 26), "Good Friday"),
    (date(2027, 3, 29), "Easter Monday"),
    (date(2027, 5, 3), "Early May bank holiday"),
    (date(2027, 5, 31), "Spring bank holiday"),
    (date(2027, 8, 30), "Summer bank holiday"),
    (date(2027, 12, 27), "Christmas Day (substitute day)"),
    (date(2027, 12, 28), "Boxing Day (substitute day)"),
]

TEAMS = [("east", "East"), ("west", "West")]
AREAS = [
    ("Eastbrook", "east"),
    ("Millwall Reach", "east"),
    ("Riverside North", "east"),
    ("Westgate", "west"),
    ("Hollins Park", "west"),
    ("St Anne's", "west"),
]


class Command(BaseCommand):
    help = "Load demo users and cases, once."

    def handle(self, *args, **options):
        if User.objects.filter(username="officer.east").exists():
            self.stdout.write("Demo data already loaded.")
            return
        with transaction.atomic():
            self._load()
        self.stdout.write(self.style.SUCCESS(f"Demo data loaded. Every demo login's password is {DEMO_PASSWORD}"))

    def _published(self, users, p, plan, *, details, outcomes, summary):
        """A funded home care plan for `p`, taken by the East officer and put out for bids closing in two days."""
        sw, officer, cap = users["social.worker"], users["officer.east"], users["cap.member"]
        referral = referral_services.create_referral(
            acting_user=sw,
            person=p,
            kind=Referral.Kind.SUPPORT_PLAN,
            service_type=ServiceCode.HOME_CARE,
            details=details,
            plan=plan(sw, p, ServiceCode.HOME_CARE, Decimal("7"), Decimal("200.00")),
        )
        referral_services.record_funding_decision(
            referral, acting_user=cap, decision="approved", approved_weekly_amount=Decimal("200.00")
        )
        referral_services.take_referral(referral, acting_user=officer)
        requirement = commissioning.publish_requirement(
            Commission.objects.get(referral=referral),
            acting_user=officer,
            arrangement=PurchasingArrangement.objects.get(service_type="home_care"),
            start_date=date.today() + timedelta(days=10),
            closes_at=timezone.now() + timedelta(days=2),
            quality_weight=60,
            outcomes=outcomes,
            summary=summary,
        )
        return referral, requirement

    def _bids_then_closing_time(self, users, requirement, prices, answer) -> list:
        """A bid from each demo provider user at its hourly price; then, demo only, the closing time is made to
        have passed, so the officer can review the bids at once."""
        bids = [
            dps_services.submit_bid(
                requirement,
                acting_user=users[username],
                price_basis="hourly",
                price=price,
                answers={o.pk: answer for o in requirement.outcomes.all()},
            )
            for username, price in zip(["provider.user", "provider.user2"], prices, strict=True)
        ]
        DPSRequirement.objects.filter(pk=requirement.pk).update(closes_at=timezone.now() - timedelta(hours=1))
        return bids

    def _sourcing(self, users, areas, person, plan):
        """One package open for bids now, and one whose bidding has closed with two bids to review."""
        requirements = [
            self._published(
                users,
                person(users["social.worker"], first, last, dob, "Eastbrook", postcode, ""),
                plan,
                details="Needs morning support at home.",
                outcomes=[
                    "Support with washing and dressing each morning, at the person's pace",
                    "Prompt and record medication as set out in the plan",
                    "Help to prepare a hot lunch and encourage eating",
                ],
                summary="Older person living alone with early-stage dementia; needs a consistent, patient carer "
                "for three morning visits a week.",
            )[1]
            for first, last, dob, postcode in [
                ("Harriet", "Lane", date(1939, 5, 14), "E1 2AB"),
                ("Ivy", "Moss", date(1944, 8, 30), "E1 4CD"),
            ]
        ]
        self._bids_then_closing_time(
            users,
            requirements[1],
            [Decimal("24.50"), Decimal("22.00")],
            "Our dementia-trained carers will do this, with the same carer each visit.",
        )

    def _active_package(self, users, person, plan):
        """One home care case walked all the way through, by the same services the pages call: its care package
        is active, with its first version and purchase order."""
        officer = users["officer.east"]
        jean = person(users["social.worker"], "Jean", "Price", date(1941, 2, 11), "Eastbrook", "E1 6EF", "")
        referral, requirement = self._published(
            users,
            jean,
            plan,
            details="Needs morning support at home after a hospital stay.",
            outcomes=["Support with washing and dressing each morning, at the person's pace"],
            summary="Older person home from hospital; needs three morning visits a week.",
        )
        bids = self._bids_then_closing_time(
            users,
            requirement,
            [Decimal("23.00"), Decimal("22.00")],
            "Our carers will do this, with the same carer each visit.",
        )
        referral.refresh_from_db()
        commissioning.close_bidding(Commission.objects.get(referral=referral), acting_user=officer)
        dps_services.score_answers(
            requirement,
            acting_user=officer,
            scores={answer.pk: 4 for bid in bids for answer in bid.answers.all()},
        )
        commissioning.select_bid(
            Commission.objects.get(referral=referral),
            acting_user=officer,
            bid=bids[1],
            reason="Same quality, lower price",
        )
        commissioning.award(
            Commission.objects.get(referral=referral), acting_user=officer, start_date=date.today() + timedelta(days=10)
        )
        commissioning.issue_purchase_order(Commission.objects.get(referral=referral), acting_user=officer)

    def _changes(self, users, person, plan):
        """Changes to running home care, one at each interesting step: a suspension in effect (hospital admission,
        recommencement not yet known), a temporary increase running and a reduction held for risk (Fay, below),
        and a suspension waiting in the East queue."""
        sw, officer, cap = users["social.worker"], users["officer.east"], users["cap.member"]
        hal = person(sw, "Hal", "Ibrahim", date(1938, 1, 19), "Eastbrook", "E2 7QT", "")
        running_home_care(hal, plan, officer=officer, funder=cap, hours=Decimal("7.5"), provider="Homely Hands")
        suspension = referral_services.create_referral(
            acting_user=sw,
            person=hal,
            kind=Referral.Kind.CHANGE,
            change=Referral.Change.SUSPEND,
            service_type=ServiceCode.HOME_CARE,
            details="Admitted to Riverside General after a fall; no date for discharge yet.",
            effective_date=date.today(),
        )
        referral_services.take_referral(suspension, acting_user=officer)
        change_services.arrange(
            PackageChange.objects.get(referral=suspension),
            acting_user=officer,
            provider_told_on=date.today(),
            provider_told_how="Rang Homely Hands' coordinator, Priya",
            starts_on=date.today(),
            reason="hospital",
            detail="Riverside General, ward 7",
        )
        # A temporary increase while the person's daughter is away: back to 5 hours in three weeks.
        iris = person(sw, "Iris", "Chen", date(1944, 6, 3), "Eastbrook", "E3 4LB", "")
        running_home_care(iris, plan, officer=officer, funder=cap, hours=Decimal("5"), provider="Homely Hands")
        increase = referral_services.create_referral(
            acting_user=sw,
            person=iris,
            kind=Referral.Kind.CHANGE,
            change=Referral.Change.INCREASE,
            service_type=ServiceCode.HOME_CARE,
            plan=plan(sw, iris, ServiceCode.HOME_CARE, Decimal("9"), Decimal("225.00")),
            details="Daughter away for three weeks: evening visits too.",
            effective_date=date.today() + timedelta(days=1),
            end_date=date.today() + timedelta(days=22),
        )
        referral_services.record_funding_decision(
            increase, acting_user=cap, decision="approved", approved_weekly_amount=Decimal("225.00")
        )
        referral_services.take_referral(increase, acting_user=officer)
        change_services.arrange(
            PackageChange.objects.get(referral=increase),
            acting_user=officer,
            provider_told_on=date.today(),
            provider_told_how="E-mailed the revised schedule to Homely Hands",
            starts_on=date.today() + timedelta(days=1),
            ends_on=date.today() + timedelta(days=22),
        )
        # A suspension for a holiday, waiting in the East queue for an officer.
        kit = person(sw, "Kit", "Osei", date(1950, 11, 8), "Eastbrook", "E14 2DR", "")
        running_home_care(kit, plan, officer=officer, funder=cap, hours=Decimal("4"), provider="Homely Hands")
        referral_services.create_referral(
            acting_user=sw,
            person=kit,
            kind=Referral.Kind.CHANGE,
            change=Referral.Change.SUSPEND,
            service_type=ServiceCode.HOME_CARE,
            details="Two weeks with family in Leeds.",
            effective_date=date.today() + timedelta(days=14),
            end_date=date.today() + timedelta(days=28),
        )

    def _placement_costed(self, users, p, plan, *, details, outcome, viewing_notes, cost) -> Placement:
        """A residential placement for `p`, walked by the services the pages call to the fee negotiation: funded by
        the head of service, taken by the East officer, a bid from Thameside Care Homes, the home viewed and found
        suitable by the social worker, its assessment accepted and its weekly cost recorded."""
        sw, officer, head = users["social.worker"], users["officer.east"], users["head.of.service"]
        referral = referral_services.create_referral(
            acting_user=sw,
            person=p,
            kind=Referral.Kind.SUPPORT_PLAN,
            service_type=ServiceCode.RESIDENTIAL,
            details=details,
            plan=plan(sw, p, ServiceCode.RESIDENTIAL, None, Decimal("850.00")),
        )
        referral_services.record_funding_decision(
            referral, acting_user=head, decision="approved", approved_weekly_amount=Decimal("850.00")
        )
        referral_services.take_referral(referral, acting_user=officer)
        placement = Placement.objects.get(referral=referral)
        placement_services.publish_requirement(
            placement,
            acting_user=officer,
            preferred_location="Eastbrook or nearby",
            arrangement=PurchasingArrangement.objects.get(service_type="residential"),
            start_date=date.today() + timedelta(days=14),
            closes_at=timezone.now() + timedelta(days=2),
            quality_weight=60,
            outcomes=[outcome],
            summary="Residential care for an older person with dementia who can no longer live safely at home.",
        )
        requirement = Placement.objects.get(pk=placement.pk).requirement
        dps_services.submit_bid(
            requirement,
            acting_user=User.objects.get(username="provider.thameside-care-homes"),
            price_basis="weekly",
            price=cost,
            answers={o.pk: "Our dementia unit has a ground-floor room free." for o in requirement.outcomes.all()},
        )
        DPSRequirement.objects.filter(pk=requirement.pk).update(closes_at=timezone.now() - timedelta(hours=1))
        placement_services.close_bidding(placement, acting_user=officer)
        placement_services.send_for_viewings(placement, acting_user=officer)
        home = placement.homes.get()
        placement_services.record_viewing(
            home, acting_user=sw, outcome="suitable", viewed_on=date.today(), notes=viewing_notes
        )
        placement_services.arrange_assessment(
            placement, acting_user=officer, home=home, arranged_for=date.today() + timedelta(days=1)
        )
        placement_services.record_assessment(placement, acting_user=officer, accepted=True, notes="Needs can be met.")
        placement_services.record_cost(placement, acting_user=officer, weekly_amount=cost)
        return placement

    def _placement_awaiting_fee_approval(self, users, person, plan):
        """Hilda Baxter's residential placement, walked to the head of service's fee approval: the home viewed,
        assessed and accepted, its cost negotiated above the plan's amount."""
        officer = users["officer.east"]
        hilda = person(users["social.worker"], "Hilda", "Baxter", date(1934, 10, 3), "Eastbrook", "E1 5GH", "")
        placement = self._placement_costed(
            users,
            hilda,
            plan,
            details="Can no longer live safely at home; would like to stay near Eastbrook.",
            outcome="A room on the ground floor, with support day and night for an older person with dementia",
            viewing_notes="Hilda liked the garden room.",
            cost=Decimal("920.00"),
        )
        placement_services.add_offer(
            placement, acting_user=officer, offered_by="council", weekly_amount=Decimal("860.00"), note="Our offer"
        )
        placement_services.add_offer(
            placement, acting_user=officer, offered_by="provider", weekly_amount=Decimal("895.00"), note="Lowest"
        )
        placement_services.request_fee_approval(
            placement, acting_user=officer, weekly_fee=Decimal("895.00"), note="Specialist dementia unit"
        )

    def _placement_commissioned(self, users, person, plan):
        """Rose Fenwick's residential placement, walked all the way: the fee agreed within the plan's amount, the
        admission date set by her social worker, and commissioned by the officer, which makes the agreement, the
        care package and its purchase order, the contract, and her two reviews: the 6-week review for
        social.worker and the 12-month review for the review team."""
        sw, officer = users["social.worker"], users["officer.east"]
        rose = person(sw, "Rose", "Fenwick", date(1937, 4, 21), "Eastbrook", "E1 8JD", "")
        placement = self._placement_costed(
            users,
            rose,
            plan,
            details="Fell twice at home this month; her family can no longer keep her safe there.",
            outcome="A room near the lounge, with support day and night for an older person with dementia",
            viewing_notes="Rose liked the lounge by the garden.",
            cost=Decimal("840.00"),
        )
        placement_services.agree_fee(placement, acting_user=officer, weekly_fee=Decimal("840.00"))
        placement_services.set_admission_date(placement, acting_user=sw, admission_date=date.today())
        placement_services.commission(placement, acting_user=officer)

    def _reablement(self, users, person):
        """SPA's reablement: Gus Hale's hospital referral screened, planned, sourced by the East team on the
        reablement Dynamic Market and active, and now re-assessed by SPA for more hours, waiting for the East
        officer to apply it; and Nell Ward's hospital referral waiting for SPA to screen it."""
        spa, officer = users["spa.worker"], users["officer.east"]
        gus = person(spa, "Gus", "Hale", date(1948, 6, 8), "Eastbrook", "E1 7QX", "")
        case = reablement_services.record_hospital_referral(
            acting_user=spa,
            person=gus,
            hospital="Riverside General Hospital",
            ward="Elm ward",
            referred_by_name="Dr Ann Lee, discharge coordinator",
            expected_discharge=date.today(),
            needs="Help to wash, dress and make meals while his confidence returns after a fall.",
        )
        case = reablement_services.accept_case(case, acting_user=spa)
        case = reablement_services.write_plan(
            case,
            acting_user=spa,
            weekly_hours=Decimal("10"),
            start_date=date.today(),
            worker=spa,
            days=[(day, Decimal("2"), 2) for day in range(1, 6)],
        )
        case = reablement_services.send_to_brokerage(case, acting_user=spa)
        referral = referral_services.take_referral(case.referral, acting_user=officer)
        requirement = commissioning.publish_requirement(
            Commission.objects.get(referral=referral),
            acting_user=officer,
            arrangement=PurchasingArrangement.objects.get(service_type="reablement"),
            start_date=date.today() + timedelta(days=2),
            closes_at=timezone.now() + timedelta(hours=2),
            quality_weight=60,
            outcomes=[case.plan.outcomes],
            summary="Reablement after a hospital stay: two visits each weekday to rebuild washing, dressing and "
            "cooking.",
        )
        bid = dps_services.submit_bid(
            requirement,
            acting_user=User.objects.filter(provider__name="Riverside Reablement").first(),
            price_basis="hourly",
            price=Decimal("25.00"),
            answers={
                o.pk: "Our reablement team visits twice a day and steps back as he gains confidence."
                for o in requirement.outcomes.all()
            },
        )
        DPSRequirement.objects.filter(pk=requirement.pk).update(closes_at=timezone.now() - timedelta(hours=1))
        referral.refresh_from_db()
        commissioning.close_bidding(Commission.objects.get(referral=referral), acting_user=officer)
        dps_services.score_answers(
            requirement, acting_user=officer, scores={answer.pk: 4 for answer in bid.answers.all()}
        )
        commissioning.select_bid(
            Commission.objects.get(referral=referral),
            acting_user=officer,
            bid=bid,
            reason="The only bid, and a good answer",
        )
        commissioning.award(
            Commission.objects.get(referral=referral), acting_user=officer, start_date=date.today() + timedelta(days=2)
        )
        commissioning.issue_purchase_order(Commission.objects.get(referral=referral), acting_user=officer)
        reablement_services.record_reassessment(
            case,
            acting_user=spa,
            assessed_on=date.today(),
            weekly_hours=Decimal("15"),
            effective_date=date.today() + timedelta(days=3),
            findings="Still unsteady on the stairs in the evening: an evening visit is needed.",
            days=[(day, Decimal("3"), 3) for day in range(1, 6)],
        )
        nell = person(spa, "Nell", "Ward", date(1952, 1, 17), "Riverside North", "E3 2RT", "")
        reablement_services.record_hospital_referral(
            acting_user=spa,
            person=nell,
            hospital="Riverside General Hospital",
            ward="Ash ward",
            referred_by_name="Tom Reid, ward nurse",
            expected_discharge=date.today() + timedelta(days=2),
            needs="Support to get washed and dressed for two weeks after a hip replacement.",
        )

    def _providers(self) -> dict:
        for taxonomy, term, service_type, specialism in TAXONOMY_MAPPINGS:
            TaxonomyMapping.objects.create(
                taxonomy=taxonomy, term=term, service_type_id=service_type or None, specialism=specialism
            )

        arrangements = {
            "home_care": PurchasingArrangement.objects.create(
                name="Home care DPS 2023 to 2027",
                kind="dps",
                service_type_id="home_care",
                starts_on=date(2023, 4, 1),
                expires_on=date(2027, 3, 31),
            ),
            "reablement": PurchasingArrangement.objects.create(
                name="Reablement Dynamic Market",
                kind="dynamic_market",
                service_type_id="reablement",
                starts_on=date(2025, 4, 1),
            ),
        }
        for service_type in {service for _, _, service, _, _, _, _ in PROVIDERS} - set(arrangements):
            arrangements[service_type] = PurchasingArrangement.objects.create(
                name=f"{ServiceCode(service_type).label} Dynamic Market 2025 to 2029",
                kind="dynamic_market",
                service_type_id=service_type,
                starts_on=date(2025, 4, 1),
                expires_on=date(2029, 3, 31),
            )
        providers = {}
        for name, rating, service, enrolled, districts, specialisms, capacity in PROVIDERS:
            provider = providers.get(name) or Provider.objects.create(
                name=name,
                cqc_rating=rating,
                cqc_registration_number=f"1-10{len(providers):07d}",
                email=f"office@{provider_slug(name)}.example.com",
                phone="020 7946 0100",
                contact_name="Registered manager",
                in_house=name in IN_HOUSE,
            )
            providers[name] = provider
            ProviderService.objects.create(
                provider=provider,
                service_type_id=service,
                arrangement=arrangements[service] if enrolled else None,
                districts=districts,
                specialisms=specialisms,
                weekly_hours_capacity=capacity,
            )
        return providers

    def _provider_logins(self, providers: dict) -> None:
        """Every demo provider without one of DEMO_USERS gets a login: provider.<its name>."""
        have_login = set(PROVIDER_OF.values())
        for name, provider in providers.items():
            if name not in have_login:
                create_staff_user(
                    username=f"provider.{provider_slug(name)}",
                    password=DEMO_PASSWORD,
                    roles=[Role.PROVIDER_USER],
                    first_name="Registered",
                    last_name="Manager",
                    email=f"manager@{provider_slug(name)}.example.com",
                    provider=provider,
                )

    def _load(self):
        BankHoliday.objects.bulk_create([BankHoliday(date=day, name=name) for day, name in BANK_HOLIDAYS])
        for code, name in TEAMS:
            Team.objects.update_or_create(
                code=code, defaults={"name": name, "email": f"brokerage.{code}@riverside.example.gov.uk"}
            )
        providers = self._providers()
        users = {
            username: create_staff_user(
                username=username,
                password=DEMO_PASSWORD,
                roles=roles,
                team=team,
                first_name=first,
                last_name=last,
                email=f"{username}@riverside.example.gov.uk",
                provider=providers.get(PROVIDER_OF.get(username)),
            )
            for username, roles, team, first, last in DEMO_USERS
        }
        self._provider_logins(providers)
        areas = {name: Area.objects.get_or_create(name=name, defaults={"team_id": team})[0] for name, team in AREAS}
        sw, sw2 = users["social.worker"], users["social.worker2"]

        def person(worker, first, last, dob, area, postcode, nhs):
            return people_services.create_person(
                acting_user=worker,
                first_name=first,
                last_name=last,
                date_of_birth=dob,
                nhs_number=nhs,
                address_line_1=f"{len(first) + 3} {area} Road",
                town="Riverside",
                postcode=postcode,
                phone="020 7946 0000",
                area=areas[area],
                representative_name=f"Alex {last}",
                representative_relationship="Daughter",
                representative_phone="07700 900000",
            )

        def plan(worker, p, service, hours, budget):
            a = people_services.record_assessment(
                p,
                acting_user=worker,
                assessed_on=date.today() - timedelta(days=14),
                presenting_needs="Needs help with washing, dressing and meals after a fall.",
                eligible_needs="Personal care; nutrition; maintaining a habitable home.",
                specific_or_complex_needs="Early-stage dementia.",
            )
            return people_services.create_plan(
                p,
                acting_user=worker,
                assessment=a,
                service_type=service,
                weekly_hours=hours,
                visit_schedule=[
                    {"day": d, "time": "08:00", "minutes": 45, "carers": 1} for d in ("Monday", "Wednesday", "Friday")
                ],
                outcomes="To stay safely at home and keep cooking my own lunch.",
                specific_or_complex_needs="Early-stage dementia; prefers a female carer.",
                required_specialisms=["dementia"] if service == ServiceCode.HOME_CARE else [],
                indicative_weekly_budget=budget,
            )

        # Funded and waiting in the East queue.
        ada = person(sw, "Ada", "Thompson", date(1941, 3, 2), "Eastbrook", "E1 6AN", "9434765919")
        r = referral_services.create_referral(
            acting_user=sw,
            person=ada,
            kind=Referral.Kind.SUPPORT_PLAN,
            service_type=ServiceCode.HOME_CARE,
            details="New home care package.",
            plan=plan(sw, ada, ServiceCode.HOME_CARE, Decimal("10.5"), Decimal("262.50")),
        )
        referral_services.record_funding_decision(
            r,
            acting_user=users["cap.member"],
            decision="approved",
            approved_weekly_amount=Decimal("262.50"),
            notes="Agreed at panel.",
        )
        # Awaiting the panel.
        ben = person(sw, "Ben", "Carter", date(1950, 7, 19), "Westgate", "W2 1HB", "4010232137")
        referral_services.create_referral(
            acting_user=sw,
            person=ben,
            kind=Referral.Kind.SUPPORT_PLAN,
            service_type=ServiceCode.HOME_CARE,
            details="Discharged home last week.",
            plan=plan(sw, ben, ServiceCode.HOME_CARE, Decimal("7"), Decimal("175.00")),
        )
        # Residential placement awaiting a head of service.
        cora = person(sw2, "Cora", "Ellis", date(1936, 11, 5), "Millwall Reach", "E14 3AB", "")
        referral_services.create_referral(
            acting_user=sw2,
            person=cora,
            kind=Referral.Kind.SUPPORT_PLAN,
            service_type=ServiceCode.RESIDENTIAL,
            details="Needs a residential placement near her son.",
            plan=plan(sw2, cora, ServiceCode.RESIDENTIAL, None, Decimal("850.00")),
        )
        # Urgent response, taken by the East officer with a contact logged.
        dev = person(sw, "Dev", "Patel", date(1958, 1, 30), "Riverside North", "E3 4QQ", "")
        urgent = referral_services.create_referral(
            acting_user=sw,
            person=dev,
            kind=Referral.Kind.URGENT_RESPONSE,
            service_type=ServiceCode.HOME_CARE,
            details="Carer in hospital; needs morning visits from tomorrow.",
        )
        referral_services.take_referral(urgent, acting_user=users["officer.east"])
        log_contact(
            urgent,
            acting_user=users["officer.east"],
            contact_with="social_worker",
            method="phone",
            occurred_at=timezone.now() - timedelta(hours=1),
            contact_name="Sam Okafor",
            summary="Confirmed visits needed from 8am tomorrow.",
        )
        # Sourcing support in the West queue.
        eve = person(sw2, "Eve", "Nowak", date(1972, 9, 12), "Hollins Park", "W6 0NW", "")
        draft = people_services.create_plan(
            eve, acting_user=sw2, service_type=ServiceCode.DAY_OPPORTUNITIES, outcomes="To meet people and keep active."
        )
        referral_services.create_referral(
            acting_user=sw2,
            person=eve,
            kind=Referral.Kind.SOURCING_SUPPORT,
            service_type=ServiceCode.DAY_OPPORTUNITIES,
            plan=draft,
            details="What day centres near Hollins Park have places on Tuesdays?",
        )
        # A reduction of running home care, held until risk strategies are agreed.
        fay = person(sw, "Fay", "Morgan", date(1945, 4, 23), "St Anne's", "W9 2PL", "")
        running_home_care(
            fay,
            plan,
            officer=users["officer.west"],
            funder=users["cap.member"],
            hours=Decimal("7.5"),
            provider="Westside Care",
        )
        fay_plan = plan(sw, fay, ServiceCode.HOME_CARE, Decimal("5"), Decimal("125.00"))
        referral_services.create_referral(
            acting_user=sw,
            person=fay,
            kind=Referral.Kind.CHANGE,
            change=Referral.Change.REDUCE,
            service_type=ServiceCode.HOME_CARE,
            plan=fay_plan,
            puts_person_at_risk=True,
            effective_date=date.today() + timedelta(days=7),
            details="Family now helps at weekends; reduce to weekdays.",
        )
        self._reablement(users, person)
        self._sourcing(users, areas, person, plan)
        self._active_package(users, person, plan)
        self._changes(users, person, plan)
        self._placement_awaiting_fee_approval(users, person, plan)
        self._placement_commissioned(users, person, plan)
        for case in DEMO_CASES:
            import_module(f"dashboard.demo_cases.{case}").seed(
                users=users, person=person, plan=plan, providers=providers
            )
        demo_invoices.seed(users)  # against the cases' orders for services other than home care
        raise_concern(
            acting_user=users["officer.east"],
            person=dev,
            referral=urgent,
            kind="safeguarding",
            details="Neighbour reports Dev has been left without food for two days.",
        )
        raise_concern(acting_user=sw, person=ada, kind="complaint", details="Ada's daughter complains about delays.")
        raise_concern(
            acting_user=sw,
            person=fay,
            kind="quality_alert",
            provider_name="Brightcare Homecare Ltd",
            details="Carers arriving 90 minutes late on three days this month.",
        )
