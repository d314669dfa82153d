"""Putting a package out to the providers on an arrangement, bidding, evaluation and choice.

The service type's own workflow (commissioning, placements) calls the officer's steps and moves its own state
machine; providers' bids never see the person. Every action is audited."""

import re
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.utils import timezone

from accounts.roles import Role
from audit.services import record_change
from catalogue.sourcing import route_of
from core.exceptions import ActionRefused
from core.forms import FREE_TEXT_MAX_LENGTH
from core.tasks import enqueue
from people.languages import language_name
from people.models import Specialism
from referrals.models import Referral
from referrals.workflows import State, is_allocated_officer

from .models import (
    REQUIREMENT_MACHINE,
    Bid,
    BidAnswer,
    DPSRequirement,
    OutcomeStatement,
    PurchasingArrangement,
    SpotContractNotice,
)
from .personal_data import find_personal_details
from .selectors import is_open_to
from .tasks import (
    notify_bidders_of_closing_time,
    notify_bidders_of_outcome,
    notify_dps_team,
    notify_providers_of_requirement,
    time_and_day,
)

MAX_OUTCOMES = 10
PENNY = Decimal("0.01")
# Providers must see a new requirement and price it. An hour is the least any requirement is open for, so an
# urgent package can close within hours of being published; others are given three days unless the officer
# says otherwise (dps.forms).
MINIMUM_BIDDING_TIME = timedelta(hours=1)
# A changed closing time reaches providers by e-mail. One part-way through a bid needs time to read it and send
# the bid before an earlier closing time: a quarter of an hour is the least notice a change gives.
MINIMUM_NOTICE_OF_CHANGE = timedelta(minutes=15)


def price_for_hours(hourly_rate: Decimal, weekly_hours: Decimal) -> Decimal:
    """An hourly rate times the hours a week, rounded to the penny once, half up. An hourly bid's weekly price
    and the weekly cost of an agreement priced by the hour are both worked out here, so they agree."""
    return (hourly_rate * weekly_hours).quantize(PENNY, ROUND_HALF_UP)


def start_after_closing(closes_at) -> str:
    closes = timezone.localtime(closes_at)
    return (
        f"The start date must be after bidding closes on {closes.day} {closes:%B %Y}, so the provider chosen "
        "has time to prepare"
    )


