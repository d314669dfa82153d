"""What a provider's staff may read, built field by field.

A requirement reaches the portal only as a `RequirementBrief` of its own provider-facing fields, so
no page or export can reach the referral or the person behind it (the DPS anonymity guarantee).
After award the agreement reaches it as a `SharedRecord`: the person, the package and the plan, and
nothing else the council holds about them (not the indicative budget, the funding decision or the
practitioner's notes).
"""

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.db import models
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone

from brokerage.models import ServiceAgreement
from dps.models import Bid, DPSRequirement
from dps.selectors import requirements_open_to
from people.models import Specialism
from purchase_orders.models import PurchaseOrder

Rows = list[tuple[str, str]]


def long_date(day: date | None) -> str:
    return f"{day.day} {day:%B %Y}" if day else ""


def long_datetime(moment: datetime) -> str:
    local = timezone.localtime(moment)
    return f"{local:%H:%M} on {local.day} {local:%B %Y}"


def money(amount: Decimal | None) -> str:
    return f"£{amount:,.2f}" if amount is not None else ""


def visit_lines(schedule: list) -> list[str]:
    """Each planned visit as a line: "Monday 08:00, 30 minutes, 2 carers"."""
    lines = []
    for visit in schedule or []:
        if not isinstance(visit, dict):
            continue
        carers = visit.get("carers") or 1
        parts = [" ".join(str(visit[k]) for k in ("day", "time") if visit.get(k))]
        if visit.get("minutes"):
            parts.append(f"{visit['minutes']} minutes")
        parts.append(f"{carers} carer{'' if carers == 1 else 's'}")
        lines.append(", ".join(p for p in parts if p))
    return lines


def specialism_labels(values: list[str]) -> str:
    return ", ".join(Specialism(v).label if v in Specialism.values else v for v in values or [])


# Requirements -------------------------------------------------------------------------------------
class BidStatus(models.TextChoices):
    """Where a provider's own bid stands. Never says who won, or at what price."""

    OPEN = "open", "Open: you can change your bid"
    CLOSED = "closed", "Closed: bids being reviewed"
    AWARDED = "awarded", "Awarded to you"
    NOT_SUCCESSFUL = "not_successful", "Not successful"


BID_STATUS_COLOURS = {
    BidStatus.OPEN: "",
    BidStatus.CLOSED: "grey",
    BidStatus.AWARDED: "green",
    BidStatus.NOT_SUCCESSFUL: "red",
}


def bid_status(requirement: DPSRequirement, bid: Bid) -> BidStatus:
    if requirement.status == DPSRequirement.Status.OPEN:
        return BidStatus.OPEN if requirement.is_open_for_bids else BidStatus.CLOSED
    if requirement.status == DPSRequirement.Status.CLOSED:
        # A chosen provider is not told until the agreement is made: the choice can still change.
        return BidStatus.CLOSED
    if requirement.status == DPSRequirement.Status.AWARDED and requirement.selected_bid_id == bid.pk:
        return BidStatus.AWARDED
    return BidStatus.NOT_SUCCESSFUL


@dataclass(frozen=True)
class OutcomeBrief:
    pk: int
    position: int
    text: str


@dataclass(frozen=True)
class RequirementBrief:
    """A requirement as every provider it is open to sees it."""

    pk: int
    reference: str
    service: str
    postcode_district: str
    weekly_hours: Decimal | None
    closes_at: datetime
    is_open_for_bids: bool
    status_label: str
    quality_weight: int
    price_weight: int
    rows: Rows
    outcomes: list[OutcomeBrief]

    @property
    def scoring(self) -> list[str]:
        """How bids are evaluated, in the words the page and the export both use."""
        hourly = (
            f" A price per hour is multiplied by the {self.weekly_hours} hours a week to give the weekly price."
            if self.weekly_hours
            else ""
        )
        count = len(self.outcomes)
        return [
            f"Bids are scored out of 100: quality counts {self.quality_weight}% and price {self.price_weight}%.",
            "Price score = the lowest weekly price bid ÷ your weekly price × 100." + hourly,
            "Quality score = the total of the officer's scores for your answers (each 0 to 5) ÷ "
            f"(5 × {count} outcome statement{'' if count == 1 else 's'}) × 100.",
            f"Total score = quality score × {self.quality_weight}% + price score × {self.price_weight}%.",
        ]


def requirement_brief(requirement: DPSRequirement) -> RequirementBrief:
    """The requirement's own copy of what providers may see: the only personal detail is the district."""
    rows = [
        ("Reference", requirement.reference),
        ("Service", requirement.service_type.name),
        ("Postcode district", requirement.postcode_district),
        *(
            [("Where the person asked to live", requirement.preferred_location)]
            if requirement.preferred_location
            else []
        ),
        ("Start date", long_date(requirement.start_date)),
        ("Hours a week", str(requirement.weekly_hours) if requirement.weekly_hours else ""),
        ("Visits", "\n".join(visit_lines(requirement.visit_schedule))),
        ("Skills needed", specialism_labels(requirement.specialisms)),
        ("Language the carers should speak", requirement.get_language_display()),
        ("About the package", requirement.summary),
        ("Bidding closes", long_datetime(requirement.closes_at)),
    ]
    return RequirementBrief(
        pk=requirement.pk,
        reference=requirement.reference,
        service=requirement.service_type.name,
        postcode_district=requirement.postcode_district,
        weekly_hours=requirement.weekly_hours,
        closes_at=requirement.closes_at,
        is_open_for_bids=requirement.is_open_for_bids,
        status_label="Closed: bids being reviewed"
        if requirement.status == DPSRequirement.Status.OPEN and not requirement.is_open_for_bids
        else requirement.get_status_display(),
        quality_weight=requirement.quality_weight,
        price_weight=requirement.price_weight,
        rows=rows,
        outcomes=[OutcomeBrief(o.pk, o.position, o.text) for o in requirement.outcomes.order_by("position")],
    )


