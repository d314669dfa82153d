"""Reads for DPS requirements and bids. Provider-facing reads never touch the person."""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Exists, F, Func, OuterRef, QuerySet
from django.utils import timezone

from providers.models import ProviderService

from .models import Bid, DPSRequirement, PurchasingArrangement, SpotContractNotice

TWO_PLACES = Decimal("0.01")


def is_open_to(requirement: DPSRequirement, provider) -> bool:
    """A requirement is open to a provider enrolled on its arrangement for its service who covers its district."""
    return (
        provider is not None
        and provider.active
        and ProviderService.objects.filter(
            provider=provider,
            service_type_id=requirement.service_type_id,
            arrangement_id=requirement.arrangement_id,
            districts__contains=[requirement.postcode_district],
        ).exists()
    )


def requirements_open_to(provider) -> QuerySet[DPSRequirement]:
    """Requirements a provider may bid on now, soonest closing first."""
    if provider is None or not provider.active:
        return DPSRequirement.objects.none()
    enrolled = ProviderService.objects.filter(
        provider=provider,
        service_type=OuterRef("service_type"),
        arrangement=OuterRef("arrangement"),
        districts__contains=OuterRef("district_list"),
    )
    return (
        DPSRequirement.objects.filter(status=DPSRequirement.Status.OPEN, closes_at__gt=timezone.now())
        .annotate(
            district_list=Func(F("postcode_district"), function="ARRAY", template="ARRAY[%(expressions)s]::varchar[]")
        )
        .filter(Exists(enrolled))
        .select_related("arrangement")
        .order_by("closes_at", "id")
    )


def bids_by_provider(provider) -> QuerySet[Bid]:
    """The provider's bids, newest first, with what a list of them shows (not the requirement's text)."""
    return (
        Bid.objects.filter(provider=provider)
        .select_related("requirement__service_type")
        .only(
            "id",
            "provider_id",
            "weekly_price",
            "submitted_at",
            "requirement__id",
            "requirement__status",
            "requirement__closes_at",
            "requirement__service_type__name",
            "requirement__postcode_district",
            "requirement__selected_bid_id",
        )
        .order_by("-submitted_at", "-id")
    )


def open_arrangements_for(service_type: str) -> QuerySet[PurchasingArrangement]:
    today = timezone.localdate()
    return PurchasingArrangement.objects.filter(service_type=service_type, starts_on__lte=today).exclude(
        expires_on__lt=today
    )


def spot_contract_notices() -> QuerySet[SpotContractNotice]:
    """Those still to act on first, then the newest."""
    return SpotContractNotice.objects.select_related(
        "provider", "raised_by", "acknowledged_by", "service_type"
    ).order_by(F("acknowledged_by").asc(nulls_first=True), "-raised_at", "-id")


def above_approved(weekly_price: Decimal, approved_weekly_amount: Decimal | None) -> Decimal | None:
    """How much a weekly price is above the approved weekly amount; None when it is not above it, or nothing
    was approved. A bid above it cannot be awarded without a new funding decision (SPEC §2)."""
    if approved_weekly_amount is None or weekly_price <= approved_weekly_amount:
        return None
    return weekly_price - approved_weekly_amount


@dataclass
class RankedBid:
    bid: Bid
    quality_score: Decimal | None
    price_score: Decimal
    total_score: Decimal | None
    rank: int | None
    fully_scored: bool
    above_approved_by: Decimal | None = None


def rank_bids(requirement: DPSRequirement, *, approved_weekly_amount: Decimal | None = None) -> list[RankedBid]:
    """Bids scored by the stated formula, best first.

    Price score = lowest weekly price ÷ this bid's weekly price × 100.
    Quality score = sum of answer scores ÷ (5 × number of outcomes) × 100.
    Total = quality score × quality weight + price score × price weight (weights in per cent).
    A bid is ranked only once every answer is scored. Given the approved weekly amount, each bid also says how
    much it is above it (`above_approved_by`), for the officer to see while scoring.
    """
    bids = list(requirement.bids.select_related("provider").prefetch_related("answers"))
    if not bids:
        return []
    outcomes = requirement.outcomes.count()
    lowest = min(b.weekly_price for b in bids)
    ranked = []
    for bid in bids:
        scores = [a.score for a in bid.answers.all()]
        fully_scored = outcomes > 0 and len(scores) == outcomes and None not in scores
        price = (lowest / bid.weekly_price * 100).quantize(TWO_PLACES, ROUND_HALF_UP)
        quality = (
            (Decimal(sum(scores)) / (5 * outcomes) * 100).quantize(TWO_PLACES, ROUND_HALF_UP) if fully_scored else None
        )
        total = (
            ((quality * requirement.quality_weight + price * requirement.price_weight) / 100).quantize(
                TWO_PLACES, ROUND_HALF_UP
            )
            if quality is not None
            else None
        )
        ranked.append(
            RankedBid(
                bid, quality, price, total, None, fully_scored, above_approved(bid.weekly_price, approved_weekly_amount)
            )
        )
    ordered = sorted(ranked, key=lambda r: (r.total_score is None, -(r.total_score or 0), r.bid.weekly_price))
    for position, entry in enumerate(ordered, start=1):
        entry.rank = position if entry.total_score is not None else None
    return ordered