def length_in_words(length: timedelta) -> str:
    minutes = int(length.total_seconds() // 60)
    if minutes % 60:
        return f"{minutes} minutes"
    return "1 hour" if minutes == 60 else f"{minutes // 60} hours"


def closing_too_soon(closes_at: datetime, notice: timedelta) -> str | None:
    """Why this closing time gives providers too little time, or None. `notice` is the least time from now."""
    now = timezone.now()
    if closes_at <= now:
        return "The closing time must be in the future"
    earliest = now + notice
    if closes_at < earliest:
        # Said to the minute, and rounded up, so the time given is one that will be accepted.
        earliest = (earliest + timedelta(minutes=1) - timedelta(microseconds=1)).replace(second=0, microsecond=0)
        return f"Bidding must close at least {length_in_words(notice)} from now: at {time_and_day(earliest)} or later"
    return None


def closing_before_start(start_date: date) -> str:
    return (
        f"Bidding must close before the start date, {start_date.day} {start_date:%B %Y}, so the provider chosen "
        "has time to prepare"
    )


def _locked_referral(referral: Referral) -> Referral:
    return Referral.objects.select_for_update(of=("self",)).select_related("person", "plan").get(pk=referral.pk)


def _ensure_allocated_officer(referral: Referral, user) -> None:
    if not is_allocated_officer(referral, user):
        raise ActionRefused("Only the officer this referral is allocated to can do this.")


def _check_requirement_text(referral: Referral, summary: str, outcomes: list[str], location: str = "") -> None:
    """The guarantee: nothing but the postcode district of the person goes on a requirement."""
    found = find_personal_details("\n".join([summary, *outcomes, location]), referral.person)
    if found:
        raise ActionRefused(
            "A DPS requirement may not hold personal details. Remove the person's "
            + ", ".join(found)
            + " from the text."
        )


WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def _visit(visit) -> dict | None:
    """A planned visit rebuilt from checked values only, or None: nothing else it holds is copied."""
    try:
        day, time, minutes, carers = visit["day"], visit["time"], int(visit["minutes"]), int(visit["carers"])
    except (KeyError, TypeError, ValueError):
        return None
    if day not in WEEKDAYS or not re.fullmatch(r"([01]\d|2[0-3]):[0-5]\d", str(time)):
        return None
    if not (5 <= minutes <= 720 and 1 <= carers <= 4):
        return None
    return {"day": day, "time": time, "minutes": minutes, "carers": carers}


def _package_from(plan) -> dict:
    """What a requirement takes from the plan: numbers, choices from lists and the visit schedule, each checked.
    No free text of the plan travels with it: the summary and outcomes the officer sends go through the guard."""
    if plan is None:
        return {"weekly_hours": None, "visit_schedule": [], "specialisms": [], "language": ""}
    visits = [v for v in map(_visit, plan.visit_schedule if isinstance(plan.visit_schedule, list) else []) if v]
    return {
        "weekly_hours": plan.weekly_hours,
        "visit_schedule": visits,
        "specialisms": [s for s in plan.required_specialisms if s in Specialism.values],
        "language": plan.preferred_language if language_name(plan.preferred_language) else "",
    }


def _create_requirement(
    referral: Referral,
    *,
    acting_user,
    arrangement: PurchasingArrangement,
    start_date: date,
    closes_at: datetime,
    summary: str,
    outcomes: list[str],
    quality_weight: int,
    preferred_location: str = "",
) -> DPSRequirement:
    outcomes = [o.strip() for o in outcomes if o.strip()]
    preferred_location = preferred_location.strip()
    if not outcomes:
        raise ActionRefused("Add at least one outcome statement for providers to answer.")
    if len(outcomes) > MAX_OUTCOMES:
        raise ActionRefused(f"Use at most {MAX_OUTCOMES} outcome statements.")
    if arrangement.service_type_id != referral.service_type_id:
        raise ActionRefused("Choose an arrangement for this referral's service.")
    if not arrangement.is_open_on():
        raise ActionRefused(f"{arrangement} is not open: it has expired or not yet started.")
    if too_soon := closing_too_soon(closes_at, MINIMUM_BIDDING_TIME):
        raise ActionRefused(too_soon + ".")
    if start_date < timezone.localdate():
        raise ActionRefused("The start date cannot be in the past.")
    if start_date <= timezone.localtime(closes_at).date():
        raise ActionRefused(start_after_closing(closes_at) + ".")
    if not 0 <= quality_weight <= 100:
        raise ActionRefused("The weight of quality is a percentage from 0 to 100.")
    _check_requirement_text(referral, summary, outcomes, preferred_location)
    requirement = DPSRequirement.objects.create(
        referral=referral,
        arrangement=arrangement,
        service_type_id=referral.service_type_id,
        postcode_district=referral.person.postcode_district,
        preferred_location=preferred_location,
        **_package_from(referral.plan),
        start_date=start_date,
        closes_at=closes_at,
        summary=summary.strip(),
        quality_weight=quality_weight,
        published_by=acting_user,
    )
    OutcomeStatement.objects.bulk_create(
        OutcomeStatement(requirement=requirement, position=i, text=text) for i, text in enumerate(outcomes, start=1)
    )
    record_change(
        actor=acting_user,
        obj=requirement,
        person=referral.person,
        created=True,
        summary=f"Published {requirement.reference} on {arrangement}",
        changes={
            "closes_at": closes_at,
            "outcomes": outcomes,
            "summary": summary,
            "preferred_location": preferred_location,
        },
    )
    enqueue(notify_providers_of_requirement, requirement.pk)
    return requirement


def _locked(requirement: DPSRequirement) -> DPSRequirement:
    """The requirement re-read under a row lock, with the referral its steps ask about."""
    return (
        DPSRequirement.objects.select_for_update(of=("self",)).select_related("referral__person").get(pk=requirement.pk)
    )


def _end_without_award(requirement: DPSRequirement, *, acting_user, reason: str) -> DPSRequirement:
    requirement = _locked(requirement)
    requirement.selection_reason = reason
    REQUIREMENT_MACHINE.apply(requirement, "end_without_award", acting_user=acting_user, note=reason)
    enqueue(notify_bidders_of_outcome, requirement.pk)
    return requirement


def is_reviewing_bids(requirement: DPSRequirement) -> bool:
    """Are the bids of this closed requirement being scored and one chosen on its page? Only for a service type whose
    steps are taken on the referral's page (catalogue.sourcing: home care's commission), before a bid is chosen."""
    route = route_of(requirement.referral)
    return (
        route is not None
        and route.on_referral_page
        and requirement.status == DPSRequirement.Status.CLOSED
        and requirement.selected_bid_id is None
        and requirement.referral.state == State.ALLOCATED
    )


def why_closing_time_is_fixed(requirement: DPSRequirement, user) -> str | None:
    """Why this user cannot change the requirement's closing time now, or None if they can."""
    if not is_allocated_officer(requirement.referral, user):
        return "Only the officer this referral is allocated to can change the closing time."
    if (
        requirement.referral.state != State.ALLOCATED
        or requirement.status != DPSRequirement.Status.OPEN
        or not requirement.is_open_for_bids
    ):
        return "Bidding has closed, so its closing time can no longer be changed."
    return None


@transaction.atomic
def change_closing_time(
    requirement: DPSRequirement, *, acting_user, closes_at: datetime, reason: str
) -> DPSRequirement:
    """Move bidding's closing time later, or bring it forward, while bidding is open, with a reason.

    Only the officer the referral is allocated to may, and the new time is at least MINIMUM_NOTICE_OF_CHANGE from
    now, so bids already made (all before now) stand and can still be changed until the new time. The old and new
    times and the reason go on the audit trail. Every provider the requirement is open to and every provider that
    bid is told by e-mail; the reason goes with it, so it passes the same check for personal details as the
    requirement's own text. Bidding, the portal and closing bidding all read `closes_at`, so nothing else moves.
    """
    referral = _locked_referral(requirement.referral)
    requirement = DPSRequirement.objects.select_for_update().get(pk=requirement.pk)
    requirement.referral = referral
    if refusal := why_closing_time_is_fixed(requirement, acting_user):
        raise ActionRefused(refusal)
    reason = reason.strip()
    if not reason:
        raise ActionRefused("Say why the closing time is changing: the providers are told.")
    if len(reason) > FREE_TEXT_MAX_LENGTH:
        raise ActionRefused(f"The reason must be {FREE_TEXT_MAX_LENGTH:,} characters or fewer.")
    if found := find_personal_details(reason, referral.person):
        raise ActionRefused(
            "The reason is sent to providers, so it may not hold personal details. Remove the person's "
            + ", ".join(found)
            + " from it."
        )
    if too_soon := closing_too_soon(closes_at, MINIMUM_NOTICE_OF_CHANGE):
        raise ActionRefused(too_soon + ".")
    if timezone.localtime(closes_at).date() >= requirement.start_date:
        raise ActionRefused(closing_before_start(requirement.start_date) + ".")
    previous = requirement.closes_at
    if closes_at == previous:
        raise ActionRefused(f"Bidding already closes at {time_and_day(previous)}.")
    requirement.closes_at = closes_at
    requirement.save(update_fields=["closes_at"])
    record_change(
        actor=acting_user,
        obj=requirement,
        person=referral.person,
        summary=(
            f"{'Extended' if closes_at > previous else 'Brought forward'} bidding on {requirement.reference} "
            f"to {time_and_day(closes_at)}"
        ),
        changes={"closes_at": [previous, closes_at], "reason": reason},
    )
    enqueue(notify_bidders_of_closing_time, requirement.pk, previous.isoformat(), closes_at.isoformat(), reason)
    return requirement


@transaction.atomic
def submit_bid(
    requirement: DPSRequirement, *, acting_user, price_basis: str, price: Decimal, answers: dict[int, str]
) -> Bid:
    """A provider's bid: one per provider, changeable until the closing time."""
    provider = acting_user.provider
    if not acting_user.has_role(Role.PROVIDER_USER) or provider is None:
        raise ActionRefused("Only a provider's staff can bid.")
    requirement = DPSRequirement.objects.select_for_update().get(pk=requirement.pk)
    if not is_open_to(requirement, provider):
        raise ActionRefused("This requirement is not open to your organisation.")
    if not requirement.is_open_for_bids:
        raise ActionRefused(
            f"Bidding closed at {timezone.localtime(requirement.closes_at):%H:%M on %d %B %Y}. "
            "Bids can no longer be made or changed."
        )
    if price is None or price <= 0:
        raise ActionRefused("Enter a price above £0.")
    if price_basis == Bid.Basis.HOURLY:
        if not requirement.weekly_hours:
            raise ActionRefused("This package is not counted in hours: give a price per week.")
        weekly_price = price_for_hours(price, requirement.weekly_hours)
    elif price_basis == Bid.Basis.WEEKLY:
        weekly_price = price
    else:
        raise ActionRefused("Say whether the price is per hour or per week.")
    outcomes = list(requirement.outcomes.all())
    missing = [o.position for o in outcomes if not answers.get(o.pk, "").strip()]
    if missing:
        raise ActionRefused("Answer every outcome statement (missing: " + ", ".join(map(str, missing)) + ").")
    bid, created = Bid.objects.update_or_create(
        requirement=requirement,
        provider=provider,
        defaults={
            "price_basis": price_basis,
            "price": price,
            "weekly_price": weekly_price,
            "submitted_by": acting_user,
        },
    )
    for outcome in outcomes:
        BidAnswer.objects.update_or_create(bid=bid, outcome=outcome, defaults={"answer": answers[outcome.pk].strip()})
    record_change(
        actor=acting_user,
        obj=bid,
        created=created,
        summary=f"{'Submitted' if created else 'Changed'} a bid on {requirement.reference}",
        changes={"price_basis": price_basis, "price": price, "weekly_price": weekly_price},
    )
    return bid


@transaction.atomic
def score_answers(requirement: DPSRequirement, *, acting_user, scores: dict[int, int]) -> None:
    """The officer scores each outcome answer 0 to 5, only once bidding has closed."""
    referral = _locked_referral(requirement.referral)
    _ensure_allocated_officer(referral, acting_user)
    requirement = DPSRequirement.objects.select_for_update().get(pk=requirement.pk)
    if requirement.status != DPSRequirement.Status.CLOSED or requirement.selected_bid_id is not None:
        raise ActionRefused("Bids can be scored only after bidding has closed and before a provider is chosen.")
    answers = {a.pk: a for a in BidAnswer.objects.filter(bid__requirement=requirement)}
    unknown = set(scores) - set(answers)
    if unknown:
        raise ActionRefused("Those answers are not bids on this requirement.")
    for answer_id, score in scores.items():
        if score is None or not 0 <= int(score) <= 5:
            raise ActionRefused("Each score is a whole number from 0 to 5.")
        answers[answer_id].score = int(score)
    BidAnswer.objects.bulk_update([answers[i] for i in scores], ["score"])
    record_change(
        actor=acting_user,
        obj=requirement,
        person=referral.person,
        summary=f"Scored {len(scores)} answer(s) on {requirement.reference}",
        changes={"scores": scores},
    )


def _tell_dps_team(referral: Referral, *, provider, reason: str, acting_user) -> SpotContractNotice:
    """A provider used off the framework: the DPS team is told, so it can invite the provider to enrol."""
    notice = SpotContractNotice.objects.create(
        provider=provider,
        referral=referral,
        service_type_id=referral.service_type_id,
        reason=reason,
        raised_by=acting_user,
    )
    record_change(
        actor=acting_user,
        obj=notice,
        person=referral.person,
        created=True,
        summary=f"Told the DPS team about a spot contract with {provider}",
    )
    enqueue(notify_dps_team, notice.pk)
    return notice


# Sourcing for a service type's own app (catalogue.sourcing) --------------------------------------------------
# The requirement runs on REQUIREMENT_MACHINE; the referral's state does not move with it: the app's own machine
# (a commission's or a placement's) logs each step and calls these.
def _ensure_routed(referral: Referral) -> None:
    if route_of(referral) is None:
        raise ActionRefused("No workflow sources this service type.")


@transaction.atomic
def publish_routed_requirement(referral: Referral, *, acting_user, **fields) -> DPSRequirement:
    """Put an allocated referral of a routed service type out for bids, leaving the referral allocated. Refused,
    changing nothing, for another service type, for anyone but the allocated officer, or while one is live."""
    referral = _locked_referral(referral)
    _ensure_allocated_officer(referral, acting_user)
    _ensure_routed(referral)
    if referral.state != State.ALLOCATED or referral.live_requirement is not None:
        raise ActionRefused(
            "A requirement can be published only for a referral with an officer and no live requirement."
        )
    return _create_requirement(referral, acting_user=acting_user, **fields)


@transaction.atomic
def close_routed_bidding(requirement: DPSRequirement, *, acting_user) -> DPSRequirement:
    """After the closing time the bids are opened for review; the referral does not move."""
    requirement = _locked(requirement)
    _ensure_routed(requirement.referral)
    note = f"{requirement.reference}: {requirement.bids.count()} bid(s)"
    return REQUIREMENT_MACHINE.apply(requirement, "close", acting_user=acting_user, note=note)


@transaction.atomic
def select_routed_bid(requirement: DPSRequirement, *, acting_user, bid: Bid, reason: str) -> DPSRequirement:
    """The officer's choice of bid on a closed requirement, with the reason, once every answer is scored. It is
    awarded (award_routed_requirement) when the agreement is made."""
    from .selectors import rank_bids

    requirement = _locked(requirement)
    _ensure_allocated_officer(requirement.referral, acting_user)
    _ensure_routed(requirement.referral)
    if requirement.status != DPSRequirement.Status.CLOSED or bid.requirement_id != requirement.pk:
        raise ActionRefused("Choose one of the bids on this referral's requirement.")
    if not reason.strip():
        raise ActionRefused("Give the reason for choosing this provider.")
    if not all(r.fully_scored for r in rank_bids(requirement)):
        raise ActionRefused("Score every answer of every bid before choosing a provider.")
    requirement.selected_bid = bid
    requirement.selection_reason = reason
    requirement.save(update_fields=["selected_bid", "selection_reason"])
    record_change(
        actor=acting_user,
        obj=requirement,
        person=requirement.referral.person,
        summary=f"Chose {bid.provider}'s bid on {requirement.reference}",
        changes={"selected_bid": bid.pk, "selection_reason": reason},
    )
    return requirement


@transaction.atomic
def award_routed_requirement(requirement: DPSRequirement, *, acting_user, bid: Bid, reason: str) -> DPSRequirement:
    """The bid the routed work chose wins its closed requirement; every bidder is told the outcome."""
    requirement = _locked(requirement)
    _ensure_routed(requirement.referral)
    if bid.requirement_id != requirement.pk:
        raise ActionRefused("Choose one of the bids on this requirement.")
    requirement.selected_bid = bid
    requirement.selection_reason = reason
    requirement.save(update_fields=["selected_bid", "selection_reason"])
    REQUIREMENT_MACHINE.apply(requirement, "award", acting_user=acting_user, note=f"{bid.provider}: {reason}")
    enqueue(notify_bidders_of_outcome, requirement.pk)
    return requirement


@transaction.atomic
def end_routed_requirement(requirement: DPSRequirement, *, acting_user, reason: str) -> DPSRequirement:
    """Its bidding closed and no bid is awarded (a home off the framework is used, or the work ended)."""
    _ensure_routed(requirement.referral)
    return _end_without_award(requirement, acting_user=acting_user, reason=reason)


@transaction.atomic
def withdraw_live_requirement(referral: Referral, *, acting_user, reason: str) -> DPSRequirement | None:
    """The referral was withdrawn (in this transaction): its requirement still out for bids or under review, if it
    has one, is withdrawn: bidding stops and no bid is awarded. Bidders are told their bid was not successful; the
    practitioner's reason stays in the council's records, never in what providers see."""
    requirement = referral.live_requirement
    if requirement is None:
        return None
    requirement = _locked(requirement)
    requirement.selection_reason = "The referral was withdrawn."
    REQUIREMENT_MACHINE.apply(requirement, "withdraw", acting_user=acting_user, note=reason)
    enqueue(notify_bidders_of_outcome, requirement.pk)
    return requirement


@transaction.atomic
def record_routed_spot_contract(referral: Referral, *, acting_user, provider, reason: str) -> SpotContractNotice:
    """No framework provider can deliver a routed service type's work: a provider off the framework is used, with
    the reason; its closed requirement is not awarded and the DPS team is told, as for home care."""
    referral = _locked_referral(referral)
    _ensure_allocated_officer(referral, acting_user)
    _ensure_routed(referral)
    if not reason.strip():
        raise ActionRefused("Give the reason no framework provider can deliver.")
    if not provider.active:
        raise ActionRefused("That provider is not active.")
    requirement = referral.live_requirement
    if requirement is not None:
        if requirement.status != DPSRequirement.Status.CLOSED:
            raise ActionRefused("Bidding is still open: close it before using a provider off the framework.")
        _end_without_award(requirement, acting_user=acting_user, reason=f"Spot contract: {reason}")
    return _tell_dps_team(referral, provider=provider, reason=reason, acting_user=acting_user)


@transaction.atomic
def acknowledge_spot_contract_notice(notice: SpotContractNotice, *, acting_user) -> SpotContractNotice:
    if not acting_user.has_role(Role.DPS_TEAM):
        raise ActionRefused("Only the DPS team acknowledges these.")
    notice = SpotContractNotice.objects.select_for_update().get(pk=notice.pk)
    if notice.acknowledged_by_id:
        raise ActionRefused("This has already been acknowledged.")
    notice.acknowledged_by = acting_user
    notice.save(update_fields=["acknowledged_by"])
    record_change(actor=acting_user, obj=notice, summary="Acknowledged a spot contract notice")
    return notice