# Each of the portal's lists, in its order, paged by key (core.pagination); its home shows the first few.
OPEN_REQUIREMENTS_ORDER = ["closes_at", "id"]
BIDS_ORDER = ["-submitted_at", "-id"]
AGREEMENTS_ORDER = ["-start_date", "-id"]


def open_requirements(provider) -> QuerySet[DPSRequirement]:
    """Requirements the provider may bid on now, marked with whether it has bid, soonest closing first."""
    return (
        requirements_open_to(provider)
        .annotate(has_our_bid=Exists(Bid.objects.filter(requirement=OuterRef("pk"), provider=provider)))
        .select_related(None)
        .select_related("service_type")
        .only("id", "status", "service_type__name", "postcode_district", "start_date", "closes_at", "arrangement_id")
    )


@dataclass(frozen=True)
class OwnBid:
    bid: Bid
    reference: str
    service: str
    postcode_district: str
    closes_at: datetime
    status: BidStatus
    agreement_id: int | None

    @property
    def colour(self) -> str:
        return BID_STATUS_COLOURS[self.status]


def own_bids(provider, bids) -> list[OwnBid]:
    """Where each of these bids of the provider's stands (from bids_by_provider): one query for their
    agreements, however many."""
    bids = list(bids)
    agreements = (
        dict(
            ServiceAgreement.objects.filter(provider=provider, bid__in=[b.pk for b in bids]).values_list("bid_id", "pk")
        )
        if bids
        else {}
    )
    result = []
    for bid in bids:
        requirement = bid.requirement
        status = bid_status(requirement, bid)
        result.append(
            OwnBid(
                bid,
                requirement.reference,
                requirement.service_type.name,
                requirement.postcode_district,
                requirement.closes_at,
                status,
                agreements.get(bid.pk) if status == BidStatus.AWARDED else None,
            )
        )
    return result


def agreements_awarded_to(provider) -> QuerySet[ServiceAgreement]:
    # No person here: the person's details are read on the agreement's own page, where each view is audited.
    return (
        ServiceAgreement.objects.filter(provider=provider)
        .select_related("service_type")
        .only("id", "service_type__name", "start_date", "weekly_cost", "status")
        .order_by("-start_date", "-id")
    )


# After award --------------------------------------------------------------------------------------
@dataclass(frozen=True)
class SharedRecord:
    """What is shared with the provider awarded a package: the secure share replacing e-mailed attachments."""

    reference: str
    person_name: str
    person: Rows
    package: Rows
    plan: Rows | None
    orders: list[PurchaseOrder]


def _nhs(number: str) -> str:
    return f"{number[:3]} {number[3:6]} {number[6:]}" if len(number) == 10 else number


def shared_record_rows(person, plan) -> tuple[Rows, Rows | None]:
    """The person's details and their plan as a provider that needs them reads them."""
    address = "\n".join(x for x in [person.address_line_1, person.address_line_2, person.town, person.postcode] if x)
    representative = person.representative_name
    if representative and person.representative_relationship:
        representative = f"{representative} ({person.representative_relationship})"
    person_rows = [
        ("Name", person.full_name),
        ("Date of birth", long_date(person.date_of_birth)),
        ("NHS number", _nhs(person.nhs_number)),
        ("Address", address),
        ("Phone number", person.phone),
        ("Next of kin or representative", representative),
        ("Their phone number", person.representative_phone),
    ]
    plan_rows = (
        [
            ("Version", str(plan.version)),
            ("Outcomes the person wants to achieve", plan.outcomes),
            ("Specific or complex needs", plan.specific_or_complex_needs),
            ("Skills the provider needs", specialism_labels(plan.required_specialisms)),
            ("Language the carers should speak", plan.get_preferred_language_display()),
            ("Preferred locations", plan.preferred_locations),
            ("Places to avoid", plan.places_to_avoid),
        ]
        if plan is not None
        else None
    )
    return person_rows, plan_rows


def shared_record(agreement: ServiceAgreement) -> SharedRecord:
    person = agreement.person
    person_rows, plan_rows = shared_record_rows(person, agreement.referral.plan)
    package = [
        ("Service", agreement.service_type.name),
        ("Status", agreement.get_status_display()),
        ("Start date", long_date(agreement.start_date)),
        *([("End date", long_date(agreement.end_date))] if agreement.end_date else []),
        ("Hours a week", str(agreement.weekly_hours) if agreement.weekly_hours else ""),
        ("Visits", "\n".join(visit_lines(agreement.visit_schedule))),
        *([("Hourly rate", money(agreement.hourly_rate))] if agreement.hourly_rate else []),
        ("Weekly cost", money(agreement.weekly_cost)),
    ]
    orders = list(agreement.purchase_orders.filter(provider=agreement.provider).order_by("-revision", "-id"))
    return SharedRecord(agreement.reference, person.full_name, person_rows, package, plan_rows, orders)
